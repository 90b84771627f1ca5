#include "render/display.h"

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <set>
#include <string_view>

#include <fmt/format.h>

namespace annals::render {
namespace {

const char* const kMonths[] = {"January", "February", "March", "April", "May", "June", "July",
                               "August", "September", "October", "November", "December"};

std::string day_text(date::sys_days d) {
  date::year_month_day ymd{d};
  return fmt::format("{} {} {}", unsigned(ymd.day()), kMonths[unsigned(ymd.month()) - 1], int(ymd.year()));
}

}  // namespace

std::string display_date(const DateInterval& d, const std::string& mod) {
  date::year_month_day first{d.first};
  int y = int(first.year());
  std::string base;
  switch (d.granularity) {
    case Granularity::Century: {
      int c = y / 100 + 1;
      const char* suffix = (c % 100 >= 11 && c % 100 <= 13) ? "th" : c % 10 == 1 ? "st" : c % 10 == 2 ? "nd" : c % 10 == 3 ? "rd" : "th";
      base = fmt::format("{}{} century", c, suffix);
      break;
    }
    case Granularity::Decade: base = fmt::format("{}s", y); break;
    case Granularity::Year: base = fmt::format("{}", y); break;
    case Granularity::Half: base = fmt::format("{} half of {}", unsigned(first.month()) <= 6 ? "first" : "second", y); break;
    case Granularity::Quarter: base = fmt::format("Q{} {}", (unsigned(first.month()) - 1) / 3 + 1, y); break;
    case Granularity::Season: {
      unsigned m = unsigned(first.month());
      const char* s = m == 3 ? "spring" : m == 6 ? "summer" : m == 9 ? "autumn" : "winter";
      base = m == 12 ? fmt::format("winter {}/{}", y, (y + 1) % 100) : fmt::format("{} {}", s, y);
      break;
    }
    case Granularity::Month: base = fmt::format("{} {}", kMonths[unsigned(first.month()) - 1], y); break;
    case Granularity::Week: base = "week of " + day_text(d.first); break;
    case Granularity::Day: base = day_text(d.first); break;
  }
  if (mod == "START") return "early " + base;
  if (mod == "MID") return "mid " + base;
  if (mod == "END") return "late " + base;
  return base;
}

std::string file_name(const std::string& file) { return std::string{file_name_view(file)}; }

std::string_view file_name_view(std::string_view file) {
  // What std::filesystem::path(file).filename() gives on POSIX (the part
  // after the last '/', empty when the path ends with one), without
  // splitting the path into components: pages call this for every pair of
  // near-duplicate sources (0.9 G of a 9.6 G rebuild of the 8x corpus).
  // memrchr: a wire archive's paths are long, and rfind goes byte by byte.
  if (file.empty() || file.back() == '/') return file;
  const void* slash = memrchr(file.data(), '/', file.size());
  return slash ? file.substr(std::size_t(static_cast<const char*>(slash) - file.data()) + 1) : file;
}

std::string source_name(const SourceInfo& s) { return !s.outlet.empty() ? s.outlet : file_name(s.file); }

void NameList::add(std::string_view name) {
  if (count_++ >= limit_) return;
  if (!text_.empty()) text_ += ", ";
  text_ += name;
}

std::string NameList::text() const {
  return count_ > limit_ ? fmt::format("{} and {} more", text_, count_ - limit_) : text_;
}

std::string source_names(const TimelineEntry& e, std::size_t limit) {
  NameList names(limit);
  std::set<std::string_view> seen;
  for (auto& m : e.mentions)
    if (seen.insert(m.source->file).second) names.add(source_name(*m.source));
  return names.text();
}

std::vector<std::size_t> mentions_to_show(const TimelineEntry& e, std::size_t limit) {
  std::vector<std::size_t> picks;
  std::vector<bool> picked(e.mentions.size());
  std::set<std::string_view> seen;
  for (std::size_t i = 0; i < e.mentions.size() && picks.size() < limit; ++i)
    if (seen.insert(e.mentions[i].source->file).second) picks.push_back(i), picked[i] = true;
  for (std::size_t i = 0; i < e.mentions.size() && picks.size() < limit; ++i)
    if (!picked[i]) picks.push_back(i);
  std::sort(picks.begin(), picks.end());
  return picks;
}

std::string display_date(const TimelineEntry& e) {
  std::string mod;
  for (auto& m : e.mentions)
    if (m.date && m.date->value == e.date.value) mod = m.date->mod;
  return display_date(e.date, mod);
}

}  // namespace annals::render
