// pipeline — runs ingest and extract over many sources in parallel and
// gathers the results in a deterministic order (sorted by file).
//
//   auto scan = scan_sources(rules, {"sources/"}, {.threads = 0});
//   Timeline t = merge::merge(scan.mentions);
//
// Each source is read, cleaned and scanned by one worker, needing nothing
// from the other sources; results land in per-file slots, so the output does
// not depend on thread timing.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/types.h"
#include "extract/extract.h"
#include "merge/merge.h"
#include "rules/rules.h"

namespace annals::pipeline {

struct ScanOptions {
  std::optional<date::sys_days> reference_date;  // --reference-date
  unsigned threads = 0;                          // 0: one per hardware thread
  std::string doc_type;                          // --doc-type (empty: each source's own, else auto)
  // Name each source as ingest::shareable_names does (in its SourceInfo and
  // in its diagnostics), for outputs that are shared; otherwise as given.
  bool shareable_names = false;
};

struct ScannedSource {
  Document doc;
  extract::Result result;
  merge::Signature signature;   // for near-duplicate detection
};

struct Scan {
  std::vector<ScannedSource> sources;   // the sources that could be read, by file
  std::vector<EventMention> mentions;   // every event mention, by file then offset
  std::vector<Diagnostic> diagnostics;  // input problems (Error: source skipped)
};

Scan scan_sources(const rules::RuleSet& rules, const std::vector<std::string>& inputs, const ScanOptions& options);

// Scans documents already in memory (e.g. read from JSON Lines), in parallel.
// Results keep the input order.
std::vector<ScannedSource> scan_documents(const rules::RuleSet& rules, std::vector<Document> docs, unsigned threads);

// The merge stage's view of a scan.
std::vector<merge::SourceRecord> source_records(const std::vector<ScannedSource>& sources);

// Runs f(i) for i in [0, n) on `threads` workers (0: hardware concurrency).
// An exception thrown by f (a bug, or std::bad_alloc) stops the other
// workers after their current item and is rethrown here, in the caller's
// thread, instead of ending the process with std::terminate.
void parallel_for(std::size_t n, unsigned threads, const std::function<void(std::size_t)>& f);

}  // namespace annals::pipeline
