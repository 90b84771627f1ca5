#include "rules/toml_position.h"

#include <charconv>

namespace annals::rules {
namespace {

std::size_t utf8_length(unsigned char lead) {
  if (lead < 0x80) return 1;
  if ((lead >> 5) == 0x6) return 2;
  if ((lead >> 4) == 0xE) return 3;
  if ((lead >> 3) == 0x1E) return 4;
  return 1;
}

std::size_t encoded_length(std::string_view hex) {
  unsigned cp = 0;
  std::from_chars(hex.data(), hex.data() + hex.size(), cp, 16);
  return cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
}

}  // namespace

TextPosition position_in_string(std::string_view text, TextPosition start, std::size_t offset) {
  // The byte where the value starts.
  std::size_t i = 0;
  for (int l = 1; l < start.line && i < text.size(); ++i)
    if (text[i] == '\n') ++l;
  for (int c = 1; c < start.column && i < text.size() && text[i] != '\n'; ++c) i += utf8_length(static_cast<unsigned char>(text[i]));
  if (i >= text.size() || (text[i] != '\'' && text[i] != '"')) return start;
  const char quote = text[i];
  const bool basic = quote == '"';
  const std::string_view triple = quote == '"' ? "\"\"\"" : "'''";
  const bool multi = text.substr(i, 3) == triple;
  const std::size_t delim = multi ? 3 : 1;
  TextPosition at = start;
  i += delim;
  at.column += int(delim);
  // A newline right after an opening triple quote is not part of the value.
  if (multi && text.substr(i, 1) == "\n") ++i, ++at.line, at.column = 1;
  else if (multi && text.substr(i, 2) == "\r\n") i += 2, ++at.line, at.column = 1;
  std::size_t decoded = 0;
  while (decoded < offset && i < text.size()) {
    char c = text[i];
    if (c == quote && (!multi || text.substr(i, 3) == triple)) break;  // past the end of the value
    if (basic && c == '\\' && i + 1 < text.size()) {
      char n = text[i + 1];
      if (multi && (n == ' ' || n == '\t' || n == '\n' || n == '\r')) {
        // Line-ending backslash: it and the whitespace after it vanish.
        ++i, ++at.column;
        while (i < text.size() && (text[i] == ' ' || text[i] == '\t' || text[i] == '\n' || text[i] == '\r')) {
          if (text[i] == '\n') ++at.line, at.column = 1;
          else ++at.column;
          ++i;
        }
        continue;
      }
      std::size_t raw = n == 'u' ? 6 : n == 'U' ? 10 : 2;
      decoded += raw > 2 ? encoded_length(text.substr(i + 2, raw - 2)) : 1;
      i += raw;
      at.column += int(raw);
      continue;
    }
    if (c == '\n') {
      ++decoded, ++i, ++at.line, at.column = 1;
      continue;
    }
    std::size_t len = utf8_length(static_cast<unsigned char>(c));
    decoded += len;
    i += len;
    ++at.column;
  }
  return at;
}

}  // namespace annals::rules
