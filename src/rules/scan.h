// rules/scan — the two primitive scans every stage uses: which rules of a
// prefilter set can match a text, and every match of one compiled pattern.
#pragma once

#include <algorithm>
#include <optional>
#include <span>
#include <string_view>
#include <utility>
#include <vector>

#include <re2/re2.h>
#include <re2/set.h>

#include "core/types.h"
#include "rules/rules.h"

namespace annals::rules {

// Indices of the patterns of `set` that match somewhere in `text`, ascending.
// One pass over the text (RE2::Set runs all patterns as one automaton).
inline std::vector<int> matching_rules(const RE2::Set& set, std::string_view text) {
  std::vector<int> hits;
  if (set.Match(re2::StringPiece(text.data(), text.size()), &hits)) std::sort(hits.begin(), hits.end());
  return hits;
}

// Calls f(Span) for every leftmost-first, non-overlapping, non-empty match of
// `re` inside `range` of `text` (spans are offsets into `text`), with
// groups[0..n) filled in for each: the whole match, then the first n - 1
// capture groups (an unmatched one has data() == nullptr). The text around
// the range is context: \b and (?:\b|[a-z]) at its edges see the
// neighbouring bytes, exactly as in a search of the whole text.
template <typename F>
void for_each_match(const RE2& re, std::string_view text, Span range, re2::StringPiece* groups, int n, F&& f) {
  re2::StringPiece whole(text.data(), text.size());
  std::size_t pos = range.begin;
  while (pos <= range.end && re.Match(whole, pos, range.end, RE2::UNANCHORED, groups, n)) {
    std::size_t b = std::size_t(groups[0].data() - text.data());
    std::size_t e = b + groups[0].size();
    if (e > b) f(Span{b, e});
    pos = e > b ? e : b + 1;
  }
}

// The same, with the whole match only.
template <typename F>
void for_each_match(const RE2& re, std::string_view text, Span range, F&& f) {
  re2::StringPiece m;
  for_each_match(re, text, range, &m, 1, std::forward<F>(f));
}

// Every match in the whole of `text`.
template <typename F>
void for_each_match(const RE2& re, std::string_view text, F&& f) {
  for_each_match(re, text, Span{0, text.size()}, std::forward<F>(f));
}

// The named groups of `re` matched exactly on `span` (re-run anchored), as a
// vector indexed by capture number; unmatched groups have data() == nullptr.
// RE2 is given the span and one byte either side, all that \b, ^ and $ look
// at: on a small input it goes straight to its capture engine, where the
// whole document would first cost a DFA pass.
inline std::vector<re2::StringPiece> groups_at(const RE2& re, std::string_view text, Span span) {
  int n = re.NumberOfCapturingGroups() + 1;
  std::vector<re2::StringPiece> groups(static_cast<std::size_t>(n));
  std::size_t from = span.begin > 0 ? span.begin - 1 : 0, to = std::min(text.size(), span.end + 1);
  re.Match(re2::StringPiece(text.data() + from, to - from), span.begin - from, span.end - from, RE2::ANCHOR_BOTH,
           groups.data(), n);
  return groups;
}

// The text of `rule`'s named group `name` in `groups` (indexed by capture
// number, as groups_at or a match with every group gives them), or
// nullopt when the pattern has no such group or it did not take part.
inline std::optional<std::string_view> group_text(const RuleBase& rule, std::span<const re2::StringPiece> groups,
                                                  std::string_view name) {
  auto g = rule.groups.find(name);
  if (g == rule.groups.end() || groups[static_cast<std::size_t>(g->second)].data() == nullptr) return std::nullopt;
  const auto& sp = groups[static_cast<std::size_t>(g->second)];
  return std::string_view(sp.data(), sp.size());
}

}  // namespace annals::rules
