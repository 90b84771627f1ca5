// rules/start_bytes: the first two bytes a pattern's matches can have. The
// extractor skips RE2 where they rule a match out, so every check that
// RE2 matches must also pass may_start.
#include <doctest/doctest.h>

#include <re2/re2.h>

#include <string>

#include "rules/start_bytes.h"

using annals::rules::start_bytes_of;

namespace {

// Whether RE2 finds a match of `pattern` anchored at the start of `text`.
bool re2_starts(const std::string& pattern, const std::string& text) {
  RE2 re(pattern, RE2::Quiet);
  REQUIRE(re.ok());
  return re.Match(text, 0, text.size(), RE2::ANCHOR_START, nullptr, 0);
}

}  // namespace

TEST_CASE("start bytes: a place whose two bytes open no match is ruled out, one that does is not") {
  std::string pattern = "(?i)\\b(?:the\\s+)?(?:president|minister)\\s+(?-i:[A-Z][a-z]+)";
  auto s = start_bytes_of(pattern);
  REQUIRE(s);
  for (std::string text : {"the president Lula", "Minister Wong", "President Xi", "presidents"}) {
    INFO(text);
    CHECK(s->may_start(text, 0));
  }
  for (std::string text : {"said Lula", " the president Lula", "pa", "t"}) {
    INFO(text);
    CHECK_FALSE(re2_starts(pattern, text));
    CHECK_FALSE(s->may_start(text, 0));
  }
}

TEST_CASE("start bytes: (?-i:...) keeps its case, (?i) folds both cases") {
  auto upper = start_bytes_of("(?i)x|(?-i:[A-Z]b)");
  REQUIRE(upper);
  CHECK(upper->may_start("Ab", 0));
  CHECK(upper->may_start("X", 0));
  CHECK_FALSE(upper->may_start("ab", 0));
  auto folded = start_bytes_of("(?i)kb");
  REQUIRE(folded);
  CHECK(folded->may_start("KB", 0));
  // KELVIN SIGN folds to k under (?i): a byte outside ASCII is never ruled out.
  CHECK(re2_starts("(?i)kb", "\xE2\x84\xAA" "b"));
  CHECK(folded->may_start("\xE2\x84\xAA" "b", 0));
}

// Regression: CI's fuzz_start_bytes found "(?i)\\b\\w+" matching at KELVIN SIGN
// and LONG S, which the reading ruled out because \\w looked ASCII-only.
TEST_CASE("start bytes: the word class under case folding may start at KELVIN SIGN and LONG S") {
  for (std::string pattern : {"(?i)\\w+", "(?i)[\\w]x"}) {
    auto s = start_bytes_of(pattern);
    REQUIRE(s);
    for (std::string text : {"\xE2\x84\xAA" "x", "\xC5\xBF" "x"}) {
      CHECK(re2_starts(pattern, text));
      CHECK(s->may_start(text, 0));
    }
  }
  auto cased = start_bytes_of("\\w+");
  REQUIRE(cased);
  CHECK_FALSE(re2_starts("\\w+", "\xE2\x84\xAA"));
  CHECK_FALSE(cased->may_start("\xE2\x84\xAA", 0));
}

TEST_CASE("start bytes: KELVIN SIGN and LONG S in a pattern under case folding may start at k and s") {
  for (std::string pattern : {"(?i)\xE2\x84\xAA" "b", "(?i)\\x{212A}b", "(?i)[\\x{2000}-\\x{2200}]b"}) {
    auto s = start_bytes_of(pattern);
    REQUIRE(s);
    CHECK(re2_starts(pattern, "kb"));
    CHECK(s->may_start("kb", 0));
    CHECK(s->may_start("Kb", 0));
  }
  auto long_s = start_bytes_of("(?i)[\\x{100}-\\x{17F}]b");
  REQUIRE(long_s);
  CHECK(re2_starts("(?i)[\\x{100}-\\x{17F}]b", "Sb"));
  CHECK(long_s->may_start("Sb", 0));
  auto cased = start_bytes_of("\xE2\x84\xAA" "b");
  REQUIRE(cased);
  CHECK_FALSE(cased->may_start("kb", 0));
}

TEST_CASE("start bytes: a one-byte match needs no second byte, a longer one needs it before the end") {
  auto s = start_bytes_of("a|bc");
  REQUIRE(s);
  CHECK(s->may_start("a", 0));
  CHECK(s->may_start("bc", 0));
  CHECK_FALSE(s->may_start("b", 0));
  CHECK_FALSE(s->may_start("bc", 0, 1));  // RE2's endpos cuts the match
  CHECK_FALSE(s->may_start("bd", 0));
}

TEST_CASE("start bytes: optional pieces, repetitions and zero-width assertions let later bytes start") {
  auto s = start_bytes_of("\\b(?:on\\s+)?(?:[0-9]{1,2}|x*y)\\b");
  REQUIRE(s);
  for (std::string text : {"on 5", "5", "12", "xxy", "y"}) {
    INFO(text);
    CHECK(re2_starts("\\b(?:on\\s+)?(?:[0-9]{1,2}|x*y)\\b", text));
    CHECK(s->may_start(text, 0));
  }
  CHECK_FALSE(s->may_start("z", 0));
  CHECK_FALSE(s->may_start("ox", 0));
}

TEST_CASE("start bytes: negated classes, dots and characters outside ASCII stand for any byte") {
  auto s = start_bytes_of("[^,]b|.c|\xE2\x80\x94");
  REQUIRE(s);
  CHECK(s->may_start("zb", 0));
  CHECK(s->may_start("\xE2\x80\x94", 0));
  CHECK(s->may_start("\xC3\xA9" "b", 0));
}

TEST_CASE("start bytes: a pattern that can match nothing, or syntax not read, gives none") {
  CHECK_FALSE(start_bytes_of("a?"));
  CHECK_FALSE(start_bytes_of("\\b"));
  CHECK_FALSE(start_bytes_of("\\Qa.b\\E"));
  CHECK_FALSE(start_bytes_of("(?i)a(?-i)b"));
  CHECK_FALSE(start_bytes_of("(a"));
  CHECK(start_bytes_of("a{2}"));
  CHECK(start_bytes_of("a{,2}"));  // not a repetition: a literal '{'
}

// Regression: fuzz_start_bytes found ~800 nested '(' overflowing the stack
// of the recursive reader (under ASan); deep nesting now gives no filter.
TEST_CASE("start bytes: groups nested past the reader's limit give none instead of overflowing the stack") {
  const std::string deep = std::string(100000, '(') + "a" + std::string(100000, ')');
  CHECK_FALSE(start_bytes_of(deep));
  CHECK_FALSE(start_bytes_of(std::string(100000, '(')));  // unclosed too
  const std::string shallow = std::string(50, '(') + "ab" + std::string(50, ')');
  auto s = start_bytes_of(shallow);
  REQUIRE(s);
  CHECK(s->may_start("ab", 0, 2));
  CHECK_FALSE(s->may_start("xb", 0, 2));
}

// Regression: fuzz_start_bytes found "[0-9]{1,2}()}(?)?\s+..." read with a
// required '}', while RE2 makes the '}' optional: a quantifier after a
// flags-only group applies to the atom before it.
TEST_CASE("start bytes: a quantifier after a flags-only group gives none, since RE2 applies it to the atom before") {
  CHECK(re2_starts("a}(?)?b", "ab"));
  CHECK_FALSE(start_bytes_of("a}(?)?b"));
  CHECK_FALSE(start_bytes_of("a}(?i)*b"));
  CHECK_FALSE(start_bytes_of("a}(?i)(?s){0,1}b"));
  CHECK(start_bytes_of("a}(?i)b"));  // no quantifier: '}' stays required
  // After a quantified atom too: "\s+(?)?" makes the spaces optional.
  CHECK(re2_starts("a\\s+(?)?b", "ab"));
  CHECK_FALSE(start_bytes_of("a\\s+(?)?b"));
  CHECK_FALSE(start_bytes_of("a\\s+?(?i)*b"));
}
