#include <doctest/doctest.h>

#include "extract/extract.h"
#include "temporal/calendar.h"
#include "test_rules.h"

using namespace annals;

namespace {
const char* kPack = R"TOML(
[tables.month]
january = 1
march = 3
[[date]]
id = "d.year"
pattern = '\b(?P<y>20[0-9]{2})\b'
value = "{y}"
[[date]]
id = "d.month"
pattern = '\b(?P<m>%{table:month})\b'
value = "prev(month={m|month})"
[[date]]
id = "d.duration"
pattern = '\b(?P<n>[0-9]+)\s+years\b'
value = "P{n}Y"
type = "DURATION"
[[event]]
id = "ban"
pattern = '\bbanned\s+(?P<what>[a-z]+)'
title = "Ban on {what}"
category = "export control"
)TOML";

Document doc(std::string text, std::string published = "") {
  Document d;
  d.info.file = "x.txt";
  d.text = std::move(text);
  if (!published.empty()) d.info.published = temporal::parse_iso_day(published);
  return d;
}
}  // namespace

TEST_CASE("an event takes the nearest date of its own sentence") {
  auto rules = testing::load_pack(kPack);
  auto r = extract::extract(*rules, doc("In 2021 talks began. In 2023 China banned gallium exports, not in 2019 as some say."));
  REQUIRE(r.events.size() == 1);
  REQUIRE(r.events[0].date);
  CHECK(r.events[0].date->value == "2023");
  CHECK(r.events[0].title == "Ban on gallium");
  CHECK(r.events[0].evidence == "In 2023 China banned gallium exports, not in 2019 as some say.");
}

TEST_CASE("on equal distance the date before the event wins") {
  auto rules = testing::load_pack(kPack);
  auto r = extract::extract(*rules, doc("2022 banned gold 2024"));
  REQUIRE(r.events.size() == 1);
  REQUIRE(r.events[0].date);
  CHECK(r.events[0].date->value == "2022");
}

TEST_CASE("durations never date an event") {
  auto rules = testing::load_pack(kPack);
  auto r = extract::extract(*rules, doc("After 3 years China banned tin."));
  REQUIRE(r.events.size() == 1);
  CHECK_FALSE(r.events[0].date.has_value());
}

TEST_CASE("a relative date in an undated source is attached but left unresolved") {
  auto rules = testing::load_pack(kPack);
  auto r = extract::extract(*rules, doc("In January China banned tin."));
  REQUIRE(r.events.size() == 1);
  REQUIRE(r.events[0].date);
  CHECK_FALSE(r.events[0].date->resolved());
  CHECK_FALSE(r.events[0].dated());
  auto dated = extract::extract(*rules, doc("In January China banned tin.", "2025-03-19"));
  CHECK(dated.events[0].date->value == "2025-01");
}

TEST_CASE("evidence offsets point at the event and the date inside the evidence") {
  auto rules = testing::load_pack(kPack);
  auto r = extract::extract(*rules, doc("First.   In  2023 China   banned tin.", ""));
  REQUIRE(r.events.size() == 1);
  const auto& m = r.events[0];
  CHECK(m.evidence == "In 2023 China banned tin.");
  CHECK(m.evidence.substr(m.evidence_event.begin, m.evidence_event.size()) == "banned tin");
  REQUIRE(m.evidence_date);
  CHECK(m.evidence.substr(m.evidence_date->begin, m.evidence_date->size()) == "2023");
}
