// temporal/normalize — evaluates a date rule's value expression (after its
// {group} placeholders were filled in) against a reference date.
//
// The expression language (documented for rule authors in rules/README.md):
//
//   2025-3-7, 2025-W10, 199, P3Y,   a literal TimeML value; calendar values are
//   PRESENT_REF, XXXX-XX-15         canonicalized ("2025-03-07"), others kept
//   ref                             the reference date (day)
//   ref-1Y@year, ref+2W@week        shifted by N units (Y Q M W D), then taken
//   ref@month, ref-1DTNI            at a granularity; a trailing "T..." part
//                                   (time of day) is appended verbatim
//   1995+1Y, 1988-10-1Q@quarter     the same shifts after a calendar literal
//                                   (from its first day; at its granularity
//                                   unless @ says otherwise); not relative
//   prev(month=1)                   the nearest January not after the reference
//   next(weekday=5)                 the nearest Friday not before it
//   this(month=3,day=7)             March 7 of the reference year
//   near(quarter=4)                 the nearest fourth quarter; a future one
//                                   counts twice as far (news reports the past)
//   before(month=4)                 the nearest April wholly before the reference
//   after(weekday=5)                the nearest Friday strictly after it
//     fields: month, day, weekday (1=Mon..7=Sun), quarter, half, season (SP SU FA WI),
//     shift (this(month=6,shift=-1Y): June of the year before the reference);
//     an empty field ("month=") is left out, so an optional group may fill it,
//     and a call with no month, quarter, half, season or weekday is the
//     (shifted) reference day: near(month=,day=)T17:00 -> the reference at 17:00
//   prev(weekday=6)TNI, ref@week-WE a call or ref may end in a time of day
//                                   "T..." (day results) or "-WE", the
//                                   weekend (week results)
//
//   anchor, anchor-1Y@year          like ref, from the document's anchor
//   near(month=3,from=anchor)       a call counts from the anchor; from=ref
//                                   (the default) from the reference
//
// Two bases: `ref`, what deictic expressions count from ("today", "last
// year"), and `anchor`, what underspecified ones count from ("on 7 August",
// "in March"). A document type of the rule pack ([doc_types], rules/README.md)
// says what each is: in news both are the publication date, except that a
// paragraph narrating a past year anchors on that year; in a narrative both
// are the latest date the text named. A base is a date at some granularity
// (a whole year, a day), and each expression asks for one fine enough for
// what it computes: a weekday needs a day, "March" a year, "ref-1M@month" a
// month. A call placed on a base coarser than a month takes the base's year
// as its own (March of 1914); on a month or finer it counts from the base's
// first day with its own rule (prev, near, ...).
//
// An expression that needs a base when there is none is not an error: the
// result has no value and says that it needs one.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include <date/date.h>

#include "core/status.h"
#include "core/types.h"

namespace annals::temporal {

// A date an expression counts from: its first day and its granularity.
struct Base {
  date::sys_days first{};
  Granularity granularity = Granularity::Day;
};

// Supplies the bases, given the granularity the expression needs (Day,
// Week, Month, Quarter or Year: a base of that granularity or a finer one
// that lies inside one such period); nullopt when there is none. An empty
// function: the base `ref` stands in for `anchor`.
struct Bases {
  std::function<std::optional<Base>(Granularity need)> ref, anchor;
};

// Both bases are the day `reference` (none when it is nullopt).
Bases reference_bases(std::optional<date::sys_days> reference);

struct Evaluation {
  std::string value;              // TimeML value; empty when it needs a base there is not
  bool needs_reference = false;   // the expression is relative (uses `ref`, `anchor` or a function)
};

// Fails when the expression is malformed; the message quotes it and says
// what was expected.
[[nodiscard]] Result<Evaluation> evaluate_value(std::string_view expression, const Bases& bases);
// The same with both bases on the day `reference`.
[[nodiscard]] Result<Evaluation> evaluate_value(std::string_view expression, std::optional<date::sys_days> reference);

// True when the expression is relative, i.e. its value depends on a base.
bool is_relative_expression(std::string_view expression);

}  // namespace annals::temporal
