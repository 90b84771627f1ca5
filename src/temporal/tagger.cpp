#include "temporal/tagger.h"

#include <algorithm>
#include <array>

#include <fmt/format.h>

#include "core/text.h"
#include "rules/scan.h"
#include "rules/template.h"
#include "temporal/calendar.h"
#include "temporal/normalize.h"

namespace annals::temporal {
namespace {

struct Candidate {
  Span span;   // the time expression (the rule's `timex` group when it has one)
  Span match;  // the whole match, cue words included
  std::size_t rule;  // index into the rule vector
};

// The capture index of a rule's `timex` group, or 0 when it has none.
int timex_group(const rules::DateRule& rule) {
  auto g = rule.groups.find("timex");
  return g == rule.groups.end() ? 0 : g->second;
}

// Every match of one rule inside `range` of `text`; a rule with a `timex`
// group reports that group as the expression's extent and the rest of the
// match as context. `groups` is scratch space reused across calls.
void rule_candidates(const rules::DateRule& rule, std::size_t index, std::string_view text, Span range,
                     std::vector<re2::StringPiece>& groups, std::vector<Candidate>& out) {
  int timex = timex_group(rule);
  groups.resize(std::size_t(timex) + 1);
  rules::for_each_match(*rule.re, text, range, groups.data(), timex + 1, [&](Span match) {
    const auto& t = groups[std::size_t(timex)];
    if (t.data() == nullptr || t.empty()) return;
    std::size_t tb = std::size_t(t.data() - text.data());
    out.push_back({{tb, tb + t.size()}, match, index});
  });
}

// Keeps, of overlapping candidates, the longest (ties: the leftmost, then
// the rule defined first) and leaves them in text order. Every span lies in
// `range`; `taken` (scratch) marks its bytes already kept, so that a
// paragraph with thousands of dates costs no more per date than one with a
// few (comparing each candidate with every kept one was quadratic).
void resolve_overlaps(std::vector<Candidate>& c, Span range, std::vector<char>& taken) {
  std::sort(c.begin(), c.end(), [](const Candidate& a, const Candidate& b) {
    if (a.span.size() != b.span.size()) return a.span.size() > b.span.size();
    if (a.span.begin != b.span.begin) return a.span.begin < b.span.begin;
    return a.rule < b.rule;
  });
  taken.assign(range.size(), 0);
  std::size_t n = 0;
  for (const auto& x : c) {
    auto first = taken.begin() + std::ptrdiff_t(x.span.begin - range.begin);
    auto last = taken.begin() + std::ptrdiff_t(x.span.end - range.begin);
    if (std::find(first, last, 1) != last) continue;
    std::fill(first, last, 1);
    c[n++] = x;
  }
  c.resize(n);
  std::sort(c.begin(), c.end(), [](auto& a, auto& b) { return a.span.begin < b.span.begin; });
}

// Calls f(Span) for each paragraph of `text`: up to and including the next
// blank line (core/text.h), or the end. A time expression never spans one.
template <typename F>
void for_each_paragraph(std::string_view text, F&& f) {
  for (std::size_t next = 0; next < text.size();) {
    BlankLine blank = find_blank_line(text, next);
    std::size_t end = blank.at == std::string_view::npos ? text.size() : blank.at + blank.size;
    f(Span{next, end});
    next = end;
  }
}

// The rules of `set` (of `count` rules) that can match in `para` of `text`,
// into `hits`. Should RE2 run out of memory for the set's automaton, every
// rule is tried: slower, but nothing is lost.
void prefilter(const RE2::Set& set, std::size_t count, std::string_view text, Span para, std::vector<int>& hits) {
  hits.clear();
  RE2::Set::ErrorInfo error{};
  if (!set.Match(re2::StringPiece(text.data() + para.begin, para.size()), &hits, &error) &&
      error.kind != RE2::Set::kNoError) {
    hits.resize(count);
    for (std::size_t i = 0; i < count; ++i) hits[i] = int(i);
  }
}

// Every candidate in `text` of the `rules` that `set` (index i = rules[i])
// says can match there, overlaps resolved, in text order. For the few
// dateline rules on a text's head: each searches the head in one go (a call
// per paragraph cost more than the search), and a match across a blank line
// is dropped.
std::vector<Candidate> all_candidates(const std::vector<rules::DateRule>& rules, const RE2::Set& set, std::string_view text) {
  std::vector<Candidate> out;
  std::vector<re2::StringPiece> groups;
  std::vector<char> taken;
  std::vector<int> hits;
  prefilter(set, rules.size(), text, {0, text.size()}, hits);
  for (int i : hits) rule_candidates(rules[std::size_t(i)], std::size_t(i), text, {0, text.size()}, groups, out);
  std::erase_if(out, [&](const Candidate& c) {
    return find_blank_line(text.substr(c.match.begin, c.match.size()), 0).at != std::string_view::npos;
  });
  resolve_overlaps(out, {0, text.size()}, taken);
  return out;
}

// Whether a date of granularity `have` lies inside one period of granularity
// `want`, so that it can say which `want` an anaphoric expression means ("the
// next day" needs a day; "that year" any date inside one year: not a decade,
// and not a week, which may straddle New Year).
bool anchors_at(Granularity have, Granularity want) {
  using G = Granularity;
  switch (want) {
    case G::Day: return have == G::Day;
    case G::Week: return have == G::Day || have == G::Week;
    case G::Month: return have == G::Day || have == G::Month;
    case G::Quarter: return have == G::Day || have == G::Month || have == G::Quarter;
    case G::Year: return have != G::Century && have != G::Decade && have != G::Week;
    default: return false;
  }
}

// The dates a text has named so far, as the scan finds them: for each
// granularity an anaphoric expression may want, the latest date that
// anchors_at it, so that a lookup never walks back over the text.
class TextAnchors {
 public:
  static constexpr std::array<Granularity, 5> kWants{Granularity::Day, Granularity::Week, Granularity::Month,
                                                     Granularity::Quarter, Granularity::Year};

  // Takes note of found.back(), the mention just resolved.
  void note(const std::vector<DateMention>& found) {
    const DateMention& m = found.back();
    if (!m.interval || (m.type != TimexType::Date && m.type != TimexType::Time)) return;
    for (std::size_t i = 0; i < kWants.size(); ++i)
      if (anchors_at(m.interval->granularity, kWants[i])) latest_[i] = found.size() - 1;
  }
  // The latest mention of `found` (the mentions noted so far) that anchors
  // `want`, or nullptr.
  const DateMention* latest(const std::vector<DateMention>& found, Granularity want) const {
    for (std::size_t i = 0; i < kWants.size(); ++i)
      if (kWants[i] == want && latest_[i]) return &found[*latest_[i]];
    return nullptr;
  }

 private:
  std::array<std::optional<std::size_t>, kWants.size()> latest_;
};

// A built-in placeholder's text (rules/template.h): the reference date's
// parts, or the text's latest date before the match that anchors_at the
// wanted granularity ("anchor" alone: at its own granularity, year or finer),
// falling back to the reference date when the text named none. nullopt and
// *needs_reference when the reference date is wanted and there is none;
// *anchor is the earlier mention used, if any.
std::optional<std::string> builtin_value(std::string_view name, std::optional<date::sys_days> reference,
                                         const std::vector<DateMention>& found, const TextAnchors& anchors,
                                         bool* needs_reference, std::optional<DateMention::Anchor>* anchor) {
  if (name.starts_with("anchor")) {
    std::optional<Granularity> want;  // "anchor.month" -> Month; none for "anchor"
    if (name != "anchor") {
      for (Granularity g : TextAnchors::kWants)
        if (name.substr(7) == granularity_name(g)) want = g;
      if (!want) return std::nullopt;
    }
    if (const DateMention* m = anchors.latest(found, want.value_or(Granularity::Year))) {
      *anchor = DateMention::Anchor{m->span, m->text};
      return value_at(m->interval->first, want.value_or(m->interval->granularity));
    }
    if (!reference) {
      *needs_reference = true;
      return std::nullopt;
    }
    return value_at(*reference, want.value_or(Granularity::Day));
  }
  if (!reference) {
    *needs_reference = true;
    return std::nullopt;
  }
  date::year_month_day ymd{*reference};
  if (name == "ref.year") return fmt::format("{:04}", int(ymd.year()));
  if (name == "ref.month") return fmt::format("{:02}", unsigned(ymd.month()));
  if (name == "ref.century") return fmt::format("{:02}", int(ymd.year()) / 100);
  return std::nullopt;
}

// Resolves one match of one date rule (the whole match, context included, is
// `span` of `text`; the mention's span is its `timex` group when it has one).
// `found` holds the mentions before it in the text and `anchors` what they
// offer {anchor...} placeholders.
DateMention resolve_match(const rules::RuleSet& rules, const rules::DateRule& rule, std::string_view text, Span span,
                          std::optional<date::sys_days> reference, const std::vector<DateMention>& found,
                          const TextAnchors& anchors) {
  DateMention d;
  d.rule_id = rule.id;
  d.type = rule.type;
  // Re-run the rule anchored on the span to get its groups (cheaper than
  // keeping every candidate's groups: most candidates lose an overlap).
  auto groups = rules::groups_at(*rule.re, text, span);
  d.span = span;
  if (int timex = timex_group(rule); timex > 0 && groups[std::size_t(timex)].data() != nullptr) {
    auto begin = std::size_t(groups[std::size_t(timex)].data() - text.data());
    d.span = {begin, begin + groups[std::size_t(timex)].size()};
  }
  d.text = std::string(text.substr(d.span.begin, d.span.size()));
  bool needs_reference = false;
  std::string builtin;  // the text of the last built-in placeholder filled
  auto lookup = [&](std::string_view name) -> std::optional<std::string_view> {
    if (!rules::looks_builtin(name)) return rules::group_text(rule, groups, name);
    auto v = builtin_value(name, reference, found, anchors, &needs_reference, &d.anchor);
    if (!v) return std::nullopt;
    builtin = std::move(*v);
    return std::string_view(builtin);
  };
  auto expr = rules::fill_template(rule.value, lookup, rules.tables);
  if (!expr.ok()) {
    d.unresolved_reason = expr.status().message();
    return d;
  }
  if (!rule.mod.empty()) {
    auto mod = rules::fill_template(rule.mod, lookup, rules.tables);
    if (!mod.ok()) {
      d.unresolved_reason = mod.status().message();
      return d;
    }
    d.mod = std::move(*mod);
  }
  if (needs_reference) {
    d.unresolved_reason = "relative date and the source has no publication date";
    return d;
  }
  Result<Evaluation> ev = evaluate_value(*expr, reference);
  if (!ev.ok()) {
    d.unresolved_reason = ev.status().message();
    return d;
  }
  if (ev->value.empty()) {
    d.unresolved_reason = "relative date and the source has no publication date";
    return d;
  }
  d.value = std::move(ev->value);
  if (d.type == TimexType::Date || d.type == TimexType::Time) d.interval = interval_of(d.value);
  return d;
}

}  // namespace

std::vector<DateMention> find_dates(const rules::RuleSet& rules, std::string_view text,
                                    std::optional<date::sys_days> reference) {
  std::vector<DateMention> out;
  TextAnchors anchors;
  // Scratch space for the whole text: no allocation per paragraph once warm.
  std::vector<int> hits;
  std::vector<Candidate> cands;
  std::vector<char> vetoed, taken;  // per byte of the paragraph
  std::vector<re2::StringPiece> groups;
  for_each_paragraph(text, [&](Span para) {
    prefilter(*rules.date_prefilter, rules.date_core_rules.size(), text, para, hits);
    cands.clear();
    for (int h : hits)
      for (std::size_t r : rules.date_core_rules[std::size_t(h)]) rule_candidates(rules.dates[r], r, text, para, groups, cands);
    if (cands.empty()) return;
    // Vetoes run only where there is something to veto; a candidate with
    // any byte inside a veto match is dropped.
    prefilter(*rules.veto_prefilter, rules.vetoes.size(), text, para, hits);
    if (!hits.empty()) {
      vetoed.assign(para.size(), 0);
      for (int h : hits)
        rules::for_each_match(*rules.vetoes[std::size_t(h)].re, text, para, [&](Span v) {
          std::fill_n(vetoed.begin() + std::ptrdiff_t(v.begin - para.begin), v.size(), 1);
        });
      std::erase_if(cands, [&](const Candidate& c) {
        auto first = vetoed.begin() + std::ptrdiff_t(c.span.begin - para.begin);
        return std::find(first, first + std::ptrdiff_t(c.span.size()), 1) != first + std::ptrdiff_t(c.span.size());
      });
    }
    resolve_overlaps(cands, para, taken);
    for (const auto& c : cands) {
      out.push_back(resolve_match(rules, rules.dates[c.rule], text, c.match, reference, out, anchors));
      anchors.note(out);
    }
  });
  return out;
}

std::optional<DateMention> find_dateline(const rules::RuleSet& rules, std::string_view text) {
  std::string_view head = text.substr(0, std::min(text.size(), rules.dateline_window));
  for (const auto& c : all_candidates(rules.datelines, *rules.dateline_set, head)) {
    DateMention d = resolve_match(rules, rules.datelines[c.rule], head, c.match, std::nullopt, {}, TextAnchors{});
    if (d.interval && d.interval->granularity == Granularity::Day) return d;
  }
  return std::nullopt;
}

}  // namespace annals::temporal
