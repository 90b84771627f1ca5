// temporal/tagger: context (`timex`) groups, vetoes and the project's date
// rules on phenomena of English news.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include <re2/re2.h>

#include "core/text.h"
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

std::vector<std::string> texts_of(const std::vector<DateMention>& ms) {
  std::vector<std::string> texts;
  for (auto& m : ms) texts.push_back(m.text);
  return texts;
}
}  // namespace

TEST_CASE("tagger: a timex group is the extent and the rest of the match is context") {
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


TEST_CASE("tagger: each paragraph runs only its prefiltered rules, context rules and vetoes included") {
  auto pack = testing::load_project_pack();
  std::string text =
      "The board will meet Friday to vote, and the offer expires Nov. 16. It met Tuesday.\n\n"
      "Third-quarter profit rose to $5 million from $3 million a year earlier. Prices may rise.\n\n"
      "Shares fell for three days and closed at 4:30 p.m. EST; the plant will open in January.";
  auto got = temporal::find_dates(*pack, text, kRef);
  CHECK(texts_of(got) == std::vector<std::string>{"Friday", "Nov. 16", "Tuesday", "Third-quarter", "a year earlier",
                                          "three days", "4:30 p.m. EST", "January"});
  for (auto& m : got) CHECK_MESSAGE(text.substr(m.span.begin, m.span.size()) == m.text, m.text);
}

TEST_CASE("tagger: a match never spans a blank line, and a veto acts only in its own paragraph") {
  auto pack = testing::load_pack(R"toml(
[[date]]
id = "month-day"
pattern = '\b(?P<m>March)\s+(?P<d>[0-9]{1,2})\b'
value = "near(month=3,day={d})"
[[date]]
id = "month"
pattern = '\bMarch\b'
value = "near(month=3)"
[[veto]]
id = "march-verb"
pattern = '\bwill\s+march\b'
)toml");
  std::string text = "They will march\n\n7 times. Then March\n\n9 came, and March 10.";
  auto got = temporal::find_dates(*pack, text, kRef);
  CHECK(texts_of(got) == std::vector<std::string>{"March", "March 10"});
  REQUIRE(got.size() == 2);
  CHECK(got[0].span.begin == text.find("Then March") + 5);
}

TEST_CASE("tagger: the prefilter holds a context rule by its timex group, brackets and escapes included") {
  auto pack = testing::load_pack(R"toml(
[[date]]
id = "cued"
pattern = '\bwill\b[^.)]{0,40}?(?P<timex>\(?(?P<w>Friday)[)\]]?)'
value = "next(weekday=5)"
)toml");
  std::string text = "The board will meet (Friday) to vote. It will meet Friday] too.";
  auto got = temporal::find_dates(*pack, text, kRef);
  REQUIRE(got.size() == 2);
  CHECK(got[0].text == "(Friday)");
  CHECK(got[1].text == "Friday]");
}

TEST_CASE("the date prefilter holds a rule's core with the word boundaries around it, so it does not fire inside words") {
  auto pack = testing::load_pack(R"toml(
[[date]]
id = "cued-month"
pattern = '\bwill\s+\w+\s+in\s+\b(?P<timex>Mar)\b'
value = "next(month=3)"
)toml");
  std::vector<int> hits;
  CHECK_FALSE(pack->date_prefilter->Match("the market and the summary", &hits));
  CHECK_FALSE(pack->date_prefilter->Match("a Marxist", &hits));
  CHECK(pack->date_prefilter->Match("it opens in Mar.", &hits));
  auto got = temporal::find_dates(*pack, "Markets will open in Mar, not in a market.", kRef);
  REQUIRE(got.size() == 1);
  CHECK(got[0].text == "Mar");
}

TEST_CASE("the date prefilter keeps one whitespace before a core and a comma after it, but not an escaped look-alike") {
  auto pack = testing::load_pack(R"toml(
[[date]]
id = "in-month-comma"
pattern = '\bIn[\s,]+(?P<timex>May),\s+\w+\s+(?:was|were)\b'
value = "prev(month=5)"
[[date]]
id = "spaced"
pattern = 'said\s+(?P<timex>Friday)'
value = "prev(weekday=5)"
[[date]]
id = "backslash"
pattern = 'x\\s+(?P<timex>June)'
value = "prev(month=6)"
)toml");
  auto hits = [&](std::string_view text) {
    std::vector<int> h;
    pack->date_prefilter->Match(re2::StringPiece(text.data(), text.size()), &h);
    std::sort(h.begin(), h.end());
    return h;
  };
  CHECK(hits("dismay, or in May.") == std::vector<int>{});
  CHECK(hits("In May, prices were") == std::vector<int>{0});
  CHECK(hits("sadFriday") == std::vector<int>{});
  CHECK(hits("x\\ssJune") == std::vector<int>{2});
  auto got = temporal::find_dates(*pack, "In May, prices were high; he said  Friday; x\\sJune.", kRef);
  REQUIRE(got.size() == 3);
  CHECK(got[0].text == "May");
  CHECK(got[1].text == "Friday");
  CHECK(got[2].text == "June");
}

TEST_CASE("the prefilter writes a core's digits as \\d, but not those of group names, repeat counts or \\x escapes") {
  auto pack = testing::load_pack(R"toml(
[[date]]
id = "twenties"
pattern = '\bthe\s+(?P<year2>20[0-3][0-9]{1})\x27s\b'
value = "{year2}"
)toml");
  // (A digit rewritten in "year2" or "\x27" would not compile; in "{1}" it would be a literal.)
  std::vector<int> hits;
  CHECK(pack->date_prefilter->Match("in the 1999's", &hits));  // looser than the rule: any four digits
  CHECK_FALSE(pack->date_prefilter->Match("in the 199's", &hits));
  CHECK_FALSE(pack->date_prefilter->Match("in the 19997s", &hits));
  auto got = temporal::find_dates(*pack, "Not the 1999's, the 2025's.", kRef);  // the rule still decides
  REQUIRE(got.size() == 1);
  CHECK(got[0].value == "2025");
}

TEST_CASE("rules with the same core share one prefilter pattern, and each still runs where it matches") {
  auto pack = testing::load_pack(R"toml(
[fragments]
month = '(?P<m>May|June)'
[[date]]
id = "future-month"
pattern = '\bwill\s+\w+\s+in[\s,]+(?P<timex>%{month})\b'
value = "next(month=5)"
[[date]]
id = "past-month"
pattern = '\bwas\s+\w+\s+in[\s,]+(?P<timex>%{month})\b'
value = "prev(month=5)"
)toml");
  REQUIRE(pack->date_core_rules.size() == 1);
  CHECK(pack->date_core_rules[0] == std::vector<std::size_t>{0, 1});
  auto got = temporal::find_dates(*pack, "It will open in May.\n\nIt was closed in June.", kRef);
  REQUIRE(got.size() == 2);
  CHECK(got[0].rule_id == "future-month");
  CHECK(got[1].rule_id == "past-month");
}

TEST_CASE("a veto drops the candidates it overlaps by a byte, not those it only touches") {
  auto pack = testing::load_pack(R"toml(
[[date]]
id = "year"
pattern = '\b(?P<y>19[0-9]{2})\b'
value = "{y}"
[[veto]]
id = "touching"
pattern = '\bnot\s'
[[veto]]
id = "overlapping"
pattern = '[0-9]\s+units'
)toml");
  auto got = temporal::find_dates(*pack, "not 1990, and 1991 units, and 1992.", kRef);
  CHECK(texts_of(got) == std::vector<std::string>{"1990", "1992"});
}

TEST_CASE("overlapping candidates in one long paragraph keep the longest, each date once") {
  auto pack = testing::load_pack(R"toml(
[[date]]
id = "month-day"
pattern = '\bMarch\s+(?P<d>[0-9]{1,2})\b'
value = "near(month=3,day={d})"
[[date]]
id = "month"
pattern = '\bMarch\b'
value = "near(month=3)"
)toml");
  std::string text;
  for (int i = 1; i <= 2000; ++i) text += "On March " + std::to_string(i % 28 + 1) + " and in March, ";
  auto got = temporal::find_dates(*pack, text, kRef);
  REQUIRE(got.size() == 4000);
  std::size_t misplaced = 0;
  for (std::size_t i = 0; i < got.size(); ++i) misplaced += got[i].rule_id != (i % 2 == 0 ? "month-day" : "month");
  CHECK(misplaced == 0);
}

TEST_CASE("in a text with CRLF line ends a blank line ends the paragraph too, so no match runs across it") {
  auto pack = testing::load_pack(R"toml(
[[date]]
id = "month-day"
pattern = '\bMarch\s+(?P<d>[0-9]{1,2})\b'
value = "near(month=3,day={d})"
)toml");
  CHECK(temporal::find_dates(*pack, "It ended in March\r\n\r\n7 people left.", kRef).empty());
  auto got = temporal::find_dates(*pack, "It ended on March\r\n7, they said.", kRef);
  REQUIRE(got.size() == 1);
  CHECK(got[0].text == "March\r\n7");
}

namespace {
// A pack with one day rule, one month rule and an anaphoric rule per
// built-in anchor, so each test sees exactly which earlier date anchors.
const char* kAnchorPack = R"toml(
[[date]]
id = "day"
pattern = '\b(?P<d>[0-9]{4}-[0-9]{2}-[0-9]{2})\b'
value = "{d}"
[[date]]
id = "month"
pattern = '\bmonth\s+(?P<m>[0-9]{4}-[0-9]{2})\b'
value = "{m}"
[[date]]
id = "decade"
pattern = '\bthe\s+(?P<d>[0-9]{3})0s\b'
value = "{d}"
[[date]]
id = "next-day"
pattern = '\bthe\s+next\s+day\b'
value = "{anchor.day}+1D"
[[date]]
id = "next-month"
pattern = '\bthe\s+following\s+month\b'
value = "{anchor.month}+1M"
[[date]]
id = "year-later"
pattern = '\ba\s+year\s+later\b'
value = "{anchor}+1Y"
)toml";
}  // namespace

// The values the anchor pack gives the dates of `text`, in text order ("" for one left unresolved).
std::vector<std::string> anchored_values(std::string_view text, std::optional<date::sys_days> reference) {
  auto pack = testing::load_pack(kAnchorPack);
  std::vector<std::string> values;
  for (auto& m : temporal::find_dates(*pack, text, reference)) values.push_back(m.value);
  return values;
}
using Values = std::vector<std::string>;

TEST_CASE("{anchor.day} is the latest day named before the expression, in text order across paragraphs") {
  // The month in between names no day, so the first "next day" follows 20 January.
  CHECK(anchored_values("It began 2025-01-20 and month 2025-02 passed.\n\nThe next day it ended. 2025-03-01 came; the next day too.", kRef) ==
        Values{"2025-01-20", "2025-02", "2025-01-21", "2025-03-01", "2025-03-02"});
}

TEST_CASE("an anchored expression counts from the reference date when the text named no date before it") {
  CHECK(anchored_values("The next day it rained. Then 2025-01-20 came.", kRef) == Values{"1989-11-03", "2025-01-20"});
  SUBCASE("and stays unresolved, with the reason, when there is no reference date either") {
    auto pack = testing::load_pack(kAnchorPack);
    auto none = temporal::find_dates(*pack, "The next day it rained. Then 2025-01-20 came.", std::nullopt);
    REQUIRE(none.size() == 2);
    CHECK_FALSE(none[0].resolved());
    CHECK(none[0].unresolved_reason.find("publication date") != std::string::npos);
  }
}

TEST_CASE("an anchor needs no reference date when the text named one, and chains through anchored dates") {
  CHECK(anchored_values("On 2025-01-20 it began. The next day it paused; the next day it ended.", std::nullopt) ==
        Values{"2025-01-20", "2025-01-21", "2025-01-22"});
}

TEST_CASE("a date keeps the span of the earlier date it counted from, and none when it fell back to the reference") {
  auto pack = testing::load_pack(kAnchorPack);
  std::string text = "The next day it began. On 2025-01-20 it paused; the next day it ended.";
  auto ms = temporal::find_dates(*pack, text, kRef);
  REQUIRE(ms.size() == 3);
  CHECK_FALSE(ms[0].anchor);
  CHECK_FALSE(ms[1].anchor);
  REQUIRE(ms[2].anchor);
  CHECK(ms[2].anchor->span == ms[1].span);
  CHECK(ms[2].anchor->text == "2025-01-20");
}

TEST_CASE("{anchor.month} takes a day's month, {anchor} keeps the granularity of the date and skips a decade") {
  // "The following month" counts from the month, not the decade after it; "a
  // year later" from that month, so it is a month too.
  CHECK(anchored_values("month 2025-02 then the 1990s. The following month was calm. A year later it was not.", kRef) ==
        Values{"2025-02", "199", "2025-03", "2026-03"});
  CHECK(anchored_values("On 2025-02-10 it began. The following month was calm.", kRef) == Values{"2025-02-10", "2025-03"});
}

TEST_CASE("a date rule's core group is what the prefilter looks for, and cores that differ only in group names share") {
  // Both range rules report a bare day (their timex), a core found in nearly
  // every paragraph; their `core` groups ("6-7") are one set entry.
  auto pack = testing::load_pack(R"(
[[date]]
id = "first-day"
pattern = '\b(?P<core>(?P<timex>(?P<day>[0-9]{1,2}))-(?:(?:[0-9]{1,2})))(?:th)?\s+May\b'
value = "2024-05-{day}"
examples = [{ text = "on 6-7 May", value = "2024-05-06" }]

[[date]]
id = "second-day"
pattern = '\bMay\s+\b(?P<core>(?:(?:[0-9]{1,2}))-(?P<timex>(?P<d>[0-9]{1,2})))(?:th)?\b'
value = "2024-05-{d}"
examples = [{ text = "on May 6-7", value = "2024-05-07" }]
)");
  REQUIRE(pack->date_core_rules.size() == 1);
  CHECK(pack->date_core_rules[0] == std::vector<std::size_t>{0, 1});
  std::vector<int> hits;
  CHECK_FALSE(pack->date_prefilter->Match("a 6 May vote", &hits));  // the timex alone is not the core
  CHECK(pack->date_prefilter->Match("6-7", &hits));
  auto dates = temporal::find_dates(*pack, "Talks ran on 6-7 May, then on May 9-10.", std::nullopt);
  REQUIRE(dates.size() == 2);
  CHECK(dates[0].text == "6");
  CHECK(dates[0].value == "2024-05-06");
  CHECK(dates[1].text == "10");
  CHECK(dates[1].value == "2024-05-10");
}

TEST_CASE("the date prefilter reports every rule whose pattern matches a paragraph: examples and sample sources") {
  // The set holds each rule's core, not its pattern, so this pins the
  // reasoning of prefilter_core: a core must match wherever its rule does.
  auto pack = testing::load_project_pack();
  std::vector<std::string> texts;
  for (auto* rules : {&pack->dates, &pack->datelines})
    for (auto& r : *rules) {
      for (auto& ex : r.examples) texts.push_back(ex.text);
      for (auto& ex : r.counterexamples) texts.push_back(ex.text);
    }
  for (auto& e : std::filesystem::directory_iterator(std::string(ANNALS_SOURCE_DIR) + "/sources")) {
    std::ifstream in(e.path(), std::ios::binary);
    std::stringstream body;
    body << in.rdbuf();
    for (std::size_t from = 0; from < body.str().size();) {  // one paragraph at a time, as the tagger reads
      BlankLine blank = find_blank_line(body.str(), from);
      std::size_t end = blank.at == std::string::npos ? body.str().size() : blank.at + blank.size;
      texts.push_back(body.str().substr(from, end - from));
      from = end;
    }
  }
  std::size_t checked = 0;
  for (auto& text : texts) {
    std::vector<int> hits;
    pack->date_prefilter->Match(text, &hits);
    std::set<std::size_t> selected;
    for (int h : hits)
      for (std::size_t r : pack->date_core_rules[std::size_t(h)]) selected.insert(r);
    for (std::size_t r = 0; r < pack->dates.size(); ++r) {
      if (!RE2::PartialMatch(text, *pack->dates[r].re)) continue;
      ++checked;
      INFO(pack->dates[r].id, " on \"", text, "\"");
      CHECK(selected.count(r) == 1);
    }
  }
  CHECK(checked > 200);  // the examples alone match their rules a few hundred times
}

namespace {
// A pack with two document types, as rules/dates/doc-types.toml has them.
const char* kDocTypePack = R"toml(
[doc_types]
default = "news"
undated = "narrative"
past = "narrative"
past_years = 2
past_share = 0.5
past_min = 2
past_precision = "month"
[doc_types.news]
ref = "published"
anchor = "paragraph.last_absolute.opening@year<published | published"
[doc_types.narrative]
ref = "last_named | published"
anchor = "last_absolute@year | last_named | published"
[tables.month]
march = 3
june = 6
october = 10
may = 5
august = 8
[[date]]
id = "day-month-year"
pattern = '\b(?P<d>[0-9]{1,2})\s+(?P<m>%{table:month})\s+(?P<y>[0-9]{4})\b'
value = "{y}-{m|month}-{d}"
[[date]]
id = "day-month"
pattern = '\b(?P<d>[0-9]{1,2})\s+(?P<m>%{table:month})\b'
value = "near(month={m|month},day={d},from=anchor)"
[[date]]
id = "next-year"
pattern = '\bthe\s+next\s+year\b'
value = "ref+1Y@year"
)toml";

temporal::TaggedText tagged(std::string_view text, std::optional<date::sys_days> reference, std::string_view type) {
  auto pack = testing::load_pack(kDocTypePack);
  return temporal::tag_text(*pack, text, reference, type);
}
std::vector<std::string> values_of(const temporal::TaggedText& t) {
  std::vector<std::string> v;
  for (auto& m : t.dates) v.push_back(m.value);
  return v;
}
}  // namespace

TEST_CASE("doc types: a narrative anchors a day-month on the year its story is in, news on the publication date") {
  std::string text = "War broke out on 28 June 1914. Troops moved on 7 August, and the next year came.";
  CHECK(values_of(tagged(text, kRef, "narrative")) == Values{"1914-06-28", "1914-08-07", "1915"});
  CHECK(values_of(tagged(text, kRef, "news")) == Values{"1914-06-28", "1989-08-07", "1990"});
}

TEST_CASE("doc types: in news a paragraph that opens on a past date anchors its day-months on that year, the next paragraph does not") {
  std::string text = "On 3 March 1985 the plant opened. It closed on 7 May.\n\nIt reopened on 7 May, the firm said.";
  CHECK(values_of(tagged(text, kRef, "news")) == Values{"1985-03-03", "1985-05-07", "1989-05-07"});
  SUBCASE("a past date inside a sentence is a reference, not the paragraph's time") {
    CHECK(values_of(tagged("Prices, lowest since 3 March 1985, rose on 7 May.", kRef, "news")) == Values{"1985-03-03", "1989-05-07"});
  }
}

TEST_CASE("doc types: auto reads an undated text and one whose dates end years before its publication as a narrative") {
  auto undated = tagged("On 28 June 1914 it began; on 7 August it spread.", std::nullopt, "auto");
  CHECK(undated.doc_type.name == "narrative");
  CHECK(undated.doc_type.reason == "auto: no publication date");
  CHECK(values_of(undated) == Values{"1914-06-28", "1914-08-07"});
  auto history = tagged("On 28 June 1914 it began; on 3 March 1915 it spread; on 7 August it ended.", kRef, "auto");
  CHECK(history.doc_type.name == "narrative");
  CHECK(history.doc_type.reason.find("2 of its 2 dates") != std::string::npos);
  CHECK(values_of(history).back() == "1915-08-07");
  auto news = tagged("On 28 October 1989 it began; on 7 August it spread.", kRef, "auto");
  CHECK(news.doc_type.name == "news");
  CHECK(tagged("On 28 June 1914 it began.", kRef, "news").doc_type.name == "news");  // asked for by name: no choice
}

TEST_CASE("regression: a text of one long line is read in bounded pieces and finds the dates it finds with paragraph breaks") {
  auto pack = testing::load_project_pack();
  std::string broken, one_line;
  for (int i = 0; i < 3000; ++i) {
    std::string sentence = "Acme opened plant " + std::to_string(i) + " on " + std::to_string(1 + i % 28) + " March 2025 and hired staff.";
    broken += sentence + (i % 5 == 4 ? "\n\n" : " ");
    one_line += sentence + " ";
  }
  REQUIRE(one_line.size() > 10 * 16384);
  auto a = temporal::find_dates(*pack, broken, kRef);
  auto b = temporal::find_dates(*pack, one_line, kRef);
  REQUIRE(a.size() >= 3000);  // "plant 1999" is a year too
  REQUIRE(b.size() == a.size());
  for (std::size_t i = 0; i < a.size(); ++i) {
    CHECK(b[i].value == a[i].value);
    CHECK(b[i].text == a[i].text);
  }
}

TEST_CASE("a veto with a veto group drops only what that group matched, so its context spares a candidate") {
  auto pack = testing::load_pack(R"toml(
[[date]]
id = "sat"
pattern = '\b(?:this\s+)?(?P<d>sat)\b'
value = "prev(weekday=6)"
[[veto]]
id = "verb"
case_sensitive = true
pattern = '\bthis\s+sat\b|\b(?P<veto>sat)\b'
)toml");
  auto got = temporal::find_dates(*pack, "we sat down. see you this sat.", kRef);
  CHECK(texts_of(got) == std::vector<std::string>{"this sat"});
}

TEST_CASE("a rule's unplaced reason keeps the value but places nothing on the calendar (a fiscal quarter)") {
  auto pack = testing::load_pack(R"toml(
[[date]]
id = "fiscal"
pattern = '\bfiscal\s+fourth\s+quarter\b'
value = "this(quarter=4)"
unplaced = "fiscal year unknown"
[[date]]
id = "calendar"
pattern = '\bcalendar\s+fourth\s+quarter\b'
value = "this(quarter=4)"
)toml");
  auto got = temporal::find_dates(*pack, "the fiscal fourth quarter and the calendar fourth quarter", kRef);
  REQUIRE(got.size() == 2);
  CHECK(got[0].value == "1989-Q4");
  CHECK_FALSE(got[0].interval.has_value());
  CHECK(got[0].unresolved_reason == "fiscal year unknown");
  CHECK(got[1].value == "1989-Q4");
  CHECK(got[1].interval.has_value());
  CHECK(got[1].unresolved_reason.empty());
}
