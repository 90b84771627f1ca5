#include "temporal/normalize.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <utility>

#include <fmt/format.h>

#include "temporal/calendar.h"

namespace annals::temporal {
namespace {

using namespace date;

std::optional<Granularity> granularity_from(std::string_view s) {
  static constexpr std::array<std::pair<std::string_view, Granularity>, 9> names{{
      {"century", Granularity::Century}, {"decade", Granularity::Decade}, {"year", Granularity::Year},
      {"half", Granularity::Half}, {"quarter", Granularity::Quarter}, {"season", Granularity::Season},
      {"month", Granularity::Month}, {"week", Granularity::Week}, {"day", Granularity::Day},
  }};
  for (auto& [n, g] : names)
    if (n == s) return g;
  return std::nullopt;
}

bool starts_with(std::string_view s, std::string_view p) { return s.substr(0, p.size()) == p; }

std::string out_of_calendar(std::string_view e) {
  return fmt::format("\"{}\" falls outside the years {} to {} that a TimeML value can hold", e, kFirstYear, kLastYear);
}

// What may follow a day or week: a time of day ("T14:30", "TNI") after a day,
// "-WE" (its weekend) after a week. Returns an error message or "".
std::string check_suffix(std::string_view suffix, Granularity g, std::string_view e) {
  if (suffix.empty()) return "";
  if (suffix[0] == 'T' && suffix.size() > 1 && g == Granularity::Day) return "";
  if (suffix == "-WE" && g == Granularity::Week) return "";
  return fmt::format("unexpected \"{}\" in \"{}\" (a day takes T..., a week takes -WE)", suffix, e);
}

// "ref", "ref-1Y+2M@month", "ref-1DTNI", "ref-1W@week-WE"; with `start` and
// `g0`, the shifts after a calendar literal ("1995+1Y", base = its first day,
// granularity g0 unless an @ follows).
Evaluation eval_ref(std::string_view e, sys_days ref, std::size_t start = 3, Granularity g0 = Granularity::Day) {
  Evaluation out;
  out.needs_reference = start == 3;
  std::size_t i = start;
  sys_days day_ = ref;
  while (i < e.size() && (e[i] == '+' || e[i] == '-')) {
    int sign = e[i] == '-' ? -1 : 1;
    ++i;
    long n = 0;
    auto [p, ec] = std::from_chars(e.data() + i, e.data() + e.size(), n);
    if (ec != std::errc{} || p == e.data() + e.size()) {
      out.error = fmt::format("expected a number and a unit (Y Q M W D) after '{}' in \"{}\"", sign < 0 ? '-' : '+', e);
      return out;
    }
    i = std::size_t(p - e.data());
    char unit = e[i++];
    if (unit != 'Y' && unit != 'Q' && unit != 'M' && unit != 'W' && unit != 'D') {
      out.error = fmt::format("unknown unit '{}' in \"{}\" (use Y Q M W D)", unit, e);
      return out;
    }
    auto shifted = add_units(day_, sign * n, unit);
    if (!shifted) {
      out.error = out_of_calendar(e);
      return out;
    }
    day_ = *shifted;
  }
  Granularity g = g0;
  if (i < e.size() && e[i] == '@') {
    std::size_t j = i + 1;
    while (j < e.size() && e[j] >= 'a' && e[j] <= 'z') ++j;
    auto gran = granularity_from(e.substr(i + 1, j - i - 1));
    if (!gran) {
      out.error = fmt::format("unknown granularity \"{}\" in \"{}\"", e.substr(i + 1, j - i - 1), e);
      return out;
    }
    g = *gran;
    i = j;
  }
  std::string_view suffix = e.substr(i);
  if (auto err = check_suffix(suffix, g, e); !err.empty()) {
    out.error = err;
    return out;
  }
  out.value = value_at(day_, g);
  out.value += suffix;
  return out;
}

struct Fields {
  std::optional<int> month, day, weekday, quarter, half;
  std::optional<std::string> season;
  long shift = 0;        // shift=-1Y: move the reference first
  char shift_unit = 'D';
};

// Parses "month=3,day=7" into Fields; returns an error message or "".
std::string parse_fields(std::string_view body, Fields& f) {
  while (!body.empty()) {
    auto comma = body.find(',');
    std::string_view item = body.substr(0, comma);
    body = comma == std::string_view::npos ? std::string_view{} : body.substr(comma + 1);
    while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
    while (!item.empty() && item.back() == ' ') item.remove_suffix(1);
    auto eq = item.find('=');
    if (eq == std::string_view::npos) return fmt::format("expected field=value, got \"{}\"", item);
    std::string_view key = item.substr(0, eq), val = item.substr(eq + 1);
    // "month=,day=": a field whose optional group took no part in the match
    // is left out ("near(month=,day=)T17:00" is the reference day at 17:00).
    if (val.empty()) continue;
    if (key == "season") {
      if (val != "SP" && val != "SU" && val != "FA" && val != "WI") return fmt::format("season must be SP, SU, FA or WI, got \"{}\"", val);
      f.season = std::string(val);
      continue;
    }
    if (key == "shift") {
      // "-1Y", "+2M": N units (Y Q M W D) to move the reference by.
      if (!val.empty() && val[0] == '+') val.remove_prefix(1);
      auto [p, ec] = std::from_chars(val.data(), val.data() + val.size(), f.shift);
      if (ec != std::errc{} || p + 1 != val.data() + val.size() || std::string_view("YQMWD").find(*p) == std::string_view::npos)
        return fmt::format("shift needs a signed number and a unit (Y Q M W D), got \"{}\"", val);
      f.shift_unit = *p;
      continue;
    }
    int n = 0;
    auto [p, ec] = std::from_chars(val.data(), val.data() + val.size(), n);
    if (ec != std::errc{} || p != val.data() + val.size()) return fmt::format("field {} needs a number, got \"{}\"", key, val);
    if (key == "month" && n >= 1 && n <= 12) f.month = n;
    else if (key == "day" && n >= 1 && n <= 31) f.day = n;
    else if (key == "weekday" && n >= 1 && n <= 7) f.weekday = n;
    else if (key == "quarter" && n >= 1 && n <= 4) f.quarter = n;
    else if (key == "half" && n >= 1 && n <= 2) f.half = n;
    else return fmt::format("unknown field or value out of range: {}={}", key, val);
  }
  return "";
}

int season_start_month(const std::string& s) { return s == "SP" ? 3 : s == "SU" ? 6 : s == "FA" ? 9 : 12; }

// The candidate in year y: its first day and the granularity of the result.
std::optional<std::pair<sys_days, Granularity>> candidate(const Fields& f, int y) {
  if (f.month) {
    if (f.day) {
      year_month_day ymd{year{y}, month{unsigned(*f.month)}, day{unsigned(*f.day)}};
      if (!ymd.ok()) return std::nullopt;
      return std::pair{sys_days{ymd}, Granularity::Day};
    }
    return std::pair{sys_days{year{y} / month{unsigned(*f.month)} / 1}, Granularity::Month};
  }
  if (f.quarter) return std::pair{sys_days{year{y} / month{unsigned(3 * *f.quarter - 2)} / 1}, Granularity::Quarter};
  if (f.half) return std::pair{sys_days{year{y} / month{unsigned(6 * *f.half - 5)} / 1}, Granularity::Half};
  if (f.season) return std::pair{sys_days{year{y} / month{unsigned(season_start_month(*f.season))} / 1}, Granularity::Season};
  return std::nullopt;
}

// The day of weekday `target` relative to `ref` for function `fn`.
std::optional<sys_days> weekday_day(std::string_view fn, sys_days ref, int iso_weekday) {
  weekday target{unsigned(iso_weekday % 7)};  // ISO 7 (Sunday) -> 0
  weekday have{ref};
  days back = have - target, ahead = target - have;  // both in [0, 6]
  if (fn == "prev") return ref - back;
  if (fn == "next") return ref + ahead;
  if (fn == "before") return ref - (back == days{0} ? days{7} : back);
  if (fn == "after") return ref + (ahead == days{0} ? days{7} : ahead);
  if (fn == "near") return back <= 2 * ahead ? ref - back : ref + ahead;
  if (fn == "this") return ref - (have - weekday{1}) + (target - weekday{1});  // same ISO week
  return std::nullopt;
}

// Days between `ref` and an interval (0 when it holds ref).
long distance(const DateInterval& iv, sys_days ref) {
  if (ref < iv.first) return (iv.first - ref).count();
  if (ref > iv.last) return (ref - iv.last).count();
  return 0;
}

Evaluation eval_call(std::string_view e, sys_days ref) {
  Evaluation out;
  out.needs_reference = true;
  auto open = e.find('(');
  auto close = e.find(')');
  std::string_view fn = e.substr(0, open);
  if (open == std::string_view::npos || close == std::string_view::npos || close < open) {
    out.error = fmt::format("malformed call \"{}\" (expected {}(field=value,...))", e, fn);
    return out;
  }
  static constexpr std::string_view functions[] = {"prev", "next", "this", "near", "before", "after"};
  if (std::find(std::begin(functions), std::end(functions), fn) == std::end(functions)) {
    out.error = fmt::format("unknown function \"{}\" (use prev, next, this, near, before or after)", fn);
    return out;
  }
  std::string_view suffix = e.substr(close + 1);
  Fields f;
  if (auto err = parse_fields(e.substr(open + 1, close - open - 1), f); !err.empty()) {
    out.error = fmt::format("{} in \"{}\"", err, e);
    return out;
  }
  sys_days first{};
  Granularity g = Granularity::Day;
  auto shifted = add_units(ref, f.shift, f.shift_unit);
  if (!shifted) {
    out.error = out_of_calendar(e);
    return out;
  }
  ref = *shifted;
  if (f.weekday) {
    first = *weekday_day(fn, ref, *f.weekday);
  } else if (!f.month && !f.day && !f.quarter && !f.half && !f.season) {
    first = ref;  // no calendar field given: the (shifted) reference day itself
  } else {
    int y = int(year_month_day{ref}.year());
    auto at = [&](int year) -> std::optional<DateInterval> {
      auto c = candidate(f, year);
      if (!c) return std::nullopt;
      g = c->second;
      return interval_of(value_at(c->first, c->second));
    };
    auto here = at(y);
    if (!here) {
      out.error = fmt::format("\"{}\" names no month, quarter, half, season or weekday, or no such date", e);
      return out;
    }
    int pick = y;
    if (fn == "prev" && here->first > ref) pick = y - 1;
    else if (fn == "before" && here->last >= ref) pick = y - 1;
    else if (fn == "next" && here->last < ref) pick = y + 1;
    else if (fn == "after" && here->first <= ref) pick = y + 1;
    else if (fn == "near") {
      // News reports what happened: a future occurrence counts twice as far.
      auto cost = [&](const DateInterval& iv) { return iv.first > ref ? 2 * distance(iv, ref) : distance(iv, ref); };
      long best = cost(*here);
      for (int cand : {y - 1, y + 1}) {
        auto iv = at(cand);
        if (iv && (cost(*iv) < best || (cost(*iv) == best && cand < pick))) {
          best = cost(*iv);
          pick = cand;
        }
      }
    }
    auto c = candidate(f, pick);
    if (!c) {
      out.error = fmt::format("no such date in {} for \"{}\"", pick, e);
      return out;
    }
    first = c->first;
    g = c->second;
  }
  if (!in_calendar(first)) {  // "prev(month=12)" in the year 0
    out.error = out_of_calendar(e);
    return out;
  }
  if (auto err = check_suffix(suffix, g, e); !err.empty()) {
    out.error = err;
    return out;
  }
  out.value = value_at(first, g);
  out.value += suffix;
  return out;
}

// Where the shifts of "1995+1Y@year" or "1989-10@quarter" begin: the first
// sign followed by digits and a unit letter, or the first '@'; npos when none.
std::size_t literal_shift_start(std::string_view e) {
  for (std::size_t i = 1; i < e.size(); ++i) {
    if (e[i] == '@') return i;
    if (e[i] != '+' && e[i] != '-') continue;
    std::size_t j = i + 1;
    while (j < e.size() && e[j] >= '0' && e[j] <= '9') ++j;
    if (j > i + 1 && j < e.size() && std::string_view("YQMWD").find(e[j]) != std::string_view::npos) return i;
  }
  return std::string_view::npos;
}

}  // namespace

bool is_relative_expression(std::string_view e) {
  for (std::string_view p : {"ref", "prev(", "next(", "this(", "near(", "before(", "after("})
    if (starts_with(e, p)) return true;
  return false;
}

Evaluation evaluate_value(std::string_view e, std::optional<sys_days> reference) {
  Evaluation out;
  if (e.empty()) {
    out.error = "empty value";
    return out;
  }
  if (is_relative_expression(e)) {
    if (!reference) {
      out.needs_reference = true;
      return out;
    }
    return starts_with(e, "ref") ? eval_ref(e, *reference) : eval_call(e, *reference);
  }
  if (e.find('{') != std::string_view::npos || e.find('}') != std::string_view::npos) {
    out.error = fmt::format("unfilled placeholder in value \"{}\"", e);
    return out;
  }
  // A calendar literal followed by shifts ("1995+1Y" for "the following
  // year" after 1995): from the literal's first day, at its granularity.
  if (auto at = literal_shift_start(e); at != std::string_view::npos) {
    if (auto base = interval_of(e.substr(0, at))) return eval_ref(e, base->first, at, base->granularity);
  }
  // A calendar literal is canonicalized; a malformed one ("2025-13") is an
  // error; durations, sets and vague references pass through as written.
  if (auto iv = interval_of(e)) {
    out.value = iv->value;
    return out;
  }
  if (e.size() >= 5 && e[4] == '-' && std::isdigit(static_cast<unsigned char>(e[0])) && e.find('X') == std::string_view::npos) {
    out.error = fmt::format("not a valid calendar date: \"{}\"", e);
    return out;
  }
  out.value = std::string(e);
  return out;
}

std::string check_value_expression(std::string_view expression) {
  auto ev = evaluate_value(expression, sys_days{year{2025} / March / 7});
  if (!ev.error.empty()) return ev.error;
  // Anything else that looks like a call would pass through as a literal.
  if (auto open = expression.find('('); open != std::string_view::npos && !is_relative_expression(expression))
    return fmt::format("\"{}\" is not a function of the value language (see rules/README.md)", expression.substr(0, open));
  return "";
}

}  // namespace annals::temporal
