// render/lazy_context: items answer names only when the template asks, and
// a template sees them as it would see a data tree (sections, inverted
// sections, lists, ".", dotted names, partials, names of outer frames).
#include <doctest/doctest.h>

#include <map>
#include <sstream>
#include <string>

#include <kainjow/mustache.hpp>

#include "render/lazy_context.h"

using namespace annals::render;

namespace {

// Rows 0..n-1, each with a "name" ("row 3"), an "even" flag, a "note" only
// on row 1, and "cells": a list of rows 10 * row + 0..1.
enum Name : std::uint16_t { kName, kEven, kNote, kCells };
constexpr std::string_view kNames[] = {"name", "even", "note", "cells"};

struct Rows final : ItemSource {
  std::span<const std::string_view> names() const override { return kNames; }
  void answer(const LazyItem& item, std::uint16_t name, Reply& reply) const override {
    ++asked[{item.n, name}];
    switch (name) {
      case kName: return reply.text("row " + std::to_string(item.n));
      case kEven: return reply.flag(item.n % 2 == 0);
      case kNote:
        if (item.n == 1) reply.text("<noted>");
        return;
      case kCells: return reply.list({0, 0, 0, 10 * item.n, 2, {}});
      default: return;
    }
  }
  const MustacheData* fallback(const std::string& name) const override { return name == "extra" ? &extra : nullptr; }
  mutable std::map<std::pair<std::size_t, std::uint16_t>, int> asked;
  MustacheData extra{std::string{"fallback"}};
};

std::string render(const Rows& rows, const std::string& text, std::size_t count = 3) {
  MustacheData root;
  root["title"] = MustacheData{std::string{"Rows"}};
  root["note"] = MustacheData{std::string{"outer note"}};
  MustacheData object;
  object["inner"] = MustacheData{std::string{"deep"}};
  root["object"] = std::move(object);
  LazyContext context(rows, std::move(root), {{"rows", LazyList{0, 0, 0, 0, count, {}}}});
  kainjow::mustache::mustache tmpl(text);
  REQUIRE(tmpl.is_valid());
  std::ostringstream out;
  tmpl.render(context, out);
  INFO(tmpl.error_message());
  REQUIRE(tmpl.is_valid());
  return out.str();
}

// The same, with rows of its own.
std::string render(const std::string& text, std::size_t count = 3) {
  Rows rows;
  return render(rows, text, count);
}

}  // namespace

TEST_CASE("a list of items renders each item's answers, and names fall back to outer frames") {
  CHECK(render("{{title}}:{{#rows}} {{name}}={{note}}{{/rows}}") == "Rows: row 0=outer note row 1=&lt;noted&gt; row 2=outer note");
}

TEST_CASE("an item is asked only the names the template uses, each once per item") {
  Rows rows;
  render(rows, "{{#rows}}{{#even}}{{name}}{{name}}{{/even}}{{/rows}}");
  CHECK(rows.asked.at({0, kName}) == 1);
  CHECK(rows.asked.at({2, kName}) == 1);
  CHECK_FALSE(rows.asked.contains({1, kName}));
  CHECK_FALSE(rows.asked.contains({0, kNote}));
  CHECK_FALSE(rows.asked.contains({0, kCells}));
}

TEST_CASE("flags and absent names drive sections and inverted sections") {
  CHECK(render("{{#rows}}[{{#even}}e{{/even}}{{^even}}o{{/even}}{{^missing}}m{{/missing}}]{{/rows}}") == "[em][om][em]");
}

TEST_CASE("lists inside items are items too, and see their owners' names") {
  CHECK(render("{{#rows}}{{#cells}}<{{name}}>{{/cells}}{{/rows}}", 2) == "<row 0><row 1><row 10><row 11>");
}

TEST_CASE("a text value is the section's own frame and stays valid inside it") {
  CHECK(render("{{#rows}}{{#name}}({{.}}/{{name}}/{{even}}){{/name}}{{/rows}}", 2) == "(row 0/row 0/)(row 1/row 1/)");
}

TEST_CASE("an item as '.' prints nothing and is true, as an object of a data tree is") {
  CHECK(render("{{#rows}}[{{.}}{{#.}}{{name}}{{/.}}{{^.}}never{{/.}}]{{/rows}}", 2) == "[row 0][row 1]");
}

TEST_CASE("dotted names, partials and the fallback resolve as on a data tree") {
  CHECK(render("{{object.inner}} {{#rows}}{{name.x}}{{/rows}}{{extra}}{{object.extra}}", 1) == "deep fallback");
  CHECK(render("{{#rows}}{{>name}};{{/rows}}", 2) == "row 0;row 1;");
}

TEST_CASE("an empty list renders nothing and counts as false") {
  CHECK(render("{{#rows}}x{{/rows}}{{^rows}}none{{/rows}}", 0) == "none");
}
