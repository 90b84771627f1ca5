// render/csv_mentions — out/mentions.csv: one row per event mention, for
// users who pivot by source. Dated mentions come first, in timeline order
// (each with the event_id of the entry it was merged into), then the undated
// ones (event_id empty). Columns (documented in README.md):
//
//   event_id, entry_date      the entry it belongs to and the entry's value
//   date_text                 the date expression as the source wrote it
//   date_value                its TimeML value, resolved against the
//                             source's publication date
//   date_start, date_end      the days that value covers, YYYY-MM-DD
//   date_rule                 the date rule that matched
//   unresolved                why the date has no place on the calendar
//   event_title, category, rule
//   source_file, source_title, outlet, url
//   published, published_from the source's publication date and its origin
//   evidence                  the sentence, whitespace collapsed
//   match_start, match_end    byte offsets of the event match in the
//                             source's cleaned text
//   evidence_event_start, evidence_event_end, evidence_date_start,
//   evidence_date_end         byte offsets of the event and the date in
//                             `evidence`
//
// Quoting, dialects and formula neutralization: render/csv.h.
#pragma once

#include <string>

#include "core/types.h"
#include "render/csv.h"

namespace annals::render {

// Writes mentions.csv into `out`, a row at a time.
void render_mentions_csv(const Timeline& t, CsvDialect dialect, OutputSink& out);
// The same, as a string.
std::string render_mentions_csv(const Timeline& t, CsvDialect dialect = CsvDialect::Plain);

}  // namespace annals::render
