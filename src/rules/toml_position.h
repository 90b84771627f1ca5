// rules/toml_position — where, in a TOML file, a byte of a string value
// stands. toml++ gives the position of a value's opening quote; diagnostics
// about a piece of a pattern or template ("%{mnth}" at offset 12 of the
// value) point at that piece instead.
//
//   file line 7:  pattern = '\b%{mnth}'
//   position_in_string(text, {7, 11}, 3) == {7, 14}    // the "%" of %{mnth}
//
// Columns are 1-based and count Unicode code points, like toml++'s. Handles
// literal ('...', '''...''') and basic ("...", """...""") strings, escapes
// and line-ending backslashes. When the text at `value_start` is not a
// string, returns `value_start` unchanged.
#pragma once

#include <cstddef>
#include <string_view>

namespace annals::rules {

struct TextPosition {
  int line = 0;    // 1-based
  int column = 0;  // 1-based, in code points
};

TextPosition position_in_string(std::string_view file_text, TextPosition value_start, std::size_t offset);

}  // namespace annals::rules
