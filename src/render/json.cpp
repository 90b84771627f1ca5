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

// `j` as dump(2) writes it `depth` levels deep: its lines after the first
// indented by 2 * depth more (a JSON string holds no raw line break).
void append_indented(std::string& out, const json& j, int depth) {
  std::string text = j.dump(2, ' ', false, json::error_handler_t::replace);
  std::string pad(std::size_t(2 * depth), ' ');
  std::size_t from = 0;
  for (std::size_t nl = text.find('\n'); nl != std::string::npos; nl = text.find('\n', from)) {
    out.append(text, from, nl + 1 - from);
    out += pad;
    from = nl + 1;
  }
  out.append(text, from);
}

// An array of `items` made one at a time by `make`, written as the value
// of a key of the top-level object.
template <typename Items, typename Make>
void append_array(std::string& out, const Items& items, Make make) {
  if (items.empty()) {
    out += "[]";
    return;
  }
  out += "[\n";
  bool first = true;
  for (auto& item : items) {
    if (!first) out += ",\n";
    first = false;
    out += "    ";
    append_indented(out, make(item), 2);
  }
  out += "\n  ]";
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

// The same text as timeline_json(t).dump(2) (keys in order, as nlohmann
// sorts them), made an entry at a time: a timeline of 50,000 sources never
// exists as one JSON tree, which took several times the timeline's memory.
std::string render_json(const Timeline& t) {
  std::string out = "{\n  \"diagnostics\": ";
  append_array(out, t.diagnostics, [](const Diagnostic& d) { return json(format_diagnostic(d)); });
  out += ",\n  \"entries\": ";
  append_array(out, t.entries, entry_json);
  out += ",\n  \"near_duplicates\": ";
  append_indented(out, json(t.near_duplicates), 1);
  out += ",\n  \"rules\": ";
  out += json(t.rules_dir).dump(-1, ' ', false, json::error_handler_t::replace);
  out += ",\n  \"sources\": ";
  append_array(out, t.sources, source_json);
  out += ",\n  \"undated\": ";
  append_array(out, t.undated, mention_json);
  out += "\n}\n";
  return out;
}

}  // namespace annals::render
