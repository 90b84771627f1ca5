#include "rules/pattern_text.h"

#include <algorithm>

namespace annals::rules {

namespace {

// Just past the one character of a class that starts at p[k] (a range's
// end, or a member that may begin one): a byte, a UTF-8 sequence, or an
// escape with its argument ("\x{263a}", up to three octal digits).
std::size_t class_character_end(std::string_view p, std::size_t k) {
  auto u = static_cast<unsigned char>(p[k]);
  if (u >= 0xC0) {
    std::size_t e = k + 1;
    while (e < p.size() && (static_cast<unsigned char>(p[e]) & 0xC0) == 0x80) ++e;
    return e;
  }
  if (p[k] != '\\') return k + 1;
  if (k + 1 < p.size() && p[k + 1] >= '0' && p[k + 1] <= '7') {
    std::size_t e = k + 2;
    while (e < p.size() && e < k + 4 && p[e] >= '0' && p[e] <= '7') ++e;
    return e;
  }
  return token_end(p, k);
}

}  // namespace

std::size_t class_end(std::string_view p, std::size_t at) {
  std::size_t j = at + 1;
  if (j < p.size() && p[j] == '^') ++j;
  // Member by member, as RE2's ParseCharClass reads them: a ']' first is a
  // member; "[:" opens a named class only where a member begins and a ":]"
  // follows; a Perl or Unicode class escape is a member that begins no
  // range; any other character may begin a range "a-z", whose end is one
  // character, so "[A-[:]" is the range A to '[' and then ':'.
  for (bool first = true; j < p.size() && (p[j] != ']' || first); first = false) {
    if (p.substr(j, 2) == "[:") {
      if (auto close = p.find(":]", j + 2); close != std::string_view::npos) {
        j = close + 2;
        continue;
      }
    }
    if (p[j] == '\\' && j + 1 < p.size() && std::string_view("dDsSwWpP").find(p[j + 1]) != std::string_view::npos) {
      j = token_end(p, j);
      continue;
    }
    j = class_character_end(p, j);
    if (j + 1 < p.size() && p[j] == '-' && p[j + 1] != ']') j = class_character_end(p, j + 1);
  }
  return j < p.size() ? j + 1 : std::string_view::npos;
}

std::size_t token_end(std::string_view p, std::size_t i) {
  auto through = [&](std::string_view close, std::size_t from) {  // just past `close` found from `from`, or the end
    auto at = p.find(close, from);
    return at == std::string_view::npos ? p.size() : at + close.size();
  };
  if (p[i] == '[') {
    std::size_t e = class_end(p, i);
    return e == std::string_view::npos ? p.size() : e;
  }
  if (p[i] != '\\') return i + 1;
  if (i + 1 >= p.size()) return p.size();
  char c = p[i + 1];
  bool braced = i + 2 < p.size() && p[i + 2] == '{';
  if (c == 'Q') return through("\\E", i + 2);
  if (c == 'x') return braced ? through("}", i + 3) : std::min(p.size(), i + 4);
  if (c == 'p' || c == 'P') return braced ? through("}", i + 3) : std::min(p.size(), i + 3);
  return i + 2;
}

}  // namespace annals::rules
