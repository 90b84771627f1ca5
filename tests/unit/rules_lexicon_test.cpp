// The event side of the rule format: [lexicons.NAME] (verb classes that
// expand to alternations and fill the lemma / present / category tables),
// event triggers, exclude, [anaphora], [events], and their diagnostics.
#include <doctest/doctest.h>

#include <algorithm>
#include <string>

#include "rules/rules.h"
#include "rules/scan.h"
#include "test_rules.h"

using namespace annals;

namespace {

const char* kLexicon = R"TOML(
[lexicons.acquire]
category = "acquisition"
verbs = [
  ["acquire", "acquires", "acquired", "acquired", "acquiring"],
  ["take over", "takes over", "took over", "taken over", "taking over"],
]
nouns = { acquisition = "acquire", takeover = "take over" }

[lexicons.quit]
category = "appointment"
verbs = [["resign", "resigns", "resigned", "resigned", "resigning"]]
)TOML";

rules::LoadResult load(const std::string& toml, const rules::LoadOptions& options = {}) {
  return rules::load_rules_from({{"pack.toml", toml}}, "pack", options);
}

// The first diagnostic containing `part`, or nullptr.
const Diagnostic* find(const rules::LoadResult& r, const std::string& part) {
  for (auto& d : r.diagnostics)
    if (d.message.find(part) != std::string::npos) return &d;
  std::string all;
  for (auto& d : r.diagnostics) all += format_diagnostic(d) + "\n";
  MESSAGE("no diagnostic with \"" << part << "\" in:\n" << all);
  return nullptr;
}

bool matches(const RE2& re, const std::string& text) {
  bool hit = false;
  rules::for_each_match(re, text, [&](Span) { hit = true; });
  return hit;
}

}  // namespace

TEST_CASE("a lexicon fills the lemma, present and category tables from every verb form and noun") {
  auto rules = testing::load_pack(std::string(kLexicon) + R"TOML(
[[event]]
id = "e"
pattern = 'x'
title = "x"
)TOML");
  const auto& lemma = rules->tables.at("lemma").entries;
  const auto& present = rules->tables.at("present").entries;
  CHECK(lemma.at("took over") == "take over");
  CHECK(lemma.at("acquiring") == "acquire");
  CHECK(present.at("acquired") == "acquires");
  CHECK(present.at("takeover") == "takes over");  // a noun: the present of its verb
  CHECK(rules->tables.at("category").entries.at("resigned") == "appointment");
  REQUIRE(rules->lexicons.size() == 2);
  CHECK(rules->lexicons[0].verbs.size() == 2);
}

TEST_CASE("%{lex:NAME.FORM} expands to the forms of that slot only, %{lex:*} to every lexicon") {
  auto rules = testing::load_pack(std::string(kLexicon) + R"TOML(
[[event]]
id = "past"
pattern = '\b%{lex:acquire.past}\b'
title = "x"
[[event]]
id = "any"
pattern = '\b%{lex:*.finite}\b'
title = "x"
[[event]]
id = "noun"
pattern = '\b%{lex:acquire.noun}\b'
title = "x"
)TOML");
  CHECK(matches(*rules->events[0].re, "it took  over the firm"));  // a space in a form matches any run of whitespace
  CHECK_FALSE(matches(*rules->events[0].re, "it will acquire the firm"));
  CHECK(matches(*rules->events[1].re, "she resigns"));
  CHECK(matches(*rules->events[1].re, "it acquired"));
  CHECK_FALSE(matches(*rules->events[1].re, "acquiring"));
  CHECK(matches(*rules->events[2].re, "the takeover of"));
  CHECK_FALSE(matches(*rules->events[2].re, "took over"));
}

TEST_CASE("a word in two lexicons is an error naming both") {
  auto r = load(std::string(kLexicon) + R"TOML(
[lexicons.buy]
category = "deal"
verbs = [["take over", "takes over", "took over", "taken over", "taking over"]]
)TOML");
  CHECK_FALSE(r.ok());
  auto* d = find(r, "is in lexicons \"acquire\"");
  REQUIRE(d);
  CHECK(d->message.find("\"buy\"") != std::string::npos);
  CHECK(d->file == "pack.toml");
}

TEST_CASE("a verb entry without its five forms, and a noun naming no verb of its lexicon, are errors at their line") {
  auto r = load(R"TOML(
[lexicons.launch]
category = "launch"
verbs = [
  ["launch", "launches", "launched"],
]
nouns = { debut = "debut" }
)TOML");
  CHECK_FALSE(r.ok());
  auto* forms = find(r, "each verb is [base, 3rd person present, past, past participle, -ing form]");
  REQUIRE(forms);
  CHECK(forms->line == 5);
  auto* noun = find(r, "noun \"debut\" must name the base form");
  REQUIRE(noun);
  CHECK(noun->line == 7);
}

TEST_CASE("%{lex:...} naming no lexicon or no form is an error with a did-you-mean") {
  auto r = load(std::string(kLexicon) + R"TOML(
[[event]]
id = "e1"
pattern = '%{lex:aquire}'
title = "x"
[[event]]
id = "e2"
pattern = '%{lex:acquire.pst}'
title = "x"
)TOML");
  CHECK_FALSE(r.ok());
  auto* name = find(r, "names no lexicon");
  REQUIRE(name);
  CHECK(name->message.find("did you mean \"acquire\"") != std::string::npos);
  CHECK(name->rule_id == "e1");
  auto* form = find(r, "\"pst\" is no form");
  REQUIRE(form);
  CHECK(form->message.find("did you mean \"past\"") != std::string::npos);
}

TEST_CASE("a pack table named like a lexicon table is an error") {
  auto r = load(std::string(kLexicon) + "[tables.present]\nx = \"y\"\n");
  CHECK_FALSE(r.ok());
  CHECK(find(r, "table \"present\" is filled by the lexicons"));
}

TEST_CASE("triggers are literal words, lexicon forms or table keys, indexed by their normalized text") {
  auto rules = testing::load_pack(std::string(kLexicon) + R"TOML(
[tables.noun]
"buy-out" = ""
[[event]]
id = "deal"
pattern = '\b(?:%{lex:acquire}|buy-out|Merger\s+Deal)\b'
title = "x"
triggers = ["%{lex:acquire.past}", "%{table:noun}", "Merger  Deal"]
[[event]]
id = "untriggered"
pattern = 'zzz'
title = "x"
)TOML");
  const auto& deal = rules->events[0];
  CHECK(std::find(deal.triggers.begin(), deal.triggers.end(), "took over") != deal.triggers.end());
  CHECK(std::find(deal.triggers.begin(), deal.triggers.end(), "buy-out") != deal.triggers.end());
  CHECK(std::find(deal.triggers.begin(), deal.triggers.end(), "merger deal") != deal.triggers.end());
  CHECK(std::find(deal.triggers.begin(), deal.triggers.end(), "acquire") == deal.triggers.end());  // not a past form
  REQUIRE(rules->event_triggers);
  CHECK(rules->trigger_rules.at("acquired") == std::vector<std::size_t>{0});
  CHECK(rules->untriggered_events == std::vector<std::size_t>{1});
}

TEST_CASE("a trigger that is a pattern, not a literal, is an error, and a rule without triggers is a warning of rules check") {
  auto bad = load(R"TOML(
[[event]]
id = "e"
pattern = 'bought'
title = "x"
triggers = ["bou?ght"]
)TOML");
  CHECK_FALSE(bad.ok());
  REQUIRE(find(bad, "is not a literal word or phrase"));
  CHECK(find(bad, "is not a literal word or phrase")->rule_id == "e");
  auto bare = load("[[event]]\nid = \"e\"\npattern = 'bought'\ntitle = \"x\"\nexamples = [\"bought\"]\n", {.require_examples = true});
  CHECK(bare.ok());
  auto* w = find(bare, "event rule has no triggers");
  REQUIRE(w);
  CHECK(w->severity == Severity::Warning);
}

TEST_CASE("exclude names a table and a group of the pattern") {
  auto r = load(R"TOML(
[tables.stop]
the = ""
[[event]]
id = "e"
pattern = '(?P<who>[A-Z][a-z]+) won'
title = "{who}"
exclude = { who = "stop", whom = "stop", what = "nosuch" }
)TOML");
  CHECK_FALSE(r.ok());
  CHECK(find(r, "exclude names group \"whom\""));
  CHECK(find(r, "exclude.what must name a table"));
}

TEST_CASE("[events] fallback = false turns fallback rules off and LoadOptions::fallback overrides the pack") {
  std::string pack = "[events]\nfallback = false\n[[event]]\nid = \"e\"\npattern = 'x'\ntitle = \"x\"\nfallback = true\n";
  auto off = load(pack);
  REQUIRE(off.ok());
  CHECK_FALSE(off.rules->fallback);
  CHECK(off.rules->events[0].fallback);
  auto on = load(pack, {.fallback = true});
  REQUIRE(on.ok());
  CHECK(on.rules->fallback);
  auto bad = load("[events]\nfallback = \"no\"\nfalback = 1\n");
  CHECK(find(bad, "[events] fallback must be true or false"));
  CHECK(find(bad, "unknown key \"falback\" in [events] (did you mean \"fallback\"?)"));
}

TEST_CASE("[anaphora] needs a phrases table, groups and an antecedent pattern that compiles") {
  auto r = load("[tables.ana]\nit = \"\"\n[anaphora]\nphrases = \"ana\"\nantecedent = '(?P<x'\n");
  CHECK_FALSE(r.ok());
  CHECK(find(r, "[anaphora] needs groups"));
  CHECK(find(r, "[anaphora] antecedent: RE2 error"));
}

TEST_CASE("a veto's applies_to is dates, events, sentences or lines") {
  auto r = load(R"TOML(
[[veto]]
id = "v1"
pattern = 'x'
applies_to = "events"
[[veto]]
id = "v2"
pattern = 'y'
applies_to = "sentences"
[[veto]]
id = "v3"
pattern = 'z'
applies_to = "paragraphs"
[[date]]
id = "d"
pattern = '\b20[0-9]{2}\b'
value = "2024"
)TOML");
  CHECK_FALSE(r.ok());
  CHECK(find(r, "applies_to must be \"dates\" (the default), \"events\", \"sentences\" or \"lines\""));
  auto ok = load("[[veto]]\nid = \"v1\"\npattern = 'x'\napplies_to = \"events\"\n[[veto]]\nid = \"v2\"\npattern = 'y'\n"
                 "[[veto]]\nid = \"v3\"\npattern = 'z'\napplies_to = \"lines\"\n"
                 "[[date]]\nid = \"d\"\npattern = '\\b20[0-9]{2}\\b'\nvalue = \"2024\"\n");
  REQUIRE(ok.ok());
  CHECK(ok.rules->vetoes.size() == 1);  // the date veto only: the tagger never sees event vetoes
  REQUIRE(ok.rules->event_vetoes.size() == 2);
  CHECK(ok.rules->event_vetoes[0].target == rules::VetoTarget::Events);
  CHECK(ok.rules->event_vetoes[1].target == rules::VetoTarget::Lines);
}
