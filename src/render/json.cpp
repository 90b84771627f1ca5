#include "render/json.h"

#include "render/display.h"
#include "temporal/calendar.h"

namespace annals::render {

using nlohmann::json;

json source_json(const SourceInfo& s) {
  json j{{"file", s.file}, {"title", s.title}, {"outlet", s.outlet}, {"url", s.url}};
  j["published"] = s.published ? json(temporal::format_iso_day(*s.published)) : json(nullptr);
  j["published_from"] = s.published_from;
  return j;
}

json mention_json(const EventMention& m) {
  json j{{"rule", m.rule_id},
         {"title", m.title},
         {"identity", m.identity},
         {"category", m.category},
         {"actors", m.actors},
         {"tags", m.tags},
         {"source", source_json(m.source)},
         {"evidence", m.evidence},
         {"match", {{"start", m.match.begin}, {"end", m.match.end}}},
         {"evidence_event", {{"start", m.evidence_event.begin}, {"end", m.evidence_event.end}}}};
  if (m.date) {
    json d{{"text", m.date->text},
           {"rule", m.date->rule_id},
           {"type", timex_type_name(m.date->type)},
           {"value", m.date->value},
           {"start", m.date->span.begin},
           {"end", m.date->span.end}};
    d["date_start"] = m.dated() ? json(temporal::format_iso_day(m.date->interval->first)) : json(nullptr);
    d["date_end"] = m.dated() ? json(temporal::format_iso_day(m.date->interval->last)) : json(nullptr);
    if (!m.date->mod.empty()) d["mod"] = m.date->mod;
    if (!m.date->unresolved_reason.empty()) d["unresolved"] = m.date->unresolved_reason;
    j["date"] = d;
    if (m.evidence_date) j["evidence_date"] = {{"start", m.evidence_date->begin}, {"end", m.evidence_date->end}};
  } else {
    j["date"] = nullptr;
  }
  return j;
}

json timeline_json(const Timeline& t) {
  json entries = json::array();
  for (auto& e : t.entries) {
    json mentions = json::array();
    for (auto& m : e.mentions) mentions.push_back(mention_json(m));
    entries.push_back({{"event_id", e.event_id},
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
                       {"mentions", mentions}});
  }
  json undated = json::array();
  for (auto& m : t.undated) undated.push_back(mention_json(m));
  json sources = json::array();
  for (auto& s : t.sources) sources.push_back(source_json(s));
  json diags = json::array();
  for (auto& d : t.diagnostics) diags.push_back(format_diagnostic(d));
  return {{"rules", t.rules_dir}, {"entries", entries}, {"undated", undated}, {"sources", sources},
          {"near_duplicates", t.near_duplicates}, {"diagnostics", diags}};
}

std::string render_json(const Timeline& t) { return timeline_json(t).dump(2, ' ', false, json::error_handler_t::replace) + "\n"; }

}  // namespace annals::render
