#include "render/csv.h"

namespace annals::render {

std::optional<CsvDialect> parse_csv_dialect(std::string_view name) {
  if (name == "plain") return CsvDialect::Plain;
  if (name == "excel") return CsvDialect::Excel;
  return std::nullopt;
}

bool is_plain_number(std::string_view cell) {
  std::size_t i = 0;
  if (i < cell.size() && (cell[i] == '+' || cell[i] == '-')) ++i;
  auto digits = [&] {
    std::size_t start = i;
    while (i < cell.size() && cell[i] >= '0' && cell[i] <= '9') ++i;
    return i > start;
  };
  if (!digits()) return false;
  if (i < cell.size() && cell[i] == '.') {
    ++i;
    if (!digits()) return false;
  }
  return i == cell.size();
}

std::string neutralize_formula(std::string_view cell) {
  bool starts_formula = !cell.empty() && std::string_view("=+-@\t\r").find(cell.front()) != std::string_view::npos;
  if (!starts_formula || is_plain_number(cell)) return std::string(cell);
  return "'" + std::string(cell);
}

bool is_iso_day(std::string_view cell) {
  if (cell.size() != 10 || cell[4] != '-' || cell[7] != '-') return false;
  for (std::size_t i : {0, 1, 2, 3, 5, 6, 8, 9})
    if (cell[i] < '0' || cell[i] > '9') return false;
  return true;
}

std::string csv_field(std::string_view text) {
  std::string cell = neutralize_formula(text);
  bool needs_quotes = cell.find_first_of(",\"\r\n") != std::string::npos;
  bool is_text = !cell.empty() && !is_plain_number(cell) && !is_iso_day(cell);
  if (!needs_quotes && !is_text) return cell;
  std::string quoted = "\"";
  for (char c : cell) {
    if (c == '"') quoted.push_back('"');
    quoted.push_back(c);
  }
  quoted.push_back('"');
  return quoted;
}

std::string csv_row(const std::vector<std::string>& fields, CsvDialect dialect) {
  std::string row;
  for (std::size_t i = 0; i < fields.size(); ++i) {
    if (i) row.push_back(',');
    row += fields[i];
  }
  row += dialect == CsvDialect::Excel ? "\r\n" : "\n";
  return row;
}

std::string_view csv_preamble(CsvDialect dialect) { return dialect == CsvDialect::Excel ? "\xEF\xBB\xBF" : ""; }

}  // namespace annals::render
