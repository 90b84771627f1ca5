#include "render/html.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstring>
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
#include "render/lazy_context.h"
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

// The names items answer (see templates/README.md), numbered for
// LazyContext. One name may mean different things for different items
// ("date": an entry's date value, whether a piece of evidence is the date).
#define ANNALS_ITEM_NAMES(X)                                                                                     \
  X(event_id) X(date) X(display_date) X(datetime) X(date_start) X(date_end) X(granularity) X(title) X(category) \
  X(lane) X(colour) X(bin) X(source_count) X(independent_sources) X(several_independent) X(has_copies)          \
  X(several_sources) X(mention_count) X(source_names) X(source_ids) X(more_mentions) X(mentions) X(sources)     \
  X(more_sources) X(conflicts) X(has_conflict) X(more_conflicts) X(file) X(file_name) X(source_name)            \
  X(source_title) X(outlet) X(url) X(has_url) X(safe_url) X(link) X(published) X(published_display)             \
  X(published_from) X(evidence) X(segments) X(rule) X(date_text) X(date_value) X(date_display)                  \
  X(date_counted_from) X(date_differs) X(unresolved) X(source_index) X(text) X(event) X(in_event) X(plain)      \
  X(index) X(near_duplicate_of) X(event_count) X(undated_mentions) X(label) X(page_href) X(year) X(anchor)      \
  X(count) X(single) X(entries) X(months) X(key) X(precise)

#define ANNALS_ITEM_NAME(n) n,
enum class Name : std::uint16_t { ANNALS_ITEM_NAMES(ANNALS_ITEM_NAME) };
#undef ANNALS_ITEM_NAME
#define ANNALS_ITEM_NAME(n) #n,
constexpr std::string_view kNames[] = {ANNALS_ITEM_NAMES(ANNALS_ITEM_NAME)};
#undef ANNALS_ITEM_NAME
#undef ANNALS_ITEM_NAMES

// Answers as put() and put_text() would have put them into a Data object:
// optional text is absent when empty, counts of "more" when zero.
void optional_text(Reply& r, const std::string& value) {
  if (!value.empty()) r.text(value);
}
void more(Reply& r, std::size_t n) {
  if (n > 0) r.number(n);
}

// The source fields every template place that shows a source can use.
void source_field(const SourceInfo& s, Name name, Reply& r) {
  switch (name) {
    case Name::file: return r.text(s.file);
    case Name::file_name: return r.text(file_name_view(s.file));
    case Name::source_name: return r.text(source_name(s));
    case Name::source_title: return optional_text(r, s.title);
    case Name::outlet: return optional_text(r, s.outlet);
    case Name::url: return optional_text(r, s.url);
    case Name::has_url: return r.flag(!s.url.empty());
    case Name::safe_url: return r.flag(is_web_url(s.url));
    case Name::link:
      if (is_web_url(s.url)) r.text(s.url);
      return;
    case Name::published:
      if (s.published) r.text(temporal::format_iso_day(*s.published));
      return;
    case Name::published_display:
      if (s.published) r.text(display_date({"", Granularity::Day, *s.published, *s.published}));
      return;
    case Name::published_from: return optional_text(r, s.published_from);
    default: return;
  }
}

// Where the evidence sentence is cut into plain / event / date pieces, for
// highlighting: the end of each piece.
std::vector<std::size_t> segment_ends(const EventMention& m) {
  const std::string& s = m.evidence;
  std::vector<std::size_t> cuts{0, s.size(), m.evidence_event.begin, m.evidence_event.end};
  if (m.evidence_date) cuts.insert(cuts.end(), {m.evidence_date->begin, m.evidence_date->end});
  std::sort(cuts.begin(), cuts.end());
  std::vector<std::size_t> ends;
  std::size_t prev = 0;
  for (std::size_t p : cuts) {
    if (p <= prev || p > s.size()) continue;
    ends.push_back(p);
    prev = p;
  }
  return ends;
}

// The piece [begin, end) of the evidence sentence.
void segment_field(const EventMention& m, std::size_t begin, std::size_t end, Name name, Reply& r) {
  bool ev = begin >= m.evidence_event.begin && end <= m.evidence_event.end;
  bool dt = m.evidence_date && begin >= m.evidence_date->begin && end <= m.evidence_date->end;
  // Exactly one of event / date / plain is true, so that a template
  // printing each kind in its own section prints every piece once; a date
  // inside the event match is a date piece with in_event set.
  switch (name) {
    case Name::text: return r.text(m.evidence.substr(begin, end - begin));
    case Name::event: return r.flag(ev && !dt);
    case Name::date: return r.flag(dt);
    case Name::in_event: return r.flag(ev && dt);
    case Name::plain: return r.flag(!ev && !dt);
    default: return;
  }
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

// The items of lazy lists: what LazyItem::kind is.
enum class Item { Year, Group, Entry, Mention, Undated, Source, EntrySource, Conflict, Segment };

// The owner of an undated mention's evidence pieces (an entry's mention has its entry).
constexpr std::size_t kUndated = std::size_t(-1);

LazyList lazy_list(Item kind, std::size_t first, std::size_t count, std::size_t owner = 0, std::vector<std::size_t> picks = {}) {
  return {int(kind), owner, 0, first, count, std::move(picks)};
}

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

  // The page's own values; its lists of years, sources and undated mentions go to `lists`.
  Data root(const Scope& s, std::vector<std::pair<std::string, LazyList>>& lists, const HtmlOptions& options) const {
    Data ctx;
    bool single = s.kind == PageKind::Single;
    std::size_t undated_first = s.kind == PageKind::Undated ? s.first : 0;
    std::size_t undated_count = single ? t_.undated.size() : s.kind == PageKind::Undated ? s.count : 0;
    lists.emplace_back("years", lazy_list(Item::Year, 0, s.years.size()));
    if (single) lists.emplace_back("sources", lazy_list(Item::Source, 0, t_.sources.size()));
    else lists.emplace_back("sources", lazy_list(Item::Source, 0, s.sources.size(), 0, s.sources));
    lists.emplace_back("undated", lazy_list(Item::Undated, undated_first, undated_count));
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

  // What `item` of page `s` says to `name`.
  void answer(const Scope& s, const LazyItem& item, Name name, Reply& r) const {
    switch (Item(item.kind)) {
      case Item::Year: return year(s, item.n, name, r);
      case Item::Group: return group(item.n, name, r);
      case Item::Entry: return entry(s, item.n, name, r);
      case Item::Mention: return mention(s, item.owner, item.n, name, r);
      case Item::Undated: return mention(s, kUndated, item.n, name, r);
      case Item::Source: return source(item.n, item.position, name, r);
      case Item::EntrySource: return source_field(*t_.entries[item.owner].mentions[item.n].source, name, r);
      case Item::Conflict: return conflict(s, item.owner, item.n, name, r);
      case Item::Segment: return segment_field(mention_at(item.owner, item.sub), item.prev, item.n, name, r);
    }
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

  void year(const Scope& s, std::size_t n, Name name, Reply& r) const {
    const Year& y = s.years[n];
    switch (name) {
      case Name::year: return r.text(std::to_string(y.year));
      case Name::anchor: return r.text(fmt::format("y{}", y.year));
      case Name::count: return r.number(y.count);
      case Name::single: return r.flag(y.count == 1);
      case Name::entries: return r.list(lazy_list(Item::Entry, y.first, y.count));
      case Name::months: return r.list(lazy_list(Item::Group, y.first_group, y.groups));
      default: return;
    }
  }

  void group(std::size_t n, Name name, Reply& r) const {
    const Group& g = groups_[n];
    switch (name) {
      case Name::key: return r.text(g.key);
      case Name::label: return r.text(g.label);
      case Name::anchor: return r.text(g.anchor);
      case Name::precise: return r.flag(g.precise);
      case Name::count: return r.number(g.count);
      case Name::single: return r.flag(g.count == 1);
      case Name::entries: return r.list(lazy_list(Item::Entry, g.first, g.count));
      default: return;
    }
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

  // The distinct source files of entry `n`, sorted (as TimelineEntry::source_files), made once per entry.
  const std::vector<std::string_view>& files_of(std::size_t n) const {
    if (files_entry_ != n) {
      files_.clear();
      for (auto& m : t_.entries[n].mentions) files_.push_back(m.source->file);
      std::sort(files_.begin(), files_.end());
      files_.erase(std::unique(files_.begin(), files_.end()), files_.end());
      files_entry_ = n;
    }
    return files_;
  }

  void entry(const Scope& s, std::size_t n, Name name, Reply& r) const {
    const TimelineEntry& e = t_.entries[n];
    switch (name) {
      case Name::event_id: return r.text(e.event_id);
      case Name::date: return r.text(e.date.value);
      case Name::display_date: return r.text(display_date(e));
      case Name::datetime: return r.text(time_element_value(e.date));
      case Name::date_start: return r.text(temporal::format_iso_day(e.date.first));
      case Name::date_end: return r.text(temporal::format_iso_day(e.date.last));
      case Name::granularity: return r.text(granularity_name(e.date.granularity));
      case Name::title: return r.text(e.title);
      case Name::category: return r.text(e.category);
      case Name::lane: return r.number(category_lane_.at(e.category));
      case Name::colour: return r.number(category_lane_.at(e.category) % kLaneColours);
      case Name::bin: return r.text(bin_of(e.date.first));
      case Name::source_count: return r.number(files_of(n).size());
      case Name::independent_sources: return r.number(e.independent_sources);
      case Name::several_independent: return r.flag(e.independent_sources > 1);
      case Name::has_copies: return r.flag(e.independent_sources > 0 && e.independent_sources < files_of(n).size());
      case Name::several_sources: return r.flag(files_of(n).size() > 1);
      case Name::mention_count: return r.number(e.mentions.size());
      case Name::source_names: return r.text(source_names(n));
      case Name::source_ids: {
        // The entry's sources as indexes into the page's `sources`, all of
        // them: a source filter must find the entry even when the lists
        // below show only the first few.
        std::string ids;
        for (auto& f : files_of(n))
          if (auto it = source_index_.find(f); it != source_index_.end())
            if (auto local = local_source(s, it->second)) ids += (ids.empty() ? "" : " ") + std::to_string(*local);
        return r.text(ids);
      }
      case Name::more_mentions: return more(r, e.mentions.size() - std::min(limit_, e.mentions.size()));
      case Name::mentions: {
        std::vector<std::size_t> picks = mentions_to_show(e, limit_);
        std::size_t shown = picks.size();
        return r.list(lazy_list(Item::Mention, 0, shown, n, std::move(picks)));
      }
      case Name::sources: {
        // The first mention of each source, up to the limit.
        std::vector<std::size_t> firsts;
        std::set<std::string_view> seen;
        for (std::size_t i = 0; i < e.mentions.size() && seen.size() < limit_; ++i)
          if (seen.insert(e.mentions[i].source->file).second) firsts.push_back(i);
        std::size_t shown = firsts.size();
        return r.list(lazy_list(Item::EntrySource, 0, shown, n, std::move(firsts)));
      }
      case Name::more_sources: return more(r, files_of(n).size() - std::min(limit_, files_of(n).size()));
      case Name::conflicts: return r.list(lazy_list(Item::Conflict, 0, std::min(limit_, e.conflicts_with.size()), n));
      case Name::has_conflict: return r.flag(!e.conflicts_with.empty());
      case Name::more_conflicts:
        return more(r, std::max(e.conflict_count, e.conflicts_with.size()) - std::min(limit_, e.conflicts_with.size()));
      default: return;
    }
  }

  // The i-th entry entry `n` disputes.
  void conflict(const Scope& s, std::size_t n, std::size_t i, Name name, Reply& r) const {
    const std::string& id = t_.entries[n].conflicts_with[i];
    if (name == Name::event_id) return r.text(id);
    auto it = entry_index_.find(id);
    if (it == entry_index_.end()) return;
    const TimelineEntry& o = t_.entries[it->second];
    switch (name) {
      case Name::display_date: return r.text(display_date(o));
      case Name::title: return r.text(o.title);
      case Name::label: return r.text(display_date(o) + ": " + o.title);
      case Name::source_names: return r.text(source_names(it->second));
      case Name::page_href:
        if (paged() && page_of_entry(it->second) != s.file) r.text(page_of_entry(it->second));
        return;
      default: return;
    }
  }

  // Mention `i` of entry `owner`, or undated mention `i` when owner is kUndated.
  const EventMention& mention_at(std::size_t owner, std::size_t i) const {
    return owner == kUndated ? t_.undated[i] : t_.entries[owner].mentions[i];
  }

  void mention(const Scope& s, std::size_t owner, std::size_t i, Name name, Reply& r) const {
    const EventMention& m = mention_at(owner, i);
    const DateInterval* entry_date = owner == kUndated ? nullptr : &t_.entries[owner].date;
    switch (name) {
      case Name::evidence: return r.text(m.evidence);
      case Name::segments: {
        std::vector<std::size_t> ends = segment_ends(m);
        std::size_t count = ends.size();
        return r.list({int(Item::Segment), owner, i, 0, count, std::move(ends)});
      }
      case Name::rule: return r.text(m.rule_id);
      case Name::title: return r.text(m.title);
      case Name::category: return r.text(m.category);
      case Name::date_text:
        if (m.date) optional_text(r, m.date->text);
        return;
      case Name::date_value:
        if (m.date) optional_text(r, m.date->value);
        return;
      case Name::date_display:
        if (m.date && m.date->interval) r.text(display_date(*m.date->interval, m.date->mod));
        return;
      case Name::date_counted_from:
        if (m.date && m.date->anchor) optional_text(r, m.date->anchor->text);
        return;
      case Name::date_differs:
        if (entry_date && m.dated()) r.flag(m.date->interval->value != entry_date->value);
        return;
      case Name::unresolved:
        if (m.dated()) return;
        return r.text(m.date ? m.date->unresolved_reason : std::string{"no date in the same sentence"});
      case Name::source_index:
        if (auto it = source_index_.find(m.source->file); it != source_index_.end())
          if (auto local = local_source(s, it->second)) return r.number(*local);
        return;
      default: return source_field(*m.source, name, r);
    }
  }

  // Source `n` of the timeline, the `position`-th of the page's `sources`.
  void source(std::size_t n, std::size_t position, Name name, Reply& r) const {
    const SourceInfo& s = t_.sources[n];
    switch (name) {
      case Name::index: return r.number(position);
      case Name::near_duplicate_of: {
        auto g = copy_group_.find(s.file);
        if (g == copy_group_.end()) return;
        NameList others(limit_);
        // Only the names shown are made: a group of k copies would otherwise
        // cost k * k file names over its sources.
        for (auto& f : t_.near_duplicates[g->second])
          if (f != s.file) others.full() ? others.add_unshown() : others.add(file_name_view(f));
        return r.text(others.text());
      }
      case Name::event_count: {
        auto c = per_source_.find(s.file);
        return r.number(c == per_source_.end() ? 0 : c->second);
      }
      case Name::undated_mentions: {
        // Absent when 0: "undated_count" would find the page's total instead.
        auto u = undated_per_source_.find(s.file);
        if (u != undated_per_source_.end()) r.number(u->second);
        return;
      }
      default: return source_field(s, name, r);
    }
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
  mutable std::size_t files_entry_ = std::size_t(-1);           // the entry files_ are of
  mutable std::vector<std::string_view> files_;
};

// The template's view of page `scope`: its items answer through the Page.
class PageItems final : public ItemSource {
 public:
  PageItems(const Page& page, const Scope& scope) : page_(page), scope_(scope) {}

  std::span<const std::string_view> names() const override { return kNames; }
  void answer(const LazyItem& item, std::uint16_t name, Reply& reply) const override {
    page_.answer(scope_, item, Name(name), reply);
  }

  // The whole timeline: offered on a single page only.
  const Data* fallback(const std::string& name) const override {
    if (name != "data_json" || scope_.kind != PageKind::Single) return nullptr;
    if (!json_) json_ = std::make_unique<Data>(json_for_script(page_.timeline()));
    return json_.get();
  }

 private:
  const Page& page_;
  const Scope& scope_;
  mutable std::unique_ptr<Data> json_;
};

// What kainjow's html_escape writes ({{var}}: & < > " ' as entities), but
// the runs between them are copied whole instead of char by char: the
// escape was 7% of a rebuild of the 8x corpus.
// Where the next of them is in `text` from `from` on, or its size.
// strcspn scans 16 bytes at a time where the CPU can (a byte at a time was
// 9% of the 8x page); it stops at a NUL too, which text may hold.
std::size_t next_escaped(const std::string& text, std::size_t from) {
  constexpr const char* kSet = "&<>\"'";
  std::size_t i = from + std::strcspn(text.c_str() + from, kSet);
  while (i < text.size() && text[i] == '\0') i += 1 + std::strcspn(text.c_str() + i + 1, kSet);
  return i;
}

std::string escape_value(const std::string& text) {
  std::size_t i = next_escaped(text, 0);
  if (i == text.size()) return text;
  std::string out(text, 0, i);
  out.reserve(text.size() + text.size() / 4 + 8);
  while (i < text.size()) {
    switch (text[i]) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&apos;"; break;
      default: out.push_back(text[i]);
    }
    std::size_t next = next_escaped(text, i + 1);
    out.append(text, i + 1, next - i - 1);
    i = next;
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
  PageItems items(page, scope);
  std::vector<std::pair<std::string, LazyList>> lists;
  Data root = page.root(scope, lists, options);
  LazyContext context(items, std::move(root), std::move(lists));
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
