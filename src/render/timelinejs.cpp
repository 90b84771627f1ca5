#include "render/timelinejs.h"

#include <optional>

#include "render/display.h"
#include "render/html.h"

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

std::string escape_html(std::string_view s) {
  std::string out;
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

// One paragraph per mention: the evidence, then the source, linked only when
// its URL is http(s) (render/html.h, is_web_url).
std::string slide_text(const TimelineEntry& e) {
  std::string html;
  for (auto& m : e.mentions) {
    const SourceInfo& s = m.source;
    std::string name = escape_html(!s.outlet.empty() ? s.outlet : !s.title.empty() ? s.title : s.file);
    std::string source = is_web_url(s.url) ? "<a href=\"" + escape_html(s.url) + "\">" + name + "</a>" : name;
    html += "<p>" + escape_html(m.evidence) + " <cite>" + source + "</cite></p>";
  }
  return html;
}

std::string number(unsigned n) { return n ? std::to_string(n) : std::string{}; }

// The TimelineJS spreadsheet template's columns, in its order.
const std::vector<CsvColumn<TimelineEntry>>& timelinejs_columns() {
  using E = TimelineEntry;
  static const std::vector<CsvColumn<E>> columns{
      {"Year", [](const E& e) { return std::to_string(slide_dates(e.date).start.year); }},
      {"Month", [](const E& e) { return number(slide_dates(e.date).start.month); }},
      {"Day", [](const E& e) { return number(slide_dates(e.date).start.day); }},
      {"Time", [](const E&) { return std::string{}; }},
      {"End Year", [](const E& e) { auto s = slide_dates(e.date); return s.end ? std::to_string(s.end->year) : std::string{}; }},
      {"End Month", [](const E& e) { auto s = slide_dates(e.date); return s.end ? number(s.end->month) : std::string{}; }},
      {"End Day", [](const E& e) { auto s = slide_dates(e.date); return s.end ? number(s.end->day) : std::string{}; }},
      {"End Time", [](const E&) { return std::string{}; }},
      {"Display Date", [](const E& e) { return escape_html(display_date(e)); }},
      {"Headline", [](const E& e) { return escape_html(e.title); }},
      {"Text", [](const E& e) { return slide_text(e); }},
      {"Media", [](const E&) { return std::string{}; }},
      {"Media Credit", [](const E&) { return std::string{}; }},
      {"Media Caption", [](const E&) { return std::string{}; }},
      {"Media Thumbnail", [](const E&) { return std::string{}; }},
      {"Type", [](const E&) { return std::string{}; }},
      {"Group", [](const E& e) { return escape_html(e.category); }},
      {"Background", [](const E&) { return std::string{}; }},
  };
  return columns;
}

json date_json(const SlideDate& d) {
  json j{{"year", d.year}};
  if (d.month) j["month"] = d.month;
  if (d.day) j["day"] = d.day;
  return j;
}

}  // namespace

std::string render_timelinejs_csv(const Timeline& t, CsvDialect dialect) {
  return csv_table(timelinejs_columns(), t.entries, dialect);
}

json timelinejs_json(const Timeline& t) {
  json events = json::array();
  for (auto& e : t.entries) {
    auto dates = slide_dates(e.date);
    json slide{{"start_date", date_json(dates.start)},
               {"display_date", escape_html(display_date(e))},
               {"text", {{"headline", escape_html(e.title)}, {"text", slide_text(e)}}},
               {"group", escape_html(e.category)},
               {"unique_id", e.event_id}};
    if (dates.end) slide["end_date"] = date_json(*dates.end);
    events.push_back(std::move(slide));
  }
  return {{"events", events}};
}

std::string render_timelinejs_json(const Timeline& t) {
  return timelinejs_json(t).dump(2, ' ', false, json::error_handler_t::replace) + "\n";
}

}  // namespace annals::render
