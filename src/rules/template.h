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

namespace annals::rules {

struct Table;

struct Placeholder {
  std::string group;
  std::string filter;      // table name, "lower", or empty
  std::size_t offset = 0;  // where "{" stands in the template
};

// Every placeholder of a template, in order.
std::vector<Placeholder> placeholders(std::string_view tmpl);

// The text of a named group, or nullopt when the group did not take part.
using GroupLookup = std::function<std::optional<std::string_view>(std::string_view name)>;

// Fills a template. A group that did not take part becomes "". A table
// lookup that finds nothing keeps the group's own text. `*error` is reserved
// for malformed templates.
std::string fill_template(std::string_view tmpl, const GroupLookup& group,
                          const std::map<std::string, Table>& tables, std::string* error);

}  // namespace annals::rules
