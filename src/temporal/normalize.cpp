#include "temporal/normalize.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <utility>
#include <vector>

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

Status out_of_calendar(std::string_view e) {
  return Status::error(fmt::format("\"{}\" falls outside the years 9999 BC to 9999 AD that a TimeML value can hold", e));
}

// What may follow a day or week: a time of day ("T14:30", "TNI") after a day,
// "-WE" (its weekend) after a week.
Status check_suffix(std::string_view suffix, Granularity g, std::string_view e) {
  if (suffix.empty()) return Status();
  if (suffix[0] == 'T' && suffix.size() > 1 && g == Granularity::Day) return Status();
  if (suffix == "-WE" && g == Granularity::Week) return Status();
  return Status::error(fmt::format("unexpected \"{}\" in \"{}\" (a day takes T..., a week takes -WE)", suffix, e));
}

// The granularity a shift by `unit` needs its base at (temporal/normalize.h).
Granularity unit_need(char unit) {
  switch (unit) {
    case 'D': return Granularity::Day;
    case 'W': return Granularity::Week;
    case 'M': return Granularity::Month;
    case 'Q': return Granularity::Quarter;
    default: return Granularity::Year;
  }
}

// What a result at granularity g needs of its base.
Granularity result_need(Granularity g) {
  switch (g) {
    case Granularity::Century:
    case Granularity::Decade:
    case Granularity::Year: return Granularity::Year;
    case Granularity::Half:
    case Granularity::Season: return Granularity::Month;
    default: return g;
  }
}

// The finer of two needs: a week and a month (neither inside the other) need a day.
Granularity finer_need(Granularity a, Granularity b) {
  if (a == b) return a;
  if (a == Granularity::Day || b == Granularity::Day || a == Granularity::Week || b == Granularity::Week) return Granularity::Day;
  return std::max(a, b);  // Year < Quarter < Month in the enum
}

std::optional<Base> base_for(const Bases& bases, bool anchor, Granularity need) {
  const auto& f = anchor && bases.anchor ? bases.anchor : bases.ref;
  if (!f) return std::nullopt;
  return f(need);
}

// "ref", "ref-1Y+2M@month", "ref-1DTNI", "ref-1W@week-WE", the same after
// "anchor"; with `literal`, the shifts after a calendar literal ("1995+1Y",
// from its first day, at its granularity unless an @ follows), `start` being
// where they begin.
Result<Evaluation> eval_shifted(std::string_view e, const Bases& bases, std::size_t start,
                        std::optional<DateInterval> literal = std::nullopt) {
  Evaluation out;
  out.needs_reference = !literal;
  std::size_t i = start;
  std::vector<std::pair<long, char>> shifts;
  Granularity need = Granularity::Year;
  while (i < e.size() && (e[i] == '+' || e[i] == '-')) {
    int sign = e[i] == '-' ? -1 : 1;
    ++i;
    long n = 0;
    auto [p, ec] = std::from_chars(e.data() + i, e.data() + e.size(), n);
    if (ec != std::errc{} || p == e.data() + e.size()) {
      return Status::error(fmt::format("expected a number and a unit (Y Q M W D) after '{}' in \"{}\"", sign < 0 ? '-' : '+', e));
    }
    i = std::size_t(p - e.data());
    char unit = e[i++];
    if (unit != 'Y' && unit != 'Q' && unit != 'M' && unit != 'W' && unit != 'D') {
      return Status::error(fmt::format("unknown unit '{}' in \"{}\" (use Y Q M W D)", unit, e));
    }
    shifts.emplace_back(sign * n, unit);
    need = finer_need(need, unit_need(unit));
  }
  Granularity g = literal ? literal->granularity : Granularity::Day;
  if (i < e.size() && e[i] == '@') {
    std::size_t j = i + 1;
    while (j < e.size() && e[j] >= 'a' && e[j] <= 'z') ++j;
    auto gran = granularity_from(e.substr(i + 1, j - i - 1));
    if (!gran) {
      return Status::error(fmt::format("unknown granularity \"{}\" in \"{}\"", e.substr(i + 1, j - i - 1), e));
    }
    g = *gran;
    i = j;
  }
  std::string_view suffix = e.substr(i);
  if (Status suffix_ok = check_suffix(suffix, g, e); !suffix_ok.ok()) return suffix_ok;
  need = finer_need(need, result_need(g));
  sys_days day_{};
  if (literal) {
    day_ = literal->first;
  } else {
    auto base = base_for(bases, e.starts_with("anchor"), need);
    if (!base) return out;  // unresolved: no base fine enough
    day_ = base->first;
  }
  for (auto [n, unit] : shifts) {
    auto shifted = add_units(day_, n, unit);
    if (!shifted) return out_of_calendar(e);
    day_ = *shifted;
  }
  out.value = value_at(day_, g);
  out.value += suffix;
  return out;
}

struct Fields {
  std::optional<int> month, day, weekday, quarter, half;
  std::optional<std::string> season;
  std::optional<int> nth;         // with month and weekday: the nth such weekday of the month (-1: the last)
  std::optional<int> easter;      // days from Easter Sunday (Gregorian)
  std::optional<int> lunar;       // days from the Lunar New Year (lunar_new_year=)
  std::optional<int> year;        // astronomical year given outright (year=1963, bc=480 -> -479)
  std::optional<int> yy;          // a year's last two digits: the nearest such year
  long shift = 0;        // shift=-1Y: move the reference first
  char shift_unit = 'D';
  bool from_anchor = false;  // from=anchor: count from the anchor, not the reference
  // Names a place inside a year (a month, a feast, a season...), not a weekday of a week.
  bool in_year() const { return month || quarter || half || season || easter || lunar; }
};

// Parses "month=3,day=7" into Fields.
Status parse_fields(std::string_view body, Fields& f) {
  while (!body.empty()) {
    auto comma = body.find(',');
    std::string_view item = body.substr(0, comma);
    body = comma == std::string_view::npos ? std::string_view{} : body.substr(comma + 1);
    while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
    while (!item.empty() && item.back() == ' ') item.remove_suffix(1);
    auto eq = item.find('=');
    if (eq == std::string_view::npos) return Status::error(fmt::format("expected field=value, got \"{}\"", item));
    std::string_view key = item.substr(0, eq), val = item.substr(eq + 1);
    // "month=,day=": a field whose optional group took no part in the match
    // is left out ("near(month=,day=)T17:00" is the reference day at 17:00).
    if (val.empty()) continue;
    if (key == "season") {
      if (val != "SP" && val != "SU" && val != "FA" && val != "WI") return Status::error(fmt::format("season must be SP, SU, FA or WI, got \"{}\"", val));
      f.season = std::string(val);
      continue;
    }
    if (key == "from") {
      if (val != "ref" && val != "anchor") return Status::error(fmt::format("from must be ref or anchor, got \"{}\"", val));
      f.from_anchor = val == "anchor";
      continue;
    }
    if (key == "shift") {
      // "-1Y", "+2M": N units (Y Q M W D) to move the reference by.
      if (!val.empty() && val[0] == '+') val.remove_prefix(1);
      auto [p, ec] = std::from_chars(val.data(), val.data() + val.size(), f.shift);
      if (ec != std::errc{} || p + 1 != val.data() + val.size() || std::string_view("YQMWD").find(*p) == std::string_view::npos)
        return Status::error(fmt::format("shift needs a signed number and a unit (Y Q M W D), got \"{}\"", val));
      f.shift_unit = *p;
      continue;
    }
    int n = 0;
    if (val.size() > 1 && val[0] == '+') val.remove_prefix(1);
    auto [p, ec] = std::from_chars(val.data(), val.data() + val.size(), n);
    if (ec != std::errc{} || p != val.data() + val.size()) return Status::error(fmt::format("field {} needs a number, got \"{}\"", key, val));
    if (key == "nth" && ((n >= 1 && n <= 5) || n == -1)) f.nth = n;
    else if (key == "easter" && n >= -100 && n <= 100) f.easter = n;
    else if (key == "lunar_new_year" && n >= -100 && n <= 100) f.lunar = n;
    else if (key == "year" && n >= 1 && n <= 9999) f.year = n;
    else if (key == "bc" && n >= 1 && n <= 9999) f.year = 1 - n;
    else if (key == "yy" && n >= 0 && n <= 99) f.yy = n;
    else if (key == "month" && n >= 1 && n <= 12) f.month = n;
    else if (key == "day" && n >= 1 && n <= 31) f.day = n;
    else if (key == "weekday" && n >= 1 && n <= 7) f.weekday = n;
    else if (key == "quarter" && n >= 1 && n <= 4) f.quarter = n;
    else if (key == "half" && n >= 1 && n <= 2) f.half = n;
    else return Status::error(fmt::format("unknown field or value out of range: {}={}", key, val));
  }
  return Status();
}

int season_start_month(const std::string& s) { return s == "SP" ? 3 : s == "SU" ? 6 : s == "FA" ? 9 : 12; }

// The candidate in year y: its first day and the granularity of the result.
std::optional<std::pair<sys_days, Granularity>> candidate(const Fields& f, int y) {
  if (f.easter) return std::pair{easter_sunday(y) + days{*f.easter}, Granularity::Day};
  if (f.lunar) return std::pair{lunar_new_year(y) + days{*f.lunar}, Granularity::Day};
  if (f.month && f.weekday) {
    auto d = nth_weekday(y, unsigned(*f.month), unsigned(*f.weekday), f.nth.value_or(1));
    if (!d) return std::nullopt;
    return std::pair{*d, Granularity::Day};
  }
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
  return std::pair{sys_days{year{y} / 1 / 1}, Granularity::Year};  // year= or yy= alone
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

// The granularity of a call's result: that of its finest calendar field,
// a day for a weekday, a feast or no field at all, a year for a year alone.
Granularity call_granularity(const Fields& f) {
  if (f.easter || f.lunar || f.weekday || f.day) return Granularity::Day;
  if (f.month) return Granularity::Month;
  if (f.quarter) return Granularity::Quarter;
  if (f.half) return Granularity::Half;
  if (f.season) return Granularity::Season;
  if (f.year || f.yy) return Granularity::Year;
  return Granularity::Day;
}

// Of the candidate years `years` (ascending), the one function `fn` picks
// counting from `ref`: prev the latest not after it, before the latest
// wholly before it, next the earliest not before it, after the earliest
// wholly after it, this the middle one, near the closest (news reports what
// happened: a future one counts twice as far; ties go to the past).
std::optional<int> pick_year(std::string_view fn, const Fields& f, sys_days ref, const std::array<int, 3>& years) {
  auto at = [&](int y) -> std::optional<DateInterval> {
    auto c = candidate(f, y);
    if (!c) return std::nullopt;
    return interval_of(value_at(c->first, c->second));
  };
  if (fn == "this") return years[1];
  std::optional<int> pick;
  std::optional<long> best;
  for (int y : years) {
    auto iv = at(y);
    if (!iv) continue;
    if (fn == "prev" && iv->first <= ref) pick = y;
    else if (fn == "before" && iv->last < ref) pick = y;
    else if (fn == "next" && iv->last >= ref && !pick) pick = y;
    else if (fn == "after" && iv->first > ref && !pick) pick = y;
    else if (fn == "near") {
      long cost = iv->first > ref ? 2 * distance(*iv, ref) : distance(*iv, ref);
      if (!best || cost < *best) best = cost, pick = y;
    }
  }
  return pick;
}

Result<Evaluation> eval_call(std::string_view e, const Bases& bases) {
  Evaluation out;
  out.needs_reference = true;
  auto open = e.find('(');
  auto close = e.find(')');
  std::string_view fn = e.substr(0, open);
  if (open == std::string_view::npos || close == std::string_view::npos || close < open) {
    return Status::error(fmt::format("malformed call \"{}\" (expected {}(field=value,...))", e, fn));
  }
  static constexpr std::string_view functions[] = {"prev", "next", "this", "near", "before", "after"};
  if (std::find(std::begin(functions), std::end(functions), fn) == std::end(functions)) {
    return Status::error(fmt::format("unknown function \"{}\" (use prev, next, this, near, before or after)", fn));
  }
  std::string_view suffix = e.substr(close + 1);
  Fields f;
  if (Status parsed = parse_fields(e.substr(open + 1, close - open - 1), f); !parsed.ok())
    return Status::error(fmt::format("{} in \"{}\"", parsed.message(), e));
  if (f.day && !f.month) return Status::error(fmt::format("\"{}\" gives a day without its month", e));
  if (f.nth && !(f.month && f.weekday)) return Status::error(fmt::format("\"{}\": nth needs a month and a weekday", e));
  if (f.month && f.weekday && (!f.nth || f.day))
    return Status::error(fmt::format("\"{}\": a month with a weekday needs nth (which one), and no day", e));
  if ((f.easter || f.lunar) && (f.month || f.quarter || f.half || f.season || f.weekday || (f.easter && f.lunar)))
    return Status::error(fmt::format("\"{}\": easter and lunar_new_year take no other calendar field", e));
  if (f.year && f.yy) return Status::error(fmt::format("\"{}\": give year, bc or yy, not two of them", e));
  Granularity g = call_granularity(f);
  if (Status suffix_ok = check_suffix(suffix, g, e); !suffix_ok.ok()) return suffix_ok;
  // A year given outright needs no base: "this(year=1963,month=12,day=25)".
  if (f.year) {
    if (f.weekday && !f.month) return Status::error(fmt::format("\"{}\": a weekday needs a week, not a year", e));
    out.needs_reference = false;
    auto c = candidate(f, *f.year);
    if (!c) return Status::error(fmt::format("no such date in {} for \"{}\"", value_at(sys_days{year{*f.year} / 1 / 1}, Granularity::Year), e));
    out.value = value_at(c->first, g);
    out.value += suffix;
    return out;
  }
  // What the base must be: a day for a weekday (its week for this()) or for
  // the reference day itself; a year for a month, quarter, half, season or
  // feast (and for the century of a two-digit year).
  bool in_year = f.in_year() || f.yy;
  Granularity need = in_year ? Granularity::Year : f.weekday && fn == "this" ? Granularity::Week : Granularity::Day;
  if (f.shift != 0) need = finer_need(need, unit_need(f.shift_unit));
  auto base = base_for(bases, f.from_anchor, need);
  if (!base) return out;  // unresolved: no base fine enough
  auto shifted = add_units(base->first, f.shift, f.shift_unit);
  if (!shifted) return out_of_calendar(e);
  sys_days ref = *shifted;
  sys_days first{};
  if (!in_year && f.weekday) {
    first = *weekday_day(fn, ref, *f.weekday);
  } else if (!in_year) {
    first = ref;  // no calendar field given: the (shifted) base day itself
  } else {
    int y = int(year_month_day{ref}.year());
    std::optional<int> pick;
    if (f.yy) {
      // The years ending in those two digits around the base's.
      int here = y - ((y % 100) + 100) % 100 + *f.yy;
      pick = pick_year(fn == "this" ? "near" : fn, f, ref, {here - 100, here, here + 100});
    } else if (base->granularity == Granularity::Year || base->granularity == Granularity::Half ||
               base->granularity == Granularity::Quarter || base->granularity == Granularity::Season) {
      // A base coarser than a month holds the result: the field is taken in
      // the base's year, whatever the function.
      pick = y;
    } else {
      pick = pick_year(fn, f, ref, {y - 1, y, y + 1});
    }
    if (!pick) {
      // The occurrence asked for lies in a year a TimeML value cannot hold.
      if (y - 1 < kFirstYear || y + 1 > kLastYear) return out_of_calendar(e);
      pick = y;
    }
    auto c = candidate(f, *pick);
    if (!c) {
      return Status::error(fmt::format("no such date in {} for \"{}\"", value_at(sys_days{year{*pick} / 1 / 1}, Granularity::Year), e));
    }
    first = c->first;
  }
  if (!in_calendar(first)) return out_of_calendar(e);  // "prev(month=12)" in the year 0
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
  for (std::string_view p : {"ref", "anchor", "prev(", "next(", "this(", "near(", "before(", "after("})
    if (starts_with(e, p)) return true;
  return false;
}

Bases reference_bases(std::optional<sys_days> reference) {
  Bases b;
  if (reference) b.ref = [day = *reference](Granularity) { return std::optional<Base>(Base{day, Granularity::Day}); };
  else b.ref = [](Granularity) { return std::optional<Base>(); };
  return b;
}

Result<Evaluation> evaluate_value(std::string_view e, std::optional<sys_days> reference) {
  return evaluate_value(e, reference_bases(reference));
}

Result<Evaluation> evaluate_value(std::string_view e, const Bases& bases) {
  Evaluation out;
  if (e.empty()) {
    return Status::error("empty value");
  }
  if (starts_with(e, "ref")) return eval_shifted(e, bases, 3);
  if (starts_with(e, "anchor")) return eval_shifted(e, bases, 6);
  if (is_relative_expression(e)) return eval_call(e, bases);
  if (e.find('{') != std::string_view::npos || e.find('}') != std::string_view::npos) {
    return Status::error(fmt::format("unfilled placeholder in value \"{}\"", e));
  }
  // A calendar literal followed by shifts ("1995+1Y" for "the following
  // year" after 1995): from the literal's first day, at its granularity.
  if (auto at = literal_shift_start(e); at != std::string_view::npos) {
    if (auto base = interval_of(e.substr(0, at))) return eval_shifted(e, bases, at, base);
  }
  // A calendar literal is canonicalized; a malformed one ("2025-13") is an
  // error; durations, sets and vague references pass through as written.
  if (auto iv = interval_of(e)) {
    out.value = iv->value;
    return out;
  }
  if (e.size() >= 5 && e[4] == '-' && std::isdigit(static_cast<unsigned char>(e[0])) && e.find('X') == std::string_view::npos) {
    return Status::error(fmt::format("not a valid calendar date: \"{}\"", e));
  }
  out.value = std::string(e);
  return out;
}

Status check_value_expression(std::string_view expression) {
  if (auto ev = evaluate_value(expression, sys_days{year{2025} / March / 7}); !ev.ok()) return ev.status();
  // Anything else that looks like a call would pass through as a literal.
  if (auto open = expression.find('('); open != std::string_view::npos && !is_relative_expression(expression))
    return Status::error(
        fmt::format("\"{}\" is not a function of the value language (see rules/README.md)", expression.substr(0, open)));
  return Status();
}

}  // namespace annals::temporal
