// render/csv_timeline — out/timeline.csv: one row per timeline entry, for
// spreadsheets. Columns (documented for users in README.md, "CSV, JSON and
// TimelineJS outputs"):
//
//   date                the entry's TimeML value at its granularity
//                       (2023, 2025-01, 2025-W10, 2025-Q1, 2025-03-07)
//   date_start,date_end the first and last day it covers, YYYY-MM-DD
//   granularity         day, week, month, season, quarter, half, year, ...
//   display_date        the date as people write it ("week of 3 March 2025")
//   title, category, event_id, rule
//   sources             distinct source files that report it
//   independent_sources the same, near-duplicate sources counted once
//   mentions            how many mentions were merged into it
//   source_files, actors, tags   lists, items separated by ";"
//   evidence            one line per mention: "[file] sentence"
//   conflict            "yes" when sources give this once-only event
//                       disjoint dates, else "no"
//   conflicts_with      the event_ids of the disagreeing entries, ";"
//
// Quoting, dialects and formula neutralization: render/csv.h.
#pragma once

#include <string>

#include "core/types.h"
#include "render/csv.h"

namespace annals::render {

// Writes timeline.csv into `out`, a row at a time.
void render_csv(const Timeline& t, CsvDialect dialect, OutputSink& out);
// The same, as a string.
std::string render_csv(const Timeline& t, CsvDialect dialect = CsvDialect::Plain);

}  // namespace annals::render
