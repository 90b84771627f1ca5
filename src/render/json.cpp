#include "render/json.h"

#include "interchange/records.h"
#include "render/display.h"
#include "temporal/calendar.h"

namespace annals::render {

using nlohmann::json;

json source_json(const SourceInfo& s) { return interchange::source_to_json(s); }

json mention_json(const EventMention& m) { return interchange::mention_to_json(m); }

namespace {

json entry_json(const TimelineEntry& e) {
  json mentions = json::array();
  for (auto& m : e.mentions) mentions.push_back(mention_json(m));
  return {{"event_id", e.event_id},
          {"date", e.date.value},
          {"date_start", temporal::format_iso_day(e.date.first)},
          {"date_end", temporal::format_iso_day(e.date.last)},
          {"granularity", granularity_name(e.date.granularity)},
          {"display_date", display_date(e)},
          {"title", e.title},
          {"category", e.category},
          {"rule", e.rule_id},
          {"sources", e.source_files().size()},
          {"independent_sources", e.independent_sources},
          {"source_files", e.source_files()},
          {"actors", e.actors()},
          {"tags", e.tags()},
          {"conflict", !e.conflicts_with.empty()},
          {"conflicts_with", e.conflicts_with},
          {"conflict_count", std::max(e.conflict_count, e.conflicts_with.size())},
          {"mentions", mentions}};
}

}  // namespace

json timeline_json(const Timeline& t) {
  json entries = json::array();
  for (auto& e : t.entries) entries.push_back(entry_json(e));
  json undated = json::array();
  for (auto& m : t.undated) undated.push_back(mention_json(m));
  json sources = json::array();
  for (auto& s : t.sources) sources.push_back(source_json(s));
  json diags = json::array();
  for (auto& d : t.diagnostics) diags.push_back(format_diagnostic(d));
  return {{"rules", t.rules_dir}, {"entries", entries}, {"undated", undated}, {"sources", sources},
          {"near_duplicates", t.near_duplicates}, {"diagnostics", diags}};
}

void write_json_indented(OutputSink& out, const json& j, int depth) {
  std::string text = j.dump(2, ' ', false, json::error_handler_t::replace);
  if (text.find('\n') == std::string::npos) {
    out.write(text);
    return;
  }
  // One write of the whole re-indented text: a sink call per line cost more
  // than the copy.
  std::string pad(std::size_t(2 * depth), ' '), indented;
  indented.reserve(text.size() + text.size() / 8);
  std::size_t from = 0;
  for (std::size_t nl = text.find('\n'); nl != std::string::npos; nl = text.find('\n', from)) {
    indented.append(text, from, nl + 1 - from);
    indented += pad;
    from = nl + 1;
  }
  indented.append(text, from);
  out.write(indented);
}

// The same text as timeline_json(t).dump(2) (keys in order, as nlohmann
// sorts them), made an entry at a time: a timeline of 50,000 sources never
// exists as one JSON tree, which took several times the timeline's memory.
void render_json(const Timeline& t, OutputSink& out) {
  out.write("{\n  \"diagnostics\": ");
  write_json_array(out, t.diagnostics, [](const Diagnostic& d) { return json(format_diagnostic(d)); });
  out.write(",\n  \"entries\": ");
  write_json_array(out, t.entries, entry_json);
  out.write(",\n  \"near_duplicates\": ");
  write_json_indented(out, json(t.near_duplicates), 1);
  out.write(",\n  \"rules\": ");
  out.write(json(t.rules_dir).dump(-1, ' ', false, json::error_handler_t::replace));
  out.write(",\n  \"sources\": ");
  write_json_array(out, t.sources, source_json);
  out.write(",\n  \"undated\": ");
  write_json_array(out, t.undated, mention_json);
  out.write("\n}\n");
}

std::string render_json(const Timeline& t) {
  return collect_text([&](OutputSink& out) { render_json(t, out); });
}

}  // namespace annals::render
