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

// ---- triggers, fallbacks, anaphora, vetoes and where dates come from -------

namespace {
const char* kEventPack = R"TOML(
[tables.month]
january = 1
march = 3
[tables.weekday]
friday = 5
[tables.stop]
later = ""
the = ""
in = ""
[tables.ana]
"the company" = ""
it = ""
[tables.dangling]
on = ""
in = ""
[events]
dangling = "dangling"
[anaphora]
phrases = "ana"
antecedent = '(?-i:[A-Z][a-z]+(?:\s+[A-Z][a-z]+)*)'
exclude = "stop"
groups = ["who"]
[lexicons.buy]
category = "acquisition"
verbs = [["buy", "buys", "bought", "bought", "buying"]]
[lexicons.close]
category = "other"
verbs = [["close", "closes", "closed", "closed", "closing"]]
[[date]]
id = "d.year"
pattern = '\b(?P<y>20[0-9]{2})\b'
value = "{y}"
[[date]]
id = "d.month-year"
pattern = '\b(?P<m>%{table:month})\s+(?P<y>20[0-9]{2})\b'
value = "{y}-{m|month}"
[[date]]
id = "d.friday"
pattern = '\b(?P<w>friday)\b'
value = "prev(weekday={w|weekday})"
[[event]]
id = "deal"
category = "acquisition"
triggers = ["%{lex:buy}"]
pattern = '(?-i:(?P<who>[A-Z][a-z]+(?:\s+[A-Z][a-z]+)*|the company))\s+(?P<verb>%{lex:buy.finite})\s+(?P<what>[A-Z][a-z]+)'
title = "{who} {verb|present} {what}"
exclude = { who = "stop" }
[[event]]
id = "clause"
fallback = true
category = "{verb|category}"
triggers = ["%{lex:*.finite}"]
pattern = '(?-i:(?P<who>[A-Z][a-z]+))\s+(?P<verb>%{lex:*.finite})\s+(?P<what>(?-i:[a-z]+(?:\s+[a-z0-9]+){0,3}))'
title = "{who} {verb|present} {what}"
exclude = { who = "stop" }
[[event]]
id = "lead"
lead_publication_date = true
triggers = ["has bought"]
pattern = '(?-i:(?P<who>[A-Z][a-z]+))\s+has\s+bought\s+(?P<what>[A-Z][a-z]+)'
title = "{who} buys {what}"
[[veto]]
id = "v.caption"
applies_to = "sentences"
pattern = '^\(Photo'
[[veto]]
id = "v.rumour"
applies_to = "events"
pattern = '\w+\s+\(rumou?red\)'
[[veto]]
id = "v.credit-line"
applies_to = "lines"
pattern = '\|\s+Wire\s+Pics\s*$'
[[event]]
id = "opener"
triggers = ["founded"]
pattern = '^Founded\s+in\s+20[0-9]{2},\s+(?P<who>[A-Z][a-z]+)'
title = "{who} founded"
)TOML";

const EventMention* by_rule(const extract::Result& r, const std::string& id) {
  for (auto& m : r.events)
    if (m.rule_id == id) return &m;
  return nullptr;
}
}  // namespace

TEST_CASE("an event rule runs only on the sentences that hold one of its triggers") {
  auto rules = testing::load_pack(kEventPack);
  // "buys" is a trigger of `deal` only in the sentence that holds it.
  auto r = extract::extract(*rules, doc("Acme buys Brill in 2023. Zeta Corp Omega Ltd."));
  REQUIRE(by_rule(r, "deal"));
  CHECK(by_rule(r, "deal")->title == "Acme buys Brill");
  CHECK(r.events.size() == 1);
}

TEST_CASE("lexicon tables give a title its headline form and a category its verb class") {
  auto rules = testing::load_pack(kEventPack);
  auto r = extract::extract(*rules, doc("In 2023 Acme bought Brill. In 2024 Vex closed four plants in Ohio."));
  REQUIRE(by_rule(r, "deal"));
  CHECK(by_rule(r, "deal")->title == "Acme buys Brill");
  auto* clause = by_rule(r, "clause");
  REQUIRE(clause);
  CHECK(clause->title == "Vex closes four plants");  // "in" dangling, cut
  CHECK(clause->category == "other");
}

TEST_CASE("a fallback rule gives way to a specific rule on the same words and yields only dated mentions") {
  auto rules = testing::load_pack(kEventPack);
  auto r = extract::extract(*rules, doc("In 2023 Acme bought Brill. Vex closed four plants."));
  CHECK(by_rule(r, "deal"));
  CHECK_FALSE(by_rule(r, "clause"));  // the deal's words are taken; the other clause has no date
  auto off = rules::load_rules_from({{"p.toml", kEventPack}}, "p", {.fallback = false});
  REQUIRE(off.ok());
  auto r2 = extract::extract(*off.rules, doc("In 2024 Vex closed four plants."));
  CHECK(r2.events.empty());
}

TEST_CASE("an excluded group skips the match and the search goes on one byte later") {
  auto rules = testing::load_pack(kEventPack);
  auto r = extract::extract(*rules, doc("Later Acme bought Brill in 2023."));
  REQUIRE(by_rule(r, "deal"));
  CHECK(by_rule(r, "deal")->title == "Acme buys Brill");
}

TEST_CASE("an anaphor takes the last named actor before it in its paragraph") {
  auto rules = testing::load_pack(kEventPack);
  auto r = extract::extract(*rules, doc("Acme Tools grew fast. In 2023 the company bought Brill.\n\nIn 2024 the company bought Vex."));
  std::vector<std::string> titles;
  for (auto& m : r.events)
    if (m.rule_id == "deal") titles.push_back(m.title);
  // The second paragraph names no actor: its "the company" stands for no one.
  CHECK(titles == std::vector<std::string>{"Acme Tools buys Brill"});
}

TEST_CASE("an anaphor with qualifiers before its head stands for a name as the bare anaphor does") {
  auto rules = testing::load_pack(R"TOML(
[tables.ana]
"the company" = ""
[tables.stop]
the = ""
in = ""
[anaphora]
phrases = "ana"
antecedent = '(?-i:[A-Z][a-z]+(?:\s+[A-Z][a-z]+)*)'
exclude = "stop"
groups = ["who"]
[[date]]
id = "d.year"
pattern = '\b(?P<y>20[0-9]{2})\b'
value = "{y}"
[[event]]
id = "deal"
triggers = ["bought"]
pattern = '(?P<who>(?-i:[A-Z][a-z]+)|the(?:\s+[a-z]+){0,3}\s+company)\s+bought\s+(?P<what>[A-Z][a-z]+)'
title = "{who} buys {what}"
exclude = { who = "stop" }
)TOML");
  auto r = extract::extract(*rules, doc("Acme grew fast. In 2023 the small tool company bought Brill. In 2024 the small tool firm bought Zed."));
  REQUIRE(r.events.size() == 1);
  CHECK(r.events[0].title == "Acme buys Brill");
}

TEST_CASE("vetoes drop the mentions they overlap, or every mention of a sentence they match") {
  auto rules = testing::load_pack(kEventPack);
  auto r = extract::extract(*rules, doc("(Photo) In 2023 Acme bought Brill.\n\nIn 2024 Vex bought Zed (rumoured)."));
  CHECK(r.events.empty());
}

TEST_CASE("a lines veto drops every mention of a line it matches, also where its credit is a sentence of its own") {
  auto rules = testing::load_pack(kEventPack);
  auto r = extract::extract(*rules, doc("In 2023 Acme bought Brill. Tom Reyes | Wire Pics\n\nIn 2024 Vex bought Zed."));
  REQUIRE(r.events.size() == 1);
  CHECK(r.events[0].title == "Vex buys Zed");
}

TEST_CASE("regression: a lexicon verb keeps its particle in a title though the particle is a dangling word (kick in)") {
  auto rules = testing::load_pack(R"TOML(
[tables.dangling]
in = ""
[events]
dangling = "dangling"
[lexicons.onset]
category = "other"
verbs = [["kick in", "kicks in", "kicked in", "kicked in", "kicking in"]]
[[event]]
id = "onset"
triggers = ["%{lex:onset}"]
pattern = '(?P<what>[A-Z][a-z]+)\s+(?P<verb>%{lex:onset})'
title = "{what} {verb|lemma} ({verb})"
)TOML");
  auto r = extract::extract(*rules, doc("Tariffs kicked in on Monday."));
  REQUIRE(r.events.size() == 1);
  CHECK(r.events[0].title == "Tariffs kick in (kicked in)");
}

TEST_CASE("regression: ^ in an event pattern is the start of every sentence, not only of the text's first") {
  auto rules = testing::load_pack(kEventPack);
  auto r = extract::extract(*rules, doc("Acme grew in 2020. Founded in 2011, Brill makes tools.\n\nFounded in 2012, Zed sells them."));
  std::vector<std::string> titles;
  for (auto& m : r.events)
    if (m.rule_id == "opener") titles.push_back(m.title);
  CHECK(titles == std::vector<std::string>{"Brill founded", "Zed founded"});
}

TEST_CASE("a line that holds only a date dates the undated events below it, up to the next such line") {
  auto rules = testing::load_pack(kEventPack);
  std::string top(900, ' ');  // past the dateline window: a date line at the top is the source's dateline
  auto r = extract::extract(*rules, doc(top + "\nMarch 2023\n\nAcme bought Brill.\n\nJanuary 2024:\n\nVex bought Zed."));
  REQUIRE(r.events.size() == 2);
  CHECK(r.events[0].date->value == "2023-03");
  CHECK(r.events[0].date_basis == "heading");
  CHECK_FALSE(r.events[0].evidence_date);  // the date is not in the evidence sentence
  CHECK(r.events[1].date->value == "2024-01");
}

TEST_CASE("a list line that starts with a date and a colon dates the rest of its paragraph") {
  auto rules = testing::load_pack(kEventPack);
  std::string top(900, ' ');
  auto r = extract::extract(*rules, doc(top + "\nMarch 2023: talks began. Acme bought Brill.\n\nVex bought Zed."));
  REQUIRE(r.events.size() == 2);
  CHECK(r.events[0].date->value == "2023-03");
  CHECK(r.events[0].date_basis == "heading");
  CHECK_FALSE(r.events[1].date);  // the next paragraph is not under it
}

TEST_CASE("a lead sentence in the present perfect with no date of its own is dated to the publication day, and says so") {
  auto rules = testing::load_pack(kEventPack);
  auto r = extract::extract(*rules, doc("Acme strikes a deal\n\nAcme has bought Brill. Shares rose. More came. Vex has bought Zed.", "2024-05-02"));
  auto* lead = by_rule(r, "lead");
  REQUIRE(lead);
  REQUIRE(lead->date);
  CHECK(lead->date->value == "2024-05-02");
  CHECK(lead->date_basis == "publication");
  // The fourth sentence with terminal punctuation is past the lead.
  for (auto& m : r.events)
    if (m.title == "Vex buys Zed") CHECK_FALSE(m.date);
}

TEST_CASE("a title's group stops before a date inside it") {
  auto rules = testing::load_pack(kEventPack);
  auto r = extract::extract(*rules, doc("Vex closed four plants on friday.", "2024-05-02"));
  auto* clause = by_rule(r, "clause");
  REQUIRE(clause);
  CHECK(clause->title == "Vex closes four plants");
  CHECK(clause->date->value == "2024-04-26");
}

TEST_CASE("regression: a trigger inside a longer one (sworn inside was sworn in, effect inside take effect) still starts its rules") {
  auto rules = testing::load_pack(R"TOML(
[[date]]
id = "d.year"
pattern = '\b(?P<y>20[0-9]{2})\b'
value = "{y}"
[[event]]
id = "short"
triggers = ["sworn"]
pattern = '(?-i:(?P<who>[A-Z][a-z]+))\s+was\s+sworn\b'
title = "{who} sworn"
[[event]]
id = "long"
triggers = ["was sworn in"]
pattern = '(?-i:(?P<who>[A-Z][a-z]+))\s+was\s+sworn\s+in\b'
title = "{who} sworn in"
)TOML");
  // The one pass over the triggers reports "was sworn in" there, never "sworn".
  auto r = extract::extract(*rules, doc("In 2025 Okafor was sworn in as mayor."));
  CHECK(by_rule(r, "short"));
  CHECK(by_rule(r, "long"));
  // A trigger that is only part of a word is not inside another trigger.
  CHECK(rules->trigger_rules.at("sworn").size() == 1);
}

TEST_CASE("where an event rule's matches can begin is read from the start of its pattern") {
  using rules::MatchStart;
  CHECK(rules::match_start_of("(?i)\\b(?P<a>x)") == MatchStart::WordBoundary);
  CHECK(rules::match_start_of("\\b(?:a|b)c") == MatchStart::WordBoundary);
  CHECK(rules::match_start_of("(?i)^x") == MatchStart::SentenceStart);
  CHECK(rules::match_start_of("(?:^|\\s)the") == MatchStart::SpaceOrStart);
  CHECK(rules::match_start_of("\\bx|y") == MatchStart::Anywhere);       // y may start anywhere
  CHECK(rules::match_start_of("\\b[|(]x") == MatchStart::WordBoundary);  // a class holds no alternation
  CHECK(rules::match_start_of("\\\\bx") == MatchStart::Anywhere);       // an escaped backslash, then "bx"
  CHECK(rules::match_start_of("(?:)\\bx") == MatchStart::Anywhere);
  // A start that may be skipped or repeated says nothing.
  CHECK(rules::match_start_of("(?:^|\\s)?the") == MatchStart::Anywhere);
  CHECK(rules::match_start_of("\\b*x") == MatchStart::Anywhere);
  CHECK(rules::match_start_of("^{0,1}x") == MatchStart::Anywhere);
}

TEST_CASE("a leading group that must match once is seen through for where matches begin") {
  using rules::MatchStart;
  // A fragment that opens the pattern is wrapped in (?:...) by expansion.
  CHECK(rules::match_start_of("(?i)(?:(?:^|\\s)(?:the\\s+)?(?P<s>x))\\s+y") == MatchStart::SpaceOrStart);
  CHECK(rules::match_start_of("(?:(?:\\bx))y") == MatchStart::WordBoundary);
  CHECK(rules::match_start_of("(?P<a>^x)y") == MatchStart::SentenceStart);
  // Must not count: the group may be skipped, repeated, or its body has
  // another alternative, or the group is not first.
  CHECK(rules::match_start_of("(?:(?:^|\\s)x)?y") == MatchStart::Anywhere);
  CHECK(rules::match_start_of("(?:(?:^|\\s)x)*y") == MatchStart::Anywhere);
  CHECK(rules::match_start_of("(?:(?:^|\\s)x){0,2}y") == MatchStart::Anywhere);
  CHECK(rules::match_start_of("(?:\\bx|y)z") == MatchStart::Anywhere);
  CHECK(rules::match_start_of("(?:(?:^|\\s)x|y)z") == MatchStart::Anywhere);
  CHECK(rules::match_start_of("(?:(?:(?:^|\\s)x)|y)z") == MatchStart::Anywhere);
  CHECK(rules::match_start_of("(?:x(?:^|\\s))y") == MatchStart::Anywhere);
  CHECK(rules::match_start_of("(?:(?:^|\\s)?x)y") == MatchStart::Anywhere);
  CHECK(rules::match_start_of("(?:(?:^|\\s)x)y|z") == MatchStart::Anywhere);
  CHECK(rules::match_start_of("(?i:(?:^|\\s)x)y") == MatchStart::Anywhere);  // a flags group: not read
  CHECK(rules::match_start_of("(?:\\)\\bx)") == MatchStart::Anywhere);       // "\\)" closes no group
}

namespace {
// The two results hold the same mentions: titles and matched spans.
void check_same_mentions(const extract::Result& a, const extract::Result& u) {
  for (std::size_t i = 0; i < a.events.size() && i < u.events.size(); ++i) {
    CHECK(a.events[i].title == u.events[i].title);
    CHECK(a.events[i].match.begin == u.events[i].match.begin);
    CHECK(a.events[i].match.end == u.events[i].match.end);
  }
}
}  // namespace

TEST_CASE("anchored starts find the same mentions as one unanchored search") {
  // The same rule twice: as written (searched from each word boundary) and
  // behind an empty group (searched unanchored). Leftmost-first choice, the
  // exclude retry one byte later and the sentence's ^ must agree.
  auto pack = [](const std::string& prefix) {
    return std::string(kPack) + R"TOML(
[tables.not_actor]
the = ""
[[event]]
id = "act"
pattern = ')TOML" + prefix + R"TOML(\b(?P<who>(?-i:[A-Z][a-z]+))(?:\s+(?-i:[A-Z][a-z]+))?\s+(?:halted|stopped)\s+(?P<what>[a-z]+(?:\s+[a-z]+)?)'
triggers = ["halted", "stopped"]
exclude = { who = "not_actor" }
title = "{who} halts {what}"
[[event]]
id = "lead"
pattern = ')TOML" + prefix + R"TOML(^(?P<who>[A-Z][a-z]+)\s+said\b'
triggers = ["said"]
title = "{who} speaks"
)TOML";
  };
  auto anchored = testing::load_pack(pack(""));
  auto unanchored = testing::load_pack(pack("(?:)"));
  REQUIRE(anchored->events.back().start == rules::MatchStart::SentenceStart);
  REQUIRE(unanchored->events.back().start == rules::MatchStart::Anywhere);
  std::string text = "In 2023 The Ferrow Mill halted gallium exports and Vela stopped work. Pell said in 2024 that Arno halted x. "
                     "In 2024 Kio said Dun Hale stopped all shipments.";
  auto a = extract::extract(*anchored, doc(text)), u = extract::extract(*unanchored, doc(text));
  REQUIRE(a.events.size() == u.events.size());
  CHECK(a.events.size() >= 4);
  check_same_mentions(a, u);
}

TEST_CASE("a rule whose every match holds a whole trigger word is seen to be one") {
  const std::vector<std::string> lex = {"(?:stopped|halted)"};
  CHECK(rules::trigger_bounds_match("(?i)\\b(?P<who>[A-Z]\\w+)\\s+(?P<verb>(?:stopped|halted))\\s+x", lex));
  CHECK(rules::trigger_bounds_match("\\bA(?:,\\s+b)?[ \\t]+(?P<v>(?:stopped|halted))(?:\\s*[,.]|\\s+y|\\s*$)", lex));
  CHECK(rules::trigger_bounds_match("A(?:\\s+b)*\\s+(?:c\\s+)*(?P<v>(?:stopped|halted))\\b", lex));
  CHECK_FALSE(rules::trigger_bounds_match("A\\s+(?P<v>(?:stopped|halted))?\\s+x", lex));     // optional
  CHECK_FALSE(rules::trigger_bounds_match("A\\s+(?P<v>(?:stopped|halted))|B", lex));        // another alternative
  CHECK_FALSE(rules::trigger_bounds_match("A\\s+(?:x|(?P<v>(?:stopped|halted)))\\s+x", lex));  // nested in an alternation
  CHECK_FALSE(rules::trigger_bounds_match("A(?P<v>(?:stopped|halted))\\s+x", lex));         // "Astopped": no word start
  CHECK_FALSE(rules::trigger_bounds_match("A\\s+(?P<v>(?:stopped|halted))", lex));          // "stoppedx" may follow
  CHECK_FALSE(rules::trigger_bounds_match("A\\s+(?P<v>(?:stopped|halted))\\s*[a,]", lex));  // a letter may follow
  CHECK_FALSE(rules::trigger_bounds_match("A\\s+(?P<v>(?:stopped|halted))\\w*\\s", lex));
  CHECK_FALSE(rules::trigger_bounds_match("A\\s+(?P<v>(?:stopped|halt))\\s+x", lex));       // not the trigger's words
  CHECK_FALSE(rules::trigger_bounds_match("A\\\\s+(?P<v>(?:stopped|halted))\\s+x", lex));   // a backslash, then "s+"
}

TEST_CASE("starts past the last trigger are not tried, and the mentions stay those of a search from every start") {
  // The same rule twice: as written (tried from each word boundary up to
  // the last trigger of the sentence) and behind an empty group (searched
  // unanchored over the whole sentence).
  auto pack = [](const std::string& prefix) {
    return std::string(kPack) + R"TOML(
[tables.stop_verbs]
halted = ""
stopped = ""
"shut down" = ""
[[event]]
id = "act"
pattern = ')TOML" + prefix + R"TOML(\b(?P<who>(?-i:[A-Z][a-z]+))(?:\s+(?-i:[A-Z][a-z]+))?\s+(?P<verb>%{table:stop_verbs})(?:\s*[,.;]|\s+(?P<what>[a-z]+))'
triggers = ["%{table:stop_verbs}"]
title = "{who} {verb} {what}"
)TOML";
  };
  auto capped = testing::load_pack(pack(""));
  auto plain = testing::load_pack(pack("(?:)"));
  REQUIRE(capped->events.back().trigger_in_match);
  REQUIRE(plain->events.back().start == rules::MatchStart::Anywhere);  // one unanchored search: no cap
  std::string text = "In 2023 Ferrow Mill halted exports, Vela stopped work and Dun Hale shut down mills. In 2024 Pell stopped. "
                     "Arno said in 2024 that Kio Lund halted tours while Bram stopped trains.";
  auto a = extract::extract(*capped, doc(text)), u = extract::extract(*plain, doc(text));
  REQUIRE(a.events.size() == u.events.size());
  CHECK(a.events.size() >= 5);
  check_same_mentions(a, u);
}
