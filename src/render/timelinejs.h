// render/timelinejs — the timeline for Knight Lab's TimelineJS, so it can be
// published with TimelineJS unchanged:
//
//   out/timelinejs.csv   the columns of TimelineJS's Google Sheets template,
//                        in its order: Year, Month, Day, Time, End Year,
//                        End Month, End Day, End Time, Display Date,
//                        Headline, Text, Media, Media Credit, Media Caption,
//                        Media Thumbnail, Type, Group, Background
//   out/timelinejs.json  TimelineJS's JSON format:
//                        {"title": {...}, "events": [{"start_date": {"year": 2025, "month": 3,
//                        "day": 7}, "end_date": {...}, "display_date": "...",
//                        "text": {"headline": "...", "text": "<p>...</p>"},
//                        "group": "...", "unique_id": "..."}]}
//
// A title slide first (TimelineJS's `title` object; the row with Type
// "title"): Headline is the timeline's title (--title, else "Timeline"),
// Text its description (else what it covers: "9 events from 5 sources, 2023
// to 7 March 2025"). Then one slide per timeline entry. Dates carry the
// precision of the entry's granularity: day and week entries give year,
// month and day; month, season, quarter and half give year and month; year,
// decade and century give the year only. An entry that covers more than one
// unit at that precision (a week, a quarter, a decade) also gets an end date.
// Display Date is the entry's display_date, Headline its title, Group its
// category. Text says first when the sources disagree on the date (who gives
// which), then one paragraph per mention (at most `list_limit`, one per
// source first, and how many more): the evidence sentence and a citation
// with the source (linked only for http(s) urls), its title, its
// publication date and the date this mention gives when it differs from the
// entry's. Media is the first http(s) image a source of the entry has
// (og:image of an HTML source, `image` in front matter or sources.toml),
// credited to that source. TimelineJS puts Headline, Text, Display Date and
// Group into the page as HTML, so every piece of source text in them is
// HTML-escaped ("AT&T" -> "AT&amp;T"). The CSV follows render/csv.h
// (quoting, dialect, formula neutralization).
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "core/types.h"
#include "render/csv.h"
#include "render/sink.h"

namespace annals::render {

// Writes timelinejs.csv into `out`, a slide at a time.
void render_timelinejs_csv(const Timeline& t, CsvDialect dialect, std::size_t list_limit, OutputSink& out);
// The same, as a string.
std::string render_timelinejs_csv(const Timeline& t, CsvDialect dialect = CsvDialect::Plain, std::size_t list_limit = 8);

nlohmann::json timelinejs_json(const Timeline& t, std::size_t list_limit = 8);
// timelinejs_json(t).dump(2) and a newline (UTF-8), written into `out` a
// slide at a time.
void render_timelinejs_json(const Timeline& t, std::size_t list_limit, OutputSink& out);
// The same, as a string.
std::string render_timelinejs_json(const Timeline& t, std::size_t list_limit = 8);

}  // namespace annals::render
