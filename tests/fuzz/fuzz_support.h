// What several fuzz targets share: the shipped rule pack and page template,
// read once per process from the source tree the targets were built from.
#pragma once

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <string_view>

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

// The shipped template's tags with the text between them cut to one space or
// newline: the same sections, lists and names reach the page's context (the
// code under test), while kainjow, instrumented in the fuzz build, no longer
// parses 65 KB of style and script per input (it held fuzz_jsonl to ~12
// inputs a second).
inline std::string shipped_template_tags() {
  const std::string text = shipped_template();
  std::string tags;
  for (std::size_t at = 0; at < text.size();) {
    std::size_t open = text.find("{{", at);
    std::string_view between(text.data() + at, (open == std::string::npos ? text.size() : open) - at);
    if (!between.empty()) tags += between.find('\n') == std::string_view::npos ? " " : "\n";
    if (open == std::string::npos) break;
    const bool triple = text.compare(open, 3, "{{{") == 0;
    std::size_t close = text.find(triple ? "}}}" : "}}", open + 2);
    if (close == std::string::npos) {
      std::fprintf(stderr, "fuzz: an unclosed tag in the shipped template\n");
      std::abort();
    }
    close += triple ? 3 : 2;
    tags.append(text, open, close - open);
    at = close;
  }
  return tags;
}

}  // namespace annals::fuzz
