// rules/doc_types_toml — reads [doc_types] tables for the rule loader
// (rules/rules.cpp); the format is in rules/doc_types.h and rules/README.md.
// Internal to annals_rules.
#pragma once

#include <functional>
#include <string>

#include <toml++/toml.h>

#include "rules/doc_types.h"

namespace annals::rules {

class DocTypesReader {
 public:
  // Reports a problem at `node` of `file`, `offset` bytes into its string
  // value (npos: the node itself).
  using Report = std::function<void(Severity, const std::string& file, const toml::node& node, std::size_t offset, std::string msg)>;
  explicit DocTypesReader(Report report) : report_(std::move(report)) {}

  // One file's [doc_types] table.
  void read(const toml::table& table, const std::string& file);
  // After every file: the types, or the built-in ones when no file had any;
  // names that name no type are reported (at the key that holds them).
  DocTypes finish();

 private:
  struct NameRef {
    std::string key, file;
    const toml::node* node;
  };
  Report report_;
  DocTypes types_;
  bool any_ = false;
  std::vector<NameRef> names_;
  std::vector<std::string> type_files_;  // where types_.types[i] was defined
};

}  // namespace annals::rules
