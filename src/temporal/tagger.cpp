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

// Whether a match runs across a blank line (cue words of another paragraph).
bool spans_blank_line(std::string_view text, std::size_t begin, std::size_t end) {
  return text.substr(begin, end - begin).find("\n\n") != std::string_view::npos;
}

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
    rules::for_each_match(*rule.re, text, [&](Span s) {
      if (!spans_blank_line(text, s.begin, s.end)) out.push_back({s, s, index});
    });
    return;
  }
  re2::StringPiece whole(text.data(), text.size());
  std::vector<re2::StringPiece> groups(std::size_t(timex) + 1);
  std::size_t pos = 0;
  while (pos <= text.size() && rule.re->Match(whole, pos, text.size(), RE2::UNANCHORED, groups.data(), timex + 1)) {
    std::size_t b = std::size_t(groups[0].data() - text.data()), e = b + groups[0].size();
    const auto& t = groups[std::size_t(timex)];
    if (t.data() != nullptr && !t.empty() && !spans_blank_line(text, b, e)) {
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

using Prefilter = DateScanner::Prefilter;

// The rules of `prefilters` that can match `text`, ascending.
std::vector<int> matching(const std::vector<Prefilter>& prefilters, std::string_view text) {
  std::vector<int> out;
  for (auto& p : prefilters)
    for (int i : rules::matching_rules(*p.set, text)) out.push_back(p.rule[std::size_t(i)]);
  std::sort(out.begin(), out.end());
  return out;
}

// What a rule contributes to a prefilter set: its `timex` group alone when it
// has one (every match of the rule contains a match of that group, so the
// set still finds every paragraph the rule can match, and the cue context —
// word windows after any of many cue words — stays out of the set's DFA),
// else its whole pattern. Leading flags such as (?i) are kept.
std::string prefilter_pattern(const std::string& expanded) {
  static constexpr std::string_view open = "(?P<timex>";
  auto at = expanded.find(open);
  if (at == std::string::npos) return expanded;
  int depth = 0;
  for (std::size_t i = at; i < expanded.size(); ++i) {
    char c = expanded[i];
    if (c == '\\') {
      ++i;
    } else if (c == '[') {  // a class: ']' first in it is a literal
      std::size_t j = i + 1;
      if (j < expanded.size() && expanded[j] == '^') ++j;
      if (j < expanded.size() && expanded[j] == ']') ++j;
      while (j < expanded.size() && expanded[j] != ']') j += expanded[j] == '\\' ? 2 : 1;
      i = j;
    } else if (c == '(') {
      ++depth;
    } else if (c == ')' && --depth == 0) {
      std::string flags = expanded.rfind("(?i)", 0) == 0 ? "(?i)" : "";
      return flags + expanded.substr(at, i + 1 - at);
    }
  }
  return expanded;
}

// A prefilter set over the given rules; no set when RE2 refuses it.
template <typename Rule>
Prefilter build_prefilter(const std::vector<Rule>& rules, const std::vector<int>& which) {
  RE2::Options opts;
  opts.set_log_errors(false);
  opts.set_max_mem(64 << 20);
  Prefilter p{std::make_unique<RE2::Set>(opts, RE2::UNANCHORED), {}};
  for (int i : which) {
    const std::string& expanded = rules[std::size_t(i)].expanded;
    if (p.set->Add(prefilter_pattern(expanded), nullptr) < 0 && p.set->Add(expanded, nullptr) < 0) return {};
    p.rule.push_back(i);
  }
  if (!p.set->Compile()) return {};
  return p;
}

// Chunks: whole paragraphs (the text split after blank lines), at least
// kMinChunk bytes of them, and a long paragraph cut after a line break once
// it passes kChunk bytes. Every RE2 call has a fixed cost (measured: scanning
// 1 KiB chunks took a third more time than whole news documents), so a
// news-sized document is one chunk; a book-sized one is cut so that vetoes
// and rules stay local. A time expression never spans a blank line: see
// spans_blank_line.
constexpr std::size_t kChunk = 256 * 1024;
constexpr std::size_t kMinChunk = 64 * 1024;


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
    return rules::group_text(rule, groups, name);
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

namespace {

// The scan of find_dates; `dates` empty means the RuleSet's combined set,
// `vetoes` without a set means every veto runs.
std::vector<DateMention> scan(const rules::RuleSet& rules, const std::vector<Prefilter>& dates, const Prefilter& vetoes,
                              std::string_view text, std::optional<date::sys_days> reference) {
  std::vector<DateMention> out;
  std::vector<int> all_vetoes(rules.vetoes.size());
  for (std::size_t i = 0; i < all_vetoes.size(); ++i) all_vetoes[i] = int(i);
  for (Span chunk : chunks(text)) {
    std::string_view part = text.substr(chunk.begin, chunk.size());
    std::vector<Candidate> cands;
    if (dates.empty()) {
      cands = candidates(rules.dates, rules.date_set.get(), part);
    } else {
      for (int h : matching(dates, part)) rule_candidates(rules.dates[std::size_t(h)], std::size_t(h), part, cands);
    }
    if (cands.empty()) continue;
    // Veto rules are few; each runs once over a chunk that has date candidates
    // (only those its prefilter set finds there, when there is one).
    std::vector<Span> vetoed;
    std::vector<int> veto_hits = all_vetoes;
    if (vetoes.set) {
      veto_hits.clear();
      for (int i : rules::matching_rules(*vetoes.set, part)) veto_hits.push_back(vetoes.rule[std::size_t(i)]);
    }
    for (int i : veto_hits)
      rules::for_each_match(*rules.vetoes[std::size_t(i)].re, part, [&](Span s) { vetoed.push_back(s); });
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

}  // namespace

std::vector<DateMention> find_dates(const rules::RuleSet& rules, std::string_view text,
                                    std::optional<date::sys_days> reference) {
  return scan(rules, {}, Prefilter{}, text, reference);
}

DateScanner::DateScanner(const rules::RuleSet& rules) : rules_(rules) {
  // Three kinds of date rule, one set each (see the header for why).
  std::vector<int> kinds[3];
  for (std::size_t i = 0; i < rules.dates.size(); ++i) {
    const auto& r = rules.dates[i];
    int kind = r.groups.count("timex") ? 0 : (r.type == TimexType::Duration || r.type == TimexType::Set) ? 1 : 2;
    kinds[kind].push_back(int(i));
  }
  for (auto& k : kinds) {
    if (k.empty()) continue;
    auto p = build_prefilter(rules.dates, k);
    if (!p.set) {
      dates_.clear();
      break;
    }
    dates_.push_back(std::move(p));
  }
  std::vector<int> all(rules.vetoes.size());
  for (std::size_t i = 0; i < all.size(); ++i) all[i] = int(i);
  if (!all.empty()) vetoes_ = build_prefilter(rules.vetoes, all);
}

std::vector<DateMention> DateScanner::find_dates(std::string_view text, std::optional<date::sys_days> reference) const {
  return scan(rules_, dates_, vetoes_, text, reference);
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
