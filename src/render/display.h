// render/display — dates as people write them, for the outputs:
//   2025-03-07 -> "7 March 2025", 2025-W10 -> "week of 3 March 2025",
//   2025-01 -> "January 2025", 2025-Q3 -> "Q3 2025", 199 -> "1990s".
// A TimeML mod adds a qualifier: START -> "early 2024", MID, END.
#pragma once

#include <string>

#include "core/types.h"

namespace annals::render {

std::string display_date(const DateInterval& d, const std::string& mod = "");

// The entry's date, qualified by the mod of a mention that gave that date.
std::string display_date(const TimelineEntry& e);

}  // namespace annals::render
