#include "pipeline/pipeline.h"

#include <sys/stat.h>

#include <atomic>
#include <exception>
#include <functional>
#include <mutex>
#include <thread>

#include <fmt/format.h>

#include "core/hash.h"
#include "pipeline/cache.h"

namespace annals::pipeline {
namespace {

std::optional<FileStamp> stamp_of(const std::filesystem::path& file) {
  struct stat st {};
  if (::stat(file.c_str(), &st) != 0) return std::nullopt;
  return FileStamp{std::uintmax_t(st.st_size), std::int64_t(st.st_mtim.tv_sec) * 1'000'000'000 + st.st_mtim.tv_nsec,
                   std::uint64_t(st.st_ino), std::int64_t(st.st_ctim.tv_sec) * 1'000'000'000 + st.st_ctim.tv_nsec};
}

// The signature and events of `doc`, read and cleaned already.
Extracted extract_document(const rules::RuleSet& rules, const merge::Signer& signer, const Document& doc) {
  Extracted e;
  auto result = extract::extract(rules, doc);
  e.events = std::move(result.events);
  // The source as its dates were read: with the document type chosen for it.
  e.source = {std::move(result.source), signer(doc.text)};
  return e;
}

}  // namespace

unsigned worker_count(unsigned threads, std::size_t n) {
  if (threads == 0) threads = std::max(1u, std::thread::hardware_concurrency());
  return unsigned(std::min<std::size_t>(threads, n));
}

void parallel_for(std::size_t n, unsigned threads, const std::function<void(std::size_t)>& f) {
  threads = worker_count(threads, n);
  if (threads <= 1) {
    for (std::size_t i = 0; i < n; ++i) f(i);
    return;
  }
  std::atomic<std::size_t> next{0};
  std::mutex failure_mutex;
  std::exception_ptr failure;
  std::vector<std::thread> pool;
  for (unsigned t = 0; t < threads; ++t)
    pool.emplace_back([&] {
      try {
        for (std::size_t i; (i = next.fetch_add(1)) < n;) f(i);
      } catch (...) {
        next = n;  // the others stop after their current item
        std::lock_guard lock(failure_mutex);
        if (!failure) failure = std::current_exception();
      }
    });
  for (auto& th : pool) th.join();
  if (failure) std::rethrow_exception(failure);
}

SourceList list_sources(const std::vector<std::string>& inputs) {
  SourceList list;
  list.files = ingest::collect_sources(inputs, list.diagnostics);
  list.manifests = ingest::load_manifests(list.files, list.diagnostics);
  list.names = ingest::shareable_names(list.files, inputs);
  list.stamps.reserve(list.files.size());
  for (auto& f : list.files) {
    list.stamps.push_back(stamp_of(f));
    if (list.stamps.back()) list.total_bytes += list.stamps.back()->size;
  }
  return list;
}

void keep_partition(SourceList& list, const Partition& part) {
  if (part.count <= 1) return;
  std::size_t kept = 0;
  list.total_bytes = 0;
  for (std::size_t i = 0; i < list.files.size(); ++i) {
    if (mix64(fnv1a(list.names[i]) ^ mix64(part.seed)) % part.count != part.index) continue;
    if (list.stamps[i]) list.total_bytes += list.stamps[i]->size;
    if (kept != i) {  // a self-move may leave a string empty
      list.files[kept] = std::move(list.files[i]);
      list.stamps[kept] = std::move(list.stamps[i]);
      list.names[kept] = std::move(list.names[i]);
    }
    ++kept;
  }
  list.files.resize(kept);
  list.stamps.resize(kept);
  list.names.resize(kept);
  if (part.index != 0) list.diagnostics.clear();
}

void stream_sources(const rules::RuleSet& rules, const SourceList& list, const ScanOptions& options,
                    const std::function<void(SourceOutcome&&)>& sink) {
  ingest::Options ingest_options{options.reference_date, options.doc_type};
  merge::Signer signer(rules.stopwords);
  ExtractionCache* cache = options.cache;
  // What a worker hands on: the outcome, and what the cache is to remember of it.
  struct Produced {
    SourceOutcome outcome;
    std::optional<std::size_t> kept;   // a cache record used as it is
    std::string record;                // a new cache record
  };
  auto produce = [&](std::size_t i) {
    Produced p;
    SourceOutcome& out = p.outcome;
    out.index = i;
    const auto& file = list.files[i];
    const auto& stamp = list.stamps[i];
    std::string shown = file.string();
    if (stamp) out.bytes = stamp->size;
    std::uint64_t options_key = 0;
    if (cache && stamp) {
      options_key = pipeline::options_key(options.reference_date, options.doc_type, ingest::manifest_entry(list.manifests, file));
      if (auto hit = cache->find_file(shown, *stamp, options_key)) {
        out.extracted = std::move(hit->source.extracted);
        out.diagnostics = std::move(hit->source.diagnostics);
        out.origin = Origin::CachedFile;
        p.kept = hit->record;
        return p;
      }
    }
    auto doc = ingest::read_source(file, list.manifests, rules, ingest_options, out.diagnostics);
    std::optional<TextKey> key;
    if (doc) {
      if (cache) key = text_key(*doc);
      if (key) {
        if (auto hit = cache->find_text(*key, shown); hit && hit->source.extracted) {
          out.extracted = std::move(hit->source.extracted);
          out.origin = Origin::CachedText;
        }
      }
      if (!out.extracted) out.extracted = extract_document(rules, signer, *doc);
    }
    if (cache && stamp) p.record = ExtractionCache::make_record(shown, *stamp, options_key, key, {out.extracted, out.diagnostics});
    return p;
  };
  // The cache knows a source by its path as given (names depend on the
  // other inputs of a run); the outputs by its shareable name.
  auto rename = [&](Produced& p) {
    if (!options.shareable_names) return;
    const std::string shown = list.files[p.outcome.index].string(), &name = list.names[p.outcome.index];
    for (auto& d : p.outcome.diagnostics)
      if (d.file == shown) d.file = name;
    if (!p.outcome.extracted) return;
    p.outcome.extracted->source.info.file = name;
    // One renamed copy for all the source's mentions, as they shared the first.
    std::optional<SharedSource> renamed;
    for (auto& m : p.outcome.extracted->events) {
      if (!renamed) {
        renamed = m.source;
        renamed->edit().file = name;
      }
      m.source = *renamed;
    }
  };
  ordered_for<Produced>(list.files.size(), options.threads, [&](std::size_t i) {
    Produced p = produce(i);
    rename(p);
    return p;
  }, [&](Produced&& p) {
    if (p.kept) cache->keep(*p.kept);
    if (!p.record.empty()) cache->add(std::move(p.record));
    sink(std::move(p.outcome));
  });
}

Scan scan_sources(const rules::RuleSet& rules, const std::vector<std::string>& inputs, const ScanOptions& options) {
  Scan scan;
  SourceList list = list_sources(inputs);
  scan.diagnostics = std::move(list.diagnostics);
  ingest::Options ingest_options{options.reference_date, options.doc_type};
  struct Read {
    std::optional<Document> doc;
    std::vector<Diagnostic> diags;
  };
  std::vector<Read> read(list.files.size());
  parallel_for(list.files.size(), options.threads, [&](std::size_t i) {
    read[i].doc = ingest::read_source(list.files[i], list.manifests, rules, ingest_options, read[i].diags);
    if (!options.shareable_names) return;
    for (auto& d : read[i].diags)
      if (d.file == list.files[i].string()) d.file = list.names[i];
    if (read[i].doc) read[i].doc->info.file = list.names[i];
  });
  std::vector<Document> docs;
  for (auto& r : read) {
    scan.diagnostics.insert(scan.diagnostics.end(), r.diags.begin(), r.diags.end());
    if (r.doc) docs.push_back(std::move(*r.doc));
  }
  scan.sources = scan_documents(rules, std::move(docs), options.threads);
  for (auto& s : scan.sources) scan.mentions.insert(scan.mentions.end(), s.result.events.begin(), s.result.events.end());
  return scan;
}

std::vector<ScannedSource> scan_documents(const rules::RuleSet& rules, std::vector<Document> docs, unsigned threads) {
  std::vector<ScannedSource> out(docs.size());
  merge::Signer signer(rules.stopwords);
  parallel_for(docs.size(), threads, [&](std::size_t i) {
    out[i].result = extract::extract(rules, docs[i]);
    docs[i].info = out[i].result.source;
    out[i].signature = signer(docs[i].text);
    out[i].doc = std::move(docs[i]);
  });
  return out;
}

std::vector<merge::SourceRecord> source_records(const std::vector<ScannedSource>& sources) {
  std::vector<merge::SourceRecord> out;
  for (auto& s : sources) out.push_back({s.doc.info, s.signature});
  return out;
}

}  // namespace annals::pipeline
