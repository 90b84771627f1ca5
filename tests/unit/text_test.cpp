#include <doctest/doctest.h>

#include "core/text.h"

using namespace annals;

namespace {
std::vector<std::string> sentences(std::string_view t, std::vector<std::string> abbr = {"inc", "jan"}) {
  std::vector<std::string> out;
  for (auto s : split_sentences(t, abbr)) out.emplace_back(t.substr(s.begin, s.size()));
  return out;
}
}  // namespace

TEST_CASE("sentences end at a period followed by a capital") {
  auto s = sentences("China acted. The US replied! Did it? Yes.");
  REQUIRE(s.size() == 4);
  CHECK(s[0] == "China acted.");
  CHECK(s[3] == "Yes.");
}

TEST_CASE("sentences glued together by scraping are split") {
  auto s = sentences("they gave away models.In recent weeks rivals followed.");
  REQUIRE(s.size() == 2);
  CHECK(s[1] == "In recent weeks rivals followed.");
}

TEST_CASE("abbreviations, initials and decimals do not end a sentence") {
  CHECK(sentences("Baidu Inc. said on Jan. 5 it would act.").size() == 1);
  CHECK(sentences("The U.S. Senate voted. Then it adjourned.").size() == 2);
  CHECK(sentences("Version 3.5 shipped. Then 4.0 followed.").size() == 2);
}

TEST_CASE("a blank line or a heading line ends a sentence without punctuation") {
  auto s = sentences("A headline without a period\n\nBody text starts here.");
  REQUIRE(s.size() == 2);
  CHECK(s[0] == "A headline without a period");
  auto l = sentences("Intro:\n- In 2023, a ban came\n- Later, a reversal");
  CHECK(l.size() == 3);
}

TEST_CASE("a single line break inside a wrapped paragraph does not end a sentence") {
  auto s = sentences("The ministry said the rules would\ntake effect soon. Others disagreed.");
  REQUIRE(s.size() == 2);
}

TEST_CASE("invalid UTF-8 is found and repaired byte for byte") {
  std::string bad = "ok \xC3\x28 and \xFF end";
  CHECK(find_invalid_utf8(bad) == 3);
  std::size_t size = bad.size();
  CHECK(repair_utf8(bad) == 2);
  CHECK(bad.size() == size);
  CHECK(find_invalid_utf8(bad) == std::string::npos);
  CHECK(find_invalid_utf8("caf\xC3\xA9 \xE2\x80\x94 \xF0\x9F\x98\x80") == std::string::npos);
}

TEST_CASE("invalid UTF-8 is found at every offset after long ASCII runs, and valid characters straddling 8-byte words pass") {
  for (std::size_t at = 0; at < 40; ++at) {
    std::string text(40, 'a');
    text[at] = '\xFF';
    CHECK(find_invalid_utf8(text) == at);
    std::string fixed = text;
    CHECK(repair_utf8(fixed) == 1);
    CHECK(fixed == std::string(40, 'a').replace(at, 1, "?"));
  }
  std::string mixed = std::string(7, 'x') + "\xE2\x80\x94" + std::string(13, 'y') + "\xC3\xA9";
  CHECK(find_invalid_utf8(mixed) == std::string::npos);
  CHECK(find_invalid_utf8(mixed + "\xC3") == mixed.size());
}

TEST_CASE("a text with mostly control characters is binary, a NUL past the 8 KiB head is not looked at") {
  CHECK(looks_binary(std::string(100, '\x01') + "text"));
  CHECK_FALSE(looks_binary("tabs\tand\r\nbreaks\fare text"));
  CHECK_FALSE(looks_binary(std::string(9000, 'a') + std::string(1, '\0')));
}

TEST_CASE("NUL bytes mark a file as binary, plain text is not") {
  CHECK(looks_binary(std::string("PK\x03\x04\0\0abc", 9)));
  CHECK_FALSE(looks_binary("plain text\nwith lines\n"));
}

TEST_CASE("collapse_whitespace maps offsets into the collapsed text") {
  std::vector<std::size_t> map;
  std::string s = collapse_whitespace("a  b\n\nc", map);
  CHECK(s == "a b c");
  CHECK(map[3] == 2);  // 'b'
  CHECK(map[6] == 4);  // 'c'
}

TEST_CASE("a blank line is two line breaks, LF or CRLF, found forwards and backwards") {
  std::string_view text = "one\r\n\r\ntwo\n\nthree\nfour";
  auto first = find_blank_line(text, 0);
  CHECK(first.at == 4);
  CHECK(first.size == 3);  // "\n\r\n"
  auto second = find_blank_line(text, first.at + first.size);
  CHECK(second.at == 10);
  CHECK(second.size == 2);
  CHECK(find_blank_line(text, second.at + second.size).at == std::string_view::npos);
  CHECK(rfind_blank_line(text, text.size() - 1).at == 10);
  CHECK(rfind_blank_line(text, 9).at == 4);
  CHECK(rfind_blank_line(text, 3).at == std::string_view::npos);
}

TEST_CASE("content_terms gives lower-case words without stopwords, and a hyphenated word as its parts and joined") {
  CHECK(content_terms("Pre-orders for the Vision Pro open", {"the", "for"}) ==
        std::vector<std::string>{"open", "orders", "pre", "preorders", "pro", "vision"});
  CHECK(content_terms("Bankman-Fried - verdict", {}) == std::vector<std::string>{"bankman", "bankmanfried", "fried", "verdict"});
}

TEST_CASE("regression: every bidi embedding, override and isolate control is replaced with U+FFFD, byte for byte") {
  std::string all;
  for (unsigned c : {0x202Au, 0x202Bu, 0x202Cu, 0x202Du, 0x202Eu, 0x2066u, 0x2067u, 0x2068u, 0x2069u}) {
    all += char(0xE0 | (c >> 12));
    all += char(0x80 | ((c >> 6) & 0x3F));
    all += char(0x80 | (c & 0x3F));
    all += "a";
  }
  std::string s = all;
  CHECK(replace_bidi_controls(s) == 9);
  CHECK(s.size() == all.size());
  std::string expected;
  for (int i = 0; i < 9; ++i) expected += "\xEF\xBF\xBD" "a";
  CHECK(s == expected);
  // Neighbours that do not reorder text stay: U+2029, U+202F, U+2065 (unassigned), U+206A.
  std::string kept = "\xE2\x80\xA9\xE2\x80\xAF\xE2\x81\xA5\xE2\x81\xAA\xE2";
  std::string copy = kept;
  CHECK(replace_bidi_controls(copy) == 0);
  CHECK(copy == kept);
}
