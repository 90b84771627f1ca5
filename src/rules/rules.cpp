#include "rules/rules.h"

#include <algorithm>
#include <fstream>
#include <set>
#include <sstream>

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <toml++/toml.h>

#include "rules/doc_types_toml.h"
#include "rules/template.h"
#include "rules/toml_position.h"

namespace annals::rules {
namespace {

namespace fs = std::filesystem;

// Small edit distance, for "did you mean".
std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> prev(b.size() + 1), cur(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) prev[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j)
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] != b[j - 1])});
    std::swap(prev, cur);
  }
  return prev[b.size()];
}

std::string did_you_mean(std::string_view key, const std::vector<std::string_view>& known) {
  std::string_view best;
  std::size_t best_d = 3;
  for (auto k : known) {
    auto d = edit_distance(key, k);
    if (d < best_d) best_d = d, best = k;
  }
  return best.empty() ? std::string{} : fmt::format(" (did you mean \"{}\"?)", best);
}

// Where an expansion failed: the message, and the offset of the offending
// "%{" in the pattern (or in the fragment named by `fragment`).
struct ExpandError {
  std::string message;
  std::string fragment;   // empty: the error is in the pattern being expanded
  std::size_t offset = 0;
};

struct FragmentDef {
  std::string text;
  std::string file;
  const toml::node* node = nullptr;
};

// The type a known key must have.
enum class KeyType { String, Bool, Array };  // Array: checked by the key's own reader

struct KeySpec {
  std::string_view name;
  KeyType type;
};

const std::vector<KeySpec> kBaseKeys{{"id", KeyType::String},       {"pattern", KeyType::String},
                                     {"case_sensitive", KeyType::Bool}, {"examples", KeyType::Array},
                                     {"counterexamples", KeyType::Array}, {"comment", KeyType::String}};
const std::vector<KeySpec> kDateKeys{{"value", KeyType::String}, {"type", KeyType::String}, {"mod", KeyType::String}};
const std::vector<KeySpec> kEventKeys{{"title", KeyType::String},    {"identity", KeyType::String},
                                      {"category", KeyType::String}, {"recurring", KeyType::Bool},
                                      {"same_as", KeyType::String},  {"date_scope", KeyType::String},
                                      {"actors", KeyType::Array}, {"tags", KeyType::Array}};

// What a date rule contributes to the date prefilter: its `timex` group
// alone when it has one (every match the tagger reports contains a match of
// that group, so the set still finds every paragraph the rule can match, and
// the cue context — word windows after any of many cue words — stays out of
// the set's automaton), else its whole pattern. Leading flags such as (?i)
// are kept. The group is found in the expanded pattern text: escapes and
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
// the set's first pass builds a fifth fewer DFA transitions. Repeat counts,
// escapes (\x27) and group names (year2) keep their digits.
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
      n = core.find('>', i) + 1 - i;
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
  static constexpr std::string_view open = "(?P<timex>";
  auto at = expanded.find(open);
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

struct Loader {
  std::vector<Diagnostic> diags;
  std::map<std::string, FragmentDef> fragments;
  std::set<std::string> broken_fragments;                 // reported once, at their definition
  std::map<std::string, std::string_view> sources;        // file -> text, for precise columns
  const LoadOptions* options = nullptr;
  RuleSet* rs = nullptr;
  std::map<std::string, TextPosition> same_as_at;         // event rule id -> its same_as value
  std::vector<std::string> unparsed;                      // files with a TOML syntax error
  DocTypesReader doc_types{[this](Severity sev, const std::string& file, const toml::node& node, std::size_t offset, std::string msg) {
    report(sev, file, offset == std::string::npos ? start_of(node.source()) : inside(file, node, offset), "", std::move(msg));
  }};

  // A name may be "undefined" only because the file defining it did not parse.
  std::string unparsed_note() const {
    if (unparsed.empty()) return "";
    return fmt::format(" (perhaps defined in {}, which has a TOML syntax error: fix that first)", fmt::join(unparsed, ", "));
  }

  void report(Severity sev, const std::string& file, TextPosition at, std::string rule, std::string msg) {
    diags.push_back({sev, file, at.line, at.column, std::move(rule), std::move(msg)});
  }
  void error(const std::string& file, const toml::source_region& src, std::string rule, std::string msg,
             Severity sev = Severity::Error) {
    report(sev, file, start_of(src), std::move(rule), std::move(msg));
  }
  static TextPosition start_of(const toml::source_region& src) { return {int(src.begin.line), int(src.begin.column)}; }

  // The position of byte `offset` of the string value `node`.
  TextPosition inside(const std::string& file, const toml::node& node, std::size_t offset) {
    auto it = sources.find(file);
    if (it == sources.end()) return start_of(node.source());
    return position_in_string(it->second, start_of(node.source()), offset);
  }

  // %{name} -> (?:fragment), %{table:name} -> (?:key|key...). Returns false and
  // fills *err on an undefined name or a cycle.
  bool expand(std::string_view pattern, std::string& out, ExpandError* err, std::vector<std::string>& active) {
    std::size_t i = 0;
    while (i < pattern.size()) {
      auto at = pattern.find("%{", i);
      if (at == std::string_view::npos) {
        out.append(pattern.substr(i));
        return true;
      }
      // A backslash-escaped "%" stays literal.
      if (at > 0 && pattern[at - 1] == '\\') {
        out.append(pattern.substr(i, at + 2 - i));
        i = at + 2;
        continue;
      }
      out.append(pattern.substr(i, at - i));
      auto close = pattern.find('}', at);
      err->offset = at;
      if (close == std::string_view::npos) {
        err->message = "unterminated %{ in pattern";
        return false;
      }
      std::string name(pattern.substr(at + 2, close - at - 2));
      if (name.rfind("table:", 0) == 0) {
        std::string tname = name.substr(6);
        auto t = rs->tables.find(tname);
        if (t == rs->tables.end()) {
          err->message = fmt::format("%{{table:{}}} names no table: no [tables.{}] is defined{}{}", tname, tname,
                                     did_you_mean(tname, table_names()), unparsed_note());
          return false;
        }
        out += table_alternation(t->second);
      } else {
        auto f = fragments.find(name);
        if (f == fragments.end()) {
          std::vector<std::string_view> known;
          for (auto& [k, v] : fragments) known.push_back(k);
          err->message = fmt::format("%{{{}}} names no fragment: \"{}\" is not defined in [fragments]{}{}", name, name,
                                     did_you_mean(name, known), unparsed_note());
          return false;
        }
        if (std::find(active.begin(), active.end(), name) != active.end()) {
          err->message = fmt::format("fragment \"{}\" refers to itself", name);
          return false;
        }
        active.push_back(name);
        out += "(?:";
        if (!expand(f->second.text, out, err, active)) {
          if (err->fragment.empty()) err->fragment = name;
          return false;
        }
        out += ')';
        active.pop_back();
      }
      i = close + 1;
    }
    return true;
  }

  std::vector<std::string_view> table_names() const {
    std::vector<std::string_view> names;
    for (auto& [k, v] : rs->tables) names.push_back(k);
    return names;
  }

  // Any key of the table, longest first; spaces in a key match any run of whitespace.
  static std::string table_alternation(const Table& table) {
    std::vector<std::string> keys;
    for (auto& [k, v] : table.entries) keys.push_back(k);
    std::sort(keys.begin(), keys.end(), [](auto& a, auto& b) { return a.size() != b.size() ? a.size() > b.size() : a < b; });
    std::string out = "(?:";
    for (std::size_t k = 0; k < keys.size(); ++k) {
      if (k) out += '|';
      std::string quoted = RE2::QuoteMeta(keys[k]);
      for (std::size_t c = 0; c < quoted.size(); ++c) {
        if (quoted[c] == '\\' && c + 1 < quoted.size() && quoted[c + 1] == ' ') {
          out += "\\s+";
          ++c;
        } else {
          out += quoted[c];
        }
      }
    }
    return out + ')';
  }

  // Every fragment is checked once, where it is defined, whether used or not.
  void check_fragments() {
    for (auto& [name, def] : fragments) {
      std::string out;
      ExpandError err;
      std::vector<std::string> active{name};
      if (expand(def.text, out, &err, active)) continue;
      broken_fragments.insert(name);
      if (!err.fragment.empty() && err.fragment != name) continue;  // reported at that fragment
      report(Severity::Error, def.file, inside(def.file, *def.node, err.offset), "",
             fmt::format("in fragment \"{}\": {}", name, err.message));
    }
  }

  void read_examples(const toml::table& rule, const char* key, std::vector<Example>& into, const std::string& file,
                     const std::string& id) {
    auto node = rule.get(key);
    if (!node) return;
    auto arr = node->as_array();
    if (!arr) {
      error(file, node->source(), id, fmt::format("{} must be an array of tables or strings", key));
      return;
    }
    for (auto& item : *arr) {
      Example ex;
      ex.line = int(item.source().begin.line);
      if (auto s = item.value<std::string>()) {
        ex.text = *s;
      } else if (auto t = item.as_table()) {
        static const std::vector<std::string_view> known{"text", "reference", "value", "title", "mod", "comment"};
        for (auto& [k, v] : *t) {
          if (std::find(known.begin(), known.end(), k.str()) == known.end())
            error(file, k.source(), id, fmt::format("unknown key \"{}\" in {} entry{}", k.str(), key, did_you_mean(k.str(), known)));
          else if (!v.is_string())
            error(file, v.source(), id, fmt::format("\"{}\" of {} entry must be a string", k.str(), key));
        }
        ex.text = (*t)["text"].value_or(std::string{});
        ex.reference = (*t)["reference"].value_or(std::string{});
        ex.value = (*t)["value"].value_or(std::string{});
        ex.title = (*t)["title"].value_or(std::string{});
        ex.mod = (*t)["mod"].value_or(std::string{});
        if (ex.text.empty()) error(file, item.source(), id, fmt::format("{} entry needs a \"text\"", key));
        if (auto ref = t->get("reference"); ref && !valid_iso_day(ex.reference))
          error(file, ref->source(), id, fmt::format("reference must be a YYYY-MM-DD date, got \"{}\"", ex.reference));
      } else {
        error(file, item.source(), id, fmt::format("{} entries must be strings or tables", key));
        continue;
      }
      into.push_back(std::move(ex));
    }
  }

  static bool valid_iso_day(std::string_view s) {
    if (s.size() != 10 || s[4] != '-' || s[7] != '-') return false;
    for (std::size_t i : {0, 1, 2, 3, 5, 6, 8, 9})
      if (s[i] < '0' || s[i] > '9') return false;
    int m = (s[5] - '0') * 10 + (s[6] - '0'), d = (s[8] - '0') * 10 + (s[9] - '0');
    return m >= 1 && m <= 12 && d >= 1 && d <= 31;
  }

  // Unknown keys (with a did-you-mean) and keys of the wrong type.
  void check_keys(const toml::table& rule, const std::vector<KeySpec>& extra, const std::string& file, const std::string& id) {
    std::vector<std::string_view> known;
    for (auto* list : {&kBaseKeys, &extra})
      for (auto& k : *list) known.push_back(k.name);
    for (auto& [k, v] : rule) {
      const KeySpec* spec = nullptr;
      for (auto* list : {&kBaseKeys, &extra})
        for (auto& ks : *list)
          if (ks.name == k.str()) spec = &ks;
      if (!spec) {
        error(file, k.source(), id, fmt::format("unknown key \"{}\"{}", k.str(), did_you_mean(k.str(), known)));
        continue;
      }
      if (spec->type == KeyType::String && !v.is_string())
        error(file, v.source(), id, fmt::format("\"{}\" must be a string", k.str()));
      else if (spec->type == KeyType::Bool && !v.is_boolean())
        error(file, v.source(), id, fmt::format("\"{}\" must be true or false", k.str()));
    }
  }

  // An RE2 program can match the empty string if it does on any of a few
  // probes (anchors and \b make "" alone too weak a test).
  static bool matches_empty(const RE2& re) {
    for (std::string_view probe : {"", " ", "a", "a b", "7", "A."}) {
      re2::StringPiece m;
      if (re.Match(re2::StringPiece(probe.data(), probe.size()), 0, probe.size(), RE2::UNANCHORED, &m, 1) && m.empty())
        return true;
    }
    return false;
  }

  // Reads the fields common to every rule. Returns false when the rule has no
  // id; `out.re` stays null when its pattern is missing or does not compile
  // (the caller still checks its other keys).
  bool read_base(const toml::table& rule, RuleBase& out, const std::string& file, const char* kind,
                 const std::vector<KeySpec>& extra_keys) {
    out.file = file;
    out.line = int(rule.source().begin.line);
    out.column = int(rule.source().begin.column);
    auto idnode = rule.get("id");
    out.id = idnode ? idnode->value_or(std::string{}) : std::string{};
    if (out.id.empty()) {
      error(file, idnode ? idnode->source() : rule.source(), "",
            idnode ? fmt::format("\"id\" of a [[{}]] rule must be a non-empty string", kind)
                   : fmt::format("[[{}]] rule is missing the required key \"id\"", kind));
      return false;
    }
    out.id_line = int(idnode->source().begin.line);
    out.id_column = int(idnode->source().begin.column);
    check_keys(rule, extra_keys, file, out.id);
    read_examples(rule, "examples", out.examples, file, out.id);
    read_examples(rule, "counterexamples", out.counterexamples, file, out.id);
    if (options->require_examples && out.examples.empty())
      report(Severity::Warning, file, {out.id_line, out.id_column}, out.id,
             "rule has no examples: add examples = [{ text = \"...\", ... }] so that `annals rules test` covers it");
    auto pnode = rule.get("pattern");
    if (!pnode) {
      error(file, rule.source(), out.id, "missing required key \"pattern\" (a string)");
      return true;
    }
    if (!pnode->is_string()) return true;  // reported by check_keys
    out.pattern = *pnode->value<std::string>();
    std::string body;
    ExpandError err;
    std::vector<std::string> active;
    if (!expand(out.pattern, body, &err, active)) {
      if (err.fragment.empty())
        report(Severity::Error, file, inside(file, *pnode, err.offset), out.id, err.message);
      else if (!broken_fragments.count(err.fragment))
        report(Severity::Error, file, start_of(pnode->source()), out.id, err.message);
      return true;
    }
    bool case_sensitive = rule["case_sensitive"].value_or(false);
    out.expanded = case_sensitive ? body : "(?i)" + body;
    RE2::Options opts;
    opts.set_log_errors(false);
    auto re = std::make_unique<RE2>(out.expanded, opts);
    if (re->error_code() == RE2::ErrorPatternTooLarge) {
      report(Severity::Error, file, start_of(pnode->source()), out.id,
             fmt::format("pattern is too large: its compiled program exceeds RE2's memory budget (RE2: {}); "
                         "hint: lower counted repetitions such as {{1,1000}}, or split a huge alternation into several rules",
                         re->error()));
      return true;
    }
    if (!re->ok()) {
      // Point at the offending piece when it appears in the pattern as written.
      auto piece = out.pattern.find(re->error_arg());
      TextPosition at = re->error_arg().empty() || piece == std::string::npos ? start_of(pnode->source())
                                                                              : inside(file, *pnode, piece);
      report(Severity::Error, file, at, out.id, fmt::format("RE2 error: {}; pattern: {}", re->error(), out.pattern));
      return true;
    }
    if (matches_empty(*re))
      report(Severity::Error, file, start_of(pnode->source()), out.id,
             "pattern can match the empty string: make at least one part of it required");
    const auto& named = re->NamedCapturingGroups();
    out.groups = {named.begin(), named.end()};
    out.re = std::move(re);
    return true;
  }

  // Checks that a template only uses groups the pattern has and tables that exist.
  void check_template(const std::string& tmpl, const toml::node& where, const RuleBase& rule, const std::string& file,
                      const char* key, std::set<std::string>* used) {
    std::string err;
    fill_template(tmpl, [](std::string_view) { return std::nullopt; }, rs->tables, &err);
    if (!err.empty()) report(Severity::Error, file, inside(file, where, tmpl.rfind('{')), rule.id, fmt::format("{}: {}", key, err));
    for (auto& p : placeholders(tmpl)) {
      if (used) used->insert(p.group);
      TextPosition at = inside(file, where, p.offset);
      if (looks_builtin(p.group)) {
        if (std::string_view(key) != "value" && std::string_view(key) != "mod") {
          report(Severity::Error, file, at, rule.id,
                 fmt::format("{} uses {{{}}}, but built-in placeholders fill only a date rule's value and mod", key, p.group));
        } else if (!find_builtin(p.group)) {
          std::vector<std::string_view> known;
          for (auto& b : builtin_placeholders) known.push_back(b.name);
          report(Severity::Error, file, at, rule.id,
                 fmt::format("{} uses {{{}}}, which is no built-in placeholder{}", key, p.group, did_you_mean(p.group, known)));
        }
      } else if (rule.re && !rule.groups.count(p.group)) {
        std::vector<std::string_view> known;
        for (auto& [g, i] : rule.groups) known.push_back(g);
        report(Severity::Error, file, at, rule.id,
               fmt::format("{} uses {{{}}} but the pattern has no group (?P<{}>...){}", key, p.group, p.group,
                           did_you_mean(p.group, known)));
      }
      if (!p.filter.empty() && p.filter != "lower" && !rs->tables.count(p.filter))
        report(Severity::Error, file, inside(file, where, p.offset + 2 + p.group.size()), rule.id,
               fmt::format("{} uses {{{}|{}}} but no table \"{}\" is defined{}{}", key, p.group, p.filter, p.filter,
                           did_you_mean(p.filter, table_names()), unparsed_note()));
    }
  }

  void warn_unused_groups(const RuleBase& rule, const std::set<std::string>& used, const toml::table& t, const std::string& file) {
    auto pnode = t.get("pattern");
    for (auto& [name, idx] : rule.groups) {
      if (used.count(name)) continue;  // (date rules count `timex` as used: see load_date_rules)
      auto at = rule.pattern.find("(?P<" + name + ">");
      report(Severity::Warning, file, at == std::string::npos ? start_of(pnode->source()) : inside(file, *pnode, at), rule.id,
             fmt::format("group \"{}\" is defined but nothing uses it (make it (?:...) or use {{{}}})", name, name));
    }
  }

  // Statically checks a value expression: the expressions it can become
  // without a match (each table value in turn) go through options->check_value.
  void check_value_expression(const std::string& tmpl, const toml::node& where, const RuleBase& rule, const std::string& file) {
    if (!options->check_value) return;
    auto holes = placeholders(tmpl);
    for (auto& p : holes)
      if (!find_builtin(p.group) && (p.filter.empty() || p.filter == "lower" || !rs->tables.count(p.filter)))
        return;  // depends on matched text: left to the rule's examples
    // Each placeholder's possible values; every table value is tried once
    // (the others stay at their first value), so the cost stays linear.
    auto choices = [&](const Placeholder& p) -> std::vector<std::string> {
      if (auto b = find_builtin(p.group)) return {std::string(b->sample)};
      std::set<std::string> vals;
      for (auto& [k, v] : rs->tables.at(p.filter).entries) vals.insert(v);
      return {vals.begin(), vals.end()};
    };
    std::vector<std::vector<std::string>> options_of;
    for (auto& p : holes) options_of.push_back(choices(p));
    // Adjacent placeholders over the same table ("{month|month}{month2|month}")
    // fill one slot from alternative groups: only one of them is ever set.
    std::vector<std::size_t> slot(holes.size());
    for (std::size_t h = 1; h < holes.size(); ++h) {
      bool adjacent = tmpl.find('}', holes[h - 1].offset) + 1 == holes[h].offset;
      slot[h] = adjacent && holes[h].filter == holes[h - 1].filter ? slot[h - 1] : h;
    }
    auto fill = [&](std::size_t which, const std::string& val) {
      std::string out;
      std::size_t pos = 0;
      for (std::size_t h = 0; h < holes.size(); ++h) {
        out += tmpl.substr(pos, holes[h].offset - pos);
        if (h == which) out += val;
        else if (slot[h] == h && slot[h] != slot[which] && !options_of[h].empty()) out += options_of[h].front();
        pos = tmpl.find('}', holes[h].offset) + 1;
      }
      return out + tmpl.substr(pos);
    };
    std::set<std::string> tried;
    auto check = [&](const std::string& expr) {
      if (!tried.insert(expr).second) return false;
      if (auto msg = options->check_value(expr); !msg.empty()) {
        report(Severity::Error, file, start_of(where.source()), rule.id,
               holes.empty() ? fmt::format("value: {}", msg) : fmt::format("value can become \"{}\": {}", expr, msg));
        return true;
      }
      return false;
    };
    if (holes.empty()) {
      check(tmpl);
      return;
    }
    for (std::size_t h = 0; h < holes.size(); ++h)
      for (auto& v : options_of[h])
        if (check(fill(h, v))) return;  // one report per rule is enough
  }

  std::optional<TimexType> timex_type(std::string_view s) {
    if (s == "DATE") return TimexType::Date;
    if (s == "TIME") return TimexType::Time;
    if (s == "DURATION") return TimexType::Duration;
    if (s == "SET") return TimexType::Set;
    return std::nullopt;
  }

  const toml::array* rule_array(const toml::table& doc, const char* kind, const std::string& file) {
    auto node = doc.get(kind);
    if (!node) return nullptr;
    auto arr = node->as_array();
    if (!arr || (!arr->empty() && !arr->is_array_of_tables())) {
      error(file, node->source(), "", fmt::format("\"{}\" must be an array of tables: write [[{}]]", kind, kind));
      return nullptr;
    }
    return arr;
  }

  void load_date_rules(const toml::table& doc, const char* kind, std::vector<DateRule>& into, const std::string& file) {
    auto arr = rule_array(doc, kind, file);
    if (!arr) return;
    for (auto& item : *arr) {
      auto& t = *item.as_table();
      DateRule r;
      if (!read_base(t, r, file, kind, kDateKeys)) continue;
      auto vnode = t.get("value");
      if (!vnode) {
        error(file, t.source(), r.id, "missing required key \"value\" (a TimeML value expression)");
        continue;
      }
      if (!vnode->is_string() || !r.re) continue;
      r.value = *vnode->value<std::string>();
      std::set<std::string> used;
      used.insert("timex");  // the tagger reports only this group, the rest is context (temporal/tagger.h)
      check_template(r.value, *vnode, r, file, "value", &used);
      check_value_expression(r.value, *vnode, r, file);
      if (auto m = t.get("mod")) {
        r.mod = m->value_or(std::string{});
        check_template(r.mod, *m, r, file, "mod", &used);
      }
      if (auto ty = t.get("type")) {
        auto tt = timex_type(ty->value_or(std::string{}));
        if (!tt) error(file, ty->source(), r.id, "type must be DATE, TIME, DURATION or SET");
        else r.type = *tt;
      }
      warn_unused_groups(r, used, t, file);
      into.push_back(std::move(r));
    }
  }

  void load_vetoes(const toml::table& doc, const std::string& file) {
    auto arr = rule_array(doc, "veto", file);
    if (!arr) return;
    for (auto& item : *arr) {
      VetoRule r;
      if (read_base(*item.as_table(), r, file, "veto", {}) && r.re) rs->vetoes.push_back(std::move(r));
    }
  }

  void load_events(const toml::table& doc, const std::string& file) {
    auto arr = rule_array(doc, "event", file);
    if (!arr) return;
    for (auto& item : *arr) {
      auto& t = *item.as_table();
      EventRule r;
      if (!read_base(t, r, file, "event", kEventKeys)) continue;
      auto title = t.get("title");
      if (!title) {
        error(file, t.source(), r.id, "missing required key \"title\" (a string)");
        continue;
      }
      if (!title->is_string() || !r.re) continue;
      r.title = *title->value<std::string>();
      std::set<std::string> used;
      check_template(r.title, *title, r, file, "title", &used);
      r.identity = r.title;
      if (auto id = t.get("identity")) {
        r.identity = id->value_or(r.title);
        check_template(r.identity, *id, r, file, "identity", &used);
      }
      r.category = t["category"].value_or(std::string{"event"});
      r.kind = t["same_as"].value_or(r.id);
      if (auto same = t.get("same_as")) same_as_at[r.id] = start_of(same->source());
      if (auto scope = t.get("date_scope")) {
        r.date_scope = scope->value_or(std::string{});
        if (r.date_scope != "sentence" && r.date_scope != "paragraph")
          error(file, scope->source(), r.id, "date_scope must be \"sentence\" or \"paragraph\"");
      }
      auto string_list = [&](const char* key, std::vector<std::string>& into, bool templates) {
        auto node = t.get(key);
        if (!node) return;
        auto list = node->as_array();
        if (!list) {
          error(file, node->source(), r.id, fmt::format("{} must be an array of strings", key));
          return;
        }
        for (auto& v : *list) {
          auto str = v.value<std::string>();
          if (!str) {
            error(file, v.source(), r.id, fmt::format("{} must be an array of strings", key));
            continue;
          }
          if (templates) check_template(*str, v, r, file, key, &used);
          into.push_back(*str);
        }
      };
      string_list("actors", r.actors, true);
      string_list("tags", r.tags, false);
      r.recurring = t["recurring"].value_or(false);
      warn_unused_groups(r, used, t, file);
      rs->events.push_back(std::move(r));
    }
  }

  void collect_shared(const toml::table& doc, const std::string& file) {
    static const std::vector<std::string_view> top{"fragments", "tables", "text", "doc_types", "date", "dateline", "veto", "event"};
    for (auto& [k, v] : doc)
      if (std::find(top.begin(), top.end(), k.str()) == top.end())
        error(file, k.source(), "", fmt::format("unknown top-level key \"{}\"{}", k.str(), did_you_mean(k.str(), top)), Severity::Warning);
    if (auto frags = doc["fragments"].as_table()) {
      for (auto& [k, v] : *frags) {
        std::string name(k.str());
        if (!v.is_string()) {
          error(file, v.source(), "", fmt::format("fragment \"{}\" must be a string", name));
          continue;
        }
        if (auto old = fragments.find(name); old != fragments.end()) {
          error(file, k.source(), "", fmt::format("fragment \"{}\" is already defined at {}:{}", name, old->second.file,
                                                  old->second.node->source().begin.line));
          continue;
        }
        fragments[name] = {*v.value<std::string>(), file, &v};
      }
    }
    if (auto tables = doc["tables"].as_table()) {
      for (auto& [k, v] : *tables) {
        auto t = v.as_table();
        if (!t) {
          error(file, v.source(), "", fmt::format("table \"{}\" must be a table of key = value", k.str()));
          continue;
        }
        Table& into = rs->tables[std::string(k.str())];
        for (auto& [key, val] : *t) {
          std::string s;
          if (auto str = val.value<std::string>()) s = *str;
          else if (auto n = val.value<int64_t>()) s = std::to_string(*n);
          else {
            error(file, val.source(), "", fmt::format("entry \"{}\" of table \"{}\" must be a string or an integer", key.str(), k.str()));
            continue;
          }
          into.entries[normalize_key(key.str())] = s;
        }
      }
    }
    if (auto types = doc["doc_types"].as_table()) doc_types.read(*types, file);
    if (auto text = doc["text"].as_table()) {
      static const std::vector<std::string_view> text_keys{"abbreviations", "dateline_window", "stopwords"};
      for (auto& [k, v] : *text)
        if (std::find(text_keys.begin(), text_keys.end(), k.str()) == text_keys.end())
          error(file, k.source(), "", fmt::format("unknown key \"{}\" in [text]{}", k.str(), did_you_mean(k.str(), text_keys)),
                Severity::Warning);
      if (auto abbr = (*text)["abbreviations"].as_array())
        for (auto& a : *abbr)
          if (auto s = a.value<std::string>()) rs->abbreviations.push_back(normalize_key(*s));
      if (auto w = (*text)["dateline_window"].value<int64_t>()) rs->dateline_window = std::size_t(*w);
      if (auto stop = (*text)["stopwords"].as_array())
        for (auto& a : *stop)
          if (auto s = a.value<std::string>()) rs->stopwords.push_back(normalize_key(*s));
    }
  }

  // An entry of a prefilter set: its pattern, the rule it stands for (for
  // diagnostics), and what to add instead should RE2 refuse the pattern.
  struct SetEntry {
    std::string pattern;
    const RuleBase* rule;
    std::string fallback;  // "" = the pattern is the rule's own
  };

  // One RE2::Set over the entries, in order; null (and a diagnostic naming
  // the rule) when RE2 refuses a pattern or the whole set.
  std::unique_ptr<RE2::Set> build_set(const std::vector<SetEntry>& entries) {
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
};

}  // namespace

std::string normalize_key(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  bool space = false;
  for (char c : text) {
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      space = !out.empty();
      continue;
    }
    if (space) out.push_back(' '), space = false;
    out.push_back(c >= 'A' && c <= 'Z' ? char(c - 'A' + 'a') : c);
  }
  if (!out.empty() && out.back() == '.') out.pop_back();
  return out;
}

LoadResult load_rules_from(const std::vector<std::pair<std::string, std::string>>& files, std::string dir_label,
                           const LoadOptions& options) {
  LoadResult result;
  auto rs = std::make_unique<RuleSet>();
  rs->dir = std::move(dir_label);
  Loader L;
  L.rs = rs.get();
  L.options = &options;
  std::vector<std::pair<std::string, toml::table>> docs;
  for (auto& [name, content] : files) {
    L.sources[name] = content;
    try {
      docs.emplace_back(name, toml::parse(content, name));
    } catch (const toml::parse_error& e) {
      L.diags.push_back({Severity::Error, name, int(e.source().begin.line), int(e.source().begin.column), "",
                         fmt::format("TOML syntax error: {}", e.description())});
      L.unparsed.push_back(name);
    }
  }
  for (auto& [name, doc] : docs) L.collect_shared(doc, name);
  rs->doc_types = L.doc_types.finish();
  L.check_fragments();
  for (auto& [name, doc] : docs) {
    L.load_date_rules(doc, "date", rs->dates, name);
    L.load_date_rules(doc, "dateline", rs->datelines, name);
    L.load_vetoes(doc, name);
    if (options.event_rules) L.load_events(doc, name);
  }
  // Rule ids are unique across the whole pack.
  std::map<std::string, const RuleBase*> seen;
  auto check_ids = [&](const auto& rules) {
    for (auto& r : rules) {
      auto [it, fresh] = seen.emplace(r.id, &r);
      if (!fresh)
        L.diags.push_back({Severity::Error, r.file, r.id_line, r.id_column, r.id,
                           fmt::format("duplicate rule id \"{}\" (first defined at {}:{}:{})", r.id, it->second->file,
                                       it->second->id_line, it->second->id_column)});
    }
  };
  check_ids(rs->dates);
  check_ids(rs->datelines);
  check_ids(rs->vetoes);
  check_ids(rs->events);
  for (auto& r : rs->events) {
    if (r.kind == r.id) continue;
    auto target = std::find_if(rs->events.begin(), rs->events.end(), [&](auto& o) { return o.id == r.kind; });
    if (target == rs->events.end())
      L.report(Severity::Error, r.file, L.same_as_at[r.id], r.id, fmt::format("same_as names \"{}\", which is not an event rule", r.kind));
    else if (target->kind != target->id)
      L.report(Severity::Error, r.file, L.same_as_at[r.id], r.id,
               fmt::format("same_as must name a rule without same_as; \"{}\" has same_as = \"{}\"", r.kind, target->kind));
  }
  if (rs->dates.empty() && rs->events.empty() && L.diags.empty())
    L.diags.push_back({Severity::Error, rs->dir, 0, 0, "", "no date or event rules found"});

  bool has_error = std::any_of(L.diags.begin(), L.diags.end(), [](auto& d) { return d.severity == Severity::Error; });
  if (!has_error) {
    std::vector<Loader::SetEntry> dates, vetoes, datelines, events;
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
    for (auto& r : rs->events) events.push_back({r.expanded, &r, ""});
    rs->date_prefilter = L.build_set(dates);
    rs->veto_prefilter = L.build_set(vetoes);
    rs->dateline_set = L.build_set(datelines);
    rs->event_set = L.build_set(events);
    has_error = !rs->date_prefilter || !rs->veto_prefilter || !rs->dateline_set || !rs->event_set;
  }
  result.diagnostics = std::move(L.diags);
  if (!has_error) result.rules = std::move(rs);
  return result;
}

LoadResult load_rules(const std::filesystem::path& dir, const LoadOptions& options) {
  std::vector<std::pair<std::string, std::string>> files;
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) {
    LoadResult r;
    r.diagnostics.push_back({Severity::Error, dir.string(), 0, 0, "", "rules folder not found"});
    return r;
  }
  std::vector<fs::path> paths;
  for (auto& e : fs::recursive_directory_iterator(dir, ec))
    if (e.is_regular_file() && e.path().extension() == ".toml") paths.push_back(e.path());
  std::sort(paths.begin(), paths.end());
  for (auto& p : paths) {
    std::ifstream in(p, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    files.emplace_back(p.string(), ss.str());
  }
  return load_rules_from(files, dir.string(), options);
}

}  // namespace annals::rules
