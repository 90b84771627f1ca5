#include "temporal/tagger.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <span>

#include <fmt/format.h>

#include "core/text.h"
#include "rules/scan.h"
#include "rules/template.h"
#include "temporal/calendar.h"
#include "temporal/normalize.h"

namespace annals::temporal {
namespace {

// Where a candidate's capture groups are kept: every group of its rule,
// the whole match first, in one store per scan (no allocation per match).
using GroupStore = std::vector<re2::StringPiece>;
constexpr std::size_t kNoGroups = std::size_t(-1);

struct Candidate {
  Span span;   // the time expression (the rule's `timex` group when it has one)
  Span match;  // the whole match, cue words included
  std::size_t rule;  // index into the rule vector
  // Its groups in the scan's GroupStore, or kNoGroups: a rule without a
  // `timex` group is searched by RE2's DFA alone, and resolve_match runs the
  // capture engine once, on the candidates that survive.
  std::size_t groups = kNoGroups;
};

// The capture index of a rule's `timex` group, or 0 when it has none.
int timex_group(const rules::DateRule& rule) {
  auto g = rule.groups.find("timex");
  return g == rule.groups.end() ? 0 : g->second;
}

// Every match of one rule inside `range` of `text`; a rule with a `timex`
// group reports that group as the expression's extent and the rest of the
// match as context. Finding that group takes RE2's capture engine anyway,
// and asking it for every group costs no more, so such a match keeps all of
// them in `store`: resolving it needs no second capture match. `groups` is
// scratch space reused across calls.
void rule_candidates(const rules::DateRule& rule, std::size_t index, std::string_view text, Span range,
                     std::vector<re2::StringPiece>& groups, std::vector<Candidate>& out, GroupStore& store) {
  int timex = timex_group(rule);
  int n = timex > 0 ? rule.re->NumberOfCapturingGroups() + 1 : 1;
  groups.resize(std::size_t(n));
  rules::for_each_match(*rule.re, text, range, groups.data(), n, [&](Span match) {
    const auto& t = groups[std::size_t(timex)];
    if (t.data() == nullptr || t.empty()) return;
    std::size_t tb = std::size_t(t.data() - text.data());
    std::size_t at = kNoGroups;
    if (timex > 0) {
      at = store.size();
      store.insert(store.end(), groups.begin(), groups.end());
    }
    out.push_back({{tb, tb + t.size()}, match, index, at});
  });
}

// Keeps, of overlapping candidates, the longest (ties: the leftmost, then
// the rule defined first) and leaves them in text order. Every span lies in
// `range`; `taken` (scratch) marks its bytes already kept, so that a
// paragraph with thousands of dates costs no more per date than one with a
// few (comparing each candidate with every kept one was quadratic).
void resolve_overlaps(std::vector<Candidate>& c, Span range, std::vector<char>& taken) {
  std::sort(c.begin(), c.end(), [](const Candidate& a, const Candidate& b) {
    if (a.span.size() != b.span.size()) return a.span.size() > b.span.size();
    if (a.span.begin != b.span.begin) return a.span.begin < b.span.begin;
    return a.rule < b.rule;
  });
  taken.assign(range.size(), 0);
  std::size_t n = 0;
  for (const auto& x : c) {
    auto first = taken.begin() + std::ptrdiff_t(x.span.begin - range.begin);
    auto last = taken.begin() + std::ptrdiff_t(x.span.end - range.begin);
    if (std::find(first, last, 1) != last) continue;
    std::fill(first, last, 1);
    c[n++] = x;
  }
  c.resize(n);
  std::sort(c.begin(), c.end(), [](auto& a, auto& b) { return a.span.begin < b.span.begin; });
}

// A paragraph longer than this is cut into pieces: every rule the prefilter
// lets through scans the whole piece, so a text without blank lines (one
// 50 MB line) would cost each such rule the whole text.
constexpr std::size_t kMaxParagraph = 16384;

// Where to cut text[from, from + kMaxParagraph): after the last line break
// or sentence end (. ! ? and a space) of its second half, else after its
// last space, else at the limit.
std::size_t paragraph_cut(std::string_view text, std::size_t from) {
  std::size_t limit = from + kMaxParagraph, half = from + kMaxParagraph / 2;
  std::size_t space = std::string_view::npos;
  for (std::size_t i = limit; i-- > half;) {
    char c = text[i];
    if (c == '\n') return i + 1;
    if (c == ' ' || c == '\t') {
      if (i > from && (text[i - 1] == '.' || text[i - 1] == '!' || text[i - 1] == '?')) return i + 1;
      if (space == std::string_view::npos) space = i + 1;
    }
  }
  return space != std::string_view::npos ? space : limit;
}

// Calls f(Span) for each paragraph of `text`: up to and including the next
// blank line (core/text.h), or the end. A time expression never spans one.
// One longer than kMaxParagraph comes in pieces cut between sentences.
template <typename F>
void for_each_paragraph(std::string_view text, F&& f) {
  for (std::size_t next = 0; next < text.size();) {
    BlankLine blank = find_blank_line(text, next);
    std::size_t end = blank.at == std::string_view::npos ? text.size() : blank.at + blank.size;
    while (end - next > kMaxParagraph) {
      std::size_t cut = paragraph_cut(text, next);
      f(Span{next, cut});
      next = cut;
    }
    f(Span{next, end});
    next = end;
  }
}

// The rules of `set` (of `count` rules) that can match in `para` of `text`,
// into `hits`. Should RE2 run out of memory for the set's automaton, every
// rule is tried: slower, but nothing is lost. `Set`: RE2::Set or
// rules::PrefilterSet.
template <typename Set>
void prefilter(const Set& set, std::size_t count, std::string_view text, Span para, std::vector<int>& hits) {
  hits.clear();
  RE2::Set::ErrorInfo error{};
  if (!set.Match(re2::StringPiece(text.data() + para.begin, para.size()), &hits, &error) &&
      error.kind != RE2::Set::kNoError) {
    hits.resize(count);
    for (std::size_t i = 0; i < count; ++i) hits[i] = int(i);
  }
}

// Every candidate in `text` of the `rules` that `set` (index i = rules[i])
// says can match there, overlaps resolved, in text order. For the few
// dateline rules on a text's head: each searches the head in one go (a call
// per paragraph cost more than the search), and a match across a blank line
// is dropped.
std::vector<Candidate> all_candidates(const std::vector<rules::DateRule>& rules, const RE2::Set& set, std::string_view text,
                                      GroupStore& store) {
  std::vector<Candidate> out;
  std::vector<re2::StringPiece> groups;
  std::vector<char> taken;
  std::vector<int> hits;
  prefilter(set, rules.size(), text, {0, text.size()}, hits);
  for (int i : hits) rule_candidates(rules[std::size_t(i)], std::size_t(i), text, {0, text.size()}, groups, out, store);
  std::erase_if(out, [&](const Candidate& c) {
    return find_blank_line(text.substr(c.match.begin, c.match.size()), 0).at != std::string_view::npos;
  });
  resolve_overlaps(out, {0, text.size()}, taken);
  return out;
}

// Whether a date of granularity `have` lies inside one period of granularity
// `want`, so that it can say which `want` an anaphoric expression means ("the
// next day" needs a day; "that year" any date inside one year: not a decade,
// and not a week, which may straddle New Year).
bool anchors_at(Granularity have, Granularity want) {
  using G = Granularity;
  switch (want) {
    case G::Day: return have == G::Day;
    case G::Week: return have == G::Day || have == G::Week;
    case G::Month: return have == G::Day || have == G::Month;
    case G::Quarter: return have == G::Day || have == G::Month || have == G::Quarter;
    case G::Year: return have != G::Century && have != G::Decade && have != G::Week;
    default: return false;
  }
}

// The dates a text has named so far, as the scan finds them: for each
// granularity an anaphoric expression may want, the latest date that
// anchors_at it, so that a lookup never walks back over the text.
class TextAnchors {
 public:
  static constexpr std::array<Granularity, 5> kWants{Granularity::Day, Granularity::Week, Granularity::Month,
                                                     Granularity::Quarter, Granularity::Year};

  // Takes note of found.back(), the mention just resolved.
  void note(const std::vector<DateMention>& found) {
    const DateMention& m = found.back();
    if (!m.interval || (m.type != TimexType::Date && m.type != TimexType::Time)) return;
    for (std::size_t i = 0; i < kWants.size(); ++i)
      if (anchors_at(m.interval->granularity, kWants[i])) latest_[i] = found.size() - 1;
  }
  // The latest mention of `found` (the mentions noted so far) that anchors
  // `want`, or nullptr; with `since`, only one at that index or after.
  const DateMention* latest(const std::vector<DateMention>& found, Granularity want, std::size_t since = 0) const {
    for (std::size_t i = 0; i < kWants.size(); ++i)
      if (kWants[i] == want && latest_[i] && *latest_[i] >= since) return &found[*latest_[i]];
    return nullptr;
  }

 private:
  std::array<std::optional<std::size_t>, kWants.size()> latest_;
};

// What the value expressions of one text count from (temporal/normalize.h):
// the document type's anchor expressions (rules/doc_types.h) evaluated
// against the publication date and the dates the scan has named so far.
struct TextBases {
  const rules::DocType* type = nullptr;
  std::optional<date::sys_days> published;
  const std::vector<DateMention>* found = nullptr;
  // The dates so far: every calendar date, those written in full, and of
  // each those that open their sentence.
  const std::array<TextAnchors, 4>* pools = nullptr;  // [absolute * 2 + opening]
  std::size_t paragraph_first = 0;         // index in *found of the paragraph's first date

  std::optional<Base> term(const rules::AnchorTerm& t, Granularity need) const {
    using S = rules::AnchorTerm::Source;
    if (t.source == S::Published) {
      if (!published) return std::nullopt;
      return Base{*published, Granularity::Day};
    }
    const TextAnchors& pool = (*pools)[(t.source == S::LastAbsolute ? 2 : 0) + (t.opening ? 1 : 0)];
    Granularity want = t.precision.value_or(t.at.value_or(need));
    if (t.at && !anchors_at(*t.at, need)) return std::nullopt;  // too coarse for this expression
    if (!t.at && t.precision && !anchors_at(*t.precision, need)) want = need;
    const DateMention* m = pool.latest(*found, want, t.paragraph ? paragraph_first : 0);
    if (!m) return std::nullopt;
    Base b{m->interval->first, m->interval->granularity};
    if (t.at) {
      auto iv = interval_of(value_at(m->interval->first, *t.at));
      b = Base{iv->first, *t.at};
    }
    if (t.before_published) {
      if (!published) return std::nullopt;
      auto pub = interval_of(value_at(*published, b.granularity));
      auto mine = interval_of(value_at(b.first, b.granularity));
      if (!pub || !mine || mine->last >= pub->first) return std::nullopt;
    }
    return b;
  }
  std::optional<Base> resolve(const rules::AnchorExpression& e, Granularity need) const {
    for (auto& t : e.terms)
      if (auto b = term(t, need)) return b;
    return std::nullopt;
  }
  Bases bases() const {
    Bases b;
    b.ref = [this](Granularity need) { return resolve(type->ref, need); };
    b.anchor = [this](Granularity need) { return resolve(type->anchor, need); };
    return b;
  }
};

// A built-in placeholder's text (rules/template.h): the reference base's
// parts, or the text's latest date before the match that anchors_at the
// wanted granularity ("anchor" alone: at its own granularity, year or finer),
// falling back to the publication date when the text named none. nullopt
// and *needs_reference when a base is wanted and there is none; *anchor is
// the earlier mention used, if any.
std::optional<std::string> builtin_value(std::string_view name, const TextBases& bases, bool* needs_reference,
                                         std::optional<DateMention::Anchor>* anchor) {
  if (name.starts_with("anchor")) {
    std::optional<Granularity> want;  // "anchor.month" -> Month; none for "anchor"
    if (name != "anchor") {
      for (Granularity g : TextAnchors::kWants)
        if (name.substr(7) == granularity_name(g)) want = g;
      if (!want) return std::nullopt;
    }
    if (const DateMention* m = (*bases.pools)[0].latest(*bases.found, want.value_or(Granularity::Year))) {
      *anchor = DateMention::Anchor{m->span, m->text};
      return value_at(m->interval->first, want.value_or(m->interval->granularity));
    }
    if (!bases.published) {
      *needs_reference = true;
      return std::nullopt;
    }
    return value_at(*bases.published, want.value_or(Granularity::Day));
  }
  auto base = bases.resolve(bases.type->ref, name == "ref.month" ? Granularity::Month : Granularity::Year);
  if (!base) {
    *needs_reference = true;
    return std::nullopt;
  }
  date::year_month_day ymd{base->first};
  if (name == "ref.year") return fmt::format("{:04}", int(ymd.year()));
  if (name == "ref.month") return fmt::format("{:02}", unsigned(ymd.month()));
  if (name == "ref.century") return fmt::format("{:02}", int(ymd.year()) / 100);
  return std::nullopt;
}

// Resolves candidate `c` of date rule `rule` (its whole match, context
// included, is c.match of `text`; the mention's span is its `timex` group
// when it has one) against `bases` (the mentions before it and what they
// offer). *absolute: whether its value needed no base and no earlier date.
DateMention resolve_match(const rules::RuleSet& rules, const rules::DateRule& rule, std::string_view text, const Candidate& c,
                          const GroupStore& store, const TextBases& bases, bool* absolute = nullptr) {
  DateMention d;
  d.rule_id = rule.id;
  d.type = rule.type;
  if (absolute) *absolute = false;
  // The groups the scan kept, else the rule re-run anchored on the match
  // (cheaper than capturing every candidate's groups in the scan: most
  // candidates lose an overlap).
  std::vector<re2::StringPiece> rerun;
  std::span<const re2::StringPiece> groups;
  if (c.groups != kNoGroups) {
    groups = {store.data() + c.groups, std::size_t(rule.re->NumberOfCapturingGroups() + 1)};
  } else {
    rerun = rules::groups_at(*rule.re, text, c.match);
    groups = rerun;
  }
  d.span = c.match;
  if (int timex = timex_group(rule); timex > 0 && groups[std::size_t(timex)].data() != nullptr) {
    auto begin = std::size_t(groups[std::size_t(timex)].data() - text.data());
    d.span = {begin, begin + groups[std::size_t(timex)].size()};
  }
  d.text = std::string(text.substr(d.span.begin, d.span.size()));
  bool needs_reference = false, used_builtin = false;
  std::string builtin;  // the text of the last built-in placeholder filled
  auto lookup = [&](std::string_view name) -> std::optional<std::string_view> {
    if (!rules::looks_builtin(name)) return rules::group_text(rule, groups, name);
    used_builtin = true;
    auto v = builtin_value(name, bases, &needs_reference, &d.anchor);
    if (!v) return std::nullopt;
    builtin = std::move(*v);
    return std::string_view(builtin);
  };
  auto expr = rules::fill_template(rule.value, lookup, rules.tables);
  if (!expr.ok()) {
    d.unresolved_reason = expr.status().message();
    return d;
  }
  if (!rule.mod.empty()) {
    auto mod = rules::fill_template(rule.mod, lookup, rules.tables);
    if (!mod.ok()) {
      d.unresolved_reason = mod.status().message();
      return d;
    }
    d.mod = std::move(*mod);
  }
  if (needs_reference) {
    d.unresolved_reason = "relative date and the source has no publication date";
    return d;
  }
  Result<Evaluation> ev = evaluate_value(*expr, bases.bases());
  if (!ev.ok()) {
    d.unresolved_reason = ev.status().message();
    return d;
  }
  if (ev->value.empty()) {
    d.unresolved_reason = bases.published ? "relative date and the text names no date it can count from"
                                          : "relative date and the source has no publication date";
    return d;
  }
  d.value = std::move(ev->value);
  if (!rule.unplaced.empty()) d.unresolved_reason = rule.unplaced;
  else if (d.type == TimexType::Date || d.type == TimexType::Time) d.interval = interval_of(d.value);
  if (absolute) *absolute = !ev->needs_reference && !used_builtin;
  return d;
}

// A candidate of the scan, with the paragraph it was found in.
struct Found {
  Candidate c;
  std::size_t paragraph;  // the paragraph's begin offset
};

// What the scan of a text found: its candidates, and the groups they kept.
struct Scanned {
  std::vector<Found> found;
  GroupStore groups;
};

// Every candidate of `text`: paragraph by paragraph, vetoes applied and
// overlaps resolved, in text order.
Scanned scan(const rules::RuleSet& rules, std::string_view text) {
  Scanned scanned;
  std::vector<Found>& out = scanned.found;
  // Scratch space for the whole text: no allocation per paragraph once warm.
  std::vector<int> hits;
  std::vector<Candidate> cands;
  std::vector<char> vetoed, taken;  // per byte of the paragraph
  std::vector<re2::StringPiece> groups;
  for_each_paragraph(text, [&](Span para) {
    prefilter(*rules.date_prefilter, rules.date_core_rules.size(), text, para, hits);
    cands.clear();
    for (int h : hits)
      for (std::size_t r : rules.date_core_rules[std::size_t(h)]) rule_candidates(rules.dates[r], r, text, para, groups, cands, scanned.groups);
    if (cands.empty()) return;
    // Vetoes run only where there is something to veto; a candidate with
    // any byte inside a veto match is dropped. A veto with a group named
    // `veto` vetoes only what that group matched, nothing when it took no
    // part: the rest of the match is context that spares ("this sat" is
    // no verb; rules/README.md).
    prefilter(*rules.veto_prefilter, rules.vetoes.size(), text, para, hits);
    if (!hits.empty()) {
      vetoed.assign(para.size(), 0);
      auto mark = [&](Span v) { std::fill_n(vetoed.begin() + std::ptrdiff_t(v.begin - para.begin), v.size(), 1); };
      for (int h : hits) {
        const auto& veto = rules.vetoes[std::size_t(h)];
        auto group = veto.groups.find("veto");
        if (group == veto.groups.end()) {
          rules::for_each_match(*veto.re, text, para, mark);
          continue;
        }
        int n = group->second + 1;
        groups.resize(std::size_t(n));
        rules::for_each_match(*veto.re, text, para, groups.data(), n, [&](Span) {
          const auto& g = groups[std::size_t(n - 1)];
          if (g.data() == nullptr || g.empty()) return;
          auto b = std::size_t(g.data() - text.data());
          mark(Span{b, b + g.size()});
        });
      }
      std::erase_if(cands, [&](const Candidate& c) {
        auto first = vetoed.begin() + std::ptrdiff_t(c.span.begin - para.begin);
        return std::find(first, first + std::ptrdiff_t(c.span.size()), 1) != first + std::ptrdiff_t(c.span.size());
      });
    }
    resolve_overlaps(cands, para, taken);
    for (const auto& c : cands) out.push_back({c, para.begin});
  });
  return scanned;
}

// Whether the expression at `at` opens its sentence: at most one word (a
// preposition) between it and the paragraph's start or the end of the
// sentence before ('.', '!' or '?', maybe with a closing quote or bracket).
bool opens_sentence(std::string_view text, std::size_t paragraph, std::size_t at) {
  auto is_space = [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; };
  auto is_word = [](char c) { return std::isalpha(static_cast<unsigned char>(c)) != 0; };
  std::size_t i = at;
  while (i > paragraph && is_space(text[i - 1])) --i;
  std::size_t word_end = i;
  while (i > paragraph && is_word(text[i - 1])) --i;
  if (i < word_end)
    while (i > paragraph && is_space(text[i - 1])) --i;
  if (i == paragraph) return true;
  while (i > paragraph && (text[i - 1] == '"' || text[i - 1] == '\'' || text[i - 1] == ')')) --i;
  if (i == paragraph) return true;
  char c = text[i - 1];
  return c == '.' || c == '!' || c == '?';
}

// Resolves the candidates in text order as document type `type` reads them;
// absolute[i]: whether mention i was written in full.
std::vector<DateMention> resolve_all(const rules::RuleSet& rules, std::string_view text, const Scanned& scanned,
                                     std::optional<date::sys_days> published, const rules::DocType& type,
                                     std::vector<char>& absolute) {
  const std::vector<Found>& cands = scanned.found;
  std::vector<DateMention> out;
  out.reserve(cands.size());
  absolute.assign(cands.size(), 0);
  std::array<TextAnchors, 4> pools;
  TextBases bases{&type, published, &out, &pools, 0};
  std::size_t paragraph = std::string_view::npos;
  for (std::size_t i = 0; i < cands.size(); ++i) {
    if (cands[i].paragraph != paragraph) {
      paragraph = cands[i].paragraph;
      bases.paragraph_first = out.size();
    }
    bool full = false;
    out.push_back(resolve_match(rules, rules.dates[cands[i].c.rule], text, cands[i].c, scanned.groups, bases, &full));
    absolute[i] = full;
    bool opening = opens_sentence(text, cands[i].paragraph, out.back().span.begin);
    for (std::size_t p = 0; p < pools.size(); ++p)
      if ((full || p < 2) && (opening || p % 2 == 0)) pools[p].note(out);
  }
  return out;
}

// The type `auto` gives a text whose absolute dates are `mentions` (where
// absolute[i]), published on `published` (rules/doc_types.h).
DocTypeChoice choose_doc_type(const rules::DocTypes& types, std::optional<date::sys_days> published,
                              const std::vector<DateMention>& mentions, const std::vector<char>& absolute) {
  const auto& a = types.automatic;
  if (!published) {
    if (!a.undated.empty()) return {a.undated, "auto: no publication date"};
    return {types.default_type, "auto: no publication date, the default type"};
  }
  if (!a.past.empty()) {
    std::size_t n = 0, old = 0;
    // Before the calendar's first day when the shift leaves it: nothing is older.
    date::sys_days limit = add_units(*published, -a.past_years, 'Y').value_or(date::sys_days{date::year{kFirstYear} / 1 / 1});
    for (std::size_t i = 0; i < mentions.size(); ++i) {
      if (!absolute[i] || !mentions[i].interval || mentions[i].interval->granularity < a.past_precision ||
          mentions[i].interval->granularity == Granularity::Week)
        continue;
      ++n;
      if (mentions[i].interval->last < limit) ++old;
    }
    if (n > 0 && n >= std::size_t(a.past_min) && double(old) >= a.past_share * double(n))
      return {a.past, fmt::format("auto: {} of its {} dates written in full end over {} years before its publication date", old, n, a.past_years)};
  }
  return {types.default_type, "auto: the default type"};
}

}  // namespace

TaggedText tag_text(const rules::RuleSet& rules, std::string_view text, std::optional<date::sys_days> reference,
                    std::string_view doc_type) {
  TaggedText out;
  const Scanned scanned = scan(rules, text);  // resolved up to three times below, scanned once
  const auto& types = rules.doc_types;
  const rules::DocType* type = doc_type.empty() || doc_type == "auto" ? nullptr : types.find(doc_type);
  std::vector<char> absolute;
  if (type) {
    out.doc_type = {type->name, ""};
    out.dates = resolve_all(rules, text, scanned, reference, *type, absolute);
    return out;
  }
  const rules::DocType* fallback = types.find(types.default_type);
  if (!fallback) fallback = &types.types.front();
  out.dates = resolve_all(rules, text, scanned, reference, *fallback, absolute);
  out.doc_type = choose_doc_type(types, reference, out.dates, absolute);
  if (out.doc_type.name != fallback->name)
    if (const rules::DocType* chosen = types.find(out.doc_type.name))
      out.dates = resolve_all(rules, text, scanned, reference, *chosen, absolute);
  return out;
}

std::vector<DateMention> find_dates(const rules::RuleSet& rules, std::string_view text,
                                    std::optional<date::sys_days> reference) {
  return tag_text(rules, text, reference, rules.doc_types.default_type).dates;
}

std::optional<DateMention> find_dateline(const rules::RuleSet& rules, std::string_view text) {
  std::string_view head = text.substr(0, std::min(text.size(), rules.dateline_window));
  GroupStore store;
  for (const auto& c : all_candidates(rules.datelines, *rules.dateline_set, head, store)) {
    std::vector<DateMention> none;
    std::array<TextAnchors, 4> no_anchors;
    const rules::DocType& type = rules.doc_types.types.front();
    DateMention d = resolve_match(rules, rules.datelines[c.rule], head, c, store, TextBases{&type, std::nullopt, &none, &no_anchors, 0});
    if (d.interval && d.interval->granularity == Granularity::Day) return d;
  }
  return std::nullopt;
}

}  // namespace annals::temporal
