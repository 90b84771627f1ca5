#include "render/display.h"

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

std::string display_date(const TimelineEntry& e) {
  std::string mod;
  for (auto& m : e.mentions)
    if (m.date && m.date->value == e.date.value) mod = m.date->mod;
  return display_date(e.date, mod);
}

}  // namespace annals::render
