#include "render/html.h"

#include <algorithm>
#include <filesystem>
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

data list() { return data{data::type::list}; }

// Optional text is left out when empty, so that a template can test it with
// {{#name}}...{{/name}} (kainjow treats every string, even "", as true).
void set_text(data& d, const std::string& name, const std::string& value) {
  if (!value.empty()) d.set(name, value);
}

std::string file_name(const std::string& file) {
  std::string name = std::filesystem::path(file).filename().string();
  return name.empty() ? file : name;
}

// What a reader calls a source: its outlet, else its file name.
std::string source_name(const SourceInfo& s) { return !s.outlet.empty() ? s.outlet : file_name(s.file); }

// Dated to a month or finer: such entries are grouped under their month.
bool within_a_month(const DateInterval& d) { return d.granularity >= Granularity::Month; }

date::year_month month_of(date::sys_days d) {
  date::year_month_day ymd{d};
  return ymd.year() / ymd.month();
}

std::string month_key(date::year_month ym) { return fmt::format("{:04}-{:02}", int(ym.year()), unsigned(ym.month())); }

std::string month_label(date::year_month ym) {
  DateInterval d;
  d.granularity = Granularity::Month;
  d.first = date::sys_days{ym / 1};
  d.last = date::sys_days{ym / date::last};
  return display_date(d);
}

// A value for <time datetime>: the TimeML value where HTML accepts it
// (year, month, week, day), else the first day.
std::string time_element_value(const DateInterval& d) {
  bool html_form = d.granularity == Granularity::Day || d.granularity == Granularity::Week ||
                   d.granularity == Granularity::Month || (d.granularity == Granularity::Year && d.value.size() == 4);
  return html_form ? d.value : temporal::format_iso_day(d.first);
}

// The source fields every template place that shows a source can use.
void set_source_fields(data& d, const SourceInfo& s) {
  d.set("file", s.file);
  d.set("file_name", file_name(s.file));
  d.set("source_name", source_name(s));
  set_text(d, "source_title", s.title);
  set_text(d, "outlet", s.outlet);
  set_text(d, "url", s.url);
  d.set("has_url", !s.url.empty());
  bool safe = is_web_url(s.url);
  d.set("safe_url", safe);
  if (safe) d.set("link", s.url);
  if (s.published) {
    d.set("published", temporal::format_iso_day(*s.published));
    d.set("published_display", display_date({"", Granularity::Day, *s.published, *s.published}));
  }
  set_text(d, "published_from", s.published_from);
}

// The evidence sentence cut into plain / event / date pieces, for highlighting.
data evidence_segments(const EventMention& m) {
  const std::string& s = m.evidence;
  std::vector<std::size_t> cuts{0, s.size(), m.evidence_event.begin, m.evidence_event.end};
  if (m.evidence_date) cuts.insert(cuts.end(), {m.evidence_date->begin, m.evidence_date->end});
  std::set<std::size_t> points(cuts.begin(), cuts.end());
  data segments = list();
  std::size_t prev = 0;
  for (std::size_t p : points) {
    if (p <= prev || p > s.size()) continue;
    Span piece{prev, p};
    bool ev = piece.begin >= m.evidence_event.begin && piece.end <= m.evidence_event.end;
    bool dt = m.evidence_date && piece.begin >= m.evidence_date->begin && piece.end <= m.evidence_date->end;
    // Exactly one of event / date / plain is true, so that a template
    // printing each kind in its own section prints every piece once; a date
    // inside the event match is a date piece with in_event set.
    data seg;
    seg.set("text", s.substr(prev, p - prev));
    seg.set("event", ev && !dt);
    seg.set("date", dt);
    seg.set("in_event", ev && dt);
    seg.set("plain", !ev && !dt);
    segments.push_back(seg);
    prev = p;
  }
  return segments;
}

data mention_data(const EventMention& m) {
  data d;
  set_source_fields(d, m.source);
  d.set("evidence", m.evidence);
  d.set("segments", evidence_segments(m));
  d.set("rule", m.rule_id);
  d.set("title", m.title);
  d.set("category", m.category);
  if (m.date) {
    set_text(d, "date_text", m.date->text);
    set_text(d, "date_value", m.date->value);
    if (m.date->interval) d.set("date_display", display_date(*m.date->interval, m.date->mod));
    if (m.date->anchor) set_text(d, "date_counted_from", m.date->anchor->text);
  }
  if (!m.dated()) d.set("unresolved", m.date ? m.date->unresolved_reason : std::string{"no date in the same sentence"});
  return d;
}

// The distinct sources of some mentions, by reader-facing name, as
// [{source_name, file, link, safe_url}] and as "A, B".
struct SourceList {
  data items = list();
  std::string names;
};

SourceList source_list(const std::vector<EventMention>& mentions) {
  SourceList out;
  std::set<std::string> seen;
  for (auto& m : mentions) {
    if (!seen.insert(m.source.file).second) continue;
    data s;
    set_source_fields(s, m.source);
    out.items.push_back(s);
    out.names += (out.names.empty() ? "" : ", ") + source_name(m.source);
  }
  return out;
}

// Events per month (or per year when the timeline spans more than
// kMaxDensityMonths): bins from the first entry to the last, empty ones
// included, each counting the entries whose date starts in it.
struct Density {
  bool by_year = false;
  std::vector<std::string> keys, labels;
  std::map<std::string, std::size_t> count;
  std::map<std::string, std::string> anchor;  // first group that starts in the bin

  std::string key_of(date::sys_days d) const {
    return by_year ? fmt::format("{:04}", int(date::year_month_day{d}.year())) : month_key(month_of(d));
  }
};

Density density_bins(const Timeline& t) {
  Density dens;
  if (t.entries.empty()) return dens;
  date::year_month first = month_of(t.entries.front().date.first), last = first;
  for (auto& e : t.entries) last = std::max(last, month_of(e.date.first));
  int months = (last - first).count() + 1;
  dens.by_year = months > kMaxDensityMonths;
  if (dens.by_year) {
    for (int y = int(first.year()); y <= int(last.year()); ++y) {
      dens.keys.push_back(fmt::format("{:04}", y));
      dens.labels.push_back(std::to_string(y));
    }
  } else {
    for (auto ym = first; ym <= last; ym += date::months{1}) {
      dens.keys.push_back(month_key(ym));
      dens.labels.push_back(month_label(ym));
    }
  }
  for (auto& e : t.entries) ++dens.count[dens.key_of(e.date.first)];
  return dens;
}

data density_data(const Density& dens) {
  std::size_t max = 0;
  for (auto& [k, n] : dens.count) max = std::max(max, n);
  data bins = list();
  std::string prev_year;
  for (std::size_t i = 0; i < dens.keys.size(); ++i) {
    const std::string& key = dens.keys[i];
    auto it = dens.count.find(key);
    std::size_t n = it == dens.count.end() ? 0 : it->second;
    std::string year = key.substr(0, 4);
    auto a = dens.anchor.find(key);
    data b;
    b.set("key", key);
    b.set("label", dens.labels[i]);
    b.set("count", std::to_string(n));
    b.set("has_entries", n > 0);
    b.set("percent", std::to_string(max ? (n * 100 + max - 1) / max : 0));  // of the fullest bin, rounded up
    if (a != dens.anchor.end()) b.set("anchor", a->second);
    b.set("year", year);
    b.set("starts_year", year != prev_year);
    bins.push_back(b);
    prev_year = year;
  }
  return bins;
}

std::string json_for_script(const Timeline& t) {
  // <, >, & and ' escaped so that the JSON cannot end the <script> element it sits in.
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
  return safe;
}

// Builds the years -> months -> entries tree, filling the density anchors
// and the per-source and per-category counts on the way.
class PageBuilder {
 public:
  PageBuilder(const Timeline& t, Density& dens) : t_(t), dens_(dens) {
    for (auto& e : t.entries) by_id_[e.event_id] = &e;
  }

  data years() {
    for (auto& e : t_.entries) add(e);
    close_year();
    return years_;
  }
  std::size_t conflicts() const { return conflicts_; }
  const std::map<std::string, std::size_t>& per_category() const { return per_category_; }
  const std::map<std::string, std::size_t>& per_source() const { return per_source_; }

 private:
  void add(const TimelineEntry& e) {
    int y = int(date::year_month_day{e.date.first}.year());
    if (y != year_) {
      close_year();
      year_ = y;
    }
    std::string group = within_a_month(e.date) ? month_key(month_of(e.date.first)) : e.date.value;
    if (group != group_key_) {
      close_group();
      group_key_ = group;
      group_precise_ = within_a_month(e.date);
      group_label_ = group_precise_ ? month_label(month_of(e.date.first)) : display_date(e.date);
      group_anchor_ = unique_anchor((group_precise_ ? "m" : "p") + group);
      dens_.anchor.try_emplace(dens_.key_of(e.date.first), group_anchor_);
    }
    data d = entry_data(e);
    group_entries_.push_back(d);
    year_entries_.push_back(d);
    ++group_count_;
    ++year_count_;
  }

  data entry_data(const TimelineEntry& e) {
    data d;
    d.set("event_id", e.event_id);
    d.set("date", e.date.value);
    d.set("display_date", display_date(e));
    d.set("datetime", time_element_value(e.date));
    d.set("date_start", temporal::format_iso_day(e.date.first));
    d.set("date_end", temporal::format_iso_day(e.date.last));
    d.set("granularity", granularity_name(e.date.granularity));
    d.set("title", e.title);
    d.set("category", e.category);
    d.set("bin", dens_.key_of(e.date.first));
    auto files = e.source_files();
    d.set("source_count", std::to_string(files.size()));
    d.set("independent_sources", std::to_string(e.independent_sources));
    d.set("has_copies", e.independent_sources > 0 && e.independent_sources < files.size());
    d.set("several_sources", files.size() > 1);
    d.set("mention_count", std::to_string(e.mentions.size()));
    SourceList sources = source_list(e.mentions);
    d.set("sources", sources.items);
    d.set("source_names", sources.names);
    data mentions = list();
    for (auto& m : e.mentions) mentions.push_back(mention_data(m));
    d.set("mentions", mentions);
    data conflict_list = list();
    for (auto& c : e.conflicts_with) {
      data x;
      x.set("event_id", c);
      if (auto it = by_id_.find(c); it != by_id_.end()) {
        const TimelineEntry& o = *it->second;
        x.set("display_date", display_date(o));
        x.set("title", o.title);
        x.set("label", display_date(o) + ": " + o.title);
        x.set("source_names", source_list(o.mentions).names);
      }
      conflict_list.push_back(x);
    }
    d.set("conflicts", conflict_list);
    d.set("has_conflict", !e.conflicts_with.empty());
    if (!e.conflicts_with.empty()) ++conflicts_;
    ++per_category_[e.category];
    for (auto& f : files) ++per_source_[f];
    return d;
  }

  void close_group() {
    if (group_key_.empty()) return;
    data g;
    g.set("key", group_key_);
    g.set("label", group_label_);
    g.set("anchor", group_anchor_);
    g.set("precise", group_precise_);
    g.set("count", std::to_string(group_count_));
    g.set("single", group_count_ == 1);
    g.set("entries", group_entries_);
    year_months_.push_back(g);
    group_entries_ = list();
    group_key_.clear();
    group_count_ = 0;
  }

  void close_year() {
    close_group();
    if (year_ < 0) return;
    data y;
    y.set("year", std::to_string(year_));
    y.set("anchor", fmt::format("y{}", year_));
    y.set("count", std::to_string(year_count_));
    y.set("single", year_count_ == 1);
    y.set("entries", year_entries_);
    y.set("months", year_months_);
    years_.push_back(y);
    year_entries_ = list();
    year_months_ = list();
    year_count_ = 0;
  }

  std::string unique_anchor(std::string a) {
    std::string candidate = a;
    for (int n = 2; !anchors_.insert(candidate).second; ++n) candidate = fmt::format("{}-{}", a, n);
    return candidate;
  }

  const Timeline& t_;
  Density& dens_;
  std::map<std::string, const TimelineEntry*> by_id_;
  std::set<std::string> anchors_;
  data years_ = list(), year_entries_ = list(), year_months_ = list(), group_entries_ = list();
  int year_ = -1;
  std::size_t year_count_ = 0, group_count_ = 0, conflicts_ = 0;
  std::string group_key_, group_label_, group_anchor_;
  bool group_precise_ = false;
  std::map<std::string, std::size_t> per_category_, per_source_;
};

}  // namespace

bool is_web_url(std::string_view url) {
  auto starts = [&](std::string_view scheme) {
    if (url.size() <= scheme.size()) return false;
    for (std::size_t i = 0; i < scheme.size(); ++i)
      if (std::tolower(static_cast<unsigned char>(url[i])) != scheme[i]) return false;
    return true;
  };
  if (!starts("http://") && !starts("https://")) return false;
  return std::none_of(url.begin(), url.end(), [](char c) { return static_cast<unsigned char>(c) <= 0x20 || c == 0x7f; });
}

Result<std::string> render_html(const Timeline& t, const std::string& template_text, const HtmlOptions& options) {
  mustache tmpl{template_text};
  if (!tmpl.is_valid()) return Status::error(tmpl.error_message());
  Density dens = density_bins(t);
  PageBuilder page(t, dens);
  data years = page.years();

  std::map<std::string, std::size_t> undated_per_source;
  data undated = list();
  for (auto& m : t.undated) {
    undated.push_back(mention_data(m));
    ++undated_per_source[m.source.file];
  }
  // Each source that has near-duplicates, with the names of the others.
  std::map<std::string, std::string> copies_of;
  std::size_t near_duplicates = 0;
  for (auto& group : t.near_duplicates) {
    near_duplicates += group.size();
    for (auto& f : group)
      for (auto& other : group)
        if (other != f) copies_of[f] += (copies_of[f].empty() ? "" : ", ") + file_name(other);
  }
  data sources = list();
  for (auto& s : t.sources) {
    data d;
    set_source_fields(d, s);
    if (auto c = copies_of.find(s.file); c != copies_of.end()) d.set("near_duplicate_of", c->second);
    auto n = page.per_source().find(s.file);
    d.set("event_count", std::to_string(n == page.per_source().end() ? 0 : n->second));
    // Absent when 0: "undated_count" would find the page's total instead.
    if (auto u = undated_per_source.find(s.file); u != undated_per_source.end())
      d.set("undated_mentions", std::to_string(u->second));
    sources.push_back(d);
  }
  data cats = list();
  for (auto& [name, n] : page.per_category()) {
    data c;
    c.set("name", name);
    c.set("count", std::to_string(n));
    cats.push_back(c);
  }
  data diags = list();
  for (auto& d : t.diagnostics) diags.push_back(data{format_diagnostic(d)});
  std::size_t dated_mentions = 0;
  for (auto& e : t.entries) dated_mentions += e.mentions.size();

  data ctx;
  ctx.set("years", years);
  ctx.set("has_entries", !t.entries.empty());
  if (!t.entries.empty()) {
    ctx.set("first_date", display_date(t.entries.front().date));
    ctx.set("last_date", display_date(t.entries.back().date));
  }
  ctx.set("density", density_data(dens));
  ctx.set("density_by_year", dens.by_year);
  ctx.set("undated", undated);
  ctx.set("has_undated", !t.undated.empty());
  ctx.set("sources", sources);
  ctx.set("categories", cats);
  ctx.set("diagnostics", diags);
  ctx.set("has_diagnostics", !t.diagnostics.empty());
  ctx.set("source_count", std::to_string(t.sources.size()));
  ctx.set("event_count", std::to_string(t.entries.size()));
  ctx.set("mention_count", std::to_string(dated_mentions));
  ctx.set("conflict_count", std::to_string(page.conflicts()));
  ctx.set("has_conflicts", page.conflicts() > 0);
  ctx.set("undated_count", std::to_string(t.undated.size()));
  ctx.set("single_undated", t.undated.size() == 1);
  ctx.set("near_duplicate_count", std::to_string(near_duplicates));
  ctx.set("has_near_duplicates", near_duplicates > 0);
  ctx.set("category_count", std::to_string(page.per_category().size()));
  set_text(ctx, "rules", t.rules_dir);
  set_text(ctx, "generated_at", options.generated_at);
  set_text(ctx, "generated_at_iso", options.generated_at_iso);
  ctx.set("data_json", json_for_script(t));
  std::string html = tmpl.render(ctx);
  if (!tmpl.is_valid()) return Status::error(tmpl.error_message());
  return html;
}

}  // namespace annals::render
