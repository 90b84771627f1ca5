// interchange — event mentions as JSON Lines, so that extraction (a mapper,
// one source at a time) and merging (a reducer) can run apart:
//
//   annals extract SOURCES... > part1.jsonl       (or --stdin, under Hadoop Streaming / Spark pipe)
//   annals merge part1.jsonl part2.jsonl --out out/
//
// One JSON object per line, each with a "record" field:
//   {"record":"source", "source":{file,title,outlet,url,published,published_from}, "signature":BASE64,
//    "rules":DIR, "fingerprint":FP, "mentions":N}
//   {"record":"mention", ...every field of an EventMention, as in timeline.json's mentions, except
//    "source": FILE, the file of its source record, where its metadata is, once...}
//   {"record":"diagnostic", "severity":"error|warning|note", "file", "line", "column", "rule", "message"}
//   {"record":"task", ...}     in the files of a bucketed run only (interchange/shards.h)
//   {"record":"end", "sources":N}                        the last line of a part
// A source record says how many mention records follow it ("mentions"), and
// the end record how many sources the part holds, so that merge can tell a
// part cut short (at a line boundary, or inside a record) from a whole one.
// A source's mentions follow its source record, and name it by file: its
// metadata is in the source record only, once per source (and in memory,
// one SharedSource for all its mentions). Record order does not
// matter to merge: it sorts everything, which is what makes merging shards in
// any grouping give the same timeline as one `annals build`.
//
// The mention and source objects are the same ones timeline.json holds (one
// definition, used by render/json too).
//
// "fingerprint" is the rule pack's (rules/fingerprint.h: the pack's files,
// stopwords included, and the annals version): every source record carries
// it, so that parts stay checkable however they are split, concatenated or
// shuffled, and merge refuses parts made with different packs.
// "signature" is the near-duplicate signature in base64 (signature_to_text;
// "" for a source without one).
#pragma once

#include <istream>
#include <optional>
#include <ostream>
#include <string>
#include <unordered_map>
#include <unordered_set>
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
// A mention's "source" is an object (as in timeline.json) or, in a record,
// the file of its source record, whose metadata `source_of_record` is.
[[nodiscard]] Result<EventMention> mention_from_json(const nlohmann::json& j, const SharedSource* source_of_record = nullptr);
[[nodiscard]] Result<Diagnostic> diagnostic_from_json(const nlohmann::json& j);

// A near-duplicate signature as base64 of its values (big-endian 16-bit
// words; 684 characters for 256 values), and back (nullopt: not the string
// signature_to_text writes for some signature).
std::string signature_to_text(const merge::Signature& signature);
std::optional<merge::Signature> signature_from_text(std::string_view text);

// Writes the records of one source: its source record, then its mentions.
// What every source record of a part says of how it was made.
struct PartOrigin {
  std::string rules_dir;     // the pack's shareable path, for the outputs
  std::string fingerprint;   // rules::RuleSet::fingerprint
};
void write_source(std::ostream& out, const merge::SourceRecord& source, const std::vector<EventMention>& mentions,
                  const PartOrigin& origin);
// Its two record kinds apart: a source record that announces `mentions`
// mention records, and a mention record of the source `source_file`.
nlohmann::json source_record(const merge::SourceRecord& source, std::size_t mentions, const PartOrigin& origin);
nlohmann::json mention_record(const EventMention& m, const std::string& source_file);
// A record as one line, without its line end.
std::string record_line(const nlohmann::json& record);
void write_diagnostic(std::ostream& out, const Diagnostic& d);
// Ends a part of `sources` source records.
void write_end(std::ostream& out, std::size_t sources);

// One document of `annals extract --stdin`: a JSON object
// {"id": string, "text": string, "published"?, "title"?, "url"?, "outlet"?}.
// The optional fields are strings or null (null = absent); `published` is
// YYYY-MM-DD. `meta` holds title, url, outlet and published.
struct InputDocument {
  std::string id, text;
  SourceInfo meta;
  std::string warning;   // set when `published` is not a day: it is ignored
};

// Reads one line; an error says which field is missing or mistyped.
Result<InputDocument> input_document_from_json(std::string_view line);

// A task record of a bucketed run (interchange/shards.h), as read.
struct TaskRecord {
  std::string task;
  std::optional<std::size_t> bucket;           // set in a bucket file
  std::size_t buckets = 0;
  std::size_t mentions = 0;                    // a bucket file's
  std::vector<std::size_t> bucket_mentions;    // a sources file's, per bucket
  std::vector<std::size_t> bucket_bands;       // a sources file's band lines per bucket (interchange/bands.h); empty from older annals
  std::string where;                           // FILE:LINE
};
// The task record `j`, or what is wrong with it.
[[nodiscard]] Result<TaskRecord> task_from_json(const nlohmann::json& j, std::string where);

// Everything merge needs, gathered from any number of record files.
struct MergeInput {
  merge::MentionQueue mentions;
  std::vector<merge::SourceRecord> sources;
  std::vector<Diagnostic> diagnostics;   // carried over from the extract runs
  std::string rules_dir;                 // from the source records
  // Each rule-pack fingerprint met, with the first place ("PART:LINE") that
  // has it, in the order met. More than one: the parts cannot be merged.
  std::vector<std::pair<std::string, std::string>> fingerprints;
  // Each source read so far (its file) -> a hash of its records and where
  // they were read: the same source twice, with the same records, is one
  // source (a retried or speculative map task).
  std::unordered_map<std::string, std::vector<std::pair<std::uint64_t, std::string>>> seen;
  // Hashes of the diagnostic records read, so that a part read twice does not report its problems twice.
  std::unordered_set<std::uint64_t> seen_diagnostics;
  // The task records met (files of a bucketed run, interchange/shards.h).
  std::vector<TaskRecord> tasks;
};

// What is said of source `file` read again after `where` (FILE:LINE):
// with the same records (dropped, counted once), or with other ones (kept).
std::string read_twice_message(const std::string& file, const std::string& where, bool same_records);

// When `input` holds sources made with more than one rule pack: the message
// that names each pack and where it was first met.
std::optional<std::string> mixed_fingerprints(const MergeInput& input);

// Reads records from `in` (named `name` in problems) into `into`. A malformed
// line is reported in `problems` with its line number and skipped. Also
// reported: an empty part; a part cut short (no end record after its last
// source, a last line without its line end, a source with fewer mention
// records than it announces); a source already read from this or another
// part with the same records, which is then dropped (counted once) with a
// note, so that reading a part twice gives what reading it once gives; a
// source of the same name with other records, reported as a warning and kept.
void read_records(std::istream& in, const std::string& name, MergeInput& into, std::vector<Diagnostic>& problems);

}  // namespace annals::interchange
