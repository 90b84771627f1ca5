#include <doctest/doctest.h>

#include <algorithm>
#include <random>

#include "merge/merge.h"
#include "temporal/calendar.h"

using namespace annals;

namespace {
EventMention mention(std::string file, std::string identity, std::string date_value, bool recurring = false) {
  EventMention m;
  m.rule_id = "r";
  m.identity = identity;
  m.title = identity;
  m.recurring = recurring;
  m.source.file = std::move(file);
  if (!date_value.empty()) {
    DateMention d;
    d.value = date_value;
    d.interval = temporal::interval_of(date_value);
    REQUIRE(d.interval);
    m.date = d;
  }
  return m;
}
}  // namespace

TEST_CASE("mentions with nested dates merge into one entry dated by the most specific") {
  auto t = merge::merge({mention("a", "r|x", "2025"), mention("b", "r|x", "2025-01"), mention("c", "r|x", "2025-01-20")});
  REQUIRE(t.entries.size() == 1);
  CHECK(t.entries[0].date.value == "2025-01-20");
  CHECK(t.entries[0].source_files() == std::vector<std::string>{"a", "b", "c"});
  CHECK(t.entries[0].conflicts_with.empty());
}

TEST_CASE("a once-only event with disjoint dates is a conflict, listed on both entries") {
  auto t = merge::merge({mention("a", "r|x", "2024"), mention("b", "r|x", "2025-01")});
  REQUIRE(t.entries.size() == 2);
  CHECK(t.entries[0].conflicts_with == std::vector<std::string>{t.entries[1].event_id});
  CHECK(t.entries[1].conflicts_with == std::vector<std::string>{t.entries[0].event_id});
}

TEST_CASE("a recurring event with disjoint dates is two entries without conflict") {
  auto t = merge::merge({mention("a", "r|x", "2024", true), mention("b", "r|x", "2025", true)});
  REQUIRE(t.entries.size() == 2);
  CHECK(t.entries[0].conflicts_with.empty());
}

TEST_CASE("entries are chronological and a coarser date sorts before finer ones inside it") {
  auto t = merge::merge({mention("a", "r|day", "2025-01-05"), mention("a", "r|year", "2025"), mention("a", "r|old", "2023")});
  REQUIRE(t.entries.size() == 3);
  CHECK(t.entries[0].date.value == "2023");
  CHECK(t.entries[1].date.value == "2025");
  CHECK(t.entries[2].date.value == "2025-01-05");
}

TEST_CASE("mentions without a usable date are kept as undated") {
  auto t = merge::merge({mention("a", "r|other", ""), mention("b", "r|x", "2025")});
  CHECK(t.entries.size() == 1);
  CHECK(t.undated.size() == 1);
}

TEST_CASE("merge output does not depend on input order and event ids are stable") {
  std::vector<EventMention> ms{mention("a", "r|x", "2025"), mention("b", "r|x", "2025-03"), mention("c", "r|y", "2024"),
                               mention("d", "r|y", "2024-W10"), mention("e", "r|z", "2023")};
  auto reference = merge::merge(ms);
  std::mt19937 rng(7);
  for (int i = 0; i < 20; ++i) {
    std::shuffle(ms.begin(), ms.end(), rng);
    auto t = merge::merge(ms);
    REQUIRE(t.entries.size() == reference.entries.size());
    for (std::size_t k = 0; k < t.entries.size(); ++k) {
      CHECK(t.entries[k].event_id == reference.entries[k].event_id);
      CHECK(t.entries[k].source_files() == reference.entries[k].source_files());
    }
  }
  CHECK(merge::event_id("r|x", "2025-03") == reference.entries[2].event_id);
}

TEST_CASE("an undated mention of a once-only event with one entry joins that entry") {
  auto t = merge::merge({mention("a", "r|x", "2025-01"), mention("b", "r|x", ""), mention("c", "r|y", "")});
  REQUIRE(t.entries.size() == 1);
  CHECK(t.entries[0].source_files() == std::vector<std::string>{"a", "b"});
  CHECK(t.entries[0].date.value == "2025-01");
  REQUIRE(t.undated.size() == 1);
  CHECK(t.undated[0].source.file == "c");
}

TEST_CASE("an undated mention stays undated when its event is recurring or its sources disagree") {
  auto recurring = merge::merge({mention("a", "r|x", "2024", true), mention("b", "r|x", "", true)});
  CHECK(recurring.undated.size() == 1);
  auto conflict = merge::merge({mention("a", "r|x", "2024"), mention("b", "r|x", "2025"), mention("c", "r|x", "")});
  CHECK(conflict.entries.size() == 2);
  CHECK(conflict.undated.size() == 1);
}
