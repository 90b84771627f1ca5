// temporal/calendar — TimeML values as calendar intervals, and the calendar
// arithmetic that relative expressions need. Knows calendars, not English.
//
//   interval_of("2025-W10")  -> {value "2025-W10", Week, 2025-03-03 .. 2025-03-09}
//   interval_of("199")       -> {value "199", Decade, 1990-01-01 .. 1999-12-31}
//   interval_of("P3Y")       -> nullopt (a duration is not a place on the calendar)
//
// All functions are pure and thread-safe. Built on Howard Hinnant's `date`
// (date.h for the civil calendar, iso_week.h for ISO weeks).
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/types.h"

namespace annals::temporal {

// Parses a TimeML DATE/TIME value into the interval of days it covers, with
// its value rewritten in canonical form ("2025-3-7" -> "2025-03-07").
// Accepted: YYYY, YYY (decade), YY (century), YYYY-MM, YYYY-MM-DD (with an
// optional "T..." time or part of day, which keeps day granularity),
// YYYY-Www, YYYY-Www-WE (the weekend of that week: Saturday and Sunday, at
// week granularity), YYYY-Qn, YYYY-Hn, YYYY-SP|SU|FA|WI, and a year before
// year 1 as BCYYYY with the same suffixes but weeks ("BC0490", "BC0479-06":
// 490 BC is the astronomical year -489). Anything else -> nullopt.
std::optional<DateInterval> interval_of(std::string_view value);

// The TimeML value of `day` at granularity `g` ("2025-03-07" at Week ->
// "2025-W10"; a year before 1 is written "BC0490", its decade and century
// as that year). Season is computed meteorologically (Dec-Feb is winter and
// belongs to the year its December is in).
std::string value_at(date::sys_days day, Granularity g);

// Parses "YYYY-MM-DD" (the date part of an ISO 8601 timestamp is enough);
// format_iso_day writes a year before 1 as ISO 8601 does, "-0489-06-01".
std::optional<date::sys_days> parse_iso_day(std::string_view s);
std::string format_iso_day(date::sys_days d);

// Adds n units (Y, Q, M, W, D) to a day; month arithmetic clamps to the end
// of a shorter month (31 Jan + 1M = 28/29 Feb).
date::sys_days add_units(date::sys_days d, long n, char unit);

}  // namespace annals::temporal
