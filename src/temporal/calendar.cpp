#include "temporal/calendar.h"

#include <charconv>
#include <cstdio>

#include <date/iso_week.h>
#include <fmt/format.h>

namespace annals::temporal {
namespace {

using namespace date;

bool all_digits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s)
    if (c < '0' || c > '9') return false;
  return true;
}

std::optional<int> to_int(std::string_view s) {
  if (!all_digits(s) || s.size() > 9) return std::nullopt;
  int v = 0;
  std::from_chars(s.data(), s.data() + s.size(), v);
  return v;
}

sys_days month_first(int y, unsigned m) { return sys_days{year{y} / month{m} / day{1}}; }
sys_days month_last(int y, unsigned m) { return sys_days{year{y} / month{m} / last}; }

DateInterval make(std::string value, Granularity g, sys_days a, sys_days b) {
  return DateInterval{std::move(value), g, a, b};
}

// A year as TimeML writes it: "1990", or "BC0490" for the astronomical year
// -489 (there is no year 0: 1 BC is astronomical 0).
std::string year_text(int y) { return y > 0 ? fmt::format("{:04}", y) : fmt::format("BC{:04}", 1 - y); }

}  // namespace

std::optional<sys_days> parse_iso_day(std::string_view s) {
  if (s.size() < 10 || s[4] != '-' || s[7] != '-') return std::nullopt;
  auto y = to_int(s.substr(0, 4)), m = to_int(s.substr(5, 2)), d = to_int(s.substr(8, 2));
  if (!y || !m || !d) return std::nullopt;
  year_month_day ymd{year{*y}, month{unsigned(*m)}, day{unsigned(*d)}};
  if (!ymd.ok()) return std::nullopt;
  return sys_days{ymd};
}

std::string format_iso_day(sys_days d) {
  year_month_day ymd{d};
  int y = int(ymd.year());
  // ISO 8601 writes years before year 1 astronomically, with a sign: -0489.
  return y >= 0 ? fmt::format("{:04}-{:02}-{:02}", y, unsigned(ymd.month()), unsigned(ymd.day()))
                : fmt::format("-{:04}-{:02}-{:02}", -y, unsigned(ymd.month()), unsigned(ymd.day()));
}

sys_days add_units(sys_days d, long n, char unit) {
  switch (unit) {
    case 'D': return d + days{n};
    case 'W': return d + weeks{n};
    case 'M':
    case 'Q':
    case 'Y': {
      long months_n = unit == 'M' ? n : unit == 'Q' ? 3 * n : 12 * n;
      year_month_day ymd{d};
      year_month ym = year_month{ymd.year(), ymd.month()} + months{months_n};
      auto last_day = year_month_day_last{ym.year(), month_day_last{ym.month()}}.day();
      return sys_days{ym / (ymd.day() > last_day ? last_day : ymd.day())};
    }
  }
  return d;
}

std::string value_at(sys_days d, Granularity g) {
  year_month_day ymd{d};
  int y = int(ymd.year());
  unsigned m = unsigned(ymd.month());
  switch (g) {
    // Centuries and decades before year 1 are written as their years.
    case Granularity::Century: return y > 0 ? fmt::format("{:02}", y / 100) : year_text(y);
    case Granularity::Decade: return y > 0 ? fmt::format("{:03}", y / 10) : year_text(y);
    case Granularity::Year: return year_text(y);
    case Granularity::Half: return fmt::format("{}-H{}", year_text(y), m <= 6 ? 1 : 2);
    case Granularity::Quarter: return fmt::format("{}-Q{}", year_text(y), (m - 1) / 3 + 1);
    case Granularity::Season: {
      if (m == 12) return fmt::format("{}-WI", year_text(y));
      if (m <= 2) return fmt::format("{}-WI", year_text(y - 1));
      const char* s = m <= 5 ? "SP" : m <= 8 ? "SU" : "FA";
      return fmt::format("{}-{}", year_text(y), s);
    }
    case Granularity::Month: return fmt::format("{}-{:02}", year_text(y), m);
    case Granularity::Week: {
      iso_week::year_weeknum_weekday iw{d};
      return fmt::format("{}-W{:02}", year_text(int(iw.year())), unsigned(iw.weeknum()));
    }
    case Granularity::Day: return fmt::format("{}-{:02}-{:02}", year_text(y), m, unsigned(ymd.day()));
  }
  return format_iso_day(d);
}

std::optional<DateInterval> interval_of(std::string_view v) {
  // "BC0490", "BC0479-06": a year before year 1, its months and days.
  if (v.starts_with("BC")) {
    if (v.size() < 6 || !all_digits(v.substr(2, 4)) || (v.size() > 6 && v[6] != '-')) return std::nullopt;
    int bc = *to_int(v.substr(2, 4));
    if (bc < 1) return std::nullopt;
    // Read the rest with a stand-in year of the same leap-ness, then move it.
    int astro = 1 - bc, stand_in = 2000 + ((astro % 400) + 400) % 400;
    auto iv = interval_of(fmt::format("{:04}{}", stand_in, v.substr(6)));
    if (!iv || iv->granularity == Granularity::Week) return std::nullopt;
    auto move = [&](sys_days d) {
      year_month_day ymd{d};
      return sys_days{year{int(ymd.year()) - stand_in + astro} / ymd.month() / ymd.day()};
    };
    iv->value = year_text(astro) + iv->value.substr(4);
    iv->first = move(iv->first);
    iv->last = move(iv->last);
    return iv;
  }
  // Century "20", decade "199", year "2025".
  if (all_digits(v)) {
    int n = *to_int(v);
    if (v.size() == 2) return make(fmt::format("{:02}", n), Granularity::Century, month_first(n * 100, 1), month_last(n * 100 + 99, 12));
    if (v.size() == 3) return make(fmt::format("{:03}", n), Granularity::Decade, month_first(n * 10, 1), month_last(n * 10 + 9, 12));
    if (v.size() == 4) return make(fmt::format("{:04}", n), Granularity::Year, month_first(n, 1), month_last(n, 12));
    return std::nullopt;
  }
  if (v.size() < 6 || v[4] != '-' || !all_digits(v.substr(0, 4))) return std::nullopt;
  int y = *to_int(v.substr(0, 4));
  std::string_view rest = v.substr(5);
  // Week, quarter, half, season.
  // A weekend: "2025-W10-WE" is the Saturday and Sunday of that ISO week.
  if (rest.size() == 6 && rest[0] == 'W' && rest.substr(3) == "-WE" && all_digits(rest.substr(1, 2))) {
    auto week = interval_of(v.substr(0, 8));
    if (!week) return std::nullopt;
    return make(week->value + "-WE", Granularity::Week, week->first + days{5}, week->last);
  }
  if (rest.size() >= 2 && (rest[0] == 'W' || rest[0] == 'Q' || rest[0] == 'H') && all_digits(rest.substr(1))) {
    int n = *to_int(rest.substr(1));
    if (rest[0] == 'W') {
      iso_week::year_weeknum_weekday first{iso_week::year{y}, iso_week::weeknum{unsigned(n)}, iso_week::mon};
      if (!first.ok()) return std::nullopt;
      sys_days a{first};
      return make(fmt::format("{:04}-W{:02}", y, n), Granularity::Week, a, a + days{6});
    }
    if (rest[0] == 'Q' && n >= 1 && n <= 4)
      return make(fmt::format("{:04}-Q{}", y, n), Granularity::Quarter, month_first(y, unsigned(3 * n - 2)), month_last(y, unsigned(3 * n)));
    if (rest[0] == 'H' && n >= 1 && n <= 2)
      return make(fmt::format("{:04}-H{}", y, n), Granularity::Half, month_first(y, unsigned(6 * n - 5)), month_last(y, unsigned(6 * n)));
    return std::nullopt;
  }
  if (rest == "SP") return make(fmt::format("{:04}-SP", y), Granularity::Season, month_first(y, 3), month_last(y, 5));
  if (rest == "SU") return make(fmt::format("{:04}-SU", y), Granularity::Season, month_first(y, 6), month_last(y, 8));
  if (rest == "FA") return make(fmt::format("{:04}-FA", y), Granularity::Season, month_first(y, 9), month_last(y, 11));
  if (rest == "WI") return make(fmt::format("{:04}-WI", y), Granularity::Season, month_first(y, 12), month_last(y + 1, 2));
  // Month and day, possibly unpadded, with an optional time part.
  std::string_view time_part;
  if (auto t = rest.find('T'); t != std::string_view::npos) {
    time_part = rest.substr(t);
    rest = rest.substr(0, t);
  }
  auto dash = rest.find('-');
  auto m = to_int(rest.substr(0, dash));
  if (!m || *m < 1 || *m > 12) return std::nullopt;
  if (dash == std::string_view::npos) {
    if (!time_part.empty()) return std::nullopt;
    return make(fmt::format("{:04}-{:02}", y, *m), Granularity::Month, month_first(y, unsigned(*m)), month_last(y, unsigned(*m)));
  }
  auto d = to_int(rest.substr(dash + 1));
  if (!d) return std::nullopt;
  year_month_day ymd{year{y}, month{unsigned(*m)}, day{unsigned(*d)}};
  if (!ymd.ok()) return std::nullopt;
  sys_days day_{ymd};
  return make(fmt::format("{:04}-{:02}-{:02}{}", y, *m, *d, time_part), Granularity::Day, day_, day_);
}

}  // namespace annals::temporal
