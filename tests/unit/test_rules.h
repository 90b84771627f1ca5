// Helpers for unit tests: a small rule pack built in memory, so each test
// states the rules it relies on instead of depending on rules/.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include <doctest/doctest.h>

#include "rules/rules.h"

namespace annals::testing {

// Loads `toml` (one file) and fails the test when the pack has errors.
inline std::unique_ptr<rules::RuleSet> load_pack(const std::string& toml) {
  auto r = rules::load_rules_from({{"test.toml", toml}}, "test");
  for (auto& d : r.diagnostics) MESSAGE(format_diagnostic(d));
  REQUIRE(r.ok());
  return std::move(r.rules);
}

// The project's own rule pack.
inline std::unique_ptr<rules::RuleSet> load_project_pack() {
  auto r = rules::load_rules(std::string(ANNALS_SOURCE_DIR) + "/rules");
  for (auto& d : r.diagnostics) MESSAGE(format_diagnostic(d));
  REQUIRE(r.ok());
  return std::move(r.rules);
}

}  // namespace annals::testing
