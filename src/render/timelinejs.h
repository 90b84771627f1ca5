// render/timelinejs — the timeline for Knight Lab's TimelineJS, so it can be
// published with TimelineJS unchanged:
//
//   out/timelinejs.csv   the columns of TimelineJS's Google Sheets template,
//                        in its order: Year, Month, Day, Time, End Year,
//                        End Month, End Day, End Time, Display Date,
//                        Headline, Text, Media, Media Credit, Media Caption,
//                        Media Thumbnail, Type, Group, Background
//   out/timelinejs.json  TimelineJS's JSON format:
//                        {"events": [{"start_date": {"year": 2025, "month": 3,
//                        "day": 7}, "end_date": {...}, "display_date": "...",
//                        "text": {"headline": "...", "text": "<p>...</p>"},
//                        "group": "...", "unique_id": "..."}]}
//
// One event per timeline entry. Dates carry the precision of the entry's
// granularity: day and week entries give year, month and day; month, season,
// quarter and half give year and month; year, decade and century give the
// year only. An entry that covers more than one unit at that precision (a
// week, a quarter, a decade) also gets an end date. Display Date is the
// entry's display_date, Headline its title, Group its category, and Text one
// HTML paragraph per mention (the evidence sentence and a link to the
// source; only http(s) URLs become links). TimelineJS puts Headline, Text,
// Display Date and Group into the page as HTML, so every piece of source
// text in them is HTML-escaped ("AT&T" -> "AT&amp;T"). The CSV follows
// render/csv.h (quoting, dialect, formula neutralization).
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "core/types.h"
#include "render/csv.h"

namespace annals::render {

std::string render_timelinejs_csv(const Timeline& t, CsvDialect dialect = CsvDialect::Plain);

nlohmann::json timelinejs_json(const Timeline& t);
// Pretty-printed, UTF-8, ends with a newline.
std::string render_timelinejs_json(const Timeline& t);

}  // namespace annals::render
