#include "render/csv_timeline.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "render/display.h"
#include "temporal/calendar.h"

namespace annals::render {
namespace {

std::string join(const std::vector<std::string>& items, std::string_view sep) { return fmt::format("{}", fmt::join(items, sep)); }

const std::vector<CsvColumn<TimelineEntry>>& timeline_columns() {
  using E = TimelineEntry;
  static const std::vector<CsvColumn<E>> columns{
      {"date", [](const E& e) { return e.date.value; }},
      {"date_start", [](const E& e) { return temporal::format_iso_day(e.date.first); }},
      {"date_end", [](const E& e) { return temporal::format_iso_day(e.date.last); }},
      {"granularity", [](const E& e) { return std::string(granularity_name(e.date.granularity)); }},
      {"display_date", [](const E& e) { return display_date(e); }},
      {"title", [](const E& e) { return e.title; }},
      {"category", [](const E& e) { return e.category; }},
      {"event_id", [](const E& e) { return e.event_id; }},
      {"rule", [](const E& e) { return e.rule_id; }},
      {"sources", [](const E& e) { return std::to_string(e.source_files().size()); }},
      {"independent_sources", [](const E& e) { return std::to_string(e.independent_sources); }},
      {"mentions", [](const E& e) { return std::to_string(e.mentions.size()); }},
      {"source_files", [](const E& e) { return join(e.source_files(), ";"); }},
      {"actors", [](const E& e) { return join(e.actors(), ";"); }},
      {"tags", [](const E& e) { return join(e.tags(), ";"); }},
      {"evidence",
       [](const E& e) {
         std::vector<std::string> lines;
         for (auto& m : e.mentions) lines.push_back(fmt::format("[{}] {}", m.source->file, m.evidence));
         return join(lines, "\n");
       }},
      {"conflict", [](const E& e) { return std::string(e.conflicts_with.empty() ? "no" : "yes"); }},
      {"conflicts_with", [](const E& e) { return join(e.conflicts_with, ";"); }},
  };
  return columns;
}

}  // namespace

void render_csv(const Timeline& t, CsvDialect dialect, OutputSink& out) {
  CsvWriter<TimelineEntry> csv(timeline_columns(), dialect, out);
  for (auto& e : t.entries) csv.row(e);
}

std::string render_csv(const Timeline& t, CsvDialect dialect) {
  return collect_text([&](OutputSink& out) { render_csv(t, dialect, out); });
}

}  // namespace annals::render
