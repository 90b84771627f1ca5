// The prefilter sets: one RE2::Set pass over a text says which rules can
// match in it (rules/rules.h, RuleSet).
#include "rules/loader.h"

#include <algorithm>

#include <fmt/format.h>

#include "rules/pattern_text.h"

namespace annals::rules::detail {

// `core` with every digit it spells out written as \d: "1[0-2]" and
// "20[0-9]{2}" become "\d\d" and "\d\d\d{2}". This only widens what the core
// matches (the set picks rules; each rule still matches its own pattern), and
// RE2's automaton then has one kind of digit instead of many: on te3-silver
// the set's first pass builds a fifth fewer DFA transitions. Repeat counts and
// escapes (\x27) keep their digits; named groups lose their names.
std::string loosen_digits(std::string_view core) {
  auto digits_only = [](std::string_view cls) {  // "[0-5]", "[12]": digits and ranges of them
    return cls.size() > 2 && std::all_of(cls.begin() + 1, cls.end() - 1, [](char c) { return (c >= '0' && c <= '9') || c == '-'; });
  };
  std::string out;
  for (std::size_t i = 0; i < core.size();) {
    char c = core[i];
    std::size_t n = token_end(core, i) - i;  // how much to copy as it is (escapes keep their digits)
    if (c == '[') {
      if (digits_only(core.substr(i, n))) {
        out += "\\d";
        i += n;
        continue;
      }
    } else if (c == '{' && i + 1 < core.size() && core[i + 1] >= '0' && core[i + 1] <= '9') {
      n = core.find('}', i) + 1 - i;
    } else if (core.substr(i, 4) == "(?P<") {
      // The set captures nothing: without their names, cores that differ
      // only in what they call a group ("6-7" before a month or after one)
      // are one entry of the set.
      out += "(?:";
      i = core.find('>', i) + 1;
      continue;
    } else if (c >= '0' && c <= '9') {
      out += "\\d";
      ++i;
      continue;
    }
    n = std::min(n, core.size() - i);
    out += core.substr(i, n);
    i += n;
  }
  return out;
}

// What a date rule contributes to the date prefilter: its `core` group, else
// its `timex` group, alone when it has one (every match the tagger reports
// contains a match of that group — a `core` group must never be optional —
// so the set still finds every paragraph the rule can match, and the cue
// context — word windows after any of many cue words — stays out of the
// set's automaton), else its whole pattern. Leading flags such as (?i) are
// kept. The group is found in the expanded pattern text: escapes, classes
// and \Q...\E runs are single tokens (rules/pattern_text.h), so that a ')'
// inside them does not close it.
std::string prefilter_core(const std::string& expanded) {
  // A group named `core` is the rule's own choice (a range's "6-7" rather
  // than its `timex`, a bare day number found in nearly every paragraph).
  auto at = expanded.find("(?P<core>");
  if (at == std::string::npos) at = expanded.find("(?P<timex>");
  if (at == std::string::npos) return expanded;
  int depth = 0;
  for (std::size_t i = at, next; i < expanded.size(); i = next) {
    next = token_end(expanded, i);
    char c = next - i == 1 ? expanded[i] : '\0';  // an escape or a class is no syntax
    if (c == '(') {
      ++depth;
    } else if (c == ')' && --depth == 0) {
      // What every match has right before and after the group is kept: a
      // \b, one character of a `\s+` / `[\s,]+` run before it, a `,` after
      // it. That stops the core from matching inside words ("mar" in
      // "market"), which would run the whole rule for nothing.
      auto escapes = [&](std::size_t k) {  // the backslash at k escapes the character after it
        std::size_t run = 0;
        while (k >= run && expanded[k - run] == '\\') ++run;
        return run % 2 == 1;
      };
      auto precedes = [&](std::string_view piece) {  // `piece` ends where the group starts
        if (at < piece.size() || expanded.compare(at - piece.size(), piece.size(), piece) != 0) return false;
        std::size_t first = at - piece.size();
        if (piece[0] == '\\') return escapes(first);
        return !(first > 0 && expanded[first - 1] == '\\' && escapes(first - 1));  // not a literal '['
      };
      std::string before, after;
      if (precedes("\\b")) before = "\\b";
      else if (precedes("\\s+")) before = "\\s";
      else if (precedes("[\\s,]+")) before = "[\\s,]";
      std::string_view rest = std::string_view(expanded).substr(i + 1);
      if (rest.starts_with("\\b")) after = "\\b";
      else if (rest.starts_with(",") && (rest.size() == 1 || std::string_view("?*+{").find(rest[1]) == std::string_view::npos))
        after = ",";
      std::string flags = expanded.rfind("(?i)", 0) == 0 ? "(?i)" : "";
      return flags + before + expanded.substr(at, i + 1 - at) + after;
    }
  }
  return expanded;
}

std::unique_ptr<RE2::Set> Loader::build_set(const std::vector<SetEntry>& entries) {
  RE2::Options opts;
  opts.set_log_errors(false);
  opts.set_max_mem(256 << 20);
  auto set = std::make_unique<RE2::Set>(opts, RE2::UNANCHORED);
  for (auto& e : entries) {
    std::string err;
    if (set->Add(e.pattern, &err) < 0 && (e.fallback.empty() || set->Add(e.fallback, &err) < 0)) {
      diags.push_back({Severity::Error, e.rule->file, e.rule->line, e.rule->column, e.rule->id,
                       "cannot add pattern to the prefilter set: " + err});
      return nullptr;
    }
  }
  if (!set->Compile()) {
    diags.push_back({Severity::Error, rs->dir, 0, 0, "",
                     "the combined prefilter set exceeds RE2's memory budget; hint: simplify the largest patterns"});
    return nullptr;
  }
  return set;
}

// How many parts the date prefilter is cut into (rules/rules.h,
// PrefilterSet), in the order of the entries. Every part is one more pass
// over each paragraph; on te3-silver (`annals tag -j1`, callgrind) the date
// prefilter cost 1.11 G instructions in one part, 0.82 G in two, 0.74 G in
// three, 0.84 G in four, 1.04 G in eight.
constexpr std::size_t kDatePrefilterParts = 3;

std::unique_ptr<PrefilterSet> Loader::build_parted_set(const std::vector<SetEntry>& entries) {
  auto out = std::make_unique<PrefilterSet>();
  std::size_t per = std::max<std::size_t>(1, (entries.size() + kDatePrefilterParts - 1) / kDatePrefilterParts);
  std::size_t from = 0;
  do {  // an empty pack still gets one (empty) part
    std::size_t to = std::min(entries.size(), from + per);
    std::vector<SetEntry> part(entries.begin() + std::ptrdiff_t(from), entries.begin() + std::ptrdiff_t(to));
    std::vector<int> ids;
    for (std::size_t i = from; i < to; ++i) ids.push_back(int(i));
    auto set = build_set(part);
    if (!set) return nullptr;
    out->add_part(std::move(set), std::move(ids));
    from = to;
  } while (from < entries.size());
  return out;
}

bool Loader::build_prefilters() {
  std::vector<SetEntry> dates, vetoes, datelines;
  // One entry per distinct core: rules that share a core (a month after
  // future, past and "since" cues) share the states RE2 builds for it.
  // A core cut out of its pattern could lose an inline flag group it
  // relied on; the rules' whole patterns are the (always valid) fallback.
  std::map<std::string, std::size_t> entry_of_core;
  for (std::size_t i = 0; i < rs->dates.size(); ++i) {
    const auto& r = rs->dates[i];
    auto [at, fresh] = entry_of_core.emplace(loosen_digits(prefilter_core(r.expanded)), dates.size());
    if (fresh) {
      dates.push_back({at->first, &r, ""});
      rs->date_core_rules.emplace_back();
    }
    auto& entry = dates[at->second];
    entry.fallback += (entry.fallback.empty() ? "(?:" : "|(?:") + r.expanded + ")";
    rs->date_core_rules[at->second].push_back(i);
  }
  for (auto& r : rs->vetoes) vetoes.push_back({r.expanded, &r, ""});
  for (auto& r : rs->datelines) datelines.push_back({r.expanded, &r, ""});
  rs->date_prefilter = build_parted_set(dates);
  rs->veto_prefilter = build_set(vetoes);
  rs->dateline_set = build_set(datelines);
  return rs->date_prefilter && rs->veto_prefilter && rs->dateline_set && build_event_triggers();
}

bool Loader::build_event_triggers() {
  for (std::size_t i = 0; i < rs->events.size(); ++i) {
    if (rs->events[i].triggers.empty()) rs->untriggered_events.push_back(i);
    for (auto& t : rs->events[i].triggers) rs->trigger_rules[t].push_back(i);
  }
  if (rs->trigger_rules.empty()) return true;
  // \b only where a trigger begins or ends with a word character: "u.s."
  // ends with a period, after which \b would ask for a letter.
  auto word = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; };
  // The one pass reports the longest trigger at a place, so a trigger that
  // holds another as whole words ("sworn in" holds "sworn", "take effect"
  // holds "effect") must also start the rules of the one it hides.
  // Each shorter trigger found so is a piece of the outer one that begins
  // and ends where a whole word may (at its ends, or next to a byte that is
  // no word character): the few such pieces of each trigger are looked up,
  // instead of searching every trigger for every other (a tenth of a second
  // over the lexicons' thousands of forms).
  std::map<std::string, std::vector<std::size_t>, std::less<>> widened = rs->trigger_rules;
  for (auto& [outer, outer_rules] : widened) {
    const std::string_view o = outer;
    auto may_start = [&](std::size_t at) { return at == 0 || !word(o[at]) || !word(o[at - 1]); };
    auto may_end = [&](std::size_t end) { return end == o.size() || !word(o[end - 1]) || !word(o[end]); };
    for (std::size_t at = 0; at < o.size(); ++at) {
      if (!may_start(at)) continue;
      for (std::size_t end = at + 1; end <= o.size(); ++end) {
        if (end - at == o.size() || !may_end(end)) continue;
        auto inner = rs->trigger_rules.find(o.substr(at, end - at));
        if (inner != rs->trigger_rules.end()) outer_rules.insert(outer_rules.end(), inner->second.begin(), inner->second.end());
      }
    }
    std::sort(outer_rules.begin(), outer_rules.end());
    outer_rules.erase(std::unique(outer_rules.begin(), outer_rules.end()), outer_rules.end());
  }
  rs->trigger_rules = std::move(widened);
  std::vector<std::string> words;
  for (auto& [t, rules] : rs->trigger_rules) words.push_back(t);
  std::sort(words.begin(), words.end(), [](auto& a, auto& b) { return a.size() != b.size() ? a.size() > b.size() : a < b; });
  std::string pattern = "(?i)(?:";
  for (std::size_t k = 0; k < words.size(); ++k) {
    std::string one = literal_alternation({words[k]});
    pattern += (k ? "|" : "") + std::string(word(words[k].front()) ? "\\b" : "") + one + (word(words[k].back()) ? "\\b" : "");
  }
  pattern += ')';
  RE2::Options opts;
  opts.set_log_errors(false);
  opts.set_max_mem(64 << 20);
  rs->event_triggers = std::make_unique<RE2>(pattern, opts);
  if (!rs->event_triggers->ok()) {
    diags.push_back({Severity::Error, rs->dir, 0, 0, "",
                     "the event rules' triggers do not compile (RE2: " + rs->event_triggers->error() + ")"});
    rs->event_triggers.reset();
    return false;
  }
  return true;
}

}  // namespace annals::rules::detail

namespace annals::rules {

void PrefilterSet::add_part(std::unique_ptr<RE2::Set> set, std::vector<int> ids) {
  parts_.push_back(std::move(set));
  ids_.push_back(std::move(ids));
}

bool PrefilterSet::Match(re2::StringPiece text, std::vector<int>* hits, RE2::Set::ErrorInfo* error) const {
  hits->clear();
  std::vector<int> part_hits;
  for (std::size_t p = 0; p < parts_.size(); ++p) {
    RE2::Set::ErrorInfo e{};
    if (!parts_[p]->Match(text, &part_hits, &e)) {
      if (e.kind == RE2::Set::kNoError) continue;
      if (error) *error = e;
      hits->clear();
      return false;
    }
    for (int j : part_hits) hits->push_back(ids_[p][std::size_t(j)]);
  }
  if (error) error->kind = RE2::Set::kNoError;
  return !hits->empty();
}

}  // namespace annals::rules

namespace annals::rules {
namespace {

// The index of the '(' that opens the group closing at s[close] == ')', or
// npos; escapes and character classes are skipped.
std::size_t group_open(std::string_view s, std::size_t close) {
  // Scanned forwards (a backwards scan cannot tell "\)" from ")").
  std::vector<std::size_t> opens;
  for (std::size_t i = 0, next; i < s.size(); i = next) {
    next = token_end(s, i);
    if (next - i != 1) continue;
    if (s[i] == '(') opens.push_back(i);
    else if (s[i] == ')') {
      if (opens.empty()) return std::string_view::npos;
      if (i == close) return opens.back();
      opens.pop_back();
    }
  }
  return std::string_view::npos;
}

// The index of the ')' that closes the group opening at s[open] == '(', or npos.
std::size_t group_close(std::string_view s, std::size_t open) {
  int depth = 0;
  for (std::size_t i = open, next; i < s.size(); i = next) {
    next = token_end(s, i);
    if (next - i != 1) continue;
    if (s[i] == '(') ++depth;
    else if (s[i] == ')' && --depth == 0) return i;
  }
  return std::string_view::npos;
}

// The alternatives of `s` split at its top-level '|'.
std::vector<std::string_view> alternatives(std::string_view s) {
  std::vector<std::string_view> out;
  int depth = 0;
  std::size_t from = 0;
  for (std::size_t i = 0, next; i < s.size(); i = next) {
    next = token_end(s, i);
    if (next - i != 1) continue;
    if (s[i] == '(') ++depth;
    else if (s[i] == ')') --depth;
    else if (s[i] == '|' && depth == 0) {
      out.push_back(s.substr(from, i - from));
      from = i + 1;
    }
  }
  out.push_back(s.substr(from));
  return out;
}

// The body of a group "(...)": without its parentheses and its "?:",
// "?P<name>" or flags prefix.
std::string_view group_body(std::string_view group) {
  std::string_view b = group.substr(1, group.size() - 2);
  if (b.starts_with("?P<")) return b.substr(b.find('>') + 1);
  if (b.starts_with("?")) {
    auto colon = b.find(':');
    return colon == std::string_view::npos ? b : b.substr(colon + 1);
  }
  return b;
}

bool is_space_atom(std::string_view a) { return a == "\\s" || a == "[ \\t]"; }

// True when every match of the regex `s` ends with a whitespace byte.
bool ends_with_space(std::string_view s) {
  while (!s.empty()) {
    char q = s.back();
    std::string_view body = q == '+' || q == '*' || q == '?' ? s.substr(0, s.size() - 1) : s;
    if (body.ends_with("\\s") || body.ends_with("[ \\t]")) {
      std::string_view atom = body.ends_with("\\s") ? "\\s" : "[ \\t]";
      if (body.size() > atom.size() && body[body.size() - atom.size() - 1] == '\\') return false;  // "\\s": a backslash, then s
      if (q == '*' || q == '?') {
        s = body.substr(0, body.size() - atom.size());
        continue;
      }
      return is_space_atom(atom);
    }
    if (body.empty() || body.back() != ')') return false;
    std::size_t open = group_open(body, body.size() - 1);
    if (open == std::string_view::npos) return false;
    if (q == '*' || q == '?') {  // may match nothing: what is before it decides
      s = body.substr(0, open);
      continue;
    }
    for (auto alt : alternatives(group_body(body.substr(open))))
      if (!ends_with_space(alt)) return false;
    return true;
  }
  return false;
}

// True when a character class "[...]" holds no word character (RE2's \w:
// ASCII letters, digits and '_'), so that a byte it matches ends a word.
bool nonword_class(std::string_view cls) {
  if (cls.size() < 3 || cls[1] == '^') return false;
  for (std::size_t i = 1; i + 1 < cls.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(cls[i]);
    if (c == '\\') {
      if (i + 2 >= cls.size()) return false;
      char e = cls[++i];
      if (std::isalnum(static_cast<unsigned char>(e))) return false;  // \w, \d, \x41...: not checked, refused
      continue;
    }
    if (c == '-' && i > 1 && i + 2 < cls.size()) return false;  // a range
    if (std::isalnum(c) || c == '_') return false;
  }
  return true;
}

// True when every match of the regex `s`, put right after a word, starts
// with a byte that is no word character: whitespace, punctuation, the end
// of the text ($) or a word boundary (\b right after a word character).
bool starts_without_word(std::string_view s) {
  while (!s.empty()) {
    std::size_t n = 0;  // the length of an atom that may match nothing
    if (s.starts_with("\\s")) {
      if (s.size() < 3 || (s[2] != '*' && s[2] != '?')) return true;
      n = 3;  // \s* or \s?: what follows decides when it is absent
    } else if (s.starts_with("\\b") || s.starts_with("$")) {
      return true;
    } else if (s.starts_with("[")) {
      std::size_t e = token_end(s, 0);
      if (!nonword_class(s.substr(0, e))) return false;
      if (e < s.size() && (s[e] == '*' || s[e] == '?')) n = e + 1;
      else return true;
    } else if (s.starts_with("(")) {
      std::size_t close = group_close(s, 0);
      if (close == std::string_view::npos) return false;
      char q = close + 1 < s.size() ? s[close + 1] : '\0';
      bool all = true;
      for (auto alt : alternatives(group_body(s.substr(0, close + 1))))
        if (!starts_without_word(alt)) all = false;
      if (q == '*' || q == '?') {
        if (!all) return false;
        n = close + 2;
      } else {
        return all;
      }
    } else {
      return false;
    }
    if (n < s.size() && s[n] == '?') ++n;  // lazy
    s.remove_prefix(n);
  }
  return false;  // the pattern's end: the text may go on with a letter
}

// Whether s[at] begins a quantifier (?, *, + or {n...}) of what ends before it.
bool quantified(std::string_view s, std::size_t at) {
  if (at >= s.size()) return false;
  char q = s[at];
  return q == '?' || q == '*' || q == '+' || (q == '{' && at + 1 < s.size() && s[at + 1] >= '0' && s[at + 1] <= '9');
}

}  // namespace

MatchStart match_start_of(std::string_view expanded) {
  std::string_view p = expanded;
  if (p.starts_with("(?i)")) p.remove_prefix(4);
  while (true) {
    // A `|` outside every group would let another alternative start anywhere.
    if (alternatives(p).size() != 1) return MatchStart::Anywhere;
    auto starts = [&](std::string_view atom) { return p.starts_with(atom) && !quantified(p, atom.size()); };
    if (starts("\\b")) return MatchStart::WordBoundary;
    if (starts("^")) return MatchStart::SentenceStart;
    if (starts("(?:^|\\s)")) return MatchStart::SpaceOrStart;
    // A leading group that neither repeats nor may be skipped, of one
    // alternative ("(?:(?:^|\s)the\s+)..." where a fragment opens the
    // pattern): every match begins with a match of its body, which decides.
    // Its body is read with what follows it left out: that only matters
    // once the body can match nothing, and the starts above are read from
    // the body's first piece alone.
    if (!p.starts_with("(?:") && !p.starts_with("(?P<")) return MatchStart::Anywhere;
    std::size_t close = group_close(p, 0);
    if (close == std::string_view::npos || quantified(p, close + 1)) return MatchStart::Anywhere;
    p = group_body(p.substr(0, close + 1));
  }
}

bool trigger_bounds_match(std::string_view expanded, const std::vector<std::string>& trigger_expansions) {
  std::string_view p = expanded;
  if (p.starts_with("(?i)")) p.remove_prefix(4);
  if (alternatives(p).size() != 1) return false;
  // Each top-level group: required (not followed by ?, * or {0,...}) and
  // holding only trigger expansions.
  for (std::size_t i = 0, next; i < p.size(); i = next) {
    next = token_end(p, i);
    if (next - i != 1 || p[i] != '(') continue;
    std::size_t close = group_close(p, i);
    if (close == std::string_view::npos) return false;
    std::string_view group = p.substr(i, close + 1 - i);
    std::string_view rest = p.substr(close + 1);
    bool optional = rest.starts_with("?") || rest.starts_with("*") || rest.starts_with("{0");
    bool all_triggers = !optional;
    if (all_triggers)
      for (auto alt : alternatives(group_body(group)))
        if (std::find(trigger_expansions.begin(), trigger_expansions.end(), alt) == trigger_expansions.end()) all_triggers = false;
    std::string_view after = rest.starts_with("+") ? rest.substr(1) : rest;
    if (all_triggers && !rest.starts_with("+") && ends_with_space(p.substr(0, i)) && starts_without_word(after)) return true;
    next = close + 1;
  }
  return false;
}

}  // namespace annals::rules
