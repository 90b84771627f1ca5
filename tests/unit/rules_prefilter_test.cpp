// rules/rules.h PrefilterSet: the date prefilter held as several RE2::Sets
// answers as one set would.
#include <doctest/doctest.h>

#include <algorithm>
#include <memory>

#include <fmt/format.h>
#include <re2/set.h>

#include "rules/rules.h"
#include "test_rules.h"

using namespace annals;

namespace {

std::unique_ptr<RE2::Set> compiled_set(const std::vector<std::string>& patterns) {
  auto set = std::make_unique<RE2::Set>(RE2::Options(RE2::Quiet), RE2::UNANCHORED);
  for (auto& p : patterns) REQUIRE(set->Add(p, nullptr) >= 0);
  REQUIRE(set->Compile());
  return set;
}

std::vector<int> sorted_hits(const rules::PrefilterSet& set, std::string_view text, bool* matched = nullptr) {
  std::vector<int> hits{99};  // stale content the call must clear
  bool m = set.Match(re2::StringPiece(text.data(), text.size()), &hits);
  if (matched) *matched = m;
  std::sort(hits.begin(), hits.end());
  return hits;
}

}  // namespace

TEST_CASE("a prefilter in parts reports each matching pattern by the index it stands for, from every part") {
  rules::PrefilterSet set;
  set.add_part(compiled_set({"apple", "pear"}), {3, 0});
  set.add_part(compiled_set({"plum"}), {1});
  bool matched = false;
  CHECK(sorted_hits(set, "a plum and an apple", &matched) == std::vector<int>{1, 3});
  CHECK(matched);
  CHECK(sorted_hits(set, "pear", &matched) == std::vector<int>{0});
  CHECK(matched);
}

TEST_CASE("a prefilter in parts answers false with no hits when no part matches") {
  rules::PrefilterSet set;
  set.add_part(compiled_set({"apple"}), {0});
  set.add_part(compiled_set({"plum"}), {1});
  bool matched = true;
  CHECK(sorted_hits(set, "a cherry", &matched).empty());
  CHECK_FALSE(matched);
  RE2::Set::ErrorInfo error{RE2::Set::kOutOfMemory};
  std::vector<int> hits;
  CHECK_FALSE(set.Match("a cherry", &hits, &error));
  CHECK(error.kind == RE2::Set::kNoError);  // no match is no error: the caller need not try every rule
}

TEST_CASE("the date prefilter of a pack with more cores than one part holds finds the rule of every core") {
  // Twenty rules, twenty distinct cores: they fill several parts.
  std::string toml;
  for (int i = 0; i < 20; ++i)
    toml += fmt::format("[[date]]\nid = \"r{0}\"\npattern = '\\bcue{1}\\s+(?P<timex>day{1})\\b'\nvalue = \"2000\"\n", i,
                        std::string(std::size_t(i + 1), 'x'));
  auto pack = testing::load_pack(toml);
  REQUIRE(pack->date_core_rules.size() == 20);
  for (std::size_t i = 0; i < 20; ++i) {
    std::string text = "on day" + std::string(i + 1, 'x') + ".";
    std::vector<int> hits;
    INFO(text);
    REQUIRE(pack->date_prefilter->Match(text, &hits));
    REQUIRE(hits.size() == 1);
    CHECK(pack->date_core_rules[std::size_t(hits[0])] == std::vector<std::size_t>{i});
  }
}
