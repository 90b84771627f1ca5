// pipeline — runs ingest and extract over many sources in parallel, hands
// the results on in file order, and holds only the sources in flight.
//
//   auto list = list_sources({"sources/"});                  // files, sizes, manifests
//   stream_sources(rules, list, {.threads = 0}, [&](SourceOutcome&& s) {
//     ...                                                    // once per file, in file order
//   });
//
// Each source is read, cleaned, scanned and signed by one worker, needing
// nothing from the other sources. The sink sees the sources in file order,
// one call at a time, whatever the thread timing, so outputs do not depend
// on -j; at most a few sources per worker wait for their turn, so memory
// grows with the number of workers, not with the corpus. A source is read
// whole: a file larger than ingest::kMaxSourceBytes is refused (reported,
// skipped, without being read).
//
// With an extraction cache (pipeline/cache.h), a source whose file is
// unchanged since it was cached, or whose cleaned text and metadata were
// extracted before, with the same rule pack, is taken from the cache.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <exception>
#include <filesystem>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "core/types.h"
#include "extract/extract.h"
#include "ingest/ingest.h"
#include "merge/merge.h"
#include "rules/rules.h"

namespace annals::pipeline {

class ExtractionCache;

struct ScanOptions {
  std::optional<date::sys_days> reference_date;  // --reference-date
  unsigned threads = 0;                          // 0: one per hardware thread
  std::string doc_type;                          // --doc-type (empty: each source's own, else auto)
  // Name each source as ingest::shareable_names does (in its SourceInfo and
  // in its diagnostics), for outputs that are shared; otherwise as given.
  bool shareable_names = false;
  ExtractionCache* cache = nullptr;              // when set: reuse and record extractions
};

// What stat says of a file, as git's index keeps it: its size and
// modification time, and its inode and change time, which no tool sets
// back, so content rewritten in place at the same size with its mtime
// restored (cp -p, rsync -t, touch -d) still differs.
struct FileStamp {
  std::uintmax_t size = 0;
  std::int64_t mtime_ns = 0;
  std::uint64_t inode = 0;
  std::int64_t ctime_ns = 0;
};

// The sources a run will read, with what is known before reading them.
struct SourceList {
  std::vector<std::filesystem::path> files;        // in path order
  std::vector<std::optional<FileStamp>> stamps;    // per file; nullopt when it could not be looked at
  std::vector<std::string> names;                  // per file: its ingest::shareable_names name
  std::uintmax_t total_bytes = 0;                  // of all files
  ingest::Manifests manifests;
  std::vector<Diagnostic> diagnostics;             // listing and manifest problems
};

SourceList list_sources(const std::vector<std::string>& inputs);

// One of `count` disjoint shares of a source list, chosen by a stable hash
// of each source's shareable name (and `seed`), so that `count` map tasks
// given the same SOURCES each read the same folders and together read every
// source exactly once, named as one run would name it (extract --partition).
struct Partition {
  std::uint64_t index = 0, count = 1, seed = 0;
};

// Keeps the sources of `part` in `list` (files, stamps, names, total_bytes);
// the listing's own diagnostics stay with share 0 only, so that they are
// reported once over all the shares.
void keep_partition(SourceList& list, const Partition& part);

// What build and extract keep of one source: no text, no dates.
struct Extracted {
  merge::SourceRecord source;          // metadata and near-duplicate signature
  std::vector<EventMention> events;    // in text order
};

// Where a source's extraction came from.
enum class Origin {
  Extracted,     // read and extracted
  CachedText,    // read; its text and metadata were extracted before (pipeline/cache.h)
  CachedFile,    // not even read: the file is unchanged since it was cached
};

struct SourceOutcome {
  std::size_t index = 0;                   // into SourceList::files
  std::optional<Extracted> extracted;      // nullopt: skipped (the reason is in diagnostics)
  std::vector<Diagnostic> diagnostics;     // this source's input problems
  Origin origin = Origin::Extracted;
  std::uintmax_t bytes = 0;                // the file's size, for progress
};

// Reads and extracts every file of `list`, calling `sink` once per file in
// file order (from the calling thread).
void stream_sources(const rules::RuleSet& rules, const SourceList& list, const ScanOptions& options,
                    const std::function<void(SourceOutcome&&)>& sink);

// A source read and scanned, with everything found in it (for explain,
// which shows all of it, and for extract --stdin).
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

// Keeps every document whole: for a few sources (explain), not a corpus.
Scan scan_sources(const rules::RuleSet& rules, const std::vector<std::string>& inputs, const ScanOptions& options);

// Scans documents already in memory (e.g. read from JSON Lines), in parallel.
// Results keep the input order.
std::vector<ScannedSource> scan_documents(const rules::RuleSet& rules, std::vector<Document> docs, unsigned threads);

// The merge stage's view of a scan.
std::vector<merge::SourceRecord> source_records(const std::vector<ScannedSource>& sources);

// The number of workers `threads` means for `n` items (0: hardware concurrency).
unsigned worker_count(unsigned threads, std::size_t n);

// Runs f(i) for i in [0, n) on `threads` workers (0: hardware concurrency).
// An exception thrown by f (a bug, or std::bad_alloc) stops the other
// workers after their current item and is rethrown here, in the caller's
// thread, instead of ending the process with std::terminate.
void parallel_for(std::size_t n, unsigned threads, const std::function<void(std::size_t)>& f);

// Runs produce(i) for i in [0, n) on `threads` workers (the calling thread
// is one of them) and consume(result) for each, in index order and one at a
// time: the worker that stores the result next in line, while nobody is
// consuming, consumes it and every ready one after it. No thread waits to
// consume, so `threads` workers keep `threads` cores busy; a consumer thread
// of its own, woken for each result, cost 2.4 futex calls per source and a
// third thread on two cores (extract -j2 of 8x te3-silver: 0.9 s of system
// time). At most 4 results per worker are produced ahead of the one
// consumed, so memory holds the items in flight, not all n. Exceptions from
// either side are rethrown here once the workers have stopped.
template <typename T, typename Produce, typename Consume>
void ordered_for(std::size_t n, unsigned threads, Produce&& produce, Consume&& consume) {
  threads = worker_count(threads, n);
  if (threads <= 1) {
    for (std::size_t i = 0; i < n; ++i) consume(produce(i));
    return;
  }
  const std::size_t window = 4 * std::size_t(threads);
  std::vector<std::optional<T>> ring(window);
  std::mutex mutex;
  std::condition_variable room;  // signalled when a slot frees and a worker waits for one
  std::size_t next = 0, consumed = 0, waiting = 0;
  bool consuming = false, stop = false;
  std::exception_ptr failure;
  auto fail = [&](std::unique_lock<std::mutex>& lock) {  // from a catch block, with `lock` not held
    lock.lock();
    if (!failure) failure = std::current_exception();
    stop = true;
    room.notify_all();
  };
  auto work = [&] {
    std::unique_lock lock(mutex);
    for (;;) {
      ++waiting;
      room.wait(lock, [&] { return stop || next >= n || next < consumed + window; });
      --waiting;
      if (stop || next >= n) return;
      std::size_t i = next++;
      lock.unlock();
      std::optional<T> result;
      try {
        result.emplace(produce(i));
      } catch (...) {
        fail(lock);
        return;
      }
      lock.lock();
      ring[i % window] = std::move(result);
      while (!consuming && !stop && consumed < n && ring[consumed % window].has_value()) {
        consuming = true;
        std::optional<T> item = std::move(ring[consumed % window]);
        ring[consumed % window].reset();
        lock.unlock();
        try {
          consume(std::move(*item));
        } catch (...) {
          fail(lock);
          consuming = false;
          return;
        }
        lock.lock();
        consuming = false;
        ++consumed;
        if (waiting > 0) room.notify_all();
      }
    }
  };
  std::vector<std::thread> pool;
  for (unsigned t = 1; t < threads; ++t) pool.emplace_back(work);
  work();
  for (auto& th : pool) th.join();
  if (failure) std::rethrow_exception(failure);
}

}  // namespace annals::pipeline
