#include "render/json.h"

#include "interchange/records.h"
#include "render/display.h"
#include "temporal/calendar.h"

namespace annals::render {

using nlohmann::json;

json source_json(const SourceInfo& s) { return interchange::source_to_json(s); }

json mention_json(const EventMention& m) { return interchange::mention_to_json(m); }

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
                       {"conflict_count", std::max(e.conflict_count, e.conflicts_with.size())},
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
