// render/csv — RFC 4180 tables that spreadsheets open safely. The CSV
// writers (csv_timeline.h, csv_mentions.h, timelinejs.h) build rows of plain
// strings and hand them here (CsvWriter streams them into an OutputSink); this file alone decides quoting, line ends,
// the byte-order mark and formula neutralization.
//
//   csv_field("=1+1")           -> "'=1+1"
//   csv_field("x, \"y\"")        -> "x, ""y"""
//   csv_field("2025-03-07")     -> 2025-03-07
//   csv_field("12")             -> 12
//
// Quoting (RFC 4180): a field is enclosed in double quotes when it holds a
// comma, a double quote, CR or LF; a double quote inside is doubled. Line
// breaks inside a field are kept as they are (LF). Besides, every text cell
// is quoted and only numbers ("12", "-5") and ISO days ("2025-03-07") are
// not, so a spreadsheet told to read quoted fields as text (LibreOffice:
// "Format quoted field as text") keeps "March 2025" as text and still reads
// the numbers and dates as such.
//
// Formula neutralization (OWASP "CSV injection"): a cell that begins with
// = + - @ TAB or CR is prefixed with a single quote, so a spreadsheet shows
// it as text instead of evaluating it. A cell that is a plain number
// (optional sign, digits, optional decimal fraction: "-5", "+3.25") is left
// alone: spreadsheets read it as a number, never as a formula. So "-5 points"
// and "=1+1" are neutralized, "2025-03-07", "12" and "-5" are not.
// Spreadsheets skip leading blanks and read full-width signs as ASCII ones,
// so a formula starter after spaces, tabs, no-break or ideographic spaces
// (" =1+1", "\u00A0=1+1"), and a full-width one (U+FF1D ＝, U+FF0B ＋,
// U+FF0D －, U+FF20 ＠), count too.
//
// Bidirectional override and isolate controls (U+202A-U+202E,
// U+2066-U+2069) are replaced with U+FFFD, as in the page: they would
// reorder what the cell shows (core/text.h).
//
// Dialects: Plain is UTF-8 with LF line ends and no byte-order mark; Excel
// adds a UTF-8 byte-order mark (so Excel detects UTF-8) and ends rows with
// CRLF. All functions are pure and thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "render/sink.h"

namespace annals::render {

enum class CsvDialect { Plain, Excel };

// "plain" / "excel" -> the dialect; anything else -> nullopt.
std::optional<CsvDialect> parse_csv_dialect(std::string_view name);

// True for "12", "-5", "+3.25": a cell a spreadsheet reads as a number.
bool is_plain_number(std::string_view cell);

// True for "2025-03-07" (YYYY-MM-DD): a cell a spreadsheet reads as a date.
bool is_iso_day(std::string_view cell);

// The cell with a leading single quote when it would start a formula.
std::string neutralize_formula(std::string_view cell);

// One CSV field: neutralized, then quoted when it needs to be.
std::string csv_field(std::string_view text);
// The same, appended to `row` (no field string of its own).
void append_csv_field(std::string& row, std::string_view text);

// One column of a CSV file: its header name and how to get its cell from
// one item (an entry, a mention, ...). Writers list their columns once, so
// the header and every row always agree.
template <class Item>
struct CsvColumn {
  std::string_view name;
  std::string (*cell)(const Item&);
};

// Joins already-encoded fields into one row, ended the dialect's way.
std::string csv_row(const std::vector<std::string>& fields, CsvDialect dialect);
// What ends a row: CRLF for Excel, LF otherwise.
std::string_view csv_line_end(CsvDialect dialect);

// The byte-order mark the dialect starts a file with ("" for Plain).
std::string_view csv_preamble(CsvDialect dialect);

// A CSV file written a row at a time into `out`: the preamble and the
// header row when it is made, then one row per row() call, in `dialect`.
//
//   CsvWriter<TimelineEntry> csv(columns, dialect, sink);
//   for (auto& e : t.entries) csv.row(e);
template <class Item>
class CsvWriter {
 public:
  CsvWriter(const std::vector<CsvColumn<Item>>& columns, CsvDialect dialect, OutputSink& out)
      : columns_(columns), dialect_(dialect), out_(out) {
    out_.write(csv_preamble(dialect_));
    row_.clear();
    for (std::size_t i = 0; i < columns_.size(); ++i) add(i, columns_[i].name);
    end_row();
  }
  void row(const Item& item) {
    row_.clear();
    for (std::size_t i = 0; i < columns_.size(); ++i) add(i, columns_[i].cell(item));
    end_row();
  }

 private:
  // Fields go straight into one row buffer, as csv_row would join them.
  void add(std::size_t column, std::string_view text) {
    if (column > 0) row_.push_back(',');
    append_csv_field(row_, text);
  }
  void end_row() {
    row_ += csv_line_end(dialect_);
    out_.write(row_);
  }

  const std::vector<CsvColumn<Item>>& columns_;
  CsvDialect dialect_;
  OutputSink& out_;
  std::string row_;
};

}  // namespace annals::render
