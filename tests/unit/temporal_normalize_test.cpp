// temporal/normalize: the value-expression language against a reference date.
#include <doctest/doctest.h>

#include "temporal/normalize.h"

using namespace annals::temporal;

namespace {
const date::sys_days kThu1989_11_02{date::year{1989} / 11 / 2};  // a Thursday
const date::sys_days kMon1998_01_12{date::year{1998} / 1 / 12};  // a Monday

std::string at(std::string_view e, date::sys_days ref) {
  auto ev = evaluate_value(e, ref);
  INFO(e, " -> error: ", ev.status().message());
  return ev.ok() ? ev->value : "";
}
}  // namespace

TEST_CASE("normalize: near picks the closest occurrence either way, ties to the past") {
  CHECK(at("near(month=12,day=15)", kThu1989_11_02) == "1989-12-15");   // six weeks ahead
  CHECK(at("near(month=9,day=30)", kThu1989_11_02) == "1989-09-30");    // a month back
  CHECK(at("near(month=2)", kThu1989_11_02) == "1990-02");
  CHECK(at("near(quarter=4)", kThu1989_11_02) == "1989-Q4");            // holds the reference
  CHECK(at("near(weekday=1)", kThu1989_11_02) == "1989-10-30");         // Monday: 3 back vs 4 ahead
}

TEST_CASE("normalize: before and after never return the reference's own period") {
  CHECK(at("before(month=11)", kThu1989_11_02) == "1988-11");
  CHECK(at("before(month=4)", kThu1989_11_02) == "1989-04");
  CHECK(at("after(month=11)", kThu1989_11_02) == "1990-11");
  CHECK(at("before(weekday=4)", kThu1989_11_02) == "1989-10-26");
  CHECK(at("after(weekday=4)", kThu1989_11_02) == "1989-11-09");
  CHECK(at("prev(weekday=4)", kThu1989_11_02) == "1989-11-02");
}

TEST_CASE("normalize: shift moves the reference before a call is evaluated") {
  CHECK(at("this(month=6,shift=-1Y)", kThu1989_11_02) == "1988-06");
  CHECK(at("this(quarter=1,shift=+1Y)", kThu1989_11_02) == "1990-Q1");
  CHECK_FALSE(evaluate_value("this(month=6,shift=-1X)", kThu1989_11_02).ok());
}

TEST_CASE("normalize: a call or ref may end in a time of day, and a week in -WE") {
  CHECK(at("prev(weekday=6)TNI", kMon1998_01_12) == "1998-01-10TNI");
  CHECK(at("refT17:00", kMon1998_01_12) == "1998-01-12T17:00");
  CHECK(at("ref-5D@week-WE", kMon1998_01_12) == "1998-W02-WE");
  CHECK(at("ref-1Q-1Y@quarter", kThu1989_11_02) == "1988-Q3");
  // A time of day needs a day, a weekend needs a week.
  CHECK_FALSE(evaluate_value("ref@month-WE", kMon1998_01_12).ok());
  CHECK_FALSE(evaluate_value("prev(month=1)TNI", kMon1998_01_12).ok());
}

TEST_CASE("normalize: new functions are relative and wait for a reference date") {
  CHECK(is_relative_expression("near(month=1)"));
  CHECK(is_relative_expression("before(weekday=5)"));
  auto ev = evaluate_value("after(month=3)", std::nullopt);
  REQUIRE(ev.ok());
  CHECK(ev->needs_reference);
  CHECK(ev->value.empty());
  CHECK_FALSE(is_relative_expression("soon(month=3)"));  // not a function: a literal
}

TEST_CASE("normalize: an empty field (an optional group that did not match) is left out, and no field at all is the reference day") {
  CHECK(at("near(month=11,day=9)T17:00", kThu1989_11_02) == "1989-11-09T17:00");
  CHECK(at("near(month=,day=)T17:00", kThu1989_11_02) == "1989-11-02T17:00");
  CHECK(at("prev(weekday=)", kThu1989_11_02) == "1989-11-02");
  CHECK(at("near(month=2,day=)", kThu1989_11_02) == "1990-02");
  CHECK_FALSE(evaluate_value("near(day=9)", kThu1989_11_02).ok());  // a day needs its month
}

TEST_CASE("normalize: a calendar literal may be shifted like ref, keeping its granularity unless @ is given") {
  CHECK(at("1995+1Y", kThu1989_11_02) == "1996");
  CHECK(at("1995-1Y", kThu1989_11_02) == "1994");
  CHECK(at("1988+0Y", kThu1989_11_02) == "1988");
  CHECK(at("1988-10-1Q@quarter", kThu1989_11_02) == "1988-Q3");
  CHECK(at("1989-02+1M", kThu1989_11_02) == "1989-03");
  CHECK_FALSE(evaluate_value("1995+1Y", std::nullopt)->needs_reference);   // no reference needed
  CHECK(evaluate_value("1995+1Y", std::nullopt)->value == "1996");
  CHECK(at("2025-03-07", kThu1989_11_02) == "2025-03-07");                // plain literals unchanged
  CHECK(at("1989-W42", kThu1989_11_02) == "1989-W42");
  CHECK_FALSE(evaluate_value("1995+1Y@fortnight", kThu1989_11_02).ok());
}

namespace {
// Bases for tests: `ref` on a day, `anchor` on a date of some granularity
// (what a document type gives, temporal/normalize.h).
Bases bases(date::sys_days ref, std::optional<Base> anchor) {
  Bases b = reference_bases(ref);
  b.anchor = [anchor](annals::Granularity need) -> std::optional<Base> {
    if (!anchor) return std::nullopt;
    using G = annals::Granularity;
    bool fine = anchor->granularity == G::Day || (need == G::Year && anchor->granularity != G::Week) ||
                (need == G::Month && anchor->granularity == G::Month);
    return fine ? anchor : std::nullopt;
  };
  return b;
}
std::string with(std::string_view e, const Bases& b) {
  auto ev = evaluate_value(e, b);
  INFO(e, " -> error: ", ev.status().message());
  return ev.ok() ? ev->value : "";
}
const date::sys_days k1914_06_28{date::year{1914} / 6 / 28};  // a Sunday
}  // namespace

TEST_CASE("normalize: from=anchor counts a call from the anchor, from=ref and no from from the reference") {
  auto b = bases(kThu1989_11_02, Base{k1914_06_28, annals::Granularity::Day});
  CHECK(with("near(month=8,day=7,from=anchor)", b) == "1914-08-07");
  CHECK(with("near(month=8,day=7,from=ref)", b) == "1989-08-07");
  CHECK(with("near(month=8,day=7)", b) == "1989-08-07");
  CHECK(with("prev(weekday=3,from=anchor)", b) == "1914-06-24");
  CHECK(with("anchor+1Y@year", b) == "1915");
  CHECK_FALSE(evaluate_value("near(month=8,from=story)", b).ok());
}

TEST_CASE("normalize: on a year base a call takes its field in that year, whatever the function") {
  auto b = bases(kThu1989_11_02, Base{date::sys_days{date::year{1941} / 1 / 1}, annals::Granularity::Year});
  CHECK(with("near(month=12,from=anchor)", b) == "1941-12");
  CHECK(with("prev(month=12,from=anchor)", b) == "1941-12");
  CHECK(with("next(month=1,from=anchor)", b) == "1941-01");
  CHECK(with("prev(season=SU,from=anchor)", b) == "1941-SU");
  CHECK(with("anchor@year", b) == "1941");
}

TEST_CASE("normalize: an expression whose base is too coarse for it is unresolved, not placed on a made-up day") {
  auto b = bases(kThu1989_11_02, Base{date::sys_days{date::year{1941} / 1 / 1}, annals::Granularity::Year});
  auto weekday = evaluate_value("prev(weekday=5,from=anchor)", b);   // a weekday needs a day
  REQUIRE(weekday.ok());
  CHECK(weekday->value.empty());
  CHECK(weekday->needs_reference);
  CHECK(evaluate_value("anchor-1M@month", b)->value.empty());          // a month shift needs a month
  CHECK(with("anchor-1Y@year", b) == "1940");
}

TEST_CASE("normalize: years before year 1 are read and shifted (BC0491 + 1 year is BC0490)") {
  CHECK(at("BC0491+1Y", kThu1989_11_02) == "BC0490");
  CHECK(at("BC0001+1Y", kThu1989_11_02) == "0001");
  CHECK(at("BC0480-08", kThu1989_11_02) == "BC0480-08");
}
