// `annals extract --serve` (cli/extract_serve.h): reading a request line,
// running its task through the map step (cli/extract_map.h), writing its
// reply line.
#include "cli/extract_serve.h"

#include <sys/resource.h>

#include <cerrno>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iostream>
#include <type_traits>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "cli/extract_map.h"
#include "core/files.h"
#include "ingest/ingest.h"
#include "interchange/records.h"
#include "interchange/shards.h"

namespace annals::cli {
namespace {

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

// One task, as its request line gives it (the protocol: extract_serve.h).
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

// Runs one task. Its part file is written to .PART.tmp-PID and renamed
// into place when complete (AtomicFile), as bucket files are, so a task run
// again (a retry) replaces its own output. Returns 0 or 1 (input problems),
// or the reason nothing was written.
Result<int> serve_task(const rules::RuleSet& pack, const ServeOptions& options, const TaskRequest& r, std::size_t& written) {
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
    problems = extract_documents(pack, {options.reference, options.doc_type}, options.threads, std::ref(lines),
                                 fmt::format("{} (bytes {}-{})", r.shard, r.begin, r.end), sink, written);
  } else {
    problems = extract_sources(pack, r.sources, r.share, {options.reference, options.threads, options.doc_type, /*shareable_names=*/true},
                               true, sink, written);
  }
  if (sink.buckets) {
    if (Status done = sink.buckets->finish(); !done.ok()) return done;
  } else {
    interchange::write_end(file->out(), written);
    if (Status done = file->commit(); !done.ok()) return done;
  }
  return problems ? kInputProblems : kOk;
}

}  // namespace

int serve(const rules::RuleSet& pack, const ServeOptions& options) {
  std::string line;
  while (std::getline(std::cin, line)) {
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    nlohmann::json reply;
    std::size_t written = 0;
    auto request = parse_request(line);
    Result<int> done = request.ok() ? serve_task(pack, options, *request, written) : Result<int>(request.status());
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

}  // namespace annals::cli
