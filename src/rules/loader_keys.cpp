// Diagnostics, the keys of each kind of rule and their types, and examples.
#include "rules/loader.h"

#include <algorithm>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "rules/toml_position.h"

namespace annals::rules::detail {

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

const std::vector<KeySpec> kBaseKeys{{"id", KeyType::String},       {"pattern", KeyType::String},
                                     {"case_sensitive", KeyType::Bool}, {"examples", KeyType::Array},
                                     {"counterexamples", KeyType::Array}, {"comment", KeyType::String}};
const std::vector<KeySpec> kDateKeys{{"value", KeyType::String}, {"type", KeyType::String}, {"mod", KeyType::String},
                                     {"unplaced", KeyType::String}};
const std::vector<KeySpec> kEventKeys{{"title", KeyType::String},    {"identity", KeyType::String},
                                      {"category", KeyType::String}, {"recurring", KeyType::Bool},
                                      {"same_as", KeyType::String},  {"date_scope", KeyType::String},
                                      {"actors", KeyType::Array}, {"tags", KeyType::Array},
                                      {"triggers", KeyType::Array}, {"fallback", KeyType::Bool},
                                      {"exclude", KeyType::Table}, {"lead_publication_date", KeyType::Bool}};
const std::vector<KeySpec> kVetoKeys{{"applies_to", KeyType::String}};

std::string Loader::unparsed_note() const {
  if (unparsed.empty()) return "";
  return fmt::format(" (perhaps defined in {}, which has a TOML syntax error: fix that first)", fmt::join(unparsed, ", "));
}

void Loader::report(Severity sev, const std::string& file, TextPosition at, std::string rule, std::string msg) {
  diags.push_back({sev, file, at.line, at.column, std::move(rule), std::move(msg)});
}

void Loader::error(const std::string& file, const toml::source_region& src, std::string rule, std::string msg, Severity sev) {
  report(sev, file, start_of(src), std::move(rule), std::move(msg));
}

TextPosition Loader::inside(const std::string& file, const toml::node& node, std::size_t offset) {
  auto it = sources.find(file);
  if (it == sources.end()) return start_of(node.source());
  return position_in_string(it->second, start_of(node.source()), offset);
}

void Loader::read_examples(const toml::table& rule, const char* key, std::vector<Example>& into, const std::string& file,
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
      static const std::vector<std::string_view> known{"text", "reference", "doc_type", "value", "title", "mod", "comment"};
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
      ex.doc_type = (*t)["doc_type"].value_or(std::string{});
      if (auto type = t->get("doc_type"); type && ex.doc_type != "auto" && !rs->doc_types.find(ex.doc_type))
        error(file, type->source(), id,
              fmt::format("doc_type \"{}\" names no document type (defined: {}; or auto)", ex.doc_type, rs->doc_types.names()));
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

bool Loader::valid_iso_day(std::string_view s) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return false;
  for (std::size_t i : {0, 1, 2, 3, 5, 6, 8, 9})
    if (s[i] < '0' || s[i] > '9') return false;
  int m = (s[5] - '0') * 10 + (s[6] - '0'), d = (s[8] - '0') * 10 + (s[9] - '0');
  return m >= 1 && m <= 12 && d >= 1 && d <= 31;
}

void Loader::check_keys(const toml::table& rule, const std::vector<KeySpec>& extra, const std::string& file, const std::string& id) {
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

const toml::array* Loader::rule_array(const toml::table& doc, const char* kind, const std::string& file) {
  auto node = doc.get(kind);
  if (!node) return nullptr;
  auto arr = node->as_array();
  if (!arr || (!arr->empty() && !arr->is_array_of_tables())) {
    error(file, node->source(), "", fmt::format("\"{}\" must be an array of tables: write [[{}]]", kind, kind));
    return nullptr;
  }
  return arr;
}

std::optional<TimexType> Loader::timex_type(std::string_view s) {
  if (s == "DATE") return TimexType::Date;
  if (s == "TIME") return TimexType::Time;
  if (s == "DURATION") return TimexType::Duration;
  if (s == "SET") return TimexType::Set;
  return std::nullopt;
}

}  // namespace annals::rules::detail
