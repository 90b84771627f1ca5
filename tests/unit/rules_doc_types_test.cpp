// rules/doc_types: anchor expressions and the [doc_types] table of a pack.
#include <doctest/doctest.h>

#include <algorithm>

#include "rules/doc_types.h"
#include "rules/rules.h"

using namespace annals;

namespace {
const char* kOneRule = R"toml(
[[date]]
id = "year"
pattern = '\b(?P<y>[0-9]{4})\b'
value = "{y}"
)toml";

rules::LoadResult load(const std::string& doc_types) { return rules::load_rules_from({{"d.toml", doc_types + kOneRule}}, "test"); }

std::string messages(const rules::LoadResult& r) {
  std::string all;
  for (auto& d : r.diagnostics) all += format_diagnostic(d) + "\n";
  return all;
}
}  // namespace

TEST_CASE("anchor expressions: alternatives, scopes, precision, granularity and the past filter") {
  auto e = rules::parse_anchor_expression("paragraph.last_absolute.opening:month@year<published | last_named | published");
  REQUIRE(e.ok());
  REQUIRE(e->terms.size() == 3);
  const auto& t = e->terms[0];
  CHECK(t.source == rules::AnchorTerm::Source::LastAbsolute);
  CHECK(t.paragraph);
  CHECK(t.opening);
  CHECK(t.precision == Granularity::Month);
  CHECK(t.at == Granularity::Year);
  CHECK(t.before_published);
  CHECK(e->terms[1].source == rules::AnchorTerm::Source::LastNamed);
  CHECK_FALSE(e->terms[1].at);
  CHECK(e->terms[2].source == rules::AnchorTerm::Source::Published);
}

TEST_CASE("anchor expressions: each mistake is named with its column") {
  auto bad = [](std::string_view text) {
    auto r = rules::parse_anchor_expression(text);
    REQUIRE_FALSE(r.ok());
    return r.status().message();
  };
  CHECK(bad("last_nmed") == "at column 1: unknown anchor \"last_nmed\" (use published, last_named, last_absolute, "
                            "paragraph.last_named or paragraph.last_absolute)");
  CHECK(bad("last_named@yaer").starts_with("at column 12: unknown granularity \"yaer\""));
  CHECK(bad("published@year").starts_with("at column 1: published takes"));
  CHECK(bad("last_named published").starts_with("at column 12: unexpected \"p\""));
  CHECK(bad("last_named |").starts_with("at column 13: expected published"));
}

TEST_CASE("doc types: a pack without [doc_types] has news only, both bases on the publication date") {
  auto r = load("");
  REQUIRE(r.ok());
  CHECK(r.rules->doc_types.names() == "news");
  CHECK(r.rules->doc_types.default_type == "news");
  CHECK(r.rules->doc_types.automatic.past.empty());
}

TEST_CASE("doc types: the pack's types and auto settings are read") {
  auto r = load(R"toml(
[doc_types]
default = "news"
undated = "story"
past = "story"
past_years = 5
past_share = 0.75
past_min = 4
past_precision = "day"
[doc_types.news]
ref = "published"
anchor = "published"
[doc_types.story]
comment = "a history"
ref = "last_named | published"
anchor = "last_absolute@year | published"
)toml");
  INFO(messages(r));
  REQUIRE(r.ok());
  const auto& d = r.rules->doc_types;
  CHECK(d.names() == "news, story");
  REQUIRE(d.find("story"));
  CHECK(d.find("story")->anchor.terms.size() == 2);
  CHECK(d.automatic.undated == "story");
  CHECK(d.automatic.past_years == 5);
  CHECK(d.automatic.past_share == 0.75);
  CHECK(d.automatic.past_min == 4);
  CHECK(d.automatic.past_precision == Granularity::Day);
}

TEST_CASE("doc types: a bad anchor expression, a missing base, an unknown name or key is an error at its place") {
  auto r = load(R"toml(
[doc_types]
default = "newz"
colour = 3
[doc_types.news]
ref = "published"
anchor = "last_named@yaer"
[doc_types.story]
anchor = "published"
)toml");
  CHECK_FALSE(r.ok());
  auto has = [&](std::string_view text, int line, int column) {
    INFO(messages(r));
    auto it = std::find_if(r.diagnostics.begin(), r.diagnostics.end(),
                           [&](const Diagnostic& d) { return d.message.find(text) != std::string::npos; });
    REQUIRE(it != r.diagnostics.end());
    CHECK(it->line == line);
    CHECK(it->column == column);
  };
  has("default = \"newz\" names no document type (defined: news)", 3, 11);
  has("unknown key \"colour\" in [doc_types]", 4, 10);
  has("[doc_types.news] anchor: unknown granularity \"yaer\"", 7, 22);  // the "y" of "yaer"
  has("[doc_types.story] needs \"ref\"", 8, 1);
}
