#include "rules/template.h"

#include <doctest/doctest.h>

#include "rules/rules.h"

namespace annals::rules {

TEST_CASE("template: groups, table lookups and lower fill in, and a group that did not take part is empty") {
  std::map<std::string, Table> tables{{"month", Table{{{"mar", "3"}}}}};
  auto group = [](std::string_view name) -> std::optional<std::string_view> {
    if (name == "day") return "7";
    if (name == "month") return "Mar.";
    if (name == "who") return "DeepSeek";
    return std::nullopt;
  };
  auto filled = fill_template("{day}/{month|month} {who|lower}{missing}", group, tables);
  REQUIRE(filled.ok());
  CHECK(*filled == "7/3 deepseek");
}

TEST_CASE("template: an unterminated brace is an error that quotes the template") {
  auto filled = fill_template("{year}-{month", [](std::string_view) { return std::nullopt; }, {});
  REQUIRE_FALSE(filled.ok());
  CHECK(filled.status().message() == "unterminated { in template \"{year}-{month\"");
}

}  // namespace annals::rules
