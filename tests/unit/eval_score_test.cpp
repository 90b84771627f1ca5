// eval: TimeML gold reading and TempEval-3 scoring.
#include <doctest/doctest.h>

#include "eval/score.h"
#include "eval/timeml.h"

using namespace annals;

namespace {
DateMention mention(std::size_t b, std::size_t e, std::string value, TimexType type = TimexType::Date) {
  DateMention m;
  m.span = {b, e};
  m.value = std::move(value);
  m.type = type;
  return m;
}
}  // namespace

TEST_CASE("eval: TimeML gold is read as plain text with timex spans, the DCT as reference") {
  std::string tml = R"(<TimeML><DCT><TIMEX3 tid="t0" type="DATE" value="1989-11-02">19891102</TIMEX3></DCT>
<TEXT>Sales rose <TIMEX3 tid="t1" type="DATE" value="1989-Q3" mod="END">last quarter</TIMEX3> &amp; <EVENT eid="e1">fell</EVENT> <TIMEX3 tid="t2" type="DURATION" value="P2W">two weeks</TIMEX3>.</TEXT></TimeML>)";
  auto parsed = eval::parse_timeml(tml, "x.tml");
  REQUIRE(parsed.ok());
  const eval::GoldDocument& doc = *parsed;
  CHECK(doc.text == "Sales rose last quarter & fell two weeks.");
  REQUIRE(doc.reference);
  CHECK(*doc.reference == date::sys_days{date::year{1989} / 11 / 2});
  REQUIRE(doc.timexes.size() == 2);  // the DCT is not scored
  CHECK(doc.text.substr(doc.timexes[0].span.begin, doc.timexes[0].span.size()) == "last quarter");
  CHECK(doc.timexes[0].mod == "END");
  CHECK(doc.timexes[1].type == "DURATION");
  CHECK(doc.timexes[1].value == "P2W");
}

TEST_CASE("eval: a nested or unclosed TIMEX3 is an error, not a guess") {
  auto unclosed = eval::parse_timeml("<TEXT><TIMEX3 type=\"DATE\">a</TEXT>", "x");
  REQUIRE_FALSE(unclosed.ok());
  CHECK(unclosed.status().message() == "unclosed TIMEX3");
  auto no_text = eval::parse_timeml("no text element", "x");
  REQUIRE_FALSE(no_text.ok());
  CHECK(no_text.status().message() == "no <TEXT> ... </TEXT> element");
}

TEST_CASE("eval: strict, relaxed, type and value counts follow TempEval-3") {
  std::vector<eval::GoldTimex> gold{{{0, 10}, "", "DATE", "1989", ""},
                                    {{20, 30}, "", "DATE", "1989-11", ""},
                                    {{40, 50}, "", "DURATION", "P2W", ""},
                                    {{60, 70}, "", "DATE", "1990", ""}};
  std::vector<DateMention> sys{mention(0, 10, "1989"),                             // strict, right value
                               mention(22, 30, "1989-10"),                         // relaxed, wrong value
                               mention(40, 50, "P2W", TimexType::Duration),        // strict
                               mention(80, 85, "1991")};                           // false alarm
  std::vector<eval::Pairing> pairs;
  auto c = eval::score_document(gold, sys, eval::TypeFilter::All, &pairs);
  CHECK(c.gold == 4);
  CHECK(c.system == 4);
  CHECK(c.strict == 2);
  CHECK(c.relaxed == 3);
  CHECK(c.type == 3);
  CHECK(c.value == 2);
  auto f = eval::figures(c);
  CHECK(f.relaxed.precision == doctest::Approx(0.75));
  CHECK(f.value.f1 == doctest::Approx(0.5));
  CHECK(pairs.size() == 5);  // 4 gold (one missed) + 1 false alarm

  auto dt = eval::score_document(gold, sys, eval::TypeFilter::DateTime);
  CHECK(dt.gold == 3);
  CHECK(dt.system == 3);
  CHECK(dt.value == 1);
}

TEST_CASE("eval: TimeML output wraps each mention in a TIMEX3 and escapes the text") {
  std::string text = "A & B on 7 March";
  auto out = eval::write_timeml(text, {mention(9, 16, "2025-03-07")}, std::nullopt);
  CHECK(out.find("A &amp; B on <TIMEX3 tid=\"t1\" type=\"DATE\" value=\"2025-03-07\">7 March</TIMEX3>") != std::string::npos);
  auto back = eval::parse_timeml(out, "round-trip");
  REQUIRE(back.ok());
  REQUIRE(back->timexes.size() == 1);
  CHECK(back->timexes[0].text == "7 March");
  CHECK(back->text == text);
}
