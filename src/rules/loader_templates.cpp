// Templates (title, identity, actors, value, mod) checked against the
// pattern's groups and the tables; value expressions evaluated statically.
#include "rules/loader.h"

#include <algorithm>

#include <fmt/format.h>

#include "rules/template.h"

namespace annals::rules::detail {

void Loader::check_template(const std::string& tmpl, const toml::node& where, const RuleBase& rule, const std::string& file,
                            const char* key, std::set<std::string>* used) {
  if (auto filled = fill_template(tmpl, [](std::string_view) { return std::nullopt; }, rs->tables); !filled.ok())
    report(Severity::Error, file, inside(file, where, tmpl.rfind('{')), rule.id, fmt::format("{}: {}", key, filled.status().message()));
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

void Loader::warn_unused_groups(const RuleBase& rule, const std::set<std::string>& used, const toml::table& t, const std::string& file) {
  auto pnode = t.get("pattern");
  for (auto& [name, idx] : rule.groups) {
    if (used.count(name)) continue;  // (date rules count `timex` as used: see load_date_rules)
    auto at = rule.pattern.find("(?P<" + name + ">");
    report(Severity::Warning, file, at == std::string::npos ? start_of(pnode->source()) : inside(file, *pnode, at), rule.id,
           fmt::format("group \"{}\" is defined but nothing uses it (make it (?:...) or use {{{}}})", name, name));
  }
}

void Loader::check_value_expression(const std::string& tmpl, const toml::node& where, const RuleBase& rule, const std::string& file) {
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
    if (Status checked = options->check_value(expr); !checked.ok()) {
      const std::string& msg = checked.message();
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

}  // namespace annals::rules::detail
