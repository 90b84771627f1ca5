// cli/extract_map — the map step of `annals extract`, shared by its one-shot
// form (extract_command.cpp: SOURCES or --stdin, to stdout or --buckets) and
// its long-lived one (extract_serve.h: a task per request line). Sources or
// JSON Lines documents in; out, for each source, its source record with its
// event mentions (interchange/records.h), into one part stream or the
// bucket files of a keyed run (interchange/shards.h), and the diagnostics
// as records after them.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <iostream>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "core/status.h"
#include "core/types.h"
#include "ingest/ingest.h"
#include "interchange/records.h"
#include "interchange/shards.h"
#include "pipeline/pipeline.h"
#include "rules/rules.h"

namespace annals::cli {

// "K/N" with 0 <= K < N (--partition, and "partition" of a --serve task):
// the K-th of N disjoint shares, chosen by a hash of each source's name.
[[nodiscard]] Result<pipeline::Partition> parse_partition(const std::string& text, std::uint64_t seed);

// Where a task's records go: one part (stdout, or a part file of --serve),
// or the files of a bucketed run. One interface, so every input mode writes
// either.
struct Sink {
  std::optional<interchange::BucketWriter> buckets;
  std::ostream* part = &std::cout;
  interchange::PartOrigin origin;
  void source(const merge::SourceRecord& s, std::vector<EventMention> events) {
    if (buckets) buckets->add(s, std::move(events));
    else interchange::write_source(*part, s, events, origin);
  }
  void diagnostic(const Diagnostic& d) {
    if (buckets) buckets->add(d);
    else interchange::write_diagnostic(*part, d);
  }
};

// The next line of a stream of JSON Lines documents, false at its end.
using LineReader = std::function<bool(std::string&)>;

// Reads {"id","text","published"?,"title"?,"url"?,"outlet"?,"doc_type"?} documents, a
// batch at a time, so that a mapper streams with bounded memory. `where`
// names the stream in diagnostics ("<stdin>:LINE"). Adds the source records
// written to `written`; returns true when an input problem was found (and
// reported on stderr).
bool extract_documents(const rules::RuleSet& rules, const ingest::Options& options, unsigned threads, const LineReader& next,
                       const std::string& where, Sink& sink, std::size_t& written);

// Lists SOURCES, keeps the share `share` of them, and extracts each in turn:
// memory holds the sources in flight, never the corpus. `written` and the
// result as for extract_documents.
bool extract_sources(const rules::RuleSet& rules, const std::vector<std::string>& sources, const pipeline::Partition& share,
                     const pipeline::ScanOptions& options, bool quiet, Sink& sink, std::size_t& written);

}  // namespace annals::cli
