// End-to-end tests of `annals rules test`: examples and counterexamples run
// through the real tagger and extractor, a diff for each failure, and the
// exit-code policy (0 all pass, 1 failures, 2 rule-pack errors).
#include <doctest/doctest.h>

#include "e2e.h"

using namespace annals::e2e;

namespace {

// A small pack: one date rule, one relative date rule, a veto and an event rule.
const char* kPack = R"toml(
[tables.month]
january = 1
march = 3

[[date]]
id = "date.month-year"
pattern = '\b(?P<month>%{table:month})\s+(?P<year>[12][0-9]{3})\b'
value = "{year}-{month|month}"
examples = [{ text = "in March 2025 it began", value = "2025-03" }]
counterexamples = ["March 99"]

[[date]]
id = "date.month"
pattern = '\b(?P<month>%{table:month})\b'
value = "prev(month={month|month})"
examples = [{ text = "back in January", reference = "2025-03-07", value = "2025-01" }]

[[veto]]
id = "veto.march-verb"
case_sensitive = true
pattern = '\bmarch\b'
examples = ["they march on"]
counterexamples = ["in March"]

[[event]]
id = "launch"
pattern = '\b(?P<who>[A-Z][a-z]+) launched (?P<what>[A-Z][A-Za-z0-9]+)'
title = "{who} launches {what}"
examples = [{ text = "Acme launched Rocket9 in January.", reference = "2025-03-07", title = "Acme launches Rocket9", value = "2025-01" }]
)toml";

struct Pack {
  TempDir dir;
  explicit Pack(const std::string& extra = "") { write_file(dir.path / "rules.toml", std::string(kPack) + extra); }
};

}  // namespace

TEST_CASE("rules test passes a pack whose examples hold, one line per rule") {
  Pack p;
  auto r = run_annals("rules test --rules " + p.dir.str());
  INFO(r.output);
  r.expect_exit(0);
  for (auto id : {"date.month-year", "date.month", "veto.march-verb", "launch"})
    CHECK(r.output.find(std::string("PASS ") + id) != std::string::npos);
  CHECK(r.output.find("6 cases: 6 ok, 0 failed") != std::string::npos);
}

TEST_CASE("rules test shows expected and actual value when a date example resolves differently") {
  Pack p(R"toml(
[[date]]
id = "date.day-month-year"
pattern = '\b(?P<day>[0-9]{1,2})\s+(?P<month>%{table:month})\s+(?P<year>[12][0-9]{3})\b'
value = "{year}-{month|month}-{day}"
examples = [{ text = "on 7 March 2025", value = "2025-03-08" }]
)toml");
  auto r = run_annals("rules test --rules " + p.dir.str());
  INFO(r.output);
  r.expect_exit(1);
  CHECK(r.output.find("FAIL date.day-month-year") != std::string::npos);
  CHECK(r.output.find("- expected: value 2025-03-08") != std::string::npos);
  CHECK(r.output.find("+ actual:   date.day-month-year \"7 March 2025\" = 2025-03-07") != std::string::npos);
}

TEST_CASE("rules test resolves relative examples against their reference date, and reports them unresolved without one") {
  Pack p(R"toml(
[[date]]
id = "date.yesterday"
pattern = '\byesterday\b'
value = "ref-1D"
examples = [{ text = "said yesterday", value = "2025-03-06" }]
)toml");
  auto r = run_annals("rules test --rules " + p.dir.str());
  INFO(r.output);
  r.expect_exit(1);
  CHECK(r.output.find("unresolved (relative date and the source has no publication date)") != std::string::npos);
}

TEST_CASE("rules test fails an example that a longer match of another rule takes over, and says which") {
  Pack p(R"toml(
[[date]]
id = "date.year"
pattern = '\b(?P<year>[12][0-9]{3})\b'
value = "{year}"
examples = [{ text = "in March 2025", value = "2025" }]
)toml");
  auto r = run_annals("rules test --rules " + p.dir.str() + " --rule date.year");
  INFO(r.output);
  r.expect_exit(1);
  CHECK(r.output.find("a longer match wins: date.month-year \"March 2025\" = 2025-03") != std::string::npos);
  CHECK(r.output.find("PASS launch") == std::string::npos);  // --rule runs only that rule
}

TEST_CASE("rules test fails a counterexample that the rule matches (a vetoed one holds), and a veto example that does not match") {
  Pack p(R"toml(
[[date]]
id = "date.bare-year"
pattern = '\b(?P<year>[12][0-9]{3})\b'
value = "{year}"
examples = [{ text = "since 1999", value = "1999" }]
counterexamples = ["room 1984 is closed", "born in 2001"]

[[veto]]
id = "veto.rooms"
pattern = '\broom\s+[0-9]+'
examples = ["the suite 12"]
)toml");
  auto r = run_annals("rules test --rules " + p.dir.str());
  INFO(r.output);
  r.expect_exit(1);
  CHECK(r.output.find("counterexample 1") == std::string::npos);  // vetoed by veto.rooms: holds
  CHECK(r.output.find("counterexample 2") != std::string::npos);
  CHECK(r.output.find("- expected: no match of date.bare-year\n    + actual:   date.bare-year \"2001\" = 2001") != std::string::npos);
  CHECK(r.output.find("FAIL veto.rooms") != std::string::npos);
  CHECK(r.output.find("- expected: a match of the veto") != std::string::npos);
}

TEST_CASE("rules test compares an event example's title and attached date") {
  Pack p(R"toml(
[[event]]
id = "launch-typo"
pattern = '\b(?P<who>[A-Z][a-z]+) unveiled (?P<what>[A-Z][A-Za-z0-9]+)'
title = "{who} unveils {what}"
examples = [{ text = "Acme unveiled Rocket9 in March 2024.", title = "Acme unveils Rocket10" }]
)toml");
  auto r = run_annals("rules test --rules " + p.dir.str());
  INFO(r.output);
  r.expect_exit(1);
  CHECK(r.output.find("- expected: title \"Acme unveils Rocket10\"") != std::string::npos);
  CHECK(r.output.find("+ actual:   launch-typo \"Acme unveils Rocket9\" (2024-03)") != std::string::npos);
}

TEST_CASE("rules test refuses a pack with errors with exit code 2") {
  auto r = run_annals("rules test --rules tests/fixtures/rules-broken/undefined-fragment");
  INFO(r.output);
  r.expect_exit(2);
  CHECK(r.output.find("names no fragment") != std::string::npos);
}

TEST_CASE("rules test compares a date example's TimeML mod when the example gives one") {
  Pack p(R"toml(
[tables.mod]
early = "START"
[[date]]
id = "date.early-year"
pattern = '\b(?P<mod>early)\s+(?P<year>[12][0-9]{3})\b'
value = "{year}"
mod = "{mod|mod}"
examples = [{ text = "in early 2024", value = "2024", mod = "START" }, { text = "early 2023", value = "2023", mod = "END" }]
)toml");
  auto r = run_annals("rules test --rules " + p.dir.str() + " --rule date.early-year");
  INFO(r.output);
  r.expect_exit(1);
  CHECK(r.output.find("example 1") == std::string::npos);
  CHECK(r.output.find("- expected: value 2023 mod END\n    + actual:   date.early-year \"early 2023\" = 2023 mod START") !=
        std::string::npos);
}
