// interchange — event mentions as JSON Lines, so that extraction (a mapper,
// one source at a time) and merging (a reducer) can run apart:
//
//   annals extract SOURCES... > part1.jsonl       (or --stdin, under Hadoop Streaming / Spark pipe)
//   annals merge part1.jsonl part2.jsonl --out out/
//
// One JSON object per line, each with a "record" field:
//   {"record":"source", "source":{file,title,outlet,url,published,published_from}, "signature":[256 ints], "rules":DIR}
//   {"record":"mention", ...every field of an EventMention, as in timeline.json's mentions...}
//   {"record":"diagnostic", "severity":"error|warning|note", "file", "line", "column", "rule", "message"}
// A source's mentions follow its source record. Record order does not
// matter to merge: it sorts everything, which is what makes merging shards in
// any grouping give the same timeline as one `annals build`.
//
// The mention and source objects are the same ones timeline.json holds (one
// definition, used by render/json too).
#pragma once

#include <istream>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/status.h"
#include "core/types.h"
#include "merge/merge.h"

namespace annals::interchange {

nlohmann::json source_to_json(const SourceInfo& s);
nlohmann::json mention_to_json(const EventMention& m);
nlohmann::json diagnostic_to_json(const Diagnostic& d);

// Each returns nullopt and sets *error when a required field is missing or mistyped.
// The string at `key` of an object, or "" when it is absent or not a string.
std::string string_field(const nlohmann::json& j, const char* key);

[[nodiscard]] Result<SourceInfo> source_from_json(const nlohmann::json& j);
[[nodiscard]] Result<EventMention> mention_from_json(const nlohmann::json& j);
[[nodiscard]] Result<Diagnostic> diagnostic_from_json(const nlohmann::json& j);

// Writes the records of one source: its source record, then its mentions.
void write_source(std::ostream& out, const merge::SourceRecord& source, const std::vector<EventMention>& mentions,
                  const std::string& rules_dir);
void write_diagnostic(std::ostream& out, const Diagnostic& d);

// Everything merge needs, gathered from any number of record files.
struct MergeInput {
  std::vector<EventMention> mentions;
  std::vector<merge::SourceRecord> sources;
  std::vector<Diagnostic> diagnostics;   // carried over from the extract runs
  std::string rules_dir;                 // from the source records
};

// Reads records from `in` (named `name` in problems) into `into`. A malformed
// line is reported in `problems` with its line number and skipped.
void read_records(std::istream& in, const std::string& name, MergeInput& into, std::vector<Diagnostic>& problems);

}  // namespace annals::interchange
