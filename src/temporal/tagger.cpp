#include "temporal/tagger.h"

#include <algorithm>

#include <fmt/format.h>

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

// Every match of one rule; a rule with a `timex` group reports that group as
// the expression's extent and the rest of the match as context.
void rule_candidates(const rules::DateRule& rule, std::size_t index, std::string_view text, std::vector<Candidate>& out) {
  int timex = timex_group(rule);
  if (timex == 0) {
    rules::for_each_match(*rule.re, text, [&](Span s) { out.push_back({s, s, index}); });
    return;
  }
  re2::StringPiece whole(text.data(), text.size());
  std::vector<re2::StringPiece> groups(std::size_t(timex) + 1);
  std::size_t pos = 0;
  while (pos <= text.size() && rule.re->Match(whole, pos, text.size(), RE2::UNANCHORED, groups.data(), timex + 1)) {
    std::size_t b = std::size_t(groups[0].data() - text.data()), e = b + groups[0].size();
    const auto& t = groups[std::size_t(timex)];
    if (t.data() != nullptr && !t.empty()) {
      std::size_t tb = std::size_t(t.data() - text.data());
      out.push_back({{tb, tb + t.size()}, {b, e}, index});
    }
    pos = e > b ? e : b + 1;
  }
}

std::vector<Candidate> candidates(const std::vector<rules::DateRule>& rules, const RE2::Set* set, std::string_view text) {
  std::vector<Candidate> out;
  std::vector<int> hits;
  if (set) {
    hits = rules::matching_rules(*set, text);
  } else {
    for (std::size_t i = 0; i < rules.size(); ++i) hits.push_back(int(i));
  }
  for (int h : hits) rule_candidates(rules[std::size_t(h)], std::size_t(h), text, out);
  return out;
}

// Paragraphs: the text split after each blank line, and a long paragraph
// after a line break once it passes kChunk bytes. A time expression never
// spans a blank line, so each chunk is scanned on its own: the prefilter set
// then says which rules can match *this paragraph*, and the other rules never
// see it. That, not a faster regex, is what makes the scan cheap.
constexpr std::size_t kChunk = 4096;
constexpr std::size_t kMinChunk = 1024;

std::vector<Span> chunks(std::string_view text) {
  std::vector<Span> out;
  std::size_t begin = 0;
  while (begin < text.size()) {
    // Whole paragraphs, at least kMinChunk bytes of them: each RE2 call has
    // a fixed cost, so one-sentence paragraphs are scanned together.
    std::size_t end = begin;
    while (end < text.size() && end - begin < kMinChunk) {
      end = text.find("\n\n", end);
      end = end == std::string_view::npos ? text.size() : end + 2;
    }
    if (end - begin > kChunk) {
      auto nl = text.find('\n', begin + kChunk);
      if (nl != std::string_view::npos && nl + 1 < end) end = nl + 1;
    }
    out.push_back({begin, end});
    begin = end;
  }
  return out;
}

// Longest first; ties go to the leftmost, then to the rule defined first.
std::vector<Candidate> resolve_overlaps(std::vector<Candidate> c) {
  std::sort(c.begin(), c.end(), [](const Candidate& a, const Candidate& b) {
    if (a.span.size() != b.span.size()) return a.span.size() > b.span.size();
    if (a.span.begin != b.span.begin) return a.span.begin < b.span.begin;
    return a.rule < b.rule;
  });
  std::vector<Candidate> kept;
  for (auto& x : c) {
    bool clash = std::any_of(kept.begin(), kept.end(), [&](const Candidate& k) { return k.span.overlaps(x.span); });
    if (!clash) kept.push_back(x);
  }
  std::sort(kept.begin(), kept.end(), [](auto& a, auto& b) { return a.span.begin < b.span.begin; });
  return kept;
}

}  // namespace

DateMention resolve_match(const rules::RuleSet& rules, const rules::DateRule& rule, std::string_view text, Span span,
                          std::optional<date::sys_days> reference) {
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
  auto lookup = [&](std::string_view name) -> std::optional<std::string_view> {
    if (name.substr(0, 4) == "ref.") {
      if (!reference) {
        needs_reference = true;
        return std::nullopt;
      }
      static thread_local std::string buf;
      date::year_month_day ymd{*reference};
      if (name == "ref.year") buf = fmt::format("{:04}", int(ymd.year()));
      else if (name == "ref.month") buf = fmt::format("{:02}", unsigned(ymd.month()));
      else if (name == "ref.century") buf = fmt::format("{:02}", int(ymd.year()) / 100);
      else return std::nullopt;
      return std::string_view(buf);
    }
    auto g = rule.groups.find(std::string(name));
    if (g == rule.groups.end() || groups[std::size_t(g->second)].data() == nullptr) return std::nullopt;
    auto& sp = groups[std::size_t(g->second)];
    return std::string_view(sp.data(), sp.size());
  };
  std::string err;
  std::string expr = rules::fill_template(rule.value, lookup, rules.tables, &err);
  if (!rule.mod.empty()) d.mod = rules::fill_template(rule.mod, lookup, rules.tables, &err);
  if (!err.empty()) {
    d.unresolved_reason = err;
    return d;
  }
  if (needs_reference) {
    d.unresolved_reason = "relative date and the source has no publication date";
    return d;
  }
  Evaluation ev = evaluate_value(expr, reference);
  if (!ev.error.empty()) {
    d.unresolved_reason = ev.error;
    return d;
  }
  if (ev.value.empty()) {
    d.unresolved_reason = "relative date and the source has no publication date";
    return d;
  }
  d.value = ev.value;
  if (d.type == TimexType::Date || d.type == TimexType::Time) d.interval = interval_of(d.value);
  return d;
}

std::vector<DateMention> find_dates(const rules::RuleSet& rules, std::string_view text,
                                    std::optional<date::sys_days> reference) {
  std::vector<DateMention> out;
  for (Span chunk : chunks(text)) {
    std::string_view part = text.substr(chunk.begin, chunk.size());
    auto cands = candidates(rules.dates, rules.date_set.get(), part);
    if (cands.empty()) continue;
    // Veto rules are few; each runs once over a chunk that has date candidates.
    std::vector<Span> vetoed;
    for (auto& v : rules.vetoes) rules::for_each_match(*v.re, part, [&](Span s) { vetoed.push_back(s); });
    if (!vetoed.empty()) {
      std::erase_if(cands, [&](const Candidate& c) {
        return std::any_of(vetoed.begin(), vetoed.end(), [&](const Span& v) { return v.overlaps(c.span); });
      });
    }
    for (auto& c : resolve_overlaps(std::move(cands))) {
      Span match{c.match.begin + chunk.begin, c.match.end + chunk.begin};
      out.push_back(resolve_match(rules, rules.dates[c.rule], text, match, reference));
    }
  }
  return out;
}

std::optional<DateMention> find_dateline(const rules::RuleSet& rules, std::string_view text) {
  std::string_view head = text.substr(0, std::min(text.size(), rules.dateline_window));
  auto cands = resolve_overlaps(candidates(rules.datelines, nullptr, head));
  for (auto& c : cands) {
    DateMention d = resolve_match(rules, rules.datelines[c.rule], head, c.match, std::nullopt);
    if (d.interval && d.interval->granularity == Granularity::Day) return d;
  }
  return std::nullopt;
}

}  // namespace annals::temporal
