// temporal/calendar: TimeML values as calendar intervals.
#include <doctest/doctest.h>

#include <limits>

#include "temporal/calendar.h"

using namespace annals;
using namespace annals::temporal;

namespace {
date::sys_days day(int y, unsigned m, unsigned d) { return date::sys_days{date::year{y} / m / d}; }
}  // namespace

TEST_CASE("calendar: a weekend value covers the Saturday and Sunday of its ISO week") {
  auto iv = interval_of("1998-W02-WE");
  REQUIRE(iv);
  CHECK(iv->value == "1998-W02-WE");
  CHECK(iv->granularity == Granularity::Week);
  CHECK(iv->first == day(1998, 1, 10));
  CHECK(iv->last == day(1998, 1, 11));
}

TEST_CASE("calendar: a day with a part of the day or a clock time keeps day granularity") {
  auto mo = interval_of("1998-01-08TMO");
  REQUIRE(mo);
  CHECK(mo->granularity == Granularity::Day);
  CHECK(mo->first == day(1998, 1, 8));
  auto clock = interval_of("1998-01-08T17:00");
  REQUIRE(clock);
  CHECK(clock->value == "1998-01-08T17:00");
}

TEST_CASE("calendar: decades, centuries and seasons are intervals; durations and vague references are not") {
  CHECK(interval_of("199")->last == day(1999, 12, 31));
  CHECK(interval_of("19")->first == day(1900, 1, 1));
  CHECK(interval_of("1997-WI")->last == day(1998, 2, 28));
  CHECK_FALSE(interval_of("P3Y"));
  CHECK_FALSE(interval_of("PRESENT_REF"));
  CHECK_FALSE(interval_of("1998-W02-XX"));
}

TEST_CASE("regression: add_units refuses shifts past the years 0-9999 instead of overflowing (ref+999999999Y was -11800-03-07)") {
  CHECK_FALSE(add_units(day(2025, 3, 7), 999999999L, 'Y').has_value());
  CHECK_FALSE(add_units(day(2025, 3, 7), -999999999L, 'M').has_value());
  CHECK_FALSE(add_units(day(2025, 3, 7), std::numeric_limits<long>::max(), 'W').has_value());
  CHECK_FALSE(add_units(day(2025, 3, 7), std::numeric_limits<long>::min(), 'D').has_value());
  CHECK_FALSE(add_units(day(2025, 3, 7), 7975, 'Y').has_value());   // year 10000
  CHECK_FALSE(add_units(day(2025, 3, 7), -2026, 'Y').has_value());  // year -1
  CHECK(add_units(day(2025, 3, 7), 7974, 'Y') == day(9999, 3, 7));
  CHECK(add_units(day(2025, 3, 7), -2025, 'Y') == day(0, 3, 7));
  CHECK(add_units(day(2025, 1, 31), 1, 'M') == day(2025, 2, 28));
}
