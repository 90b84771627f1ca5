// `annals extract SOURCES... | --stdin`: the map step. Writes every event
// mention of every source, with its provenance, as JSON Lines on stdout
// (interchange/records.h), one source at a time, needing nothing from the
// other sources. `annals merge` is the reduce step. The map step itself is
// cli/extract_map.h; `annals extract --serve`, the same step as a long-lived
// process taking task after task, is cli/extract_serve.h.
#include <charconv>
#include <iostream>
#include <string_view>

#include "cli/commands.h"
#include "cli/extract_map.h"
#include "cli/extract_serve.h"
#include "cli/progress.h"
#include "temporal/calendar.h"

namespace annals::cli {
namespace {

struct ExtractArgs {
  std::vector<std::string> sources;
  std::string rules_dir, reference_date, doc_type;
  bool no_fallback = false;
  bool from_stdin = false;
  bool serve = false;  // --serve: task requests on stdin, one status line each on stdout
  bool quiet = false;
  unsigned threads = 0;
  std::string partition;        // "K/N": the K-th of N disjoint shares of SOURCES
  std::uint64_t partition_seed = 0;
  // --buckets N --task T --out DIR: keyed map outputs (interchange/shards.h)
  std::size_t buckets = 0;
  std::string task, out_dir;
};

// Reports diagnostics on stderr and passes them on to merge as records.
// Returns true when any is an input problem.
bool forward(const std::vector<Diagnostic>& diags, Sink& sink) {
  for (auto& d : diags) sink.diagnostic(d);
  return report_diagnostics(diags);
}

}  // namespace

Result<pipeline::Partition> parse_partition(const std::string& text, std::uint64_t seed) {
  pipeline::Partition p;
  p.seed = seed;
  auto slash = text.find('/');
  auto number = [](std::string_view s, std::uint64_t& v) {
    auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    return !s.empty() && ec == std::errc() && end == s.data() + s.size();
  };
  if (slash == std::string::npos || !number(std::string_view(text).substr(0, slash), p.index) ||
      !number(std::string_view(text).substr(slash + 1), p.count) || p.count == 0 || p.index >= p.count)
    return Status::error("--partition must be K/N with 0 <= K < N, e.g. 0/16, got \"" + text + "\"");
  return p;
}

bool extract_documents(const rules::RuleSet& rules, const ingest::Options& options, unsigned threads, const LineReader& next,
                       const std::string& where, Sink& sink, std::size_t& written) {
  constexpr std::size_t kBatch = 256;
  bool problems = false;
  std::string line;
  long line_no = 0;
  for (bool more = true; more;) {
    std::vector<Document> batch;
    std::vector<Diagnostic> diags;
    while (batch.size() < kBatch && (more = next(line))) {
      ++line_no;
      if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
      auto doc = interchange::input_document_from_json(line);
      if (!doc.ok()) {
        diags.push_back({Severity::Error, where, int(line_no), 0, "", doc.status().message() + "; document skipped"});
        continue;
      }
      if (!doc->warning.empty()) diags.push_back({Severity::Warning, doc->id, 0, 0, "", doc->warning});
      if (auto d = ingest::make_document(doc->id, std::move(doc->text), "txt", rules, options, &doc->meta, diags))
        batch.push_back(std::move(*d));
    }
    for (auto& s : pipeline::scan_documents(rules, std::move(batch), threads)) {
      sink.source({s.doc.info, s.signature}, std::move(s.result.events));
      ++written;
    }
    problems = forward(diags, sink) || problems;
    if (!sink.buckets) sink.part->flush();
  }
  return problems;
}

bool extract_sources(const rules::RuleSet& rules, const std::vector<std::string>& sources, const pipeline::Partition& share,
                     const pipeline::ScanOptions& options, bool quiet, Sink& sink, std::size_t& written) {
  auto list = pipeline::list_sources(sources);
  pipeline::keep_partition(list, share);
  std::vector<Diagnostic> diags = std::move(list.diagnostics);
  Progress progress(!quiet, list.files.size(), list.total_bytes);
  pipeline::stream_sources(rules, list, options, [&](pipeline::SourceOutcome&& s) {
    progress.advance(s.bytes);
    diags.insert(diags.end(), s.diagnostics.begin(), s.diagnostics.end());
    if (!s.extracted) return;
    sink.source(s.extracted->source, std::move(s.extracted->events));
    ++written;
  });
  progress.clear();
  return forward(diags, sink);
}

namespace {

int run_extract(const ExtractArgs& a) {
  auto reference = parse_reference_date(a.reference_date);
  if (!reference.ok()) return fail(reference.status());
  if (int(a.from_stdin) + int(a.serve) + int(!a.sources.empty()) != 1) {
    std::fprintf(stderr, "annals extract: give SOURCES, --stdin or --serve (one of them)\n");
    return kUsageError;
  }
  pipeline::Partition share;
  if (!a.partition.empty()) {
    if (a.sources.empty()) {
      std::fprintf(stderr, "annals extract: --partition shares SOURCES; with --stdin, split the input instead\n");
      return kUsageError;
    }
    auto parsed = parse_partition(a.partition, a.partition_seed);
    if (!parsed.ok()) return fail(parsed.status());
    share = *parsed;
  }
  if (a.serve && a.buckets > 0) {
    std::fprintf(stderr, "annals extract: with --serve, each task request says where it writes (\"buckets\", \"out\")\n");
    return kUsageError;
  }
  if ((a.buckets > 0) != !a.out_dir.empty() || (a.buckets > 0) != !a.task.empty()) {
    std::fprintf(stderr, "annals extract: --buckets, --task and --out go together (keyed map outputs), or none of them\n");
    return kUsageError;
  }
  auto loaded = load_rule_pack(a.rules_dir, "; nothing was extracted", event_pack(a.no_fallback));
  if (!loaded.ok()) return fail(loaded.status());
  const rules::RuleSet& pack = **loaded;
  if (Status known = check_doc_type(pack, a.doc_type); !known.ok()) return fail(known);
  std::ios::sync_with_stdio(false);
  if (a.serve) return serve(pack, {*reference, a.doc_type, a.threads});
  Sink sink;
  sink.origin = {ingest::shareable_path(pack.dir), pack.fingerprint};
  if (a.buckets > 0) {
    auto opened = interchange::BucketWriter::open(a.out_dir, a.task, a.buckets, sink.origin);
    if (!opened.ok()) return fail(opened.status());
    sink.buckets.emplace(std::move(*opened));
  }
  bool problems = false;
  std::size_t written = 0;  // source records, for the end record
  if (a.from_stdin) {
    auto next = [](std::string& line) { return bool(std::getline(std::cin, line)); };
    problems = extract_documents(pack, {*reference, a.doc_type}, a.threads, next, "<stdin>", sink, written);
  } else {
    problems = extract_sources(pack, a.sources, share, {*reference, a.threads, a.doc_type, /*shareable_names=*/true}, a.quiet, sink, written);
  }
  if (sink.buckets) {
    if (Status done = sink.buckets->finish(); !done.ok()) return fail(done);
    return problems ? kInputProblems : kOk;
  }
  // Last: a part without it was cut short (merge says so).
  interchange::write_end(std::cout, written);
  std::cout.flush();
  if (!std::cout) {
    std::fprintf(stderr, "annals extract: cannot write to stdout\n");
    return kUsageError;
  }
  return problems ? kInputProblems : kOk;
}

}  // namespace

void register_extract(CLI::App& app, int& exit_code) {
  auto args = std::make_shared<ExtractArgs>();
  auto* cmd = app.add_subcommand("extract", "Write every dated event mention of SOURCES as JSON Lines on stdout (the map step)");
  cmd->add_option("sources", args->sources, "Source files or folders");
  cmd->add_flag("--stdin", args->from_stdin,
                "Read documents as JSON Lines from stdin: {\"id\",\"text\",\"published\"?,\"title\"?,\"url\"?,\"outlet\"?,\"doc_type\"?}");
  cmd->add_flag("--serve", args->serve,
                "A long-lived map worker: one task per JSON line on stdin ({\"task\",\"sources\",\"partition\"} or "
                "{\"task\",\"shard\",\"begin\",\"end\"}, with \"part\" or \"buckets\" and \"out\"), one status line per task on stdout");
  add_rules_option(cmd, args->rules_dir);
  add_fallback_option(cmd, args->no_fallback);
  cmd->add_option("--reference-date", args->reference_date, "Publication date for every source, YYYY-MM-DD");
  add_doc_type_option(cmd, args->doc_type);
  add_threads_option(cmd, args->threads);
  cmd->add_option("--partition", args->partition,
                  "K/N: extract only the K-th (from 0) of N disjoint shares of SOURCES, chosen by a hash of each source's "
                  "name: N tasks given the same SOURCES together extract each source once, named as one run names it");
  cmd->add_option("--partition-seed", args->partition_seed, "Seed of --partition's hash (another seed, other shares)");
  cmd->add_option("--buckets", args->buckets,
                  "Keyed map outputs: write the mentions in N files by a hash of their identity, into --out, for annals merge --entries")
      ->check(CLI::Range(std::size_t(1), std::size_t(4096)));
  cmd->add_option("--task", args->task,
                  "With --buckets: this map task's name (letters, digits, -_.), in its files' names: a retried task overwrites its own files");
  cmd->add_option("--out", args->out_dir, "With --buckets: the folder of the files (TASK.bucket-B-of-N.jsonl, TASK.bands-B-of-N.jsonl, TASK.sources.jsonl)");
  cmd->footer(
      "Examples:\n"
      "  annals extract sources/wire-report.txt sources/column.txt > part-1.jsonl\n"
      "      the map step over two sources; `annals merge part-*.jsonl` is the reduce step\n"
      "  printf '{\"id\":\"a1\",\"text\":\"...\",\"published\":\"2025-03-07\"}\\n' | annals extract --stdin\n"
      "      documents as JSON Lines on stdin, mentions as JSON Lines on stdout\n"
      "  annals extract --partition 3/16 news/ > part-3.jsonl\n"
      "      map task 3 of 16 over one folder (scripts/annals-dask runs such tasks on a Dask cluster)\n"
      "  annals extract shard-3/ --buckets 8 --task t3 --out shuffle\n"
      "      keyed map outputs: shuffle/t3.bucket-0-of-8.jsonl ... and shuffle/t3.sources.jsonl\n"
      "  echo '{\"task\":\"t3\",\"sources\":[\"news\"],\"partition\":\"3/16\",\"part\":\"parts/part-3.jsonl\"}' | annals extract --serve\n"
      "      one task for a long-lived worker (scripts/annals-dask keeps one per Dask worker); it answers\n"
      "      {\"task\":\"t3\",\"exit\":0,\"sources\":...} and reads the next request");
  add_quiet_option(cmd, args->quiet);
  cmd->callback([args, &exit_code] { exit_code = run_extract(*args); });
}

}  // namespace annals::cli
