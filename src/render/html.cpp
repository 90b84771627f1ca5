#include "render/html.h"

#include <algorithm>
#include <array>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <unordered_map>

#include <fmt/format.h>
#include <kainjow/mustache.hpp>

#include "core/text.h"
#include "render/display.h"
#include "render/json.h"
#include "temporal/calendar.h"

namespace annals::render {
namespace {

using Data = kainjow::mustache::data;
using Mustache = kainjow::mustache::mustache;

void put(Data& d, const char* name, const std::string& value) { d[name] = Data{value}; }
void put(Data& d, const char* name, std::size_t n) { d[name] = Data{std::to_string(n)}; }
void put_flag(Data& d, const char* name, bool value) { d[name] = Data{value}; }
// Optional text is left out when empty, so that a template can test it with
// {{#name}}...{{/name}} (kainjow treats every string, even "", as true).
void put_text(Data& d, const char* name, const std::string& value) {
  if (!value.empty()) put(d, name, value);
}
// A count shown only when there is something to count ("and 3 more").
void put_more(Data& d, const char* name, std::size_t n) {
  if (n > 0) put(d, name, n);
}

// A list of `items`, moved in. kainjow's push_back copies an item deeply
// (and its vector copies them all again as it grows): a list of cheap
// placeholders, each then replaced by its item, copies nothing. The
// const_cast is sound: the list is ours, only kainjow's accessor is const.
Data list_of(std::vector<Data>&& items) {
  Data list{Data::type::list};
  for (std::size_t i = 0; i < items.size(); ++i) list.push_back(Data{true});
  for (std::size_t i = 0; i < items.size(); ++i) const_cast<Data&>(list.list_value()[i]) = std::move(items[i]);
  return list;
}

// Dated to a month or finer: such entries are grouped under their month.
bool within_a_month(const DateInterval& d) { return d.granularity >= Granularity::Month; }

date::year_month month_of(date::sys_days d) {
  date::year_month_day ymd{d};
  return ymd.year() / ymd.month();
}

int year_of(date::sys_days d) { return int(date::year_month_day{d}.year()); }

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
void put_source_fields(Data& d, const SourceInfo& s) {
  put(d, "file", s.file);
  put(d, "file_name", file_name(s.file));
  put(d, "source_name", source_name(s));
  put_text(d, "source_title", s.title);
  put_text(d, "outlet", s.outlet);
  put_text(d, "url", s.url);
  put_flag(d, "has_url", !s.url.empty());
  bool safe = is_web_url(s.url);
  put_flag(d, "safe_url", safe);
  if (safe) put(d, "link", s.url);
  if (s.published) {
    put(d, "published", temporal::format_iso_day(*s.published));
    put(d, "published_display", display_date({"", Granularity::Day, *s.published, *s.published}));
  }
  put_text(d, "published_from", s.published_from);
}

// The evidence sentence cut into plain / event / date pieces, for highlighting.
Data evidence_segments(const EventMention& m) {
  const std::string& s = m.evidence;
  std::vector<std::size_t> cuts{0, s.size(), m.evidence_event.begin, m.evidence_event.end};
  if (m.evidence_date) cuts.insert(cuts.end(), {m.evidence_date->begin, m.evidence_date->end});
  std::sort(cuts.begin(), cuts.end());
  std::vector<Data> segments;
  segments.reserve(cuts.size());
  std::size_t prev = 0;
  for (std::size_t p : cuts) {
    if (p <= prev || p > s.size()) continue;
    Span piece{prev, p};
    bool ev = piece.begin >= m.evidence_event.begin && piece.end <= m.evidence_event.end;
    bool dt = m.evidence_date && piece.begin >= m.evidence_date->begin && piece.end <= m.evidence_date->end;
    // Exactly one of event / date / plain is true, so that a template
    // printing each kind in its own section prints every piece once; a date
    // inside the event match is a date piece with in_event set.
    Data seg;
    put(seg, "text", s.substr(prev, p - prev));
    put_flag(seg, "event", ev && !dt);
    put_flag(seg, "date", dt);
    put_flag(seg, "in_event", ev && dt);
    put_flag(seg, "plain", !ev && !dt);
    segments.push_back(std::move(seg));
    prev = p;
  }
  return list_of(std::move(segments));
}

Data mention_data(const EventMention& m, const DateInterval* entry_date) {
  Data d;
  put_source_fields(d, *m.source);
  put(d, "evidence", m.evidence);
  d["segments"] = evidence_segments(m);
  put(d, "rule", m.rule_id);
  put(d, "title", m.title);
  put(d, "category", m.category);
  if (m.date) {
    put_text(d, "date_text", m.date->text);
    put_text(d, "date_value", m.date->value);
    if (m.date->interval) put(d, "date_display", display_date(*m.date->interval, m.date->mod));
    if (m.date->anchor) put_text(d, "date_counted_from", m.date->anchor->text);
  }
  if (entry_date && m.dated()) put_flag(d, "date_differs", m.date->interval->value != entry_date->value);
  if (!m.dated()) put(d, "unresolved", m.date ? m.date->unresolved_reason : std::string{"no date in the same sentence"});
  return d;
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

// Category colours the default page defines (--lane-0 ... --lane-11); more
// categories reuse them in turn.
constexpr std::size_t kLaneColours = 12;

// The lists whose items are made only when the template enters one of them.
enum class Item { Year, Group, Entry, Mention, Undated, Source };

// A lazy list as a data item asks for it: item i of `name` is `kind` number
// picks[i] (or first + i), within `owner` (the entry, for mentions).
struct LazyList {
  const char* name;
  Item kind;
  std::size_t owner = 0, first = 0, count = 0;
  std::vector<std::size_t> picks;  // when not a run from `first`
  std::size_t index(std::size_t i) const { return picks.empty() ? first + i : picks[i]; }
};

constexpr const char* kIndexFile = "timeline.html";

// A year of entries, and its groups (under `months`), as the page shows it.
struct Year {
  int year = 0;
  std::size_t first = 0, count = 0, first_group = 0, groups = 0;
};

enum class PageKind { Single, Index, Entries, Undated, Sources };

// One page of the output: what it is and which part of the timeline it
// shows. The plan holds one per page; the page's years and its sources are
// filled in only while it is rendered.
struct Scope {
  PageKind kind = PageKind::Single;
  std::string file = kIndexFile;
  std::string title, nav_label;  // "March 2025" and "March"; "Undated mentions, page 2 of 3" and "2"
  std::size_t year = 0;                     // Entries: index into the timeline's years
  bool month = false;                       // Entries: one month of a year split by month
  std::size_t first_group = 0, groups = 0;  // Entries: the groups it shows
  std::size_t first = 0, count = 0;         // Undated, Sources: the run of items it shows
  std::size_t number = 0;                   // Undated, Sources: 1, 2, ...
  // While rendering: the years it shows, and its `sources` (indexes into
  // the timeline's sources, ascending) with each one's position there.
  std::vector<Year> years;
  std::vector<std::size_t> sources;
  std::unordered_map<std::size_t, std::size_t> local;
};

// What the page is expected to weigh, in bytes, item by item, with the
// default template. It errs high: a 50,000-entry generated timeline's
// 53 MB page is estimated above 60 MB.
std::size_t entry_bytes(const TimelineEntry& e, std::size_t limit) {
  std::size_t n = 700 + 2 * e.title.size() + e.category.size() + 150 * std::min(limit, e.conflicts_with.size());
  for (std::size_t i = 0; i < e.mentions.size() && i < limit; ++i) {
    const EventMention& m = e.mentions[i];
    n += 300 + m.evidence.size() + 2 * m.source->file.size() + m.source->title.size() + m.source->url.size();
  }
  return n;
}

std::size_t undated_bytes(const EventMention& m) { return 450 + m.evidence.size() + m.title.size() + 2 * m.source->file.size(); }

std::size_t source_bytes(const SourceInfo& s) { return 400 + 3 * s.file.size() + s.title.size() + 2 * s.url.size() + s.outlet.size(); }

// What the template can be shown, worked out once in one pass over the
// timeline (groups, counts, anchors, indexes), and each item made on demand
// for the page being rendered.
class Page {
 public:
  Page(const Timeline& t, const HtmlOptions& options) : t_(t), limit_(std::max<std::size_t>(1, options.list_limit)) {
    for (std::size_t i = 0; i < t.sources.size(); ++i) source_index_.emplace(t.sources[i].file, i);
    for (std::size_t i = 0; i < t.entries.size(); ++i) entry_index_.emplace(t.entries[i].event_id, i);
    for (std::size_t g = 0; g < t.near_duplicates.size(); ++g)
      for (auto& f : t.near_duplicates[g]) copy_group_.emplace(f, g);
    density_bins();
    group_entries();
    for (auto& e : t.entries) {
      ++per_category_[e.category];
      if (!e.conflicts_with.empty()) ++conflicts_;
      dated_mentions_ += e.mentions.size();
      std::set<std::string_view> seen;
      for (auto& m : e.mentions)
        if (seen.insert(m.source->file).second) ++per_source_[m.source->file];
    }
    for (auto& m : t.undated) ++undated_per_source_[m.source->file];
    std::size_t category_index = 0;
    for (auto& [name, n] : per_category_) category_lane_[name] = category_index++;
  }

  // Splits the timeline into pages: the index, a page per year (per month
  // for a year above the budget), then the undated mentions and the sources,
  // `undated_per_page` and `sources_per_page` each.
  void plan_pages(const HtmlOptions& options) {
    pages_.clear();
    group_page_.assign(groups_.size(), 0);
    pages_.push_back(Scope{});
    pages_.back().kind = PageKind::Index;
    for (std::size_t y = 0; y < years_.size(); ++y) {
      const Year& year = years_[y];
      std::size_t bytes = 0;
      for (std::size_t i = year.first; i < year.first + year.count; ++i) bytes += entry_bytes(t_.entries[i], limit_);
      bool by_month = bytes > options.page_budget;
      int page_month = -1;
      for (std::size_t g = year.first_group; g < year.first_group + year.groups; ++g) {
        date::year_month ym = month_of(t_.entries[groups_[g].first].date.first);
        int m = int(unsigned(ym.month()));
        if (g == year.first_group || (by_month && m != page_month)) {
          Scope s;
          s.kind = PageKind::Entries;
          s.year = y;
          s.first_group = g;
          s.month = by_month;
          if (by_month) {
            s.file = fmt::format("timeline-{:04}-{:02}.html", year.year, m);
            s.title = month_label(ym);
            s.nav_label = s.title.substr(0, s.title.find(' '));
          } else {
            s.file = fmt::format("timeline-{:04}.html", year.year);
            s.title = s.nav_label = std::to_string(year.year);
          }
          pages_.push_back(std::move(s));
          page_month = m;
        }
        ++pages_.back().groups;
        group_page_[g] = pages_.size() - 1;
      }
    }
    auto runs = [&](PageKind kind, std::size_t items, std::size_t per_page, const char* name, const char* what) {
      per_page = std::max<std::size_t>(1, per_page);
      std::size_t total = (items + per_page - 1) / per_page;
      for (std::size_t k = 0; k < total; ++k) {
        Scope s;
        s.kind = kind;
        s.number = k + 1;
        s.first = k * per_page;
        s.count = std::min(per_page, items - s.first);
        s.file = fmt::format("timeline-{}-{}.html", name, s.number);
        s.title = total == 1 ? std::string{what} : fmt::format("{}, page {} of {}", what, s.number, total);
        s.nav_label = std::to_string(s.number);
        pages_.push_back(std::move(s));
      }
    };
    runs(PageKind::Undated, t_.undated.size(), options.undated_per_page, "undated", "Undated mentions");
    runs(PageKind::Sources, t_.sources.size(), options.sources_per_page, "sources", "Sources");
  }

  const std::vector<Scope>& pages() const { return pages_; }

  // What only a page of a paged timeline has: which page it is, links to
  // every page, and the ones before and after it.
  void put_page_values(Data& ctx, const Scope& s) const {
    put_flag(ctx, "paged", true);
    const char* kind = s.kind == PageKind::Index     ? "index_page"
                       : s.kind == PageKind::Entries ? "year_page"
                       : s.kind == PageKind::Undated ? "undated_page"
                                                     : "sources_page";
    put_flag(ctx, kind, true);
    put_text(ctx, "page_title", s.title);
    put(ctx, "page_file", s.file);
    put(ctx, "index_href", std::string{kIndexFile});
    auto link = [&](const Scope& p) {
      Data l;
      put(l, "href", p.file);
      put(l, "label", p.nav_label);
      put(l, "title", p.title.empty() ? std::string{"Overview"} : p.title);
      put_flag(l, "current", p.file == s.file);
      return l;
    };
    Data years{Data::type::list}, undated{Data::type::list}, sources{Data::type::list};
    // A year's item is complete once its last page is seen (kainjow lists
    // cannot be changed in place).
    Data year, months{Data::type::list};
    bool have_year = false, year_current = false;
    auto close_year = [&] {
      if (!have_year) return;
      if (!months.is_empty_list()) put_flag(year, "by_month", true);
      year["month_pages"] = std::move(months);
      if (year_current) put_flag(year, "current", true);
      years.push_back(year);
      year = Data{};
      months = Data{Data::type::list};
      have_year = year_current = false;
    };
    for (std::size_t i = 1; i < pages_.size(); ++i) {
      const Scope& p = pages_[i];
      if (p.kind == PageKind::Undated) undated.push_back(link(p));
      if (p.kind == PageKind::Sources) sources.push_back(link(p));
      if (p.kind != PageKind::Entries) continue;
      const Year& y = years_[p.year];
      if (pages_[i - 1].kind != PageKind::Entries || pages_[i - 1].year != p.year) {
        close_year();
        year = link(p);
        have_year = true;
        put(year, "year", std::to_string(y.year));
        put(year, "count", y.count);
        put_flag(year, "single", y.count == 1);
      }
      year_current = year_current || p.file == s.file;
      if (p.month) {
        Data m = link(p);
        std::size_t n = 0;
        for (std::size_t g = p.first_group; g < p.first_group + p.groups; ++g) n += groups_[g].count;
        put(m, "count", n);
        put_flag(m, "single", n == 1);
        months.push_back(m);
      }
    }
    close_year();
    ctx["year_pages"] = std::move(years);
    ctx["undated_pages"] = std::move(undated);
    ctx["source_pages"] = std::move(sources);
    for (std::size_t i = 0; i < pages_.size(); ++i) {
      if (pages_[i].file != s.file) continue;
      if (i > 0) ctx["prev_page"] = link(pages_[i - 1]);
      if (i + 1 < pages_.size()) ctx["next_page"] = link(pages_[i + 1]);
    }
  }
  bool paged() const { return !pages_.empty(); }

  // Fills in what page `s` shows: its years and the sources it names.
  void open(Scope& s) const {
    source_names_.clear();
    s.years.clear();
    s.sources.clear();
    s.local.clear();
    if (s.kind == PageKind::Single) {
      s.years = years_;
      return;
    }
    std::set<std::size_t> used;
    auto use = [&](const std::string& file) {
      if (auto it = source_index_.find(file); it != source_index_.end()) used.insert(it->second);
    };
    if (s.kind == PageKind::Entries) {
      Year y = years_[s.year];
      y.first_group = s.first_group;
      y.groups = s.groups;
      y.first = groups_[s.first_group].first;
      y.count = 0;
      for (std::size_t g = s.first_group; g < s.first_group + s.groups; ++g) y.count += groups_[g].count;
      for (std::size_t i = y.first; i < y.first + y.count; ++i)
        for (auto& m : t_.entries[i].mentions) use(m.source->file);
      s.years.push_back(y);
    } else if (s.kind == PageKind::Undated) {
      for (std::size_t i = s.first; i < s.first + s.count; ++i) use(t_.undated[i].source->file);
    } else if (s.kind == PageKind::Sources) {
      for (std::size_t i = s.first; i < s.first + s.count; ++i) used.insert(i);
    }
    s.sources.assign(used.begin(), used.end());
    for (std::size_t i = 0; i < s.sources.size(); ++i) s.local.emplace(s.sources[i], i);
  }

  Data root(const Scope& s, std::vector<LazyList>& lazy, const HtmlOptions& options) const {
    Data ctx;
    bool single = s.kind == PageKind::Single;
    std::size_t undated_first = s.kind == PageKind::Undated ? s.first : 0;
    std::size_t undated_count = single ? t_.undated.size() : s.kind == PageKind::Undated ? s.count : 0;
    lazy.push_back({"years", Item::Year, 0, 0, s.years.size(), {}});
    if (single) lazy.push_back({"sources", Item::Source, 0, 0, t_.sources.size(), {}});
    else lazy.push_back({"sources", Item::Source, 0, 0, s.sources.size(), s.sources});
    lazy.push_back({"undated", Item::Undated, 0, undated_first, undated_count, {}});
    if (!single) put_page_values(ctx, s);
    put_flag(ctx, "has_entries", !t_.entries.empty());
    if (!t_.entries.empty()) {
      put(ctx, "first_date", display_date(t_.entries.front().date));
      put(ctx, "last_date", display_date(t_.entries.back().date));
      date::sys_days first = t_.entries.front().date.first, last = first;
      for (auto& e : t_.entries) last = std::max(last, e.date.last);
      put(ctx, "first_day", temporal::format_iso_day(first));
      put(ctx, "last_day", temporal::format_iso_day(last));
    }
    put(ctx, "title", t_.title.empty() ? std::string{"Timeline"} : t_.title);
    put_flag(ctx, "has_title", !t_.title.empty());
    put_text(ctx, "description", t_.description);
    ctx["density"] = density_data(s);
    put_flag(ctx, "density_by_year", by_year_);
    put_flag(ctx, "has_undated", undated_count > 0);
    ctx["categories"] = categories_data();
    bool diagnostics_here = single || s.kind == PageKind::Index;
    Data diags{Data::type::list};
    if (diagnostics_here)
      for (auto& d : t_.diagnostics) diags.push_back(Data{format_diagnostic(d)});
    ctx["diagnostics"] = std::move(diags);
    put_flag(ctx, "has_diagnostics", diagnostics_here && !t_.diagnostics.empty());
    std::size_t near_duplicates = 0;
    for (auto& group : t_.near_duplicates) near_duplicates += group.size();
    struct Count {
      const char* name;
      const char* single;
      std::size_t n;
    };
    for (auto& c : {Count{"source_count", "single_source", t_.sources.size()},
                    Count{"event_count", "single_event", t_.entries.size()},
                    Count{"mention_count", "single_mention", dated_mentions_},
                    Count{"conflict_count", "single_conflict", conflicts_},
                    Count{"undated_count", "single_undated", t_.undated.size()},
                    Count{"near_duplicate_count", "single_near_duplicate", near_duplicates},
                    Count{"category_count", "single_category", per_category_.size()}}) {
      put(ctx, c.name, c.n);
      put_flag(ctx, c.single, c.n == 1);
    }
    put_flag(ctx, "has_conflicts", conflicts_ > 0);
    put_flag(ctx, "has_near_duplicates", near_duplicates > 0);
    put(ctx, "list_limit", limit_);
    put_text(ctx, "rules", t_.rules_dir);
    put_text(ctx, "generated_at", options.generated_at);
    put_text(ctx, "generated_at_iso", options.generated_at_iso);
    put_flag(ctx, "show_entries", single || s.kind == PageKind::Entries);
    put_flag(ctx, "show_filters", single || s.kind == PageKind::Entries || s.kind == PageKind::Undated);
    put_flag(ctx, "show_sources", single || s.kind == PageKind::Sources);
    std::size_t shown = 0;
    for (auto& y : s.years) shown += y.count;
    put(ctx, "page_event_count", shown);
    put_flag(ctx, "page_single_event", shown == 1);
    return ctx;
  }

  Data make(const Scope& s, const LazyList& list, std::size_t i, std::vector<LazyList>& lazy) const {
    std::size_t n = list.index(i);
    switch (list.kind) {
      case Item::Year: return year(s, n, lazy);
      case Item::Group: return group(n, lazy);
      case Item::Entry: return entry(s, n, lazy);
      case Item::Mention: return mention(s, t_.entries[list.owner].mentions[n], &t_.entries[list.owner].date);
      case Item::Undated: return mention(s, t_.undated[n], nullptr);
      case Item::Source: return source(n, i);
    }
    return Data{};
  }

  const Timeline& timeline() const { return t_; }

 private:
  struct Group {
    std::string key, label, anchor;
    bool precise = false;
    std::size_t first = 0, count = 0;
  };

  // Events per month (or per year when the timeline spans more than
  // kMaxDensityMonths): bins from the first entry to the last, empty ones
  // included, each counting the entries whose date starts in it.
  std::string bin_of(date::sys_days d) const { return by_year_ ? fmt::format("{:04}", year_of(d)) : month_key(month_of(d)); }

  void density_bins() {
    if (t_.entries.empty()) return;
    date::year_month first = month_of(t_.entries.front().date.first), last = first;
    for (auto& e : t_.entries) last = std::max(last, month_of(e.date.first));
    by_year_ = (last - first).count() + 1 > kMaxDensityMonths;
    if (by_year_) {
      for (int y = int(first.year()); y <= int(last.year()); ++y) bins_.push_back({fmt::format("{:04}", y), std::to_string(y)});
    } else {
      for (auto ym = first; ym <= last; ym += date::months{1}) bins_.push_back({month_key(ym), month_label(ym)});
    }
    for (auto& e : t_.entries) ++bin_count_[bin_of(e.date.first)];
  }

  // Years, and in each the runs of entries of one month (or of one coarser
  // date), with unique anchors; the first group of each density bin is
  // where the bin links to.
  void group_entries() {
    std::set<std::string> anchors;
    auto unique_anchor = [&](const std::string& a) {
      std::string candidate = a;
      for (int n = 2; !anchors.insert(candidate).second; ++n) candidate = fmt::format("{}-{}", a, n);
      return candidate;
    };
    for (std::size_t i = 0; i < t_.entries.size(); ++i) {
      const DateInterval& d = t_.entries[i].date;
      int y = year_of(d.first);
      if (years_.empty() || years_.back().year != y) {
        years_.push_back({y, i, 0, groups_.size(), 0});
      }
      bool precise = within_a_month(d);
      std::string key = precise ? month_key(month_of(d.first)) : d.value;
      if (years_.back().groups == 0 || groups_.back().key != key) {
        Group g;
        g.precise = precise;
        g.label = precise ? month_label(month_of(d.first)) : display_date(d);
        g.anchor = unique_anchor((precise ? "m" : "p") + key);
        g.key = std::move(key);
        g.first = i;
        bin_group_.try_emplace(bin_of(d.first), groups_.size());
        groups_.push_back(std::move(g));
        ++years_.back().groups;
      }
      ++groups_.back().count;
      ++years_.back().count;
    }
  }

  // A link to another page names the file; one within the page, the anchor only.
  Data density_data(const Scope& s) const {
    std::size_t max = 0;
    for (auto& [k, n] : bin_count_) max = std::max(max, n);
    Data bins{Data::type::list};
    std::string prev_year;
    for (auto& [key, label] : bins_) {
      auto it = bin_count_.find(key);
      std::size_t n = it == bin_count_.end() ? 0 : it->second;
      std::string year = key.substr(0, 4);
      Data b;
      put(b, "key", key);
      put(b, "label", label);
      put(b, "count", n);
      put_flag(b, "single", n == 1);
      put_flag(b, "has_entries", n > 0);
      put(b, "percent", max ? (n * 100 + max - 1) / max : 0);  // of the fullest bin, rounded up
      if (auto a = bin_group_.find(key); a != bin_group_.end()) {
        put(b, "anchor", groups_[a->second].anchor);
        const std::string& file = pages_.empty() ? s.file : pages_[group_page_[a->second]].file;
        if (file != s.file) put(b, "page_href", file);
      }
      put(b, "year", year);
      put_flag(b, "starts_year", year != prev_year);
      bins.push_back(b);
      prev_year = year;
    }
    return bins;
  }

  Data categories_data() const {
    Data cats{Data::type::list};
    for (auto& [name, n] : per_category_) {
      Data c;
      put(c, "name", name);
      put(c, "count", n);
      put_flag(c, "single", n == 1);
      put(c, "index", category_lane_.at(name));
      put(c, "colour", category_lane_.at(name) % kLaneColours);
      cats.push_back(c);
    }
    return cats;
  }

  Data year(const Scope& s, std::size_t n, std::vector<LazyList>& lazy) const {
    const Year& y = s.years[n];
    Data d;
    put(d, "year", std::to_string(y.year));
    put(d, "anchor", fmt::format("y{}", y.year));
    put(d, "count", y.count);
    put_flag(d, "single", y.count == 1);
    lazy.push_back({"entries", Item::Entry, 0, y.first, y.count, {}});
    lazy.push_back({"months", Item::Group, 0, y.first_group, y.groups, {}});
    return d;
  }

  Data group(std::size_t n, std::vector<LazyList>& lazy) const {
    const Group& g = groups_[n];
    Data d;
    put(d, "key", g.key);
    put(d, "label", g.label);
    put(d, "anchor", g.anchor);
    put_flag(d, "precise", g.precise);
    put(d, "count", g.count);
    put_flag(d, "single", g.count == 1);
    lazy.push_back({"entries", Item::Entry, 0, g.first, g.count, {}});
    return d;
  }

  // Who states entry `n`, made once: conflicts name the other entries' sources too.
  const std::string& source_names(std::size_t n) const {
    std::string& names = source_names_[n];  // the page's entries and the ones they dispute, forgotten at the next page
    if (names.empty()) names = render::source_names(t_.entries[n], limit_);
    return names;
  }

  // Where page `s` lists source `n` of the timeline.
  std::optional<std::size_t> local_source(const Scope& s, std::size_t n) const {
    if (s.kind == PageKind::Single) return n;
    if (auto it = s.local.find(n); it != s.local.end()) return it->second;
    return std::nullopt;
  }

  // The page that shows entry `n` (paged only).
  const std::string& page_of_entry(std::size_t n) const {
    auto g = std::upper_bound(groups_.begin(), groups_.end(), n, [](std::size_t i, const Group& x) { return i < x.first; });
    return pages_[group_page_[std::size_t(g - groups_.begin()) - 1]].file;
  }

  Data entry(const Scope& s, std::size_t n, std::vector<LazyList>& lazy) const {
    const TimelineEntry& e = t_.entries[n];
    Data d;
    put(d, "event_id", e.event_id);
    put(d, "date", e.date.value);
    put(d, "display_date", display_date(e));
    put(d, "datetime", time_element_value(e.date));
    put(d, "date_start", temporal::format_iso_day(e.date.first));
    put(d, "date_end", temporal::format_iso_day(e.date.last));
    put(d, "granularity", granularity_name(e.date.granularity));
    put(d, "title", e.title);
    put(d, "category", e.category);
    put(d, "lane", category_lane_.at(e.category));
    put(d, "colour", category_lane_.at(e.category) % kLaneColours);
    put(d, "bin", bin_of(e.date.first));
    auto files = e.source_files();
    put(d, "source_count", files.size());
    put(d, "independent_sources", e.independent_sources);
    put_flag(d, "several_independent", e.independent_sources > 1);
    put_flag(d, "has_copies", e.independent_sources > 0 && e.independent_sources < files.size());
    put_flag(d, "several_sources", files.size() > 1);
    put(d, "mention_count", e.mentions.size());
    put(d, "source_names", source_names(n));
    // The entry's sources as indexes into the page's `sources`, all of
    // them: a source filter must find the entry even when the lists below
    // show only the first few.
    std::string ids;
    for (auto& f : files)
      if (auto it = source_index_.find(f); it != source_index_.end())
        if (auto local = local_source(s, it->second)) ids += (ids.empty() ? "" : " ") + std::to_string(*local);
    put(d, "source_ids", ids);

    std::vector<std::size_t> picks = mentions_to_show(e, limit_);
    put_more(d, "more_mentions", e.mentions.size() - picks.size());
    std::size_t shown = picks.size();
    lazy.push_back({"mentions", Item::Mention, n, 0, shown, std::move(picks)});

    std::vector<Data> sources;
    sources.reserve(std::min(limit_, e.mentions.size()));
    std::set<std::string_view> seen;
    for (auto& m : e.mentions) {
      if (seen.size() == limit_) break;
      if (!seen.insert(m.source->file).second) continue;
      Data s;
      put_source_fields(s, *m.source);
      sources.push_back(std::move(s));
    }
    d["sources"] = list_of(std::move(sources));
    put_more(d, "more_sources", files.size() - seen.size());

    std::vector<Data> conflicts;
    conflicts.reserve(std::min(limit_, e.conflicts_with.size()));
    for (std::size_t i = 0; i < e.conflicts_with.size() && i < limit_; ++i) {
      Data x;
      put(x, "event_id", e.conflicts_with[i]);
      if (auto it = entry_index_.find(e.conflicts_with[i]); it != entry_index_.end()) {
        const TimelineEntry& o = t_.entries[it->second];
        std::string when = display_date(o);
        put(x, "display_date", when);
        put(x, "title", o.title);
        put(x, "label", when + ": " + o.title);
        put(x, "source_names", source_names(it->second));
        if (paged() && page_of_entry(it->second) != s.file) put(x, "page_href", page_of_entry(it->second));
      }
      conflicts.push_back(std::move(x));
    }
    d["conflicts"] = list_of(std::move(conflicts));
    put_flag(d, "has_conflict", !e.conflicts_with.empty());
    put_more(d, "more_conflicts", std::max(e.conflict_count, e.conflicts_with.size()) - std::min(limit_, e.conflicts_with.size()));
    return d;
  }

  Data mention(const Scope& s, const EventMention& m, const DateInterval* entry_date) const {
    Data d = mention_data(m, entry_date);
    if (auto it = source_index_.find(m.source->file); it != source_index_.end())
      if (auto local = local_source(s, it->second)) put(d, "source_index", *local);
    return d;
  }

  // Source `n` of the timeline, the `position`-th of the page's `sources`.
  Data source(std::size_t n, std::size_t position) const {
    const SourceInfo& s = t_.sources[n];
    Data d;
    put_source_fields(d, s);
    put(d, "index", position);
    if (auto g = copy_group_.find(s.file); g != copy_group_.end()) {
      NameList others(limit_);
      // Only the names shown are made: a group of k copies would otherwise
      // cost k * k file names over its sources.
      for (auto& f : t_.near_duplicates[g->second])
        if (f != s.file) others.full() ? others.add_unshown() : others.add(file_name(f));
      put(d, "near_duplicate_of", others.text());
    }
    auto c = per_source_.find(s.file);
    put(d, "event_count", c == per_source_.end() ? 0 : c->second);
    // Absent when 0: "undated_count" would find the page's total instead.
    if (auto u = undated_per_source_.find(s.file); u != undated_per_source_.end()) put(d, "undated_mentions", u->second);
    return d;
  }

  const Timeline& t_;
  std::size_t limit_;
  std::unordered_map<std::string_view, std::size_t> source_index_, entry_index_, copy_group_, per_source_, undated_per_source_;
  std::map<std::string, std::size_t> per_category_, category_lane_;
  std::size_t conflicts_ = 0, dated_mentions_ = 0;
  bool by_year_ = false;
  std::vector<std::pair<std::string, std::string>> bins_;  // key, label
  std::unordered_map<std::string, std::size_t> bin_count_;
  std::unordered_map<std::string, std::size_t> bin_group_;  // density bin -> its first group
  std::vector<Year> years_;
  std::vector<Group> groups_;
  mutable std::unordered_map<std::size_t, std::string> source_names_;
  std::vector<Scope> pages_;             // empty: one page
  std::vector<std::size_t> group_page_;  // group -> index in pages_
};

// The template's view of the page: a stack of the items the template is
// in (page, year, month, entry, mention, ...), each made when the template
// enters it and freed when it leaves. A lazy list is a list of placeholders,
// one per item; pushing a placeholder makes its item. Names are looked up
// from the innermost item outwards, as kainjow's own context does.
class PageContext final : public kainjow::mustache::basic_context<std::string> {
 public:
  PageContext(const Page& page, const Scope& scope, const HtmlOptions& options) : page_(page), scope_(scope) {
    std::vector<LazyList> lazy;
    auto root = std::make_unique<Data>(page.root(scope, lazy, options));
    enter(std::move(root), std::move(lazy));
  }

  void push(const Data* d) override {
    for (auto it = lazy_.rbegin(); it != lazy_.rend(); ++it) {
      if (std::less_equal<const Data*>{}(it->begin, d) && std::less<const Data*>{}(d, it->end)) {
        std::vector<LazyList> lazy;
        auto item = std::make_unique<Data>(page_.make(scope_, it->list, std::size_t(d - it->begin), lazy));
        enter(std::move(item), std::move(lazy));
        return;
      }
    }
    frames_.push_back({d, nullptr});
  }

  void pop() override {
    frames_.pop_back();
    while (!lazy_.empty() && lazy_.back().depth > frames_.size()) lazy_.pop_back();
  }

  const Data* get(const std::string& name) const override {
    if (name == ".") return frames_.back().data;
    if (name.find('.') == std::string::npos) {
      for (auto it = frames_.rbegin(); it != frames_.rend(); ++it)
        if (const Data* v = it->data->get(name)) return v;
      // The whole timeline: offered on a single page only.
      if (name == "data_json" && scope_.kind == PageKind::Single) return &data_json();
      return nullptr;
    }
    std::vector<std::string> parts;
    for (std::size_t b = 0, e; b <= name.size(); b = e + 1) {
      e = std::min(name.find('.', b), name.size());
      parts.push_back(name.substr(b, e - b));
    }
    for (auto it = frames_.rbegin(); it != frames_.rend(); ++it) {
      const Data* v = it->data;
      for (auto& p : parts)
        if (!(v = v->get(p))) break;
      if (v) return v;
    }
    return nullptr;
  }

  const Data* get_partial(const std::string& name) const override {
    for (auto it = frames_.rbegin(); it != frames_.rend(); ++it)
      if (const Data* v = it->data->get(name)) return v;
    return nullptr;
  }

 private:
  struct Frame {
    const Data* data;
    std::unique_ptr<Data> owned;
  };
  struct Placeholders {
    LazyList list;
    const Data* begin;
    const Data* end;
    std::size_t depth;  // the frame that owns them
  };

  void enter(std::unique_ptr<Data> item, std::vector<LazyList> lazy) {
    for (auto& l : lazy) {
      Data& slot = (*item)[l.name] = Data{Data::type::list};
      for (std::size_t i = 0; i < l.count; ++i) slot.push_back(Data{true});
      const Data* begin = l.count ? &slot.list_value().front() : nullptr;
      lazy_.push_back({std::move(l), begin, begin ? begin + slot.list_value().size() : nullptr, frames_.size() + 1});
    }
    const Data* p = item.get();
    frames_.push_back({p, std::move(item)});
  }

  const Data& data_json() const {
    if (!json_) json_ = std::make_unique<Data>(json_for_script(page_.timeline()));
    return *json_;
  }

  const Page& page_;
  const Scope& scope_;
  std::vector<Frame> frames_;
  std::vector<Placeholders> lazy_;
  mutable std::unique_ptr<Data> json_;
};

// What kainjow's html_escape writes ({{var}}: & < > " ' as entities), but
// a value with none of them is copied whole instead of char by char: the
// escape was 7% of a rebuild of the 8x corpus.
constexpr std::array<bool, 256> kEscaped = [] {
  std::array<bool, 256> t{};
  for (unsigned char c : std::string_view{"&<>\"'"}) t[c] = true;
  return t;
}();

std::string escape_value(const std::string& text) {
  auto first = std::find_if(text.begin(), text.end(), [](char c) { return kEscaped[static_cast<unsigned char>(c)]; });
  if (first == text.end()) return text;
  std::string out(text.begin(), first);
  out.reserve(text.size() + text.size() / 4 + 8);
  for (auto it = first; it != text.end(); ++it) {
    switch (*it) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&apos;"; break;
      default: out.push_back(*it);
    }
  }
  return out;
}

// A parsed template that escapes through escape_value.
struct Template : Mustache {
  explicit Template(const std::string& text) : Mustache(text) { set_custom_escape(escape_value); }
};

// kainjow writes to anything with operator<<.
struct SinkStream {
  OutputSink& sink;
  SinkStream& operator<<(const std::string& text) {
    // No bidirectional override reaches the page, wherever it came from
    // (source text has none left: ingest replaced them and said so).
    if (text.find('\xE2') != std::string::npos) {
      std::string safe = text;
      replace_bidi_controls(safe);
      sink.write(safe);
      return *this;
    }
    sink.write(text);
    return *this;
  }
};

}  // namespace

bool is_html_page_name(std::string_view name) {
  constexpr std::string_view prefix = "timeline-", suffix = ".html";
  return name.size() > prefix.size() + suffix.size() && name.substr(0, prefix.size()) == prefix &&
         name.substr(name.size() - suffix.size()) == suffix && name.find('/') == std::string_view::npos;
}

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

namespace {

Status render_scope(Mustache& tmpl, const Page& page, const Scope& scope, const HtmlOptions& options, OutputSink& out) {
  PageContext context(page, scope, options);
  SinkStream stream{out};
  tmpl.render(context, stream);
  if (!tmpl.is_valid()) return Status::error(tmpl.error_message());
  return {};
}

}  // namespace

std::size_t estimated_page_bytes(const Timeline& t, std::size_t template_size, std::size_t list_limit) {
  std::size_t n = template_size;
  for (auto& e : t.entries) n += entry_bytes(e, std::max<std::size_t>(1, list_limit));
  for (auto& m : t.undated) n += undated_bytes(m);
  for (auto& s : t.sources) n += source_bytes(s);
  return n;
}

bool renders_paged(const Timeline& t, std::size_t template_size, const HtmlOptions& options) {
  switch (options.layout) {
    case HtmlLayout::Single: return false;
    case HtmlLayout::Paged: return true;
    case HtmlLayout::Auto: break;
  }
  return estimated_page_bytes(t, template_size, options.list_limit) > options.page_budget;
}

Status render_html(const Timeline& t, const std::string& template_text, const HtmlOptions& options, OutputSink& out) {
  Template tmpl{template_text};
  if (!tmpl.is_valid()) return Status::error(tmpl.error_message());
  Page page(t, options);
  Scope single;
  page.open(single);
  return render_scope(tmpl, page, single, options, out);
}

namespace {

// What the page renderers of plan_html_pages share: the template, the
// timeline's indexes and the plan. Pages render one at a time.
struct PagedHtml {
  PagedHtml(const Timeline& t, const std::string& template_text, const HtmlOptions& options)
      : tmpl(template_text), page(t, options) {}
  Template tmpl;
  Page page;
};

}  // namespace

Result<std::vector<HtmlPage>> plan_html_pages(const Timeline& t, const std::string& template_text, const HtmlOptions& options) {
  auto state = std::make_shared<PagedHtml>(t, template_text, options);
  if (!state->tmpl.is_valid()) return Status::error(state->tmpl.error_message());
  std::vector<HtmlPage> pages;
  if (!renders_paged(t, template_text.size(), options)) {
    pages.push_back({kIndexFile, [state, &options](OutputSink& out) {
                       Scope single;
                       state->page.open(single);
                       return render_scope(state->tmpl, state->page, single, options, out);
                     }});
    return pages;
  }
  state->page.plan_pages(options);
  const std::vector<Scope>& plan = state->page.pages();
  for (std::size_t i = 0; i < plan.size(); ++i)
    pages.push_back({plan[i].file, [state, &options, i](OutputSink& out) {
                       Scope scope = state->page.pages()[i];  // the plan stays small: a page's years and sources only while it renders
                       state->page.open(scope);
                       return render_scope(state->tmpl, state->page, scope, options, out);
                     }});
  return pages;
}

Status render_html_pages(const Timeline& t, const std::string& template_text, const HtmlOptions& options,
                         const PageCallback& each_page) {
  auto pages = plan_html_pages(t, template_text, options);
  if (!pages.ok()) return pages.status();
  for (const HtmlPage& p : *pages)
    if (Status s = each_page(p.file_name, p.render); !s.ok()) return s;
  return {};
}

Result<std::string> render_html(const Timeline& t, const std::string& template_text, const HtmlOptions& options) {
  StringSink page;
  if (Status s = render_html(t, template_text, options, page); !s.ok()) return s;
  return std::move(page.text());
}

}  // namespace annals::render
