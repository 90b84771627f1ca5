// The prefilter sets: one RE2::Set pass over a text says which rules can
// match in it (rules/rules.h, RuleSet).
#include "rules/loader.h"

#include <algorithm>

#include <fmt/format.h>

namespace annals::rules::detail {

// What a date rule contributes to the date prefilter: its `core` group, else
// its `timex` group, alone when it has one (every match the tagger reports
// contains a match of that group — a `core` group must never be optional —
// so the set still finds every paragraph the rule can match, and the cue
// context — word windows after any of many cue words — stays out of the
// set's automaton), else its whole pattern. Leading flags such as (?i) are
// kept. The group is found in the expanded pattern text: escapes and
// character classes are skipped so that a ')' inside them does not close it.
// The index just past the character class that opens at s[at] == '['
// (']' first in it, after an optional '^', is a literal).
std::size_t class_end(std::string_view s, std::size_t at) {
  std::size_t j = at + 1;
  if (j < s.size() && s[j] == '^') ++j;
  if (j < s.size() && s[j] == ']') ++j;
  while (j < s.size() && s[j] != ']') j += s[j] == '\\' ? 2 : 1;
  return std::min(j + 1, s.size());
}

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
    std::size_t n = 1;  // how much to copy as it is
    if (c == '\\') {
      n = i + 1 < core.size() && core[i + 1] == 'x' ? (i + 2 < core.size() && core[i + 2] == '{' ? core.find('}', i) + 1 - i : 4) : 2;
    } else if (c == '[') {
      n = class_end(core, i) - i;
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

std::string prefilter_core(const std::string& expanded) {
  // A group named `core` is the rule's own choice (a range's "6-7" rather
  // than its `timex`, a bare day number found in nearly every paragraph).
  auto at = expanded.find("(?P<core>");
  if (at == std::string::npos) at = expanded.find("(?P<timex>");
  if (at == std::string::npos) return expanded;
  int depth = 0;
  for (std::size_t i = at; i < expanded.size(); ++i) {
    char c = expanded[i];
    if (c == '\\') {
      ++i;
    } else if (c == '[') {
      i = class_end(expanded, i) - 1;
    } else if (c == '(') {
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
  rs->date_prefilter = build_set(dates);
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
  std::map<std::string, std::vector<std::size_t>, std::less<>> widened = rs->trigger_rules;
  for (auto& [outer, outer_rules] : widened) {
    for (auto& [inner, inner_rules] : rs->trigger_rules) {
      if (inner.size() >= outer.size()) continue;
      for (auto at = outer.find(inner); at != std::string::npos; at = outer.find(inner, at + 1)) {
        std::size_t end = at + inner.size();
        bool starts = at == 0 || !word(inner.front()) || !word(outer[at - 1]);
        bool ends = end == outer.size() || !word(inner.back()) || !word(outer[end]);
        if (!starts || !ends) continue;
        outer_rules.insert(outer_rules.end(), inner_rules.begin(), inner_rules.end());
        break;
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

MatchStart match_start_of(std::string_view expanded) {
  std::string_view p = expanded;
  if (p.starts_with("(?i)")) p.remove_prefix(4);
  // A `|` outside every group would let another alternative start anywhere.
  int depth = 0;
  for (std::size_t i = 0; i < p.size(); ++i) {
    if (p[i] == '\\') ++i;
    else if (p[i] == '[') i = detail::class_end(p, i) - 1;
    else if (p[i] == '(') ++depth;
    else if (p[i] == ')') --depth;
    else if (p[i] == '|' && depth == 0) return MatchStart::Anywhere;
  }
  if (p.starts_with("\\b")) return MatchStart::WordBoundary;
  if (p.starts_with("^")) return MatchStart::SentenceStart;
  if (p.starts_with("(?:^|\\s)")) return MatchStart::SpaceOrStart;
  return MatchStart::Anywhere;
}

}  // namespace annals::rules
