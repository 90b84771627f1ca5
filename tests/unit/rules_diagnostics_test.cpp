// Every diagnostic of the rule loader, each pinned on a small broken rule
// pack in tests/fixtures/rules-broken/<case>/: severity, file, exact line and
// column, rule id and the gist of the message.
#include <doctest/doctest.h>

#include <algorithm>
#include <string>

#include "rules/rules.h"
#include "rules/toml_position.h"

using namespace annals;

namespace {

std::string fixture(const std::string& name) { return std::string(ANNALS_SOURCE_DIR) + "/tests/fixtures/rules-broken/" + name; }

struct Loaded {
  rules::LoadResult result;
  // The first diagnostic whose message contains `part`; fails the test when none.
  const Diagnostic& find(const std::string& part) const {
    auto it = std::find_if(result.diagnostics.begin(), result.diagnostics.end(),
                           [&](const Diagnostic& d) { return d.message.find(part) != std::string::npos; });
    std::string all;
    for (auto& d : result.diagnostics) all += format_diagnostic(d) + "\n";
    INFO("looking for \"", part, "\" in:\n", all);
    REQUIRE(it != result.diagnostics.end());
    return *it;
  }
};

Loaded load_case(const std::string& name) { return {rules::load_rules(fixture(name))}; }

void check_at(const Diagnostic& d, const std::string& file, int line, int column, const std::string& rule, Severity sev) {
  CHECK(d.file.size() >= file.size());
  CHECK(d.file.substr(d.file.size() - file.size()) == file);
  CHECK(d.line == line);
  CHECK(d.column == column);
  CHECK(d.rule_id == rule);
  CHECK(d.severity == sev);
}

}  // namespace

TEST_CASE("a TOML syntax error is reported with toml++'s line and column and the pack is refused") {
  auto l = load_case("toml-syntax");
  CHECK(!l.result.ok());
  check_at(l.find("TOML syntax error"), "toml-syntax/rules.toml", 4, 38, "", Severity::Error);
}

TEST_CASE("an RE2 error carries RE2's message and the pattern, at the piece RE2 names") {
  auto l = load_case("re2-bad-repeat");
  auto& d = l.find("RE2 error: invalid repetition size: {3,2}");
  check_at(d, "re2-bad-repeat/rules.toml", 3, 28, "date.bad-repeat", Severity::Error);
  CHECK(d.message.find("pattern: \\b(?P<year>[0-9]{3,2})\\b") != std::string::npos);
}

TEST_CASE("an RE2 error without a piece to point at is reported at the pattern's value") {
  auto l = load_case("re2-error");
  check_at(l.find("RE2 error: missing )"), "re2-error/rules.toml", 3, 11, "date.bad-paren", Severity::Error);
}

TEST_CASE("an unknown key is reported at the key with a did-you-mean, also inside an example entry") {
  auto l = load_case("unknown-key");
  check_at(l.find("unknown key \"patern\" (did you mean \"pattern\"?)"), "unknown-key/rules.toml", 3, 1, "date.typo", Severity::Error);
  check_at(l.find("unknown key \"vaule\" in examples entry (did you mean \"value\"?)"), "unknown-key/rules.toml", 6, 33,
           "date.typo", Severity::Error);
}

TEST_CASE("missing required keys are reported at the rule's header, each one") {
  auto l = load_case("missing-key");
  check_at(l.find("missing required key \"value\""), "missing-key/rules.toml", 1, 1, "date.no-value", Severity::Error);
  check_at(l.find("missing required key \"title\""), "missing-key/rules.toml", 5, 1, "no-title", Severity::Error);
  check_at(l.find("[[veto]] rule is missing the required key \"id\""), "missing-key/rules.toml", 9, 1, "", Severity::Error);
}

TEST_CASE("a rule id used in two files is reported at the second id, naming the first") {
  auto l = load_case("duplicate-id");
  auto& d = l.find("duplicate rule id \"date.year\"");
  check_at(d, "duplicate-id/b.toml", 4, 8, "date.year", Severity::Error);
  CHECK(d.message.find("duplicate-id/a.toml:2:6") != std::string::npos);
}

TEST_CASE("an undefined fragment is reported at its %{ in the pattern with a did-you-mean") {
  auto l = load_case("undefined-fragment");
  check_at(l.find("%{mnth} names no fragment"), "undefined-fragment/rules.toml", 6, 24, "date.month-year", Severity::Error);
  CHECK(l.find("%{mnth}").message.find("did you mean \"month\"") != std::string::npos);
}

TEST_CASE("an undefined fragment inside a fragment is reported once, in that fragment, even if no rule uses it") {
  auto l = load_case("undefined-fragment-in-fragment");
  check_at(l.find("in fragment \"date\": %{yeer} names no fragment"), "undefined-fragment-in-fragment/rules.toml", 3, 16, "",
           Severity::Error);
  CHECK(l.result.diagnostics.size() == 1);
}

TEST_CASE("an undefined table in a pattern is reported at its %{table:...}") {
  auto l = load_case("undefined-table");
  check_at(l.find("%{table:months} names no table"), "undefined-table/rules.toml", 6, 24, "date.month-name", Severity::Error);
}

TEST_CASE("an undefined table in a value template is reported at the table name") {
  auto l = load_case("undefined-table-in-template");
  check_at(l.find("value uses {month|monthz} but no table \"monthz\" is defined (did you mean \"month\"?)"),
           "undefined-table-in-template/rules.toml", 7, 28, "date.month-name", Severity::Error);
}

TEST_CASE("a group the title uses but the pattern lacks is reported at the placeholder") {
  auto l = load_case("group-missing");
  check_at(l.find("title uses {modle} but the pattern has no group"), "group-missing/rules.toml", 4, 27, "release", Severity::Error);
}

TEST_CASE("a misspelt built-in placeholder, or one outside a date value, is reported at its {") {
  auto l = load_case("builtin-unknown");
  check_at(l.find("value uses {anchor.dya}, which is no built-in placeholder (did you mean \"anchor.day\"?)"),
           "builtin-unknown/rules.toml", 4, 10, "date.next-day", Severity::Error);
  check_at(l.find("title uses {ref.year}, but built-in placeholders fill only a date rule's value and mod"),
           "builtin-unknown/rules.toml", 14, 28, "launch", Severity::Error);
}

TEST_CASE("the static value check puts a sample date in place of an anchor") {
  rules::LoadOptions options;
  std::vector<std::string> seen;
  options.check_value = [&](std::string_view e) {
    seen.emplace_back(e);
    return e.find("fortnight") != std::string_view::npos ? Status::error("bad granularity") : Status();
  };
  Loaded l{rules::load_rules(fixture("builtin-unknown"), options)};
  check_at(l.find("value can become \"2025@fortnight\": bad granularity"), "builtin-unknown/rules.toml", 9, 9,
           "date.that-year", Severity::Error);
}

TEST_CASE("a group nothing uses is a warning at its (?P<name> and does not refuse the pack") {
  auto l = load_case("group-unused");
  check_at(l.find("group \"era\" is defined but nothing uses it"), "group-unused/rules.toml", 3, 39, "date.year-era",
           Severity::Warning);
  CHECK(l.result.ok());
}

TEST_CASE("a pattern that can match the empty string is an error at the pattern") {
  auto l = load_case("empty-match");
  check_at(l.find("pattern can match the empty string"), "empty-match/rules.toml", 3, 11, "veto.optional", Severity::Error);
}

TEST_CASE("a pattern whose program exceeds RE2's memory budget names the rule and gives a hint") {
  auto l = load_case("too-large");
  auto& d = l.find("pattern too large - compile failed");
  check_at(d, "too-large/rules.toml", 8, 11, "huge-date", Severity::Error);
  // Event rules compile with a larger budget for their DFAs; their programs
  // are held to the default budget all the same.
  check_at(l.find("instructions, more than the"), "too-large/rules.toml", 3, 11, "huge", Severity::Error);
  CHECK(d.message.find("hint:") != std::string::npos);
}

TEST_CASE("value expressions are checked through the caller's checker, trying each table value") {
  rules::LoadOptions options;
  options.check_value = [](std::string_view e) {
    return e.find("fortnight") != std::string_view::npos || e == "2025-12-32" ? Status::error("bad: " + std::string(e)) : Status();
  };
  rules::LoadResult r = rules::load_rules(fixture("bad-value"), options);
  Loaded l{std::move(r)};
  check_at(l.find("value can become \"ref@fortnight\": bad: ref@fortnight"), "bad-value/rules.toml", 8, 9,
           "date.bad-granularity", Severity::Error);
  check_at(l.find("value: bad: 2025-12-32"), "bad-value/rules.toml", 18, 9, "date.bad-literal", Severity::Error);
  // Without a checker the same pack loads: values are only checked when asked.
  CHECK(rules::load_rules(fixture("bad-value")).ok());
}

TEST_CASE("rules without examples are warned about only when the caller asks") {
  rules::LoadOptions options;
  options.require_examples = true;
  Loaded l{rules::load_rules(fixture("group-unused"), options)};
  check_at(l.find("rule has no examples"), "group-unused/rules.toml", 2, 6, "date.year-era", Severity::Warning);
  auto plain = rules::load_rules(fixture("group-unused"));
  CHECK(std::none_of(plain.diagnostics.begin(), plain.diagnostics.end(),
                     [](auto& d) { return d.message.find("no examples") != std::string::npos; }));
}

TEST_CASE("every rule of the project's own pack carries examples") {
  rules::LoadOptions options;
  options.require_examples = true;
  auto r = rules::load_rules(std::string(ANNALS_SOURCE_DIR) + "/rules", options);
  for (auto& d : r.diagnostics) CHECK_MESSAGE(d.message.find("no examples") == std::string::npos, format_diagnostic(d));
}

TEST_CASE("every problem of a rule is reported, not only the first") {
  auto r = rules::load_rules_from({{"x.toml", "[[event]]\nid = \"e\"\npattern = '%{nope}'\ncategory = 3\n"}});
  CHECK(r.diagnostics.size() == 3);  // undefined fragment, category type, missing title
}

TEST_CASE("position_in_string maps value offsets to columns through escapes and multi-line strings") {
  using rules::position_in_string;
  using rules::TextPosition;
  std::string_view literal = "p = 'ab%{x}'\n";
  CHECK(position_in_string(literal, {1, 5}, 2).column == 8);
  std::string_view basic = "v = \"a\\tb{x}\"\n";  // \t is one byte of the value, two in the file
  CHECK(position_in_string(basic, {1, 5}, 3).column == 10);
  std::string_view unicode = "v = \"\\u00e9{x}\"\n";  // é: two bytes of the value, six in the file
  CHECK(position_in_string(unicode, {1, 5}, 2).column == 12);
  std::string_view multi = "v = '''\nab\ncd{x}'''\n";
  TextPosition at = position_in_string(multi, {1, 5}, 5);
  CHECK(at.line == 3);
  CHECK(at.column == 3);
  std::string_view wide = "k = 'é %{x}'\n";  // columns count code points
  CHECK(position_in_string(wide, {1, 5}, 3).column == 8);
  CHECK(position_in_string("k = 12\n", {1, 5}, 1).column == 5);  // not a string: unchanged
}

TEST_CASE("same_as naming no event rule is reported at the same_as value") {
  auto l = load_case("same-as");
  check_at(l.find("same_as names \"relase\", which is not an event rule"), "same-as/rules.toml", 10, 11, "launch", Severity::Error);
}

TEST_CASE("an unknown key in [text] is a warning at the key with a did-you-mean") {
  auto l = load_case("same-as");
  check_at(l.find("unknown key \"abbreviation\" in [text] (did you mean \"abbreviations\"?)"), "same-as/rules.toml", 13, 1, "",
           Severity::Warning);
}

TEST_CASE("a name undefined because its file has a TOML syntax error says so, pointing at that file") {
  auto l = load_case("toml-syntax-cascade");
  check_at(l.find("TOML syntax error"), "toml-syntax-cascade/a.toml", 2, 8, "", Severity::Error);
  auto& d = l.find("%{year} names no fragment");
  check_at(d, "toml-syntax-cascade/b.toml", 3, 23, "date.year", Severity::Error);
  CHECK(d.message.find("toml-syntax-cascade/a.toml, which has a TOML syntax error: fix that first") != std::string::npos);
}

TEST_CASE("the static value check fills alternative groups of one slot one at a time, never concatenated") {
  const char* pack = R"toml(
[tables.month]
jan = 1
oct = 10
[tables.unit]
year = "Y"
[[date]]
id = "date.alt"
pattern = '\b(?:this\s+(?P<m1>%{table:month})|(?P<m2>%{table:month})\s+this\s+year)\b'
value = "this(month={m1|month}{m2|month})"
[[date]]
id = "date.shift"
pattern = '\b(?P<n>[0-9])\s+(?P<u>%{table:unit})\s+ago\b'
value = "ref-{n|month}{u|unit}"
)toml";
  std::vector<std::string> seen;
  rules::LoadOptions options;
  options.check_value = [&](std::string_view e) {
    seen.emplace_back(e);
    return Status();
  };
  auto r = rules::load_rules_from({{"t.toml", pack}}, "t", options);
  CHECK(r.ok());
  auto tried = [&](const std::string& e) { return std::find(seen.begin(), seen.end(), e) != seen.end(); };
  CHECK(tried("this(month=10)"));
  CHECK(tried("this(month=1)"));
  CHECK(!tried("this(month=101)"));
  CHECK(!tried("this(month=110)"));
  CHECK(tried("ref-10Y"));  // different tables side by side are one expression
}

TEST_CASE("a date rule's timex group is used by the tagger, so it is not reported as unused") {
  auto r = rules::load_rules_from({{"t.toml", "[[date]]\nid = \"d\"\npattern = '\\bwill\\s+meet\\s+(?P<timex>(?P<y>20[0-9]{2}))\\b'\n"
                                              "value = \"{y}\"\n"}});
  CHECK(r.ok());
  CHECK(r.diagnostics.empty());
}

TEST_CASE("a dates-only load skips the event rules, broken ones included, and still checks the date rules") {
  std::string pack = "[[date]]\nid = \"d\"\npattern = '\\b(?P<y>19[0-9]{2})\\b'\nvalue = \"{y}\"\n"
                     "[[event]]\nid = \"e\"\npattern = '(unclosed'\ntitle = \"x\"\ncategory = \"c\"\n";
  rules::LoadOptions dates_only;
  dates_only.event_rules = false;
  auto r = rules::load_rules_from({{"t.toml", pack}}, "t", dates_only);
  REQUIRE(r.ok());
  CHECK(r.rules->dates.size() == 1);
  CHECK(r.rules->events.empty());
  CHECK_FALSE(rules::load_rules_from({{"t.toml", pack}}).ok());  // a full load reports the broken event rule
  auto broken_date = rules::load_rules_from({{"t.toml", "[[date]]\nid = \"d\"\npattern = '(x'\nvalue = \"1\"\n"}}, "t", dates_only);
  CHECK_FALSE(broken_date.ok());
}
