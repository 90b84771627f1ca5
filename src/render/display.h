// render/display — dates as people write them, for the outputs:
//   2025-03-07 -> "7 March 2025", 2025-W10 -> "week of 3 March 2025",
//   2025-01 -> "January 2025", 2025-Q3 -> "Q3 2025", 199 -> "1990s".
// A TimeML mod adds a qualifier: START -> "early 2024", MID, END.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "core/types.h"

namespace annals::render {

std::string display_date(const DateInterval& d, const std::string& mod = "");

// The entry's date, qualified by the mod of a mention that gave that date.
std::string display_date(const TimelineEntry& e);

// The last part of a source's path ("archive/wire/a.txt" -> "a.txt").
std::string file_name(const std::string& file);
// The same, as a view into `file`.
std::string_view file_name_view(std::string_view file);

// What a reader calls a source: its outlet, else its file name.
std::string source_name(const SourceInfo& s);

// "A, B, C" or, past `limit` names, "A, B, C and 4 more".
class NameList {
 public:
  explicit NameList(std::size_t limit) : limit_(limit) {}
  void add(std::string_view name);
  // True once `limit` names are in: a caller may then count() the rest
  // with add_unshown() instead of making their names.
  bool full() const { return count_ >= limit_; }
  void add_unshown() { ++count_; }
  std::size_t count() const { return count_; }
  std::string text() const;

 private:
  std::size_t limit_, count_ = 0;
  std::string text_;
};

// Who states an entry, by source_name, each source once: "Outlet A, b.txt and 3 more".
std::string source_names(const TimelineEntry& e, std::size_t limit);

// The mentions of an entry an output shows when it shows at most `limit`:
// one per source first, then the others, in the entry's (file) order.
std::vector<std::size_t> mentions_to_show(const TimelineEntry& e, std::size_t limit);

}  // namespace annals::render
