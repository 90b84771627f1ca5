// Small timelines for the HTML renderer's unit tests (html_render_test.cpp,
// html_pages_test.cpp): a mention of one file, dated by a TimeML value.
#pragma once

#include <string>

#include <doctest/doctest.h>

#include "core/types.h"
#include "temporal/calendar.h"

namespace annals::html_fixtures {

// A mention of rule "r" in `file`, its evidence `evidence`, dated by
// `date_value` (a TimeML value; "" leaves it undated).
inline EventMention mention(std::string file, std::string date_value, std::string evidence = "It happened.") {
  EventMention m;
  m.rule_id = "r";
  m.title = "Event";
  m.category = "cat";
  m.source.edit().file = std::move(file);
  m.evidence = std::move(evidence);
  m.evidence_event = {0, 2};
  if (!date_value.empty()) {
    DateMention d;
    d.value = date_value;
    d.interval = temporal::interval_of(date_value);
    REQUIRE(d.interval);
    m.date = d;
  }
  return m;
}

}  // namespace annals::html_fixtures
