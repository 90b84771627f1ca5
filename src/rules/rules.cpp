#include "rules/rules.h"

#include <algorithm>
#include <fstream>
#include <set>
#include <sstream>

#include <fmt/format.h>
#include <toml++/toml.h>

#include "rules/template.h"

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

struct Loader {
  std::vector<Diagnostic> diags;
  std::map<std::string, std::string> fragments;           // raw
  std::map<std::string, std::pair<std::string, int>> fragment_where;  // file, line
  std::map<std::string, std::string> expanded_fragments;  // cache
  RuleSet* rs = nullptr;

  void error(const std::string& file, const toml::source_region& src, std::string rule, std::string msg,
             Severity sev = Severity::Error) {
    diags.push_back({sev, file, int(src.begin.line), int(src.begin.column), std::move(rule), std::move(msg)});
  }

  // %{name} -> (?:fragment), %{table:name} -> (?:key|key...). Returns false and
  // sets *err on an undefined name or a cycle.
  bool expand(std::string_view pattern, std::string& out, std::string* err, std::set<std::string>& active) {
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
      if (close == std::string_view::npos) {
        *err = "unterminated %{ in pattern";
        return false;
      }
      std::string name(pattern.substr(at + 2, close - at - 2));
      if (name.rfind("table:", 0) == 0) {
        std::string tname = name.substr(6);
        auto t = rs->tables.find(tname);
        if (t == rs->tables.end()) {
          *err = fmt::format("pattern uses %{{table:{}}} but no table \"{}\" is defined", tname, tname);
          return false;
        }
        std::vector<std::string> keys;
        for (auto& [k, v] : t->second.entries) keys.push_back(k);
        std::sort(keys.begin(), keys.end(), [](auto& a, auto& b) { return a.size() != b.size() ? a.size() > b.size() : a < b; });
        out += "(?:";
        for (std::size_t k = 0; k < keys.size(); ++k) {
          if (k) out += '|';
          // Spaces in a key match any run of whitespace.
          std::string quoted = RE2::QuoteMeta(keys[k]);
          std::string spaced;
          for (std::size_t c = 0; c < quoted.size(); ++c) {
            if (quoted[c] == '\\' && c + 1 < quoted.size() && quoted[c + 1] == ' ') { spaced += "\\s+"; ++c; }
            else spaced += quoted[c];
          }
          out += spaced;
        }
        out += ')';
      } else {
        auto f = fragments.find(name);
        if (f == fragments.end()) {
          *err = fmt::format("pattern uses %{{{}}} but no fragment \"{}\" is defined{}", name, name, [&] {
            std::vector<std::string_view> known;
            for (auto& [k, v] : fragments) known.push_back(k);
            return did_you_mean(name, known);
          }());
          return false;
        }
        if (active.count(name)) {
          *err = fmt::format("fragment \"{}\" refers to itself", name);
          return false;
        }
        active.insert(name);
        out += "(?:";
        if (!expand(f->second, out, err, active)) return false;
        out += ')';
        active.erase(name);
      }
      i = close + 1;
    }
    return true;
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
        static const std::vector<std::string_view> known{"text", "reference", "value", "title", "comment"};
        for (auto& [k, v] : *t)
          if (std::find(known.begin(), known.end(), k.str()) == known.end())
            error(file, v.source(), id, fmt::format("unknown key \"{}\" in {} entry{}", k.str(), key, did_you_mean(k.str(), known)));
        ex.text = (*t)["text"].value_or(std::string{});
        ex.reference = (*t)["reference"].value_or(std::string{});
        ex.value = (*t)["value"].value_or(std::string{});
        ex.title = (*t)["title"].value_or(std::string{});
        if (ex.text.empty()) error(file, item.source(), id, fmt::format("{} entry needs a \"text\"", key));
      } else {
        error(file, item.source(), id, fmt::format("{} entries must be strings or tables", key));
        continue;
      }
      into.push_back(std::move(ex));
    }
  }

  // Reads the fields common to every rule; returns false when the rule is unusable.
  bool read_base(const toml::table& rule, RuleBase& out, const std::string& file, const char* kind,
                 const std::vector<std::string_view>& known_keys) {
    out.file = file;
    out.line = int(rule.source().begin.line);
    out.column = int(rule.source().begin.column);
    out.id = rule["id"].value_or(std::string{});
    if (out.id.empty()) {
      error(file, rule.source(), "", fmt::format("[[{}]] rule has no \"id\"", kind));
      return false;
    }
    for (auto& [k, v] : rule)
      if (std::find(known_keys.begin(), known_keys.end(), k.str()) == known_keys.end())
        error(file, v.source(), out.id, fmt::format("unknown key \"{}\"{}", k.str(), did_you_mean(k.str(), known_keys)));
    auto pnode = rule.get("pattern");
    if (!pnode || !pnode->is_string()) {
      error(file, rule.source(), out.id, "missing required key \"pattern\" (a string)");
      return false;
    }
    out.pattern = *pnode->value<std::string>();
    std::string err;
    std::set<std::string> active;
    std::string body;
    if (!expand(out.pattern, body, &err, active)) {
      error(file, pnode->source(), out.id, err);
      return false;
    }
    bool case_sensitive = rule["case_sensitive"].value_or(false);
    out.expanded = case_sensitive ? body : "(?i)" + body;
    RE2::Options opts;
    opts.set_log_errors(false);
    out.re = std::make_unique<RE2>(out.expanded, opts);
    if (!out.re->ok()) {
      error(file, pnode->source(), out.id, fmt::format("invalid pattern: {} (RE2: {}); pattern: {}", out.re->error(), out.re->error_arg(), out.pattern));
      return false;
    }
    if (RE2::FullMatch("", *out.re)) error(file, pnode->source(), out.id, "pattern matches the empty string");
    out.groups = out.re->NamedCapturingGroups();
    read_examples(rule, "examples", out.examples, file, out.id);
    read_examples(rule, "counterexamples", out.counterexamples, file, out.id);
    return true;
  }

  // Checks that a template only uses groups the pattern has and tables that exist.
  void check_template(const std::string& tmpl, const toml::node* where, const RuleBase& rule, const std::string& file,
                      const char* key, std::set<std::string>* used) {
    for (auto& p : placeholders(tmpl)) {
      bool builtin = p.group.rfind("ref.", 0) == 0;
      if (!builtin && !rule.groups.count(p.group))
        error(file, where->source(), rule.id, fmt::format("{} uses {{{}}} but the pattern has no group (?P<{}>...)", key, p.group, p.group));
      if (!p.filter.empty() && p.filter != "lower" && !rs->tables.count(p.filter))
        error(file, where->source(), rule.id, fmt::format("{} uses table \"{}\", which is not defined", key, p.filter));
      if (used) used->insert(p.group);
    }
  }

  void warn_unused_groups(const RuleBase& rule, const std::set<std::string>& used, const toml::table& t, const std::string& file) {
    for (auto& [name, idx] : rule.groups)
      if (!used.count(name))
        error(file, t.get("pattern")->source(), rule.id, fmt::format("group \"{}\" is defined but nothing uses it", name), Severity::Warning);
  }

  std::optional<TimexType> timex_type(std::string_view s) {
    if (s == "DATE") return TimexType::Date;
    if (s == "TIME") return TimexType::Time;
    if (s == "DURATION") return TimexType::Duration;
    if (s == "SET") return TimexType::Set;
    return std::nullopt;
  }

  void load_date_rules(const toml::table& doc, const char* kind, std::vector<DateRule>& into, const std::string& file) {
    auto node = doc.get(kind);
    if (!node) return;
    auto arr = node->as_array();
    if (!arr) {
      error(file, node->source(), "", fmt::format("\"{}\" must be an array of tables: write [[{}]]", kind, kind));
      return;
    }
    static const std::vector<std::string_view> known{"id", "pattern", "value", "type", "mod", "case_sensitive",
                                                     "examples", "counterexamples", "comment"};
    for (auto& item : *arr) {
      auto t = item.as_table();
      if (!t) continue;
      DateRule r;
      if (!read_base(*t, r, file, kind, known)) continue;
      auto vnode = t->get("value");
      if (!vnode || !vnode->is_string()) {
        error(file, t->source(), r.id, "missing required key \"value\" (a TimeML value expression)");
        continue;
      }
      r.value = *vnode->value<std::string>();
      std::set<std::string> used;
      check_template(r.value, vnode, r, file, "value", &used);
      if (auto m = t->get("mod")) {
        r.mod = m->value_or(std::string{});
        check_template(r.mod, m, r, file, "mod", &used);
      }
      if (auto ty = t->get("type")) {
        auto tt = timex_type(ty->value_or(std::string{}));
        if (!tt) error(file, ty->source(), r.id, "type must be DATE, TIME, DURATION or SET");
        else r.type = *tt;
      }
      warn_unused_groups(r, used, *t, file);
      into.push_back(std::move(r));
    }
  }

  void load_vetoes(const toml::table& doc, const std::string& file) {
    auto arr = doc["veto"].as_array();
    if (!arr) return;
    static const std::vector<std::string_view> known{"id", "pattern", "case_sensitive", "examples", "counterexamples", "comment"};
    for (auto& item : *arr) {
      auto t = item.as_table();
      if (!t) continue;
      VetoRule r;
      if (read_base(*t, r, file, "veto", known)) rs->vetoes.push_back(std::move(r));
    }
  }

  void load_events(const toml::table& doc, const std::string& file) {
    auto node = doc.get("event");
    if (!node) return;
    auto arr = node->as_array();
    if (!arr) {
      error(file, node->source(), "", "\"event\" must be an array of tables: write [[event]]");
      return;
    }
    static const std::vector<std::string_view> known{"id", "pattern", "title", "identity", "category", "recurring", "same_as",
                                                     "date_scope", "actors", "tags", "case_sensitive", "examples",
                                                     "counterexamples", "comment"};
    for (auto& item : *arr) {
      auto t = item.as_table();
      if (!t) continue;
      EventRule r;
      if (!read_base(*t, r, file, "event", known)) continue;
      auto title = t->get("title");
      if (!title || !title->is_string()) {
        error(file, t->source(), r.id, "missing required key \"title\" (a string)");
        continue;
      }
      r.title = *title->value<std::string>();
      std::set<std::string> used;
      check_template(r.title, title, r, file, "title", &used);
      r.identity = r.title;
      if (auto id = t->get("identity")) {
        r.identity = id->value_or(r.title);
        check_template(r.identity, id, r, file, "identity", &used);
      }
      r.category = (*t)["category"].value_or(std::string{"event"});
      r.kind = (*t)["same_as"].value_or(r.id);
      if (auto scope = t->get("date_scope")) {
        r.date_scope = scope->value_or(std::string{});
        if (r.date_scope != "sentence" && r.date_scope != "paragraph")
          error(file, scope->source(), r.id, "date_scope must be \"sentence\" or \"paragraph\"");
      }
      auto string_list = [&](const char* key, std::vector<std::string>& into, bool templates) {
        auto node = t->get(key);
        if (!node) return;
        auto arr = node->as_array();
        if (!arr) {
          error(file, node->source(), r.id, fmt::format("{} must be an array of strings", key));
          return;
        }
        for (auto& v : *arr) {
          auto str = v.value<std::string>();
          if (!str) {
            error(file, v.source(), r.id, fmt::format("{} must be an array of strings", key));
            continue;
          }
          if (templates) check_template(*str, &v, r, file, key, &used);
          into.push_back(*str);
        }
      };
      string_list("actors", r.actors, true);
      string_list("tags", r.tags, false);
      r.recurring = (*t)["recurring"].value_or(false);
      warn_unused_groups(r, used, *t, file);
      rs->events.push_back(std::move(r));
    }
  }

  void collect_shared(const toml::table& doc, const std::string& file) {
    static const std::vector<std::string_view> top{"fragments", "tables", "text", "date", "dateline", "veto", "event"};
    for (auto& [k, v] : doc)
      if (std::find(top.begin(), top.end(), k.str()) == top.end())
        error(file, v.source(), "", fmt::format("unknown top-level key \"{}\"{}", k.str(), did_you_mean(k.str(), top)), Severity::Warning);
    if (auto frags = doc["fragments"].as_table()) {
      for (auto& [k, v] : *frags) {
        std::string name(k.str());
        if (!v.is_string()) {
          error(file, v.source(), "", fmt::format("fragment \"{}\" must be a string", name));
          continue;
        }
        if (fragment_where.count(name)) {
          auto& [f, l] = fragment_where[name];
          error(file, v.source(), "", fmt::format("fragment \"{}\" is already defined at {}:{}", name, f, l));
          continue;
        }
        fragments[name] = *v.value<std::string>();
        fragment_where[name] = {file, int(v.source().begin.line)};
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
    if (auto text = doc["text"].as_table()) {
      if (auto abbr = (*text)["abbreviations"].as_array())
        for (auto& a : *abbr)
          if (auto s = a.value<std::string>()) rs->abbreviations.push_back(normalize_key(*s));
      if (auto w = (*text)["dateline_window"].value<int64_t>()) rs->dateline_window = std::size_t(*w);
      if (auto stop = (*text)["stopwords"].as_array())
        for (auto& a : *stop)
          if (auto s = a.value<std::string>()) rs->stopwords.push_back(normalize_key(*s));
    }
  }

  std::unique_ptr<RE2::Set> build_set(const std::vector<const RuleBase*>& rules) {
    RE2::Options opts;
    opts.set_log_errors(false);
    opts.set_max_mem(256 << 20);
    auto set = std::make_unique<RE2::Set>(opts, RE2::UNANCHORED);
    for (auto* r : rules) {
      std::string err;
      if (set->Add(r->expanded, &err) < 0) {
        diags.push_back({Severity::Error, r->file, r->line, r->column, r->id, "cannot add pattern to the prefilter set: " + err});
        return nullptr;
      }
    }
    if (!set->Compile()) {
      diags.push_back({Severity::Error, rs->dir, 0, 0, "", "the combined prefilter set exceeds RE2's memory budget"});
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

LoadResult load_rules_from(const std::vector<std::pair<std::string, std::string>>& files, std::string dir_label) {
  LoadResult result;
  auto rs = std::make_unique<RuleSet>();
  rs->dir = std::move(dir_label);
  Loader L;
  L.rs = rs.get();
  std::vector<std::pair<std::string, toml::table>> docs;
  for (auto& [name, content] : files) {
    try {
      docs.emplace_back(name, toml::parse(content, name));
    } catch (const toml::parse_error& e) {
      L.diags.push_back({Severity::Error, name, int(e.source().begin.line), int(e.source().begin.column), "",
                         fmt::format("TOML syntax error: {}", e.description())});
    }
  }
  for (auto& [name, doc] : docs) L.collect_shared(doc, name);
  for (auto& [name, doc] : docs) {
    L.load_date_rules(doc, "date", rs->dates, name);
    L.load_date_rules(doc, "dateline", rs->datelines, name);
    L.load_vetoes(doc, name);
    L.load_events(doc, name);
  }
  // Rule ids are unique across the whole pack.
  std::map<std::string, const RuleBase*> seen;
  auto check_ids = [&](const auto& rules) {
    for (auto& r : rules) {
      auto [it, fresh] = seen.emplace(r.id, &r);
      if (!fresh)
        L.diags.push_back({Severity::Error, r.file, r.line, r.column, r.id,
                           fmt::format("duplicate rule id (first defined at {}:{})", it->second->file, it->second->line)});
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
      L.diags.push_back({Severity::Error, r.file, r.line, r.column, r.id, fmt::format("same_as names \"{}\", which is not an event rule", r.kind)});
    else if (target->kind != target->id)
      L.diags.push_back({Severity::Error, r.file, r.line, r.column, r.id, fmt::format("same_as must name a rule without same_as; \"{}\" has same_as = \"{}\"", r.kind, target->kind)});
  }
  if (rs->dates.empty() && rs->events.empty() && L.diags.empty())
    L.diags.push_back({Severity::Error, rs->dir, 0, 0, "", "no date or event rules found"});

  bool has_error = std::any_of(L.diags.begin(), L.diags.end(), [](auto& d) { return d.severity == Severity::Error; });
  if (!has_error) {
    std::vector<const RuleBase*> dates, events;
    for (auto& r : rs->dates) dates.push_back(&r);
    for (auto& r : rs->events) events.push_back(&r);
    rs->date_set = L.build_set(dates);
    rs->event_set = L.build_set(events);
    has_error = !rs->date_set || !rs->event_set;
  }
  result.diagnostics = std::move(L.diags);
  if (!has_error) result.rules = std::move(rs);
  return result;
}

LoadResult load_rules(const std::filesystem::path& dir) {
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
  return load_rules_from(files, dir.string());
}

}  // namespace annals::rules
