// temporal/tagger: context (`timex`) groups, vetoes and the project's date
// rules on phenomena of English news.
#include <doctest/doctest.h>

#include "temporal/tagger.h"
#include "test_rules.h"

using namespace annals;

namespace {
const date::sys_days kRef{date::year{1989} / 11 / 2};  // a Thursday

const DateMention* find(const std::vector<DateMention>& ms, std::string_view text) {
  for (auto& m : ms)
    if (m.text == text) return &m;
  return nullptr;
}
}  // namespace

TEST_CASE("tagger: a timex group is the extent; the rest of the match is context") {
  auto pack = testing::load_pack(R"toml(
[[date]]
id = "cued"
pattern = '\bwill\b[^.]{0,40}?\b(?P<timex>(?P<w>Friday))'
value = "next(weekday=5)"
[[date]]
id = "plain"
pattern = '\b(?P<w>Friday)\b'
value = "prev(weekday=5)"
)toml");
  std::string text = "The board will meet Friday. It met Friday.";
  auto ms = temporal::find_dates(*pack, text, kRef);
  REQUIRE(ms.size() == 2);
  CHECK(ms[0].rule_id == "cued");
  CHECK(text.substr(ms[0].span.begin, ms[0].span.size()) == "Friday");
  CHECK(ms[0].text == "Friday");
  CHECK(ms[0].value == "1989-11-03");
  CHECK(ms[1].rule_id == "plain");
  CHECK(ms[1].value == "1989-10-27");
}

TEST_CASE("tagger: project rules read tense cues, quarters, durations, vague references and clock times") {
  auto pack = testing::load_project_pack();
  std::string text =
      "Third-quarter profit rose to $5 million from $3 million a year earlier. "
      "The company will report again Monday. It sold the unit Tuesday. "
      "Prices are now higher than in the past two weeks, and shares closed at 4:30 p.m. EST.";
  auto ms = temporal::find_dates(*pack, text, kRef);
  auto check = [&](std::string_view t, std::string_view value, TimexType type) {
    auto* m = find(ms, t);
    INFO(t);
    REQUIRE(m != nullptr);
    CHECK(m->value == value);
    CHECK(m->type == type);
  };
  check("Third-quarter", "1989-Q3", TimexType::Date);
  check("a year earlier", "1988-Q3", TimexType::Date);
  check("Monday", "1989-11-06", TimexType::Date);   // future cue "will"
  check("Tuesday", "1989-10-31", TimexType::Date);  // past by default
  check("now", "PRESENT_REF", TimexType::Date);
  check("the past two weeks", "P2W", TimexType::Duration);
  check("4:30 p.m. EST", "1989-11-02T16:30", TimexType::Time);
}

TEST_CASE("tagger: vetoes drop the modal may, Sun the company and model numbers, not mid-year") {
  auto pack = testing::load_project_pack();
  std::string text = "Prices may rise at Sun Microsystems, maker of the GPT-2025 model, by mid-1996.";
  auto ms = temporal::find_dates(*pack, text, kRef);
  REQUIRE(ms.size() == 1);
  CHECK(ms[0].text == "mid-1996");
  CHECK(ms[0].value == "1996");
  CHECK(ms[0].mod == "MID");
}
