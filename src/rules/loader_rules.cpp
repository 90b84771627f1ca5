// Reading each kind of rule: the common keys and the pattern (expanded,
// compiled, checked), then what each kind adds.
#include "rules/loader.h"

#include <algorithm>

#include <fmt/format.h>

#include "rules/template.h"

namespace annals::rules::detail {
namespace {

constexpr int64_t kEventRuleMemory = 64 << 20;
// The largest program RE2 compiles with its default memory budget (8 MiB:
// two thirds for the program, a quarter of that in 16-byte instructions).
constexpr int kMaxProgramSize = int((int64_t(8) << 20) * 2 / 3 / 4 / 16);

}  // namespace

bool Loader::matches_empty(const RE2& re) {
  for (std::string_view probe : {"", " ", "a", "a b", "7", "A."}) {
    re2::StringPiece m;
    if (re.Match(re2::StringPiece(probe.data(), probe.size()), 0, probe.size(), RE2::UNANCHORED, &m, 1) && m.empty())
      return true;
  }
  return false;
}

bool Loader::read_base(const toml::table& rule, RuleBase& out, const std::string& file, const char* kind,
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
  if (!expand_pattern(out.pattern, body, &err)) {
    if (err.budget && !broken_fragments.count(err.fragment))
      report(Severity::Error, file, start_of(pnode->source()), out.id, "pattern " + err.message);
    else if (err.fragment.empty())
      report(Severity::Error, file, inside(file, *pnode, err.offset), out.id, err.message);
    else if (!broken_fragments.count(err.fragment))
      report(Severity::Error, file, start_of(pnode->source()), out.id, err.message);
    return true;
  }
  bool case_sensitive = rule["case_sensitive"].value_or(false);
  out.expanded = case_sensitive ? body : "(?i)" + body;
  RE2::Options opts;
  opts.set_log_errors(false);
  // Event rules hold whole verb classes and run on many short windows of
  // every text: with RE2's default memory budget their DFA caches fill on
  // te3-silver and are rebuilt over and over (the second copy of a corpus
  // cost as much as the first). A larger budget for the DFA; the program
  // itself is held to what the default budget compiles (below).
  const bool event = std::string_view(kind) == "event";
  if (event) opts.set_max_mem(kEventRuleMemory);
  if (vouched) {  // its checks below passed when this binary loaded the pack before
    out.groups = capture_groups(out.expanded);
    out.re = LazyRE2(out.expanded, opts);
    return true;
  }
  auto re = std::make_unique<RE2>(out.expanded, opts);
  auto too_large = [&](const std::string& why) {
    report(Severity::Error, file, start_of(pnode->source()), out.id,
           fmt::format("pattern is too large: its compiled program exceeds RE2's memory budget ({}); "
                       "hint: lower counted repetitions such as {{1,1000}}, or split a huge alternation into several rules",
                       why));
  };
  if (re->error_code() == RE2::ErrorPatternTooLarge) {
    too_large("RE2: " + re->error());
    return true;
  }
  if (event && re->ok() && re->ProgramSize() > kMaxProgramSize) {
    too_large(fmt::format("{} instructions, more than the {} of RE2's default budget", re->ProgramSize(), kMaxProgramSize));
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
  if (int groups = re->NumberOfCapturingGroups(); groups > Limits::kCaptureGroups) {
    // Every match fills every group: thousands of them made each scan crawl.
    report(Severity::Error, file, start_of(pnode->source()), out.id,
           fmt::format("pattern has {} capture groups, more than the limit of {}; hint: write (?:...) for a group nothing uses",
                       groups, Limits::kCaptureGroups));
    return true;
  }
  if (matches_empty(*re))
    report(Severity::Error, file, start_of(pnode->source()), out.id,
           "pattern can match the empty string: make at least one part of it required");
  const auto& named = re->NamedCapturingGroups();
  out.groups = {named.begin(), named.end()};
  out.re = LazyRE2(std::move(re));
  return true;
}

void Loader::load_date_rules(const toml::table& doc, const char* kind, std::vector<DateRule>& into, const std::string& file) {
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
    used.insert("core");   // what the prefilter set looks for (prefilter.cpp)
    check_template(r.value, *vnode, r, file, "value", &used);
    check_value_expression(r.value, *vnode, r, file);
    if (auto m = t.get("mod")) {
      r.mod = m->value_or(std::string{});
      check_template(r.mod, *m, r, file, "mod", &used);
    }
    r.unplaced = t["unplaced"].value_or(std::string{});
    if (auto ty = t.get("type")) {
      auto tt = timex_type(ty->value_or(std::string{}));
      if (!tt) error(file, ty->source(), r.id, "type must be DATE, TIME, DURATION or SET");
      else r.type = *tt;
    }
    warn_unused_groups(r, used, t, file);
    into.push_back(std::move(r));
  }
}

void Loader::load_vetoes(const toml::table& doc, const std::string& file) {
  auto arr = rule_array(doc, "veto", file);
  if (!arr) return;
  for (auto& item : *arr) {
    auto& t = *item.as_table();
    VetoRule r;
    if (!read_base(t, r, file, "veto", kVetoKeys) || !r.re) continue;
    if (auto to = t.get("applies_to")) {
      auto s = to->value_or(std::string{});
      if (s == "events") r.target = VetoTarget::Events;
      else if (s == "sentences") r.target = VetoTarget::Sentences;
      else if (s == "lines") r.target = VetoTarget::Lines;
      else if (s != "dates")
        error(file, to->source(), r.id,
              "applies_to must be \"dates\" (the default), \"events\", \"sentences\" or \"lines\"");
    }
    (r.target == VetoTarget::Dates ? rs->vetoes : rs->event_vetoes).push_back(std::move(r));
  }
}

void Loader::load_events(const toml::table& doc, const std::string& file) {
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
    if (auto c = t.get("category")) check_template(r.category, *c, r, file, "category", &used);
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
    r.fallback = t["fallback"].value_or(false);
    r.lead_publication_date = t["lead_publication_date"].value_or(false);
    r.start = match_start_of(r.expanded);
    if (r.start != MatchStart::Anywhere)
      if (auto bytes = start_bytes_of(r.expanded)) r.start_bytes = std::make_unique<const StartBytes>(*bytes);
    std::vector<std::string> trigger_expansions;
    read_triggers(t, r, file, &trigger_expansions);
    r.trigger_in_match = !r.triggers.empty() && trigger_bounds_match(r.expanded, trigger_expansions);
    read_exclude(t, r, file);
    for (auto& [group, table] : r.exclude) used.insert(group);
    warn_unused_groups(r, used, t, file);
    rs->events.push_back(std::move(r));
  }
}

}  // namespace annals::rules::detail
