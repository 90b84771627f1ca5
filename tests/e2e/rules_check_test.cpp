// End-to-end tests of `annals rules check`: compiler-style lines, every
// problem at once, and the exit-code policy (0 clean, 1 warnings with
// --strict, 2 errors).
#include <doctest/doctest.h>

#include "e2e.h"

using namespace annals::e2e;

namespace {
std::string broken(const std::string& name) { return "tests/fixtures/rules-broken/" + name; }
}  // namespace

TEST_CASE("rules check on the project's own pack finds no error and no rule without examples") {
  auto r = run_annals("rules check --rules rules");
  INFO(r.output);
  r.expect_exit(0);
  CHECK(r.output.find(" 0 error(s)") != std::string::npos);
  CHECK(r.output.find("rule has no examples") == std::string::npos);
}

TEST_CASE("rules check prints file:line:column: severity: message [rule] and exits 2 on errors") {
  auto r = run_annals("rules check --rules " + broken("undefined-fragment"));
  INFO(r.output);
  r.expect_exit(2);
  CHECK(r.output.find(broken("undefined-fragment") + "/rules.toml:6:24: error: %{mnth} names no fragment: \"mnth\" is not "
                      "defined in [fragments] (did you mean \"month\"?) [date.month-year]\n") != std::string::npos);
}

TEST_CASE("rules check reports every problem of a pack at once, sorted by position") {
  auto r = run_annals("rules check --rules " + broken("missing-key"));
  INFO(r.output);
  r.expect_exit(2);
  auto value = r.output.find("rules.toml:1:1: error: missing required key \"value\"");
  auto title = r.output.find("rules.toml:5:1: error: missing required key \"title\"");
  auto id = r.output.find("rules.toml:9:1: error: [[veto]] rule is missing the required key \"id\"");
  REQUIRE(value != std::string::npos);
  REQUIRE(title != std::string::npos);
  REQUIRE(id != std::string::npos);
  CHECK(value < title);
  CHECK(title < id);
  CHECK(r.output.find("3 error(s)") != std::string::npos);
}

TEST_CASE("rules check exits 0 on warnings only, and 1 with --strict") {
  auto plain = run_annals("rules check --rules " + broken("group-unused"));
  INFO(plain.output);
  plain.expect_exit(0);
  CHECK(plain.output.find("rules.toml:3:39: warning: group \"era\" is defined but nothing uses it") != std::string::npos);
  CHECK(plain.output.find("rules.toml:2:6: warning: rule has no examples") != std::string::npos);
  auto strict = run_annals("rules check --strict --rules " + broken("group-unused"));
  strict.expect_exit(1);
}

TEST_CASE("rules check evaluates value expressions statically: unknown granularity, function and calendar date") {
  auto r = run_annals("rules check --rules " + broken("bad-value"));
  INFO(r.output);
  r.expect_exit(2);
  CHECK(r.output.find("rules.toml:8:9: error: value can become \"ref@fortnight\": unknown granularity \"fortnight\"") !=
        std::string::npos);
  CHECK(r.output.find("rules.toml:13:9: error: value: \"last\" is not a function of the value language") != std::string::npos);
  CHECK(r.output.find("rules.toml:18:9: error: value: not a valid calendar date: \"2025-12-32\" [date.bad-literal]") !=
        std::string::npos);
}

TEST_CASE("rules check names RE2's memory budget and the rule for a pattern too large to compile") {
  auto r = run_annals("rules check --rules " + broken("too-large"));
  INFO(r.output);
  r.expect_exit(2);
  CHECK(r.output.find("rules.toml:3:11: error: pattern is too large") != std::string::npos);
  CHECK(r.output.find("rules.toml:8:11: error: pattern is too large") != std::string::npos);
  CHECK(r.output.find("pattern too large - compile failed") != std::string::npos);
  CHECK(r.output.find("[huge]") != std::string::npos);
}

TEST_CASE("rules check on a missing folder is a configuration error") {
  auto r = run_annals("rules check --rules tests/fixtures/rules-broken/no-such-folder");
  r.expect_exit(2);
  CHECK(r.output.find("rules folder not found") != std::string::npos);
}
