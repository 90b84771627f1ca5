// pipeline/cache — remembers what was extracted from each source, so that a
// rebuild reads and extracts only the sources that changed.
//
//   auto cache = ExtractionCache::open("out/.annals-cache", rules.fingerprint);
//   stream_sources(rules, list, {.cache = &cache}, sink);   // looks up and records
//   Status saved = cache.save();
//
// One file, DIR/extractions, holds a record per source: its path, size and
// modification time, the options that shape it (--reference-date, its
// sources.toml entry), a hash of its cleaned text and metadata, and what
// build needs of it (metadata, signature, event mentions, input problems).
// A source is taken from the cache, without being read, when its path, size,
// modification time and options are those of a record (and the time is not
// so recent that a change in the same clock tick could hide: then it is
// read); else it is read and cleaned, and its extraction reused when a record
// has the same text and metadata (a touched or copied file). Everything
// else is extracted and recorded.
//
// What invalidates what: the file's header names the rule-pack fingerprint
// (rules/fingerprint.h) and the annals binary (its size and modification
// time, so that a rebuilt annals never reuses what an older one extracted);
// a change of either makes every record stale, and the file is rewritten.
// A changed source or sources.toml entry misses on its own record only.
// Templates and output options are not part of it: they only change
// rendering. Outputs built from the cache are byte-identical to a clean
// build (tests/e2e/cache_test.cpp).
//
// The file only grows by appending records (one write at save), each with
// a length and checksum, so a torn or concurrent write costs its own
// records, never the others; when more than half of it is stale it is
// rewritten through a temporary file and a rename. Lookups are thread-safe;
// record() and save() are called from one thread.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/status.h"
#include "pipeline/pipeline.h"

namespace annals::pipeline {

// A hash of a document's cleaned text and metadata (all but the file name):
// what its extraction depends on besides the rule pack.
struct TextKey {
  std::uint64_t a = 0, b = 0;
  friend bool operator==(const TextKey&, const TextKey&) = default;
};
TextKey text_key(const Document& doc);

// A hash of what shapes a file's document besides its bytes: the
// --reference-date option and the file's sources.toml entry.
std::uint64_t options_key(const std::optional<date::sys_days>& reference_date, std::string_view doc_type,
                          const SourceInfo* manifest_entry);

// What a cached source gives back.
struct CachedSource {
  std::optional<Extracted> extracted;    // nullopt: the source was skipped
  std::vector<Diagnostic> diagnostics;
};

class ExtractionCache {
 public:
  // Opens the cache in `dir` (created at save when missing) for results of
  // the pack with `fingerprint`. An unreadable or stale file is not an
  // error: the cache starts empty and is rewritten at save.
  static ExtractionCache open(std::filesystem::path dir, std::string fingerprint);

  // Whether the cache file in `dir` was written by this annals binary for
  // the pack with `fingerprint`: that pack then loaded without errors before
  // (rules::LoadOptions::vouched). Reads the file's header only.
  static bool vouches_for(const std::filesystem::path& dir, std::string_view fingerprint);

  struct Hit {
    std::size_t record;                  // for keep()
    CachedSource source;
  };
  // The record of file `shown` when its stamp and options match (see above).
  std::optional<Hit> find_file(const std::string& shown, const FileStamp& stamp, std::uint64_t options) const;
  // A record of a document with this text key (its extraction, for `shown`).
  std::optional<Hit> find_text(const TextKey& key, const std::string& shown) const;

  // The serialized record of a source just extracted (built in a worker).
  static std::string make_record(const std::string& shown, const FileStamp& stamp, std::uint64_t options,
                                 const std::optional<TextKey>& key, const CachedSource& source);
  // This run used record `record` as it is (keep it when rewriting).
  void keep(std::size_t record);
  // This run made `record` (from make_record).
  void add(std::string record);

  // Appends what this run added, or rewrites the file with this run's
  // records when it was stale or mostly unused.
  [[nodiscard]] Status save();

  std::size_t size() const { return records_.size(); }

 private:
  struct Record {
    std::size_t offset = 0, size = 0;    // of the whole record in bytes_
    std::string path;
    FileStamp stamp;
    std::uint64_t options = 0;
    std::optional<TextKey> key;
    std::int64_t recorded_ns = 0;
    std::size_t payload = 0;             // offset of the payload in bytes_
  };
  std::optional<Hit> decode(std::size_t record, const std::string& shown) const;

  std::filesystem::path dir_;
  std::string header_;                   // what a current file starts with
  std::string bytes_;                    // the file as read (its current records)
  bool stale_ = true;                    // rewrite at save
  std::vector<Record> records_;
  std::unordered_map<std::string, std::size_t> by_path_;    // latest record of each path
  struct KeyHash {
    std::size_t operator()(const TextKey& k) const { return std::size_t(k.a ^ (k.b << 1)); }
  };
  std::unordered_map<TextKey, std::size_t, KeyHash> by_text_;
  std::vector<std::size_t> kept_;        // records of bytes_ this run used
  std::vector<std::string> added_;       // records this run made
};

}  // namespace annals::pipeline
