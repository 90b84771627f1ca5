#include "render/html.h"

#include <map>
#include <set>

#include <fmt/format.h>
#include <kainjow/mustache.hpp>

#include "render/display.h"
#include "render/json.h"
#include "temporal/calendar.h"

namespace annals::render {
namespace {

using kainjow::mustache::data;
using kainjow::mustache::mustache;

// The evidence sentence cut into plain / event / date pieces, for highlighting.
data evidence_segments(const EventMention& m) {
  const std::string& s = m.evidence;
  std::vector<std::size_t> cuts{0, s.size(), m.evidence_event.begin, m.evidence_event.end};
  if (m.evidence_date) cuts.insert(cuts.end(), {m.evidence_date->begin, m.evidence_date->end});
  std::set<std::size_t> points(cuts.begin(), cuts.end());
  data list{data::type::list};
  std::size_t prev = 0;
  for (std::size_t p : points) {
    if (p <= prev || p > s.size()) continue;
    Span piece{prev, p};
    data seg;
    seg.set("text", s.substr(prev, p - prev));
    bool ev = piece.begin >= m.evidence_event.begin && piece.end <= m.evidence_event.end;
    bool dt = m.evidence_date && piece.begin >= m.evidence_date->begin && piece.end <= m.evidence_date->end;
    seg.set("event", ev ? data::type::bool_true : data::type::bool_false);
    seg.set("date", dt ? data::type::bool_true : data::type::bool_false);
    seg.set("plain", !ev && !dt ? data::type::bool_true : data::type::bool_false);
    list.push_back(seg);
    prev = p;
  }
  return list;
}

data boolean(bool b) { return b ? data::type::bool_true : data::type::bool_false; }

data mention_data(const EventMention& m) {
  data d;
  d.set("file", m.source.file);
  d.set("source_name", !m.source.outlet.empty() ? m.source.outlet : m.source.file);
  d.set("source_title", m.source.title);
  d.set("url", m.source.url);
  d.set("has_url", boolean(!m.source.url.empty()));
  d.set("published", m.source.published ? temporal::format_iso_day(*m.source.published) : std::string{});
  d.set("evidence", m.evidence);
  d.set("segments", evidence_segments(m));
  d.set("rule", m.rule_id);
  d.set("title", m.title);
  d.set("date_text", m.date ? m.date->text : std::string{});
  d.set("date_value", m.date ? m.date->value : std::string{});
  d.set("unresolved", m.date ? m.date->unresolved_reason : std::string{"no date in the same sentence"});
  return d;
}

}  // namespace

std::string render_html(const Timeline& t, const std::string& template_text, const HtmlOptions& options,
                        std::string* error) {
  mustache tmpl{template_text};
  if (!tmpl.is_valid()) {
    *error = tmpl.error_message();
    return {};
  }
  std::map<std::string, std::string> title_of;
  for (auto& e : t.entries) title_of[e.event_id] = display_date(e.date) + ": " + e.title;

  data years{data::type::list};
  std::set<std::string> categories;
  int current_year = -1;
  data year_entries{data::type::list};
  std::size_t conflicts = 0;
  auto flush = [&] {
    if (current_year < 0) return;
    data y;
    y.set("year", std::to_string(current_year));
    y.set("entries", year_entries);
    years.push_back(y);
    year_entries = data{data::type::list};
  };
  for (auto& e : t.entries) {
    int y = int(date::year_month_day{e.date.first}.year());
    if (y != current_year) {
      flush();
      current_year = y;
    }
    std::string mod;
    for (auto& m : e.mentions)
      if (m.date && m.date->value == e.date.value) mod = m.date->mod;
    data d;
    d.set("event_id", e.event_id);
    d.set("date", e.date.value);
    d.set("display_date", display_date(e.date, mod));
    d.set("date_start", temporal::format_iso_day(e.date.first));
    d.set("date_end", temporal::format_iso_day(e.date.last));
    d.set("granularity", granularity_name(e.date.granularity));
    d.set("title", e.title);
    d.set("category", e.category);
    d.set("source_count", std::to_string(e.source_files().size()));
    data mentions{data::type::list};
    for (auto& m : e.mentions) mentions.push_back(mention_data(m));
    d.set("mentions", mentions);
    data conflict_list{data::type::list};
    for (auto& c : e.conflicts_with) {
      data x;
      x.set("event_id", c);
      x.set("label", title_of[c]);
      conflict_list.push_back(x);
    }
    d.set("conflicts", conflict_list);
    d.set("has_conflict", boolean(!e.conflicts_with.empty()));
    if (!e.conflicts_with.empty()) ++conflicts;
    categories.insert(e.category);
    year_entries.push_back(d);
  }
  flush();

  data undated{data::type::list};
  for (auto& m : t.undated) undated.push_back(mention_data(m));
  data sources{data::type::list};
  for (auto& s : t.sources) {
    data d;
    d.set("file", s.file);
    d.set("title", s.title);
    d.set("outlet", s.outlet);
    d.set("url", s.url);
    d.set("published", s.published ? temporal::format_iso_day(*s.published) : std::string{});
    d.set("published_from", s.published_from);
    sources.push_back(d);
  }
  data cats{data::type::list};
  for (auto& c : categories) cats.push_back(data{c});
  data diags{data::type::list};
  for (auto& d : t.diagnostics) diags.push_back(data{format_diagnostic(d)});

  data ctx;
  ctx.set("years", years);
  ctx.set("undated", undated);
  ctx.set("has_undated", boolean(!t.undated.empty()));
  ctx.set("sources", sources);
  ctx.set("categories", cats);
  ctx.set("diagnostics", diags);
  ctx.set("has_diagnostics", boolean(!t.diagnostics.empty()));
  ctx.set("source_count", std::to_string(t.sources.size()));
  ctx.set("event_count", std::to_string(t.entries.size()));
  ctx.set("conflict_count", std::to_string(conflicts));
  ctx.set("undated_count", std::to_string(t.undated.size()));
  ctx.set("rules", t.rules_dir);
  ctx.set("generated_at", options.generated_at);
  // JSON for scripts in the page; <, >, & and ' escaped so that it cannot end
  // the <script> element it sits in.
  std::string json = timeline_json(t).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  std::string safe;
  safe.reserve(json.size());
  for (char c : json) {
    if (c == '<') safe += "\\u003c";
    else if (c == '>') safe += "\\u003e";
    else if (c == '&') safe += "\\u0026";
    else if (c == '\'') safe += "\\u0027";
    else safe.push_back(c);
  }
  ctx.set("data_json", safe);
  std::string html = tmpl.render(ctx);
  if (!tmpl.is_valid()) {
    *error = tmpl.error_message();
    return {};
  }
  return html;
}

}  // namespace annals::render
