// `annals extract SOURCES... | --stdin`: the map step. Writes every event
// mention of every source, with its provenance, as JSON Lines on stdout
// (interchange/records.h), one source at a time, needing nothing from the
// other sources. `annals merge` is the reduce step.
//
// `annals extract --serve` is the same map step as a long-lived process: it
// loads the rule pack once, then runs one task per request line on stdin
// (a share of source folders, or a byte range of a JSON Lines shard, into a
// part file or bucket files) and answers one status line per task on stdout,
// so a cluster worker pays the pack's load and RE2's warm-up once.
#include <sys/resource.h>

#include <charconv>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iostream>

#include <fmt/format.h>

#include "cli/commands.h"
#include "cli/progress.h"
#include "core/files.h"
#include "ingest/ingest.h"
#include "interchange/records.h"
#include "interchange/shards.h"
#include "pipeline/pipeline.h"
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

// "K/N" with 0 <= K < N.
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

// Reports diagnostics on stderr and passes them on to merge as records.
// Returns true when any is an input problem.
bool forward(const std::vector<Diagnostic>& diags, Sink& sink) {
  for (auto& d : diags) sink.diagnostic(d);
  return report_diagnostics(diags);
}

// The next line of a stream of JSON Lines documents, false at its end.
using LineReader = std::function<bool(std::string&)>;

// Reads {"id","text","published"?,"title"?,"url"?,"outlet"?,"doc_type"?} documents, a
// batch at a time, so that a mapper streams with bounded memory. `where`
// names the stream in diagnostics ("<stdin>:LINE").
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

// Lists SOURCES, keeps the share `share` of them, and extracts each in turn:
// memory holds the sources in flight, never the corpus.
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

// The lines of a JSON Lines shard that start in the byte range [begin, end):
// ranges that tile the file give each line to exactly one of them.
class ShardRange {
 public:
  ShardRange(const std::string& path, std::uint64_t begin, std::uint64_t end)
      : in_(path, std::ios::binary), readable_(bool(in_)), at_(begin), end_(end) {
    if (!readable_ || begin == 0) return;
    in_.seekg(std::streamoff(begin - 1));
    char before = 0;
    std::string rest;  // of a line that started before `begin`
    if (in_.get(before) && before != '\n' && std::getline(in_, rest)) at_ += rest.size() + 1;
  }
  bool readable() const { return readable_; }
  bool operator()(std::string& line) {
    if (at_ >= end_ || !std::getline(in_, line)) return false;
    at_ += line.size() + 1;
    return true;
  }

 private:
  std::ifstream in_;
  bool readable_;
  std::uint64_t at_, end_;
};

// One map task of --serve, as its request line gives it:
//   {"task":T, "sources":[...], "partition":"K/N", "seed":S?}   a share of source folders and files
//   {"task":T, "shard":PATH, "begin":B, "end":E}                 the documents of a shard that start in [B, E)
// plus where its records go: "part":PATH (one part file) or "buckets":N, "out":DIR (bucket files).
struct TaskRequest {
  std::string task;
  std::vector<std::string> sources;
  pipeline::Partition share;
  std::string shard;
  std::uint64_t begin = 0, end = 0;
  std::string part, out_dir;
  std::size_t buckets = 0;
};

Result<TaskRequest> parse_request(const std::string& line) {
  auto j = nlohmann::json::parse(line, nullptr, false);
  if (!j.is_object()) return Status::error("a task request must be one JSON object on one line");
  TaskRequest r;
  auto text = [&](const char* key, std::string& to) {
    if (j.contains(key) && j[key].is_string()) to = j[key].get<std::string>();
  };
  auto count = [&](const char* key, auto& to) {
    if (j.contains(key) && j[key].is_number_unsigned()) to = j[key].get<std::remove_reference_t<decltype(to)>>();
  };
  text("task", r.task);
  text("shard", r.shard);
  text("part", r.part);
  text("out", r.out_dir);
  count("begin", r.begin);
  count("end", r.end);
  count("buckets", r.buckets);
  if (std::string why = interchange::task_name_problem(r.task); !why.empty())
    return Status::error(fmt::format("\"task\" \"{}\" {}", r.task, why));
  if (j.contains("sources") && j["sources"].is_array())
    for (auto& s : j["sources"])
      if (s.is_string()) r.sources.push_back(s.get<std::string>());
  if (r.sources.empty() == r.shard.empty()) return Status::error("a task request names \"sources\" or a \"shard\" (not both)");
  if (!r.sources.empty()) {
    std::string partition = "0/1";
    std::uint64_t seed = 0;
    text("partition", partition);
    count("seed", seed);
    auto parsed = parse_partition(partition, seed);
    if (!parsed.ok()) return parsed.status();
    r.share = *parsed;
  }
  if (r.part.empty() == (r.buckets == 0) || (r.buckets > 0) != !r.out_dir.empty() || r.buckets > 4096)
    return Status::error("a task request writes a \"part\" file, or \"buckets\" (1 to 4096) into \"out\"");
  return r;
}

// Runs one --serve task. Its part file is written to .PART.tmp-PID and
// renamed into place when complete (AtomicFile), as bucket files are, so a task run again (a
// retry) replaces its own output. Returns 0 or 1 (input problems), or the
// reason nothing was written.
Result<int> serve_task(const rules::RuleSet& pack, const ExtractArgs& a, std::optional<date::sys_days> reference, const TaskRequest& r,
                       std::size_t& written) {
  Sink sink;
  sink.origin = {ingest::shareable_path(pack.dir), pack.fingerprint};
  std::optional<AtomicFile> file;
  if (r.buckets > 0) {
    auto opened = interchange::BucketWriter::open(r.out_dir, r.task, r.buckets, sink.origin);
    if (!opened.ok()) return opened.status();
    sink.buckets.emplace(std::move(*opened));
  } else {
    // What servers killed midway left beside it (BucketWriter::open does the same in "out").
    std::filesystem::path folder = std::filesystem::path(r.part).parent_path();
    remove_stale_temporaries(folder.empty() ? "." : folder);
    auto created = AtomicFile::create(r.part);
    if (!created.ok()) return created.status();
    file.emplace(std::move(*created));
    sink.part = &file->out();
  }
  bool problems = false;
  if (!r.shard.empty()) {
    ShardRange lines(r.shard, r.begin, r.end);
    if (!lines.readable()) return Status::os_error("cannot read " + r.shard, std::error_code(errno, std::generic_category()));
    problems = extract_documents(pack, {reference, a.doc_type}, a.threads, std::ref(lines),
                                 fmt::format("{} (bytes {}-{})", r.shard, r.begin, r.end), sink, written);
  } else {
    problems = extract_sources(pack, r.sources, r.share, {reference, a.threads, a.doc_type, /*shareable_names=*/true}, true, sink, written);
  }
  if (sink.buckets) {
    if (Status done = sink.buckets->finish(); !done.ok()) return done;
  } else {
    interchange::write_end(file->out(), written);
    if (Status done = file->commit(); !done.ok()) return done;
  }
  return problems ? kInputProblems : kOk;
}

// `annals extract --serve`: one task per request line on stdin, one status
// line per task on stdout, until stdin ends:
//   {"task":T,"exit":0|1|2,"sources":N,"error"?:WHY,"cpu_s":X,"max_rss_kib":K}
// where exit is that of a one-shot `annals extract` of the task, and cpu_s
// and max_rss_kib are this process's so far (user+sys, peak RSS). A task that
// fails (exit 2) writes nothing and the next one runs; problems found in the
// sources go to stderr, as for one extract.
int serve(const rules::RuleSet& pack, const ExtractArgs& a, std::optional<date::sys_days> reference) {
  std::string line;
  while (std::getline(std::cin, line)) {
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    nlohmann::json reply;
    std::size_t written = 0;
    auto request = parse_request(line);
    Result<int> done = request.ok() ? serve_task(pack, a, reference, *request, written) : Result<int>(request.status());
    reply["task"] = request.ok() ? request->task : "";
    reply["exit"] = done.ok() ? *done : int(kUsageError);
    reply["sources"] = written;
    if (!done.ok()) reply["error"] = done.status().message();
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    reply["cpu_s"] = double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) + double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
    reply["max_rss_kib"] = usage.ru_maxrss;
    std::cout << reply.dump() << '\n' << std::flush;
    if (!std::cout) {
      std::fprintf(stderr, "annals extract: cannot write to stdout\n");
      return kUsageError;
    }
  }
  return kOk;
}

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
  auto loaded = load_rule_pack(a.rules_dir, "; nothing was extracted", event_pack(a.no_fallback));
  if (!loaded.ok()) return fail(loaded.status());
  const rules::RuleSet& pack = **loaded;
  if (Status known = check_doc_type(pack, a.doc_type); !known.ok()) return fail(known);
  if ((a.buckets > 0) != !a.out_dir.empty() || (a.buckets > 0) != !a.task.empty()) {
    std::fprintf(stderr, "annals extract: --buckets, --task and --out go together (keyed map outputs), or none of them\n");
    return kUsageError;
  }
  std::ios::sync_with_stdio(false);
  if (a.serve) return serve(pack, a, *reference);
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
  cmd->add_option("--out", args->out_dir, "With --buckets: the folder of the files (TASK.bucket-B-of-N.jsonl, TASK.sources.jsonl)");
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
