// rules/pattern_text.h: where a token of RE2 pattern text ends, and the
// readers built on it agreeing with RE2 where the old, separate scanners
// did not.
#include <doctest/doctest.h>

#include <map>
#include <string>

#include <re2/re2.h>

#include "rules/loader.h"
#include "rules/pattern_text.h"
#include "rules/rules.h"
#include "test_rules.h"

using namespace annals;

TEST_CASE("class_end steps over a leading close bracket, escapes and POSIX members, and reports an open class") {
  CHECK(rules::class_end("[abc]x", 0) == 5);
  CHECK(rules::class_end("[]a]", 0) == 4);        // ']' first is a member
  CHECK(rules::class_end("[^]a]", 0) == 5);       // also after '^'
  CHECK(rules::class_end("[a\\]b]", 0) == 6);     // an escaped ']'
  CHECK(rules::class_end("[[:alpha:]x]", 0) == 12);
  CHECK(rules::class_end("[[:x]", 0) == 5);       // no ":]": the '[' is a literal member
  CHECK(rules::class_end("x[ab", 1) == std::string_view::npos);
}

TEST_CASE("class_end takes a bracket and colon after a dash as the range end, not a POSIX member (fuzz: capture_groups)") {
  // libFuzzer found "([A-[:])(?P<w>:])": RE2 reads [A-[:] as the range A
  // to '[' and ':', so the group w is real; the old reader took "[:" up to
  // the group's ":]" as one member and lost the group.
  CHECK(rules::class_end("[A-[:])(?P<w>:])", 0) == 6);
  CHECK(rules::class_end("[\\101-[:]x", 0) == 9);              // an octal escape begins a range too
  CHECK(rules::class_end("[0-\\x{5B}[:alpha:]]x", 0) == 19);  // a range's end as \x{..}, then a member
  CHECK(rules::class_end("[\\d-[:alpha:]]x", 0) == 14);         // \d begins no range: "[:alpha:]" is a member
  CHECK(rules::class_end("[\xC3\xA9-\xC3\xBC[:alpha:]]x", 0) == 16);  // a range of two-byte characters
  CHECK(rules::capture_groups("([A-[:])(?P<w>:])") == std::map<std::string, int, std::less<>>{{"w", 2}});
  CHECK(rules::capture_groups("(?P<a>[\\101-[:]:])(?P<w>:])") == std::map<std::string, int, std::less<>>{{"a", 1}, {"w", 2}});
}

TEST_CASE("token_end gives an escape its whole argument, a quoted literal run and a class one token each") {
  CHECK(rules::token_end("(a", 0) == 1);
  CHECK(rules::token_end("\\(a", 0) == 2);
  CHECK(rules::token_end("\\x41(", 0) == 4);
  CHECK(rules::token_end("\\x{263a}(", 0) == 8);
  CHECK(rules::token_end("\\pN(", 0) == 3);
  CHECK(rules::token_end("\\p{Greek}(", 0) == 9);
  CHECK(rules::token_end("\\Q(a|b)\\E(", 0) == 9);
  CHECK(rules::token_end("\\Q(a", 0) == 4);      // a run not closed runs to the end
  CHECK(rules::token_end("[)|(]x", 0) == 5);
  CHECK(rules::token_end("[ab", 0) == 3);
  CHECK(rules::token_end("\\", 0) == 1);
}

// Regression: the prefilter's reader ended "[[:digit:])]" at the first ']'
// and closed the timex group at the ')' inside the class: the core was a
// pattern RE2 refuses, and the set silently took the rule's whole pattern.
TEST_CASE("prefilter_core keeps a class holding a POSIX member and a parenthesis whole") {
  CHECK(rules::detail::prefilter_core("a\\s+(?P<timex>[[:digit:])]+)\\b") == "\\s(?P<timex>[[:digit:])]+)\\b");
}

// Regression: digits inside \Q...\E were loosened to \d, which inside the
// run is the two literal bytes '\' 'd': the set then missed every paragraph
// the rule matches.
TEST_CASE("loosen_digits leaves the digits of a quoted literal run and of escapes as they are") {
  CHECK(rules::detail::loosen_digits("\\Q2024\\E 1[0-2]") == "\\Q2024\\E \\d\\d");
  CHECK(rules::detail::loosen_digits("\\x{32}\\x33 \\pN9") == "\\x{32}\\x33 \\pN\\d");
}

TEST_CASE("a rule whose timex is a quoted literal run of digits is still found through the prefilter") {
  auto rs = testing::load_pack(R"([[date]]
id = "quoted-year"
pattern = '\bin (?P<timex>\Q2019\E)\b'
value = "2019"
type = "DATE"
)");
  REQUIRE(rs);
  re2::StringPiece text("It opened in 2019, after a delay.");
  std::vector<int> hits;
  CHECK(rs->date_prefilter->Match(text, &hits));
  CHECK(hits.size() == 1);
}

TEST_CASE("capture_groups skips the parentheses RE2 reads as literals: in POSIX classes, quoted runs and escapes") {
  for (std::string p : {"[[:alpha:])](?P<a>x)", "\\Q(?P<no>\\E(?P<a>x)", "\\x28(?P<a>x)", "\\p{L}(?P<a>[(])"}) {
    CAPTURE(p);
    RE2 re(p, RE2::Quiet);
    REQUIRE(re.ok());
    std::map<std::string, int> want(re.NamedCapturingGroups().begin(), re.NamedCapturingGroups().end());
    auto got = rules::capture_groups(p);
    CHECK(std::map<std::string, int>(got.begin(), got.end()) == want);
  }
}
