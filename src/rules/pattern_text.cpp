#include "rules/pattern_text.h"

#include <algorithm>

namespace annals::rules {

std::size_t class_end(std::string_view p, std::size_t at) {
  std::size_t j = at + 1;
  if (j < p.size() && p[j] == '^') ++j;
  if (j < p.size() && p[j] == ']') ++j;
  while (j < p.size() && p[j] != ']') {
    if (p[j] == '\\') {
      j += 2;
    } else if (p.substr(j, 2) == "[:") {
      // RE2 takes "[:" as a named class only when a ":]" follows, else as
      // a literal '['.
      auto close = p.find(":]", j + 2);
      j = close == std::string_view::npos ? j + 1 : close + 2;
    } else {
      ++j;
    }
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
