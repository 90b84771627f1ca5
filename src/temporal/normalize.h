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
// An expression that needs the reference date when there is none is not an
// error: the result says it is unresolved, and why.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include <date/date.h>

namespace annals::temporal {

struct Evaluation {
  std::string value;              // TimeML value; empty when unresolved or invalid
  bool needs_reference = false;   // the expression is relative (uses `ref` or a function)
  std::string error;              // set when the expression is malformed
};

Evaluation evaluate_value(std::string_view expression, std::optional<date::sys_days> reference);

// The static check `annals rules check` makes (rules::LoadOptions::check_value):
// "" when the expression is well formed, else why not. It is evaluated
// against a sample reference date and only the "malformed" verdict is kept;
// what looks like a call but is none is malformed too.
std::string check_value_expression(std::string_view expression);

// True when the expression is relative, i.e. its value depends on the reference date.
bool is_relative_expression(std::string_view expression);

}  // namespace annals::temporal
