// temporal/tagger — finds the time expressions of a text with the rule
// pack's date rules and resolves them against a reference date.
//
//   auto dates = find_dates(rules, "It came out on 7 March 2025 ...", ref);
//   dates[0].value == "2025-03-07", dates[0].interval->granularity == Day
//
// How one scan works: the text is cut into chunks of whole paragraphs (a
// news document is one chunk; a time expression never spans a blank line).
// For each chunk a prefilter (the RuleSet's RE2::Set, or DateScanner's
// split sets) says in one pass which date rules can match there; only those
// run on it. Candidates overlapping a veto match are dropped. Overlapping candidates are resolved longest first (ties:
// leftmost, then the rule defined first). Each survivor's value expression
// is filled from its groups and evaluated (temporal/normalize).
//
// Context: a rule with a group named `timex` reports only that group as the
// expression; the rest of its match is context that decides the value (cue
// words: "will ... (?P<timex>Friday)"). Overlaps and vetoes use the extent.
//
// Thread-safe: reads the RuleSet only.
#pragma once

#include <memory>
#include <optional>
#include <string_view>
#include <vector>

#include "core/types.h"
#include "rules/rules.h"

namespace annals::temporal {

// Every time expression in `text`, in text order. Without a reference date,
// relative expressions come back unresolved with a reason.
std::vector<DateMention> find_dates(const rules::RuleSet& rules, std::string_view text,
                                    std::optional<date::sys_days> reference);

// The same scan with the prefilter split into a few RE2::Sets by kind of
// rule (context rules with a `timex` group; durations and sets; the rest) and
// the veto rules in a set of their own. RE2 builds a set's DFA lazily and its
// states multiply with the patterns active at once, so over a few MB (one
// `annals tag` run) building states costs more than matching: three smaller
// sets build far fewer states than the combined one, and the veto set runs
// only the vetoes that match a paragraph. Build once per run (a few ms);
// shared across threads (reads only).
class DateScanner {
 public:
  explicit DateScanner(const rules::RuleSet& rules);
  std::vector<DateMention> find_dates(std::string_view text, std::optional<date::sys_days> reference) const;

  struct Prefilter {
    std::unique_ptr<RE2::Set> set;
    std::vector<int> rule;  // set pattern index -> rule index
  };

 private:
  const rules::RuleSet& rules_;
  std::vector<Prefilter> dates_;  // empty: fall back to the RuleSet's combined set
  Prefilter vetoes_;              // no set: run every veto
};

// Resolves one match of one date rule (the whole match, context included, is
// `span` of `text`; the mention's span is its `timex` group when it has one).
// Exposed for `rules test` and explain.
DateMention resolve_match(const rules::RuleSet& rules, const rules::DateRule& rule, std::string_view text, Span span,
                          std::optional<date::sys_days> reference);

// The publication date announced near the top of a text by a [[dateline]]
// rule ("Published Mar 19 2025", "7 March 2025 at 04:00 GMT+8"), if any.
// Only datelines that resolve to a single day count.
std::optional<DateMention> find_dateline(const rules::RuleSet& rules, std::string_view text);

}  // namespace annals::temporal
