// core/text — byte-level text helpers shared by the stages: UTF-8 checking
// and repair, and sentence boundaries.
//
// Sentence boundaries are found without a language model: a sentence ends at
// . ! ? (with closing quotes/brackets) followed by whitespace and an opening
// capital/digit/quote, or glued to a capital that starts a word ("models.In
// recent weeks", as scraped pages often are); at a blank line; or at a line
// break after terminal punctuation, a heading or a list item. A period after
// a known abbreviation ("Inc.", "Jan.") or a single capital ("U.S.") does not
// end a sentence. The abbreviation list is data from the rule pack.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/types.h"

namespace annals {

// Returns the offset of the first invalid UTF-8 byte at or after `from`
// (which must start a character), or npos when there is none.
std::size_t find_invalid_utf8(std::string_view s, std::size_t from = 0);

// Replaces every invalid UTF-8 byte with '?' (one byte for one byte, so byte
// offsets stay valid). Returns how many bytes were replaced.
std::size_t repair_utf8(std::string& s);

// Bidirectional embedding, override and isolate controls (U+202A-U+202E,
// U+2066-U+2069) reorder how a reader sees the text around them ("Trojan
// Source"): each is replaced with U+FFFD, which shows where one was and has
// the same three bytes, so byte offsets stay valid. Returns how many were
// replaced. `s` must be valid UTF-8 (after repair_utf8).
std::size_t replace_bidi_controls(std::string& s);

// True when the bytes look like a binary file (NUL bytes, or mostly control
// characters in the first 8 KiB).
bool looks_binary(std::string_view s);

// A blank line separates paragraphs: "\n\n", or "\n\r\n" where lines end
// in CRLF. A time expression never spans one, and date rules run a
// paragraph at a time. `at` is the blank line's first '\n', `size` the
// bytes up to and including its last; at == npos when there is none.
struct BlankLine {
  std::size_t at = std::string_view::npos;
  std::size_t size = 0;
};
// The first blank line that starts at or after `from`.
BlankLine find_blank_line(std::string_view text, std::size_t from);
// The last blank line that starts at or before `pos`.
BlankLine rfind_blank_line(std::string_view text, std::size_t pos);

// Sentence spans covering the text (whitespace between sentences excluded).
// `abbreviations` are lower-case, without their final period.
std::vector<Span> split_sentences(std::string_view text, const std::vector<std::string>& abbreviations);

// Collapses whitespace runs (including newlines) to single spaces and trims.
std::string collapse_whitespace(std::string_view s);

// Like collapse_whitespace, and also maps byte offsets of `s` to offsets in
// the result: map[i] is where s[i] went (map[s.size()] == result size).
std::string collapse_whitespace(std::string_view s, std::vector<std::size_t>& map);

// The content words of `text`: lower case, split at anything but letters and
// digits (bytes of UTF-8 letters count as letters), `stopwords` (lower case)
// dropped; sorted and distinct. A hyphenated word gives its parts and the
// word without hyphens, so "pre-orders" meets "preorders" and "Bankman-Fried"
// meets "Bankman". What merge compares when two sources phrase one event
// differently (EventMention::terms, merge/merge.h).
std::vector<std::string> content_terms(std::string_view text, const std::vector<std::string>& stopwords);

}  // namespace annals
