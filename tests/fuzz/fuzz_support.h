// What several fuzz targets share: the shipped rule pack and page template,
// read once per process from the source tree the targets were built from.
#pragma once

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>

#include "rules/rules.h"

namespace annals::fuzz {

inline const rules::RuleSet& shipped_rules() {
  static const auto loaded = rules::load_rules(ANNALS_SOURCE_DIR "/rules");
  if (!loaded.ok()) {
    std::fprintf(stderr, "fuzz: the shipped rule pack in " ANNALS_SOURCE_DIR "/rules does not load\n");
    std::abort();
  }
  return *loaded.rules;
}

inline std::string shipped_template() {
  std::ifstream in(ANNALS_SOURCE_DIR "/templates/timeline.html.mustache", std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  if (text.str().empty()) {
    std::fprintf(stderr, "fuzz: cannot read " ANNALS_SOURCE_DIR "/templates/timeline.html.mustache\n");
    std::abort();
  }
  return text.str();
}

}  // namespace annals::fuzz
