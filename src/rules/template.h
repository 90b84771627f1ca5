// rules/template — the placeholder language of values, mods, titles and
// identities: "{group}" inserts a named group's text, "{group|TABLE}" looks
// it up in a normalization table, "{group|lower}" lower-cases it.
//   fill("{day} {month|month}", groups{day:"7", month:"Mar."}) -> "7 3"
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace annals::rules {

struct Table;

struct Placeholder {
  std::string group;
  std::string filter;      // table name, "lower", or empty
  std::size_t offset = 0;  // where "{" stands in the template
};

// The placeholders a date rule's value and mod may use besides its own
// groups. The tagger (temporal/tagger.h) fills them from the reference date
// and from the dates the text named before the match; `sample` is what the
// static value check of `rules check` puts in their place.
struct BuiltinPlaceholder {
  std::string_view name;
  std::string_view sample;
};
inline constexpr BuiltinPlaceholder builtin_placeholders[] = {
    {"ref.year", "2025"},         {"ref.month", "03"},          {"ref.century", "20"},
    {"anchor", "2025-03-07"},     {"anchor.day", "2025-03-07"}, {"anchor.week", "2025-W10"},
    {"anchor.month", "2025-03"},  {"anchor.quarter", "2025-Q1"}, {"anchor.year", "2025"},
};

// The built-in placeholder called `name`, or nullptr.
const BuiltinPlaceholder* find_builtin(std::string_view name);

// True for names in the built-in namespaces ("ref.", "anchor"), known or not:
// a misspelt "{ref.yaer}" is reported as an unknown built-in, not as a group.
bool looks_builtin(std::string_view name);

// Every placeholder of a template, in order.
std::vector<Placeholder> placeholders(std::string_view tmpl);

// The text of a named group, or nullopt when the group did not take part.
using GroupLookup = std::function<std::optional<std::string_view>(std::string_view name)>;

// Fills a template. A group that did not take part becomes "". A table
// lookup that finds nothing keeps the group's own text. Fails only on a
// malformed template (an unterminated "{"), which the loader reports: the
// templates of a loaded RuleSet always fill.
[[nodiscard]] Result<std::string> fill_template(std::string_view tmpl, const GroupLookup& group,
                                                const std::map<std::string, Table>& tables);

}  // namespace annals::rules
