#include "core/text.h"

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <cstring>

namespace annals {
namespace {

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v'; }
bool is_upper(char c) { return c >= 'A' && c <= 'Z'; }
bool is_lower(char c) { return c >= 'a' && c <= 'z'; }
bool is_digit(char c) { return c >= '0' && c <= '9'; }

// Length of a UTF-8 sequence starting at s[i] if valid, else 0.
std::size_t utf8_len(std::string_view s, std::size_t i) {
  auto b = static_cast<unsigned char>(s[i]);
  if (b < 0x80) return 1;
  std::size_t n;
  unsigned cp;
  if ((b & 0xE0) == 0xC0) n = 2, cp = b & 0x1F;
  else if ((b & 0xF0) == 0xE0) n = 3, cp = b & 0x0F;
  else if ((b & 0xF8) == 0xF0) n = 4, cp = b & 0x07;
  else return 0;
  if (i + n > s.size()) return 0;
  for (std::size_t k = 1; k < n; ++k) {
    auto c = static_cast<unsigned char>(s[i + k]);
    if ((c & 0xC0) != 0x80) return 0;
    cp = (cp << 6) | (c & 0x3F);
  }
  // Reject overlong forms, surrogates and values past U+10FFFF.
  if ((n == 2 && cp < 0x80) || (n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) || cp > 0x10FFFF ||
      (cp >= 0xD800 && cp <= 0xDFFF))
    return 0;
  return n;
}

// Bytes of a closing quote or bracket at i (ASCII or the common UTF-8 ones), else 0.
std::size_t closer_len(std::string_view t, std::size_t i) {
  char c = t[i];
  if (c == '"' || c == '\'' || c == ')' || c == ']') return 1;
  if (t.substr(i, 3) == "\xE2\x80\x9D" || t.substr(i, 3) == "\xE2\x80\x99") return 3;  // ” ’
  return 0;
}

// An opening character of a new sentence at i.
bool opens_sentence(std::string_view t, std::size_t i) {
  char c = t[i];
  if (is_upper(c) || is_digit(c) || c == '"' || c == '\'' || c == '(' || c == '[' || c == '-' || c == '*') return true;
  if (t.substr(i, 3) == "\xE2\x80\x9C" || t.substr(i, 3) == "\xE2\x80\x98") return true;  // “ ‘
  return static_cast<unsigned char>(c) >= 0xC0;  // a non-ASCII letter: assume it can open
}

// The word just before position `dot` (letters and inner periods), lower-cased.
std::string word_before(std::string_view t, std::size_t dot) {
  std::size_t b = dot;
  while (b > 0 && !is_space(t[b - 1]) && t[b - 1] != '(' && t[b - 1] != '"') --b;
  std::string w(t.substr(b, dot - b));
  for (auto& ch : w) if (is_upper(ch)) ch = char(ch - 'A' + 'a');
  return w;
}

bool is_abbreviation(std::string_view t, std::size_t dot, const std::vector<std::string>& abbrs) {
  std::string w = word_before(t, dot);
  if (w.empty()) return false;
  // "U.S", "e.g", a single initial "J".
  if (w.size() == 1 && is_lower(w[0])) return true;
  if (w.find('.') != std::string::npos) return true;
  return std::find(abbrs.begin(), abbrs.end(), w) != abbrs.end();
}

// A line that stands alone: a heading or a list item.
bool is_block_line(std::string_view line) {
  std::size_t i = 0;
  while (i < line.size() && (line[i] == ' ' || line[i] == '\t')) ++i;
  if (i >= line.size()) return false;
  char c = line[i];
  if (c == '#' || c == '>' || c == '|') return true;
  if ((c == '-' || c == '*' || c == '+') && i + 1 < line.size() && line[i + 1] == ' ') return true;
  return false;
}

// The end of the run of ASCII bytes starting at `i`, eight bytes at a time
// (most text is ASCII; only the rest needs a per-character check).
std::size_t skip_ascii(std::string_view s, std::size_t i) {
  while (i + 8 <= s.size()) {
    std::uint64_t word;
    std::memcpy(&word, s.data() + i, 8);
    if (word & 0x8080808080808080ull) break;
    i += 8;
  }
  while (i < s.size() && static_cast<unsigned char>(s[i]) < 0x80) ++i;
  return i;
}

// The blank line that starts with the '\n' at `i`, if one does.
BlankLine blank_line_at(std::string_view text, std::size_t i) {
  std::size_t j = i + 1;
  if (j < text.size() && text[j] == '\r') ++j;
  if (j < text.size() && text[j] == '\n') return {i, j + 1 - i};
  return {};
}

}  // namespace

BlankLine find_blank_line(std::string_view text, std::size_t from) {
  for (auto i = text.find('\n', from); i != std::string_view::npos; i = text.find('\n', i + 1))
    if (auto b = blank_line_at(text, i); b.at != std::string_view::npos) return b;
  return {};
}

BlankLine rfind_blank_line(std::string_view text, std::size_t pos) {
  for (auto i = text.rfind('\n', pos); i != std::string_view::npos; i = i == 0 ? std::string_view::npos : text.rfind('\n', i - 1))
    if (auto b = blank_line_at(text, i); b.at != std::string_view::npos) return b;
  return {};
}

std::size_t find_invalid_utf8(std::string_view s, std::size_t from) {
  for (std::size_t i = skip_ascii(s, from); i < s.size(); i = skip_ascii(s, i)) {
    std::size_t n = utf8_len(s, i);
    if (!n) return i;
    i += n;
  }
  return std::string_view::npos;
}

std::size_t repair_utf8(std::string& s) {
  std::size_t fixed = 0;
  for (auto i = find_invalid_utf8(s); i != std::string_view::npos; i = find_invalid_utf8(s, i + 1)) {
    s[i] = '?';
    ++fixed;
  }
  return fixed;
}

std::size_t replace_bidi_controls(std::string& s) {
  std::size_t replaced = 0;
  // Every one is E2 80 AA..AE or E2 81 A6..A9.
  for (std::size_t i = s.find('\xE2'); i != std::string::npos && i + 2 < s.size(); i = s.find('\xE2', i + 1)) {
    auto b1 = static_cast<unsigned char>(s[i + 1]), b2 = static_cast<unsigned char>(s[i + 2]);
    if ((b1 == 0x80 && b2 >= 0xAA && b2 <= 0xAE) || (b1 == 0x81 && b2 >= 0xA6 && b2 <= 0xA9)) {
      s.replace(i, 3, "\xEF\xBF\xBD");
      ++replaced;
    }
  }
  return replaced;
}

bool looks_binary(std::string_view s) {
  std::string_view head = s.substr(0, 8192);
  if (std::memchr(head.data(), 0, head.size())) return true;
  // Branch-free so that the compiler can vectorize the count.
  std::size_t control = 0;
  for (char ch : head) {
    auto c = static_cast<unsigned char>(ch);
    control += (c < 0x20) & (c != '\n') & (c != '\r') & (c != '\t') & (c != '\f');
  }
  return !head.empty() && control * 10 > head.size();
}

std::vector<Span> split_sentences(std::string_view t, const std::vector<std::string>& abbrs) {
  std::vector<Span> out;
  std::size_t start = 0;
  auto emit = [&](std::size_t end) {
    std::size_t b = start, e = end;
    while (b < e && is_space(t[b])) ++b;
    while (e > b && is_space(t[e - 1])) --e;
    if (e > b) out.push_back({b, e});
    start = end;
  };
  std::size_t line_start = 0;
  for (std::size_t i = 0; i < t.size(); ++i) {
    char c = t[i];
    if (c == '\n') {
      std::string_view line = t.substr(line_start, i - line_start);
      std::size_t next = i + 1;
      while (next < t.size() && (t[next] == ' ' || t[next] == '\t' || t[next] == '\r')) ++next;
      bool blank_follows = next < t.size() && t[next] == '\n';
      std::size_t last = line.find_last_not_of(" \t\r");
      char end_char = last == std::string_view::npos ? '\0' : line[last];
      bool terminal = end_char == '.' || end_char == '!' || end_char == '?' || end_char == ':' || end_char == '"' ||
                      (last != std::string_view::npos && last >= 2 && (line.substr(last - 2, 3) == "\xE2\x80\x9D"));
      std::string_view next_line = t.substr(next, t.find('\n', next) == std::string_view::npos ? std::string_view::npos : t.find('\n', next) - next);
      if (blank_follows || terminal || is_block_line(line) || is_block_line(next_line) || last == std::string_view::npos)
        emit(i);
      line_start = i + 1;
      continue;
    }
    if (c != '.' && c != '!' && c != '?') continue;
    // Runs of terminal punctuation ("?!", "...") end together.
    std::size_t j = i + 1;
    while (j < t.size() && (t[j] == '.' || t[j] == '!' || t[j] == '?')) ++j;
    while (j < t.size()) {
      std::size_t n = closer_len(t, j);
      if (!n) break;
      j += n;
    }
    if (j >= t.size()) break;
    if (c == '.' && j == i + 1 && is_abbreviation(t, i, abbrs)) continue;
    // Digits on both sides: a decimal point or a version ("3.5", "v1.2").
    if (c == '.' && i > 0 && is_digit(t[i - 1]) && is_digit(t[j])) continue;
    if (is_space(t[j])) {
      std::size_t k = j;
      while (k < t.size() && is_space(t[k])) ++k;
      if (k < t.size() && opens_sentence(t, k)) {
        emit(j);
        i = j - 1;
      }
    } else if (is_upper(t[j]) && j + 1 < t.size() && is_lower(t[j + 1]) && i > 0 && is_lower(t[i - 1])) {
      // Glued sentences from scraped pages: "models.In recent weeks".
      emit(j);
      i = j - 1;
    }
  }
  emit(t.size());
  return out;
}

std::string collapse_whitespace(std::string_view s, std::vector<std::size_t>& map) {
  std::string out;
  out.reserve(s.size());
  map.assign(s.size() + 1, 0);
  bool space = false;
  for (std::size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (is_space(c)) {
      space = !out.empty();
      map[i] = out.size();
      continue;
    }
    if (space) out.push_back(' '), space = false;
    map[i] = out.size();
    out.push_back(c);
  }
  map[s.size()] = out.size();
  return out;
}

std::string collapse_whitespace(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  bool space = false;
  for (char c : s) {
    if (is_space(c)) {
      space = !out.empty();
      continue;
    }
    if (space) out.push_back(' '), space = false;
    out.push_back(c);
  }
  return out;
}

std::vector<std::string> content_terms(std::string_view text, const std::vector<std::string>& stopwords) {
  std::vector<std::string> out;
  std::string word, joined;
  bool hyphenated = false;
  auto keep = [&](const std::string& w) {
    if (!w.empty() && std::find(stopwords.begin(), stopwords.end(), w) == stopwords.end()) out.push_back(w);
  };
  auto flush = [&] {
    keep(word);
    word.clear();
  };
  auto end_compound = [&] {
    if (hyphenated) keep(joined);
    joined.clear();
    hyphenated = false;
  };
  for (std::size_t i = 0; i < text.size(); ++i) {
    auto c = static_cast<unsigned char>(text[i]);
    if (std::isalnum(c) || c >= 0x80) {
      word.push_back(char(std::tolower(c)));
      joined.push_back(char(std::tolower(c)));
      continue;
    }
    bool inner_hyphen = c == '-' && !word.empty() && i + 1 < text.size() &&
                        (std::isalnum(static_cast<unsigned char>(text[i + 1])) || static_cast<unsigned char>(text[i + 1]) >= 0x80);
    flush();
    if (inner_hyphen) hyphenated = true;
    else end_compound();
  }
  flush();
  end_compound();
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

}  // namespace annals
