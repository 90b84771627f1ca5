// temporal/tagger — finds the time expressions of a text with the rule
// pack's date rules and resolves them against a reference date.
//
//   auto dates = find_dates(rules, "It came out on 7 March 2025 ...", ref);
//   dates[0].value == "2025-03-07", dates[0].interval->granularity == Day
//
// How one scan works: the text is read paragraph by paragraph (cut after
// each blank line; a time expression never spans one). On each paragraph
// the rule pack's date prefilter (one RE2::Set of every date rule's core,
// rules/rules.h) says in one pass which date rules can match there; only
// those run, and only on that paragraph, so a rule's search covers the few
// hundred bytes where the set saw it rather than the whole document. Where
// there are candidates, the veto prefilter picks the vetoes to run there;
// candidates overlapping a veto match are dropped.
// Overlapping candidates are resolved longest first (ties: leftmost, then
// the rule defined first). Each survivor's value expression is filled from
// its groups and evaluated (temporal/normalize), in text order, so that a
// value may refer to the dates before it: {anchor.day} in "the next day" is
// the latest day the text named ("On 20 January ... The next day" -> 21
// January), {anchor.year} the latest date inside one year, and so on (the
// reference date when the text named none yet), the way HeidelTime resolves
// its UNDEF-REF values in narratives.
//
// Context: a rule with a group named `timex` reports only that group as the
// expression; the rest of its match is context that decides the value (cue
// words: "will ... (?P<timex>Friday)"). Overlaps and vetoes use the extent.
//
// Document types (rules/doc_types.h): the pack's [doc_types] say what the
// bases `ref` and `anchor` of value expressions are for each kind of text,
// news or narrative; the scan is the same for all, only resolution differs.
// `auto` resolves the text as the default type first, then looks at the
// dates written in full: a source without a publication date, or one whose
// dates mostly end years before it, is resolved again as the type the
// pack's auto rule names (a narrative).
//
// Thread-safe: reads the RuleSet only; scratch space is per call.
#pragma once

#include <optional>
#include <string_view>
#include <vector>

#include "core/types.h"
#include "rules/rules.h"

namespace annals::temporal {

// The document type a text was read as, and why ("auto: no publication
// date"; empty when it was asked for by name).
struct DocTypeChoice {
  std::string name;
  std::string reason;
};

struct TaggedText {
  std::vector<DateMention> dates;   // in text order
  DocTypeChoice doc_type;
};

// Every time expression in `text`, in text order, read as document type
// `doc_type` (a name of rules.doc_types; "auto" or "" to choose one; an
// unknown name is read as "auto": callers check names first). Without a
// reference date, relative expressions come back unresolved with a reason.
TaggedText tag_text(const rules::RuleSet& rules, std::string_view text, std::optional<date::sys_days> reference,
                    std::string_view doc_type = "auto");

// The same, read as the pack's default type (news).
std::vector<DateMention> find_dates(const rules::RuleSet& rules, std::string_view text,
                                    std::optional<date::sys_days> reference);

// The publication date announced near the top of a text by a [[dateline]]
// rule ("Published Mar 19 2025", "7 March 2025 at 04:00 GMT+8"), if any.
// Only datelines that resolve to a single day count.
std::optional<DateMention> find_dateline(const rules::RuleSet& rules, std::string_view text);

}  // namespace annals::temporal
