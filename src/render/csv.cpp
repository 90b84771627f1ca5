#include "render/csv.h"

#include "core/text.h"

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

namespace {

// The length of the blank (space, tab, CR, LF, U+00A0, U+3000, U+2000-U+200B,
// U+202F, U+205F, U+FEFF) at the start of `s`, or 0.
std::size_t blank_at(std::string_view s) {
  if (s.empty()) return 0;
  if (s[0] == ' ' || s[0] == '\n') return 1;
  auto starts = [&](std::string_view p) { return s.substr(0, p.size()) == p; };
  if (starts("\xC2\xA0")) return 2;
  if (starts("\xE3\x80\x80") || starts("\xE2\x80\xAF") || starts("\xE2\x81\x9F") || starts("\xEF\xBB\xBF")) return 3;
  if (starts("\xE2\x80") && s.size() > 2 && static_cast<unsigned char>(s[2]) >= 0x80 && static_cast<unsigned char>(s[2]) <= 0x8B) return 3;
  return 0;
}

// True when `s` starts with = + - @ TAB CR or a full-width = + - @.
bool formula_starter_at(std::string_view s) {
  if (s.empty()) return false;
  if (std::string_view("=+-@\t\r").find(s.front()) != std::string_view::npos) return true;
  for (std::string_view wide : {"\xEF\xBC\x9D", "\xEF\xBC\x8B", "\xEF\xBC\x8D", "\xEF\xBC\xA0"})  // ＝ ＋ － ＠
    if (s.substr(0, wide.size()) == wide) return true;
  return false;
}

// Whether a spreadsheet would read `cell` as a formula: a formula starter
// after any blanks, and not a plain number ("-5").
bool reads_as_formula(std::string_view cell) {
  std::string_view rest = cell;
  while (std::size_t n = blank_at(rest)) rest.remove_prefix(n);
  return formula_starter_at(rest) && !is_plain_number(cell);
}

}  // namespace

std::string neutralize_formula(std::string_view cell) {
  if (!reads_as_formula(cell)) return std::string(cell);
  return "'" + std::string(cell);
}

std::string_view csv_line_end(CsvDialect dialect) { return dialect == CsvDialect::Excel ? "\r\n" : "\n"; }

bool is_iso_day(std::string_view cell) {
  if (cell.size() != 10 || cell[4] != '-' || cell[7] != '-') return false;
  for (std::size_t i : {0, 1, 2, 3, 5, 6, 8, 9})
    if (cell[i] < '0' || cell[i] > '9') return false;
  return true;
}

void append_csv_field(std::string& row, std::string_view text) {
  bool neutral = reads_as_formula(text);
  // Only a cell with an E2 byte can hold a bidirectional control.
  std::string replaced;
  if (text.find('\xE2') != std::string_view::npos) {
    replaced = std::string(text);
    replace_bidi_controls(replaced);
    text = replaced;
  }
  bool needs_quotes = text.find_first_of(",\"\r\n") != std::string_view::npos;
  bool is_text = neutral || (!text.empty() && !is_plain_number(text) && !is_iso_day(text));
  if (!needs_quotes && !is_text) {
    row += text;
    return;
  }
  // Runs between quotes are appended whole.
  row.push_back('"');
  if (neutral) row.push_back('\'');
  for (std::size_t from = 0;;) {
    std::size_t q = text.find('"', from);
    if (q == std::string_view::npos) {
      row.append(text, from);
      break;
    }
    row.append(text, from, q + 1 - from);
    row.push_back('"');
    from = q + 1;
  }
  row.push_back('"');
}

std::string csv_field(std::string_view text) {
  std::string cell;
  append_csv_field(cell, text);
  return cell;
}

std::string csv_row(const std::vector<std::string>& fields, CsvDialect dialect) {
  std::string row;
  for (std::size_t i = 0; i < fields.size(); ++i) {
    if (i) row.push_back(',');
    row += fields[i];
  }
  row += csv_line_end(dialect);
  return row;
}

std::string_view csv_preamble(CsvDialect dialect) { return dialect == CsvDialect::Excel ? "\xEF\xBB\xBF" : ""; }

}  // namespace annals::render
