#include "render/timelinejs.h"

#include <algorithm>
#include <filesystem>
#include <optional>
#include <set>
#include <unordered_map>

#include <fmt/format.h>

#include "core/text.h"
#include "render/display.h"
#include "render/html.h"
#include "render/json.h"

namespace annals::render {
namespace {

using nlohmann::json;

// A TimelineJS date: the year always, month and day when the precision has them.
struct SlideDate {
  int year = 0;
  unsigned month = 0;  // 0: absent
  unsigned day = 0;    // 0: absent
  friend bool operator==(const SlideDate&, const SlideDate&) = default;
};

enum class Precision { Year, Month, Day };

Precision precision_of(Granularity g) {
  switch (g) {
    case Granularity::Day:
    case Granularity::Week: return Precision::Day;
    case Granularity::Month:
    case Granularity::Season:
    case Granularity::Quarter:
    case Granularity::Half: return Precision::Month;
    case Granularity::Year:
    case Granularity::Decade:
    case Granularity::Century: return Precision::Year;
  }
  return Precision::Day;
}

SlideDate slide_date(date::sys_days day, Precision p) {
  date::year_month_day ymd{day};
  SlideDate d{int(ymd.year())};
  if (p != Precision::Year) d.month = unsigned(ymd.month());
  if (p == Precision::Day) d.day = unsigned(ymd.day());
  return d;
}

struct SlideDates {
  SlideDate start;
  std::optional<SlideDate> end;  // only when the entry spans more than one unit
};

SlideDates slide_dates(const DateInterval& d) {
  Precision p = precision_of(d.granularity);
  SlideDates s{slide_date(d.first, p), slide_date(d.last, p)};
  if (*s.end == s.start) s.end.reset();
  return s;
}

using EntryIndex = std::unordered_map<std::string_view, std::size_t>;

EntryIndex entry_index(const Timeline& t) {
  EntryIndex index;
  for (std::size_t i = 0; i < t.entries.size(); ++i) index.emplace(t.entries[i].event_id, i);
  return index;
}

// Source text as HTML text: escaped, and its runs of white space (tabs,
// line breaks) one space, as a browser shows them anyway (a spreadsheet
// would drop a tab inside a cell).
std::string escape_html(std::string_view text) {
  std::string collapsed = collapse_whitespace(text), out;
  std::string_view s = collapsed;
  for (char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out.push_back(c);
    }
  }
  return out;
}

// The slide's text: the disputed dates first, then one paragraph per mention
// (at most `limit`, one per source first): the evidence and its citation,
// which says who (linked only for http(s) urls, render/html.h is_web_url),
// when they published it, and the date this mention gives when it is not
// the entry's own.
std::string slide_text(const Timeline& t, const TimelineEntry& e, const EntryIndex& index, std::size_t limit) {
  std::string html;
  if (!e.conflicts_with.empty()) {
    html += fmt::format("<p><strong>The sources disagree on the date.</strong> {}: {}.", escape_html(source_names(e, limit)),
                        escape_html(display_date(e)));
    for (std::size_t i = 0; i < e.conflicts_with.size() && i < limit; ++i)
      if (auto it = index.find(e.conflicts_with[i]); it != index.end()) {
        const TimelineEntry& o = t.entries[it->second];
        html += fmt::format(" {}: {}.", escape_html(source_names(o, limit)), escape_html(display_date(o)));
      }
    std::size_t shown = std::min(limit, e.conflicts_with.size());
    if (e.conflict_count > shown) html += fmt::format(" And {} more dates.", e.conflict_count - shown);
    html += "</p>";
  }
  std::vector<std::size_t> shown = mentions_to_show(e, limit);
  for (std::size_t i : shown) {
    const EventMention& m = e.mentions[i];
    const SourceInfo& s = *m.source;
    std::string name = escape_html(source_name(s));
    std::string cite = is_web_url(s.url) ? "<a href=\"" + escape_html(s.url) + "\">" + name + "</a>" : name;
    if (!s.title.empty()) cite += ", “" + escape_html(s.title) + "”";
    if (s.published) cite += ", published " + escape_html(display_date({"", Granularity::Day, *s.published, *s.published}));
    if (m.dated() && m.date->interval->value != e.date.value)
      cite += "; dates it " + escape_html(display_date(*m.date->interval, m.date->mod));
    else if (!m.dated())
      cite += "; gives no date of its own";
    html += "<p>" + escape_html(m.evidence) + " <cite>" + cite + "</cite></p>";
  }
  if (shown.size() < e.mentions.size())
    html += fmt::format("<p>And {} more mentions.</p>", e.mentions.size() - shown.size());
  return html;
}

// The picture of the first source that has one with an http(s) url.
const SourceInfo* media_source(const TimelineEntry& e) {
  for (auto& m : e.mentions)
    if (is_web_url(m.source->image) && m.source->image.find_first_of("\"'<>") == std::string::npos) return &*m.source;
  return nullptr;
}

std::string number(unsigned n) { return n ? std::to_string(n) : std::string{}; }

// The TimelineJS spreadsheet template's columns, in its order.
const std::vector<std::string_view> kColumns{"Year", "Month", "Day", "Time", "End Year", "End Month", "End Day", "End Time",
                                             "Display Date", "Headline", "Text", "Media", "Media Credit", "Media Caption",
                                             "Media Thumbnail", "Type", "Group", "Background"};

// What the title slide says when --title gives nothing.
std::string title_of(const Timeline& t) { return t.title.empty() ? "Timeline" : t.title; }

std::string title_text(const Timeline& t) {
  if (!t.description.empty()) return "<p>" + escape_html(t.description) + "</p>";
  std::string text = fmt::format("{} {} from {} {}", t.entries.size(), t.entries.size() == 1 ? "event" : "events",
                                 t.sources.size(), t.sources.size() == 1 ? "source" : "sources");
  if (!t.entries.empty())
    text += ", " + display_date(t.entries.front().date) + " to " + display_date(t.entries.back().date);
  return "<p>" + escape_html(text) + ".</p>";
}

json date_json(const SlideDate& d) {
  json j{{"year", d.year}};
  if (d.month) j["month"] = d.month;
  if (d.day) j["day"] = d.day;
  return j;
}

// One entry's slide.
json slide_json(const Timeline& t, const TimelineEntry& e, const EntryIndex& index, std::size_t list_limit) {
  auto dates = slide_dates(e.date);
  json slide{{"start_date", date_json(dates.start)},
             {"display_date", escape_html(display_date(e))},
             {"text", {{"headline", escape_html(e.title)}, {"text", slide_text(t, e, index, list_limit)}}},
             {"group", escape_html(e.category)},
             {"unique_id", e.event_id}};
  if (dates.end) slide["end_date"] = date_json(*dates.end);
  if (const SourceInfo* s = media_source(e))
    slide["media"] = {{"url", s->image}, {"credit", escape_html(source_name(*s))}, {"caption", escape_html(s->title)}};
  return slide;
}

json title_json(const Timeline& t) {
  return {{"text", {{"headline", escape_html(title_of(t))}, {"text", title_text(t)}}}, {"unique_id", "title"}};
}

}  // namespace

void render_timelinejs_csv(const Timeline& t, CsvDialect dialect, std::size_t list_limit, OutputSink& out) {
  out.write(csv_preamble(dialect));
  std::vector<std::string> fields;
  for (auto& c : kColumns) fields.push_back(csv_field(c));
  out.write(csv_row(fields, dialect));
  auto row = [&](const std::vector<std::pair<std::string_view, std::string>>& cells) {
    fields.assign(kColumns.size(), csv_field(""));
    for (auto& [name, value] : cells)
      fields[std::size_t(std::find(kColumns.begin(), kColumns.end(), name) - kColumns.begin())] = csv_field(value);
    out.write(csv_row(fields, dialect));
  };
  row({{"Headline", escape_html(title_of(t))}, {"Text", title_text(t)}, {"Type", "title"}});
  EntryIndex index = entry_index(t);
  for (auto& e : t.entries) {
    SlideDates d = slide_dates(e.date);
    std::vector<std::pair<std::string_view, std::string>> cells{
        {"Year", std::to_string(d.start.year)}, {"Month", number(d.start.month)}, {"Day", number(d.start.day)},
        {"Display Date", escape_html(display_date(e))}, {"Headline", escape_html(e.title)},
        {"Text", slide_text(t, e, index, list_limit)}, {"Group", escape_html(e.category)}};
    if (d.end) cells.insert(cells.end(), {{"End Year", std::to_string(d.end->year)}, {"End Month", number(d.end->month)}, {"End Day", number(d.end->day)}});
    if (const SourceInfo* s = media_source(e))
      cells.insert(cells.end(), {{"Media", s->image}, {"Media Credit", escape_html(source_name(*s))}, {"Media Caption", escape_html(s->title)}});
    row(cells);
  }
}

std::string render_timelinejs_csv(const Timeline& t, CsvDialect dialect, std::size_t list_limit) {
  return collect_text([&](OutputSink& out) { render_timelinejs_csv(t, dialect, list_limit, out); });
}

json timelinejs_json(const Timeline& t, std::size_t list_limit) {
  json events = json::array();
  EntryIndex index = entry_index(t);
  for (auto& e : t.entries) events.push_back(slide_json(t, e, index, list_limit));
  return {{"title", title_json(t)}, {"events", events}};
}

// The same text as timelinejs_json(t).dump(2) (keys in nlohmann's order:
// "events" before "title"), made a slide at a time.
void render_timelinejs_json(const Timeline& t, std::size_t list_limit, OutputSink& out) {
  EntryIndex index = entry_index(t);
  out.write("{\n  \"events\": ");
  write_json_array(out, t.entries, [&](const TimelineEntry& e) { return slide_json(t, e, index, list_limit); });
  out.write(",\n  \"title\": ");
  write_json_indented(out, title_json(t), 1);
  out.write("\n}\n");
}

std::string render_timelinejs_json(const Timeline& t, std::size_t list_limit) {
  return collect_text([&](OutputSink& out) { render_timelinejs_json(t, list_limit, out); });
}

}  // namespace annals::render
