// rules/start_bytes — which first two bytes a match of a pattern can have,
// read from the pattern's text, so that a caller can rule out a place where
// no match begins without asking RE2.
//
//   auto s = rules::start_bytes_of("(?i)\\b(?:the|a)\\s+(?-i:[A-Z])");
//   s->may_start("The Court", 0) == true;  s->may_start("said", 0) == false
//
// The extractor tries an event rule anchored at every place where its
// matches can begin (rules::MatchStart): one RE2 call each, about 600
// instructions before RE2 reads a byte. Most places are the end of a word
// or a word no match opens; two bytes tell.
//
// The reading is conservative: the sets hold every pair some match can
// begin with, and perhaps more. Zero-width assertions (\b, ^, $) count as
// matching nothing; a negated class, `.`, \S, \W, \D, \p{..} and any
// character outside ASCII (or an ASCII letter under (?i), which folds to
// KELVIN SIGN or LONG S) stand for every byte. Syntax the reading does not
// know (\Q...\E, a bare (?-i) inside a pattern, an unknown escape), or a
// pattern that can match the empty string, gives no StartBytes.
#pragma once

#include <array>
#include <bitset>
#include <optional>
#include <string_view>

namespace annals::rules {

struct StartBytes {
  // first[x]: a match can begin with byte x. single[x]: the one byte x can
  // be a whole match. second[x][y]: a match can begin with x, then y.
  std::bitset<256> first, single;
  std::array<std::bitset<256>, 256> second;

  // Whether a match can begin at text[p] and end at or before `end` (RE2's
  // endpos; end <= text.size()). False only when none can.
  bool may_start(std::string_view text, std::size_t p, std::size_t end) const {
    if (p >= end) return false;
    auto x = static_cast<unsigned char>(text[p]);
    if (!first[x]) return false;
    if (single[x]) return true;
    return p + 1 < end && second[x][static_cast<unsigned char>(text[p + 1])];
  }
  bool may_start(std::string_view text, std::size_t p) const { return may_start(text, p, text.size()); }
};

// The start bytes of an RE2 pattern (as RE2 would compile it, UTF-8), or
// nullopt when the pattern's text is not read (see above).
std::optional<StartBytes> start_bytes_of(std::string_view pattern);

}  // namespace annals::rules
