// render/csv — the timeline as RFC 4180 CSV (UTF-8, LF line ends, a header
// row), one row per timeline entry. Columns are documented in README.md.
//
// Every cell is safe to open in a spreadsheet: a text cell that starts with
// = + - @ TAB or CR is prefixed with a single quote (OWASP's advice against
// CSV injection), so no cell is read as a formula.
#pragma once

#include <string>
#include <string_view>

#include "core/types.h"

namespace annals::render {

std::string render_csv(const Timeline& t);

// One CSV field: neutralized and quoted when it needs to be.
std::string csv_field(std::string_view text);

}  // namespace annals::render
