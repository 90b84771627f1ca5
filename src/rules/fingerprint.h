// rules/fingerprint — one value naming everything, besides a source's own
// bytes, that decides what annals extracts from it: the rule pack and the
// version of annals.
//
//   rules.fingerprint == "annals-0.1.0+pack-3f2a...(32 hex digits)"   // set by load_rules
//
// It is a hash of every file of the pack (each file's path inside the pack
// and its bytes, in path order: rules, fragments, tables, stopwords and
// abbreviations alike; a file renamed, added or removed changes it), plus
// the annals version. Where the pack lives does not enter it, so the same
// pack on two machines has the same fingerprint. A load that overrides the
// pack's fallback rules (LoadOptions::fallback: --no-fallback) appends
// "+no-fallback" or "+fallback", since it extracts other mentions.
//
// Who relies on it: the extraction cache (pipeline/cache.h) keys every
// cached source on it, so a changed pack re-extracts every source. Two runs
// with equal fingerprints extract the same
// mentions from the same text (the templates and output options are not
// part of it: they only change rendering).
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace annals::rules {

// The version of annals that enters every fingerprint (CMake's project version).
std::string_view annals_version();

// The fingerprint of a pack made of `files` (path, bytes), read in this
// order; paths that start with `dir` count from it ("rules/dates/x.toml" in
// pack "rules" is "dates/x.toml").
std::string pack_fingerprint(const std::vector<std::pair<std::string, std::string>>& files, std::string_view dir);

}  // namespace annals::rules
