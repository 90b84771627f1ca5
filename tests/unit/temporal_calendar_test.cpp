// temporal/calendar: TimeML values as calendar intervals.
#include <doctest/doctest.h>

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

TEST_CASE("calendar: decades, centuries and seasons are intervals, durations and vague references are not") {
  CHECK(interval_of("199")->last == day(1999, 12, 31));
  CHECK(interval_of("19")->first == day(1900, 1, 1));
  CHECK(interval_of("1997-WI")->last == day(1998, 2, 28));
  CHECK_FALSE(interval_of("P3Y"));
  CHECK_FALSE(interval_of("PRESENT_REF"));
  CHECK_FALSE(interval_of("1998-W02-XX"));
}

TEST_CASE("calendar: a year before year 1 is written BCYYYY and lies on the astronomical calendar (490 BC is -489)") {
  auto bc = interval_of("BC0490");
  REQUIRE(bc);
  CHECK(bc->value == "BC0490");
  CHECK(bc->granularity == Granularity::Year);
  CHECK(bc->first == day(-489, 1, 1));
  CHECK(bc->last == day(-489, 12, 31));
  auto month = interval_of("BC0479-06");
  REQUIRE(month);
  CHECK(month->granularity == Granularity::Month);
  CHECK(month->first == day(-478, 6, 1));
  CHECK(interval_of("BC0480-SU")->first == day(-479, 6, 1));
  CHECK_FALSE(interval_of("BC0000"));
  CHECK_FALSE(interval_of("BC049"));
  // And back: the year before 1 AD is 1 BC, and 491 BC + 1 year is 490 BC.
  CHECK(value_at(day(0, 7, 1), Granularity::Year) == "BC0001");
  CHECK(value_at(day(-489, 8, 7), Granularity::Day) == "BC0490-08-07");
  CHECK(value_at(day(-489, 8, 7), Granularity::Month) == "BC0490-08");
  CHECK(format_iso_day(day(-489, 8, 7)) == "-0489-08-07");
}
