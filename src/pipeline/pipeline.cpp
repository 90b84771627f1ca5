#include "pipeline/pipeline.h"

#include <atomic>
#include <exception>
#include <functional>
#include <mutex>
#include <thread>

#include "ingest/ingest.h"

namespace annals::pipeline {

void parallel_for(std::size_t n, unsigned threads, const std::function<void(std::size_t)>& f) {
  if (threads == 0) threads = std::max(1u, std::thread::hardware_concurrency());
  threads = unsigned(std::min<std::size_t>(threads, n));
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

Scan scan_sources(const rules::RuleSet& rules, const std::vector<std::string>& inputs, const ScanOptions& options) {
  Scan scan;
  auto files = ingest::collect_sources(inputs, scan.diagnostics);
  auto manifests = ingest::load_manifests(files, scan.diagnostics);
  ingest::Options ingest_options{options.reference_date, options.doc_type};
  struct Slot {
    std::optional<ScannedSource> source;
    std::vector<Diagnostic> diags;
  };
  std::vector<Slot> slots(files.size());
  std::vector<std::string> names;
  if (options.shareable_names) names = ingest::shareable_names(files, inputs);
  merge::Signer signer(rules.stopwords);
  parallel_for(files.size(), options.threads, [&](std::size_t i) {
    auto doc = ingest::read_source(files[i], manifests, rules, ingest_options, slots[i].diags);
    if (!names.empty()) {
      for (auto& d : slots[i].diags)
        if (d.file == files[i].string()) d.file = names[i];
      if (doc) doc->info.file = names[i];
    }
    if (!doc) return;
    auto result = extract::extract(rules, *doc);
    doc->info = result.source;  // with the document type its dates were read as
    auto sig = signer(doc->text);
    slots[i].source = ScannedSource{std::move(*doc), std::move(result), std::move(sig)};
  });
  for (auto& s : slots) {
    scan.diagnostics.insert(scan.diagnostics.end(), s.diags.begin(), s.diags.end());
    if (!s.source) continue;
    for (auto& m : s.source->result.events) scan.mentions.push_back(m);
    scan.sources.push_back(std::move(*s.source));
  }
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
