// `annals merge PARTS... [--out DIR]`: the reduce step. Reads JSON Lines
// written by `annals extract` (files, or - for stdin), merges every mention
// into one timeline and writes the outputs, exactly as `annals build` over
// all the sources at once would.
#include <cerrno>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <optional>
#include <sys/resource.h>
#include <unordered_map>

#include <fmt/format.h>

#include "cli/commands.h"
#include "cli/outputs.h"
#include "core/files.h"
#include "interchange/bands.h"
#include "interchange/records.h"
#include "interchange/shards.h"
#include "merge/merge.h"

namespace annals::cli {
namespace {

struct MergeArgs {
  std::vector<std::string> parts;
  OutputArgs out;
  bool entries = false;  // --entries: the per-bucket reduce of a bucketed run
  bool combine = false;  // --combine: its final step
  bool bands = false;    // --bands: the per-band-bucket near-duplicate step
};

// Opens `part` for reading, or says in `problems` why it cannot be read.
std::optional<std::ifstream> open_part(const std::string& part, std::vector<Diagnostic>& problems) {
  if (std::error_code ec; std::filesystem::is_directory(part, ec)) {
    problems.push_back({Severity::Error, part, 0, 0, "", "is a folder, not a part written by annals extract; skipped"});
    return std::nullopt;
  }
  std::ifstream in(part, std::ios::binary);
  if (!in) {
    // libstdc++ opens with open(2), which left its reason in errno.
    std::string why = std::error_code(errno, std::generic_category()).message();
    problems.push_back({Severity::Error, part, 0, 0, "", "cannot be read: " + why + "; skipped"});
    return std::nullopt;
  }
  return in;
}

// Reads record files (- for stdin) into `input`. Returns how many mention
// records each file added.
std::vector<std::size_t> read_parts(const std::vector<std::string>& parts, interchange::MergeInput& input, std::vector<Diagnostic>& problems) {
  std::vector<std::size_t> added;
  for (auto& part : parts) {
    std::size_t before = input.mentions.size();
    if (part == "-") {
      interchange::read_records(std::cin, "<stdin>", input, problems);
    } else if (auto in = open_part(part, problems)) {
      interchange::read_records(*in, part, input, problems);
    }
    added.push_back(input.mentions.size() - before);
  }
  return added;
}

bool any_error(const std::vector<Diagnostic>& ds) {
  return std::any_of(ds.begin(), ds.end(), [](auto& d) { return d.severity == Severity::Error; });
}

// A bucketed run fails whole rather than write a shard or a timeline that
// silently lacks part of its input: files that do not make up a run are a
// usage error (exit 2, nothing written), never exit 1, which promises the
// outputs were written.
int refuse(const std::string& why) {
  std::fprintf(stderr, "annals merge: %s; nothing was written\n", why.c_str());
  return kUsageError;
}

// Lets the process open `files` files at once, and some more (a reduce
// opens every map task's file of its bucket together): up to the hard
// limit. Past it, the open that fails says so by name.
void allow_open_files(std::size_t files) {
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) != 0 || limit.rlim_cur == RLIM_INFINITY || limit.rlim_cur >= files + 64) return;
  limit.rlim_cur = limit.rlim_max == RLIM_INFINITY ? rlim_t(files + 64) : std::min<rlim_t>(limit.rlim_max, rlim_t(files + 64));
  setrlimit(RLIMIT_NOFILE, &limit);  // best effort: at the old limit the open fails by name
}

// `annals merge --entries BUCKET-FILES --out DIR`: the identity-local half of
// merge over one bucket (merge/merge.h, "Scale-out"), as an entry shard.
// The bucket files are sorted by identity (interchange/shards.h), so the
// reduce streams them together an identity at a time: it holds the largest
// identity's mentions and a record of each file, never the bucket.
int run_entries(const MergeArgs& a) {
  std::vector<Diagnostic> problems;
  std::vector<interchange::BucketStream> streams;
  allow_open_files(a.parts.size());
  for (auto& part : a.parts) {
    std::shared_ptr<std::istream> in;
    if (part == "-") in = std::shared_ptr<std::istream>(&std::cin, [](std::istream*) {});
    else if (auto file = open_part(part, problems)) in = std::make_shared<std::ifstream>(std::move(*file));
    if (!in) continue;
    if (auto stream = interchange::BucketStream::open(std::move(in), part == "-" ? "<stdin>" : part, problems))
      streams.push_back(std::move(*stream));
  }
  if (report_diagnostics(problems)) return refuse("a bucket file above is damaged or missing");
  interchange::ShardHeader header;
  std::optional<std::size_t> bucket;
  for (auto& s : streams) {
    const interchange::TaskRecord& t = s.task();
    if (bucket && (*bucket != *t.bucket || header.buckets != t.buckets))
      return refuse(fmt::format("{}: bucket {} of {}, where others are bucket {} of {}: give the files of one bucket", t.where, *t.bucket,
                                t.buckets, *bucket, header.buckets));
    bucket = t.bucket;
    header.buckets = t.buckets;
    auto [it, fresh] = header.tasks.emplace(t.task, t.mentions);
    if (!fresh && it->second != t.mentions)
      return refuse(fmt::format("{}: task {} is given twice with other contents", t.where, t.task));
  }
  if (!bucket) return refuse("every file of --entries must be a bucket file of annals extract --buckets (it starts with a task record)");
  // Of one bucket: the source records (the rest of each file's head) next.
  problems.clear();
  interchange::read_source_records(streams, problems);
  if (report_diagnostics(problems)) return refuse("a bucket file above is damaged, or holds a source another one holds with other records");
  interchange::MergeInput packs;  // only its fingerprints, for the check shared with merge
  for (auto& s : streams)
    for (auto& f : s.fingerprints())
      if (std::none_of(packs.fingerprints.begin(), packs.fingerprints.end(), [&](auto& g) { return g.first == f.first; }))
        packs.fingerprints.push_back(f);
  if (auto mixed = interchange::mixed_fingerprints(packs)) return fail(Status::error(*mixed));
  header.bucket = *bucket;
  header.fingerprint = packs.fingerprints.front().first;
  header.rules_dir = streams.front().rules_dir();
  std::filesystem::path dir = a.out.out_dir;
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) return fail(Status::os_error("cannot create " + dir.string(), ec));
  remove_stale_temporaries(dir);  // of runs killed before their rename
  auto final_path = dir / interchange::entries_file_name(header.bucket, header.buckets);
  auto file = AtomicFile::create(final_path);
  if (!file.ok()) return fail(file.status());
  // Damage met while streaming (a cut or edited file) leaves the shard
  // uncommitted: its temporary goes with `file`.
  std::vector<Diagnostic> damage;
  auto n = interchange::reduce_bucket(streams, header, file->out(), damage);
  if (!damage.empty()) {
    report_diagnostics(damage);
    return refuse("a bucket file above is damaged");
  }
  if (Status written = file->commit(); !written.ok()) return fail(written);
  if (!a.out.quiet)
    std::fprintf(stderr, "annals: bucket %zu of %zu: %zu entr%s, %zu undated mention(s) from %zu task(s); wrote %s\n", header.bucket,
                 header.buckets, n.entries, n.entries == 1 ? "y" : "ies", n.undated, header.tasks.size(), final_path.string().c_str());
  return kOk;
}

// `annals merge --bands BAND-FILES --out DIR`: the candidate pairs of one
// band bucket (interchange/bands.h), as DIR/pairs-B-of-N.jsonl.
int run_bands(const MergeArgs& a) {
  interchange::BandsInput input;
  std::vector<Diagnostic> problems;
  for (auto& part : a.parts)
    if (auto in = open_part(part, problems)) interchange::read_bands(*in, part, input, problems);
  report_diagnostics(problems);
  if (any_error(problems)) return refuse("a band file above is damaged, missing or of another bucket");
  if (!input.bucket) return refuse("no band file given");
  for (auto& s : input.sources)
    for (auto key : s.keys)
      if (merge::band_bucket(key, input.buckets) != *input.bucket)
        return refuse(fmt::format("a band key of {} is not of band bucket {} of {} (an edited file?)", s.file, *input.bucket, input.buckets));
  interchange::PairsHeader header{*input.bucket, input.buckets, input.fingerprint, input.tasks};
  std::size_t sources = input.sources.size();
  auto pairs = interchange::band_bucket_pairs(std::move(input.sources));
  std::filesystem::path dir = a.out.out_dir;
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) return fail(Status::os_error("cannot create " + dir.string(), ec));
  remove_stale_temporaries(dir);
  auto final_path = dir / interchange::pairs_file_name(header.bucket, header.buckets);
  auto file = AtomicFile::create(final_path);
  if (!file.ok()) return fail(file.status());
  interchange::write_pairs(file->out(), header, pairs);
  if (Status written = file->commit(); !written.ok()) return fail(written);
  std::size_t count = 0;
  for (auto& p : pairs) count += p.second.size();
  if (!a.out.quiet)
    std::fprintf(stderr, "annals: band bucket %zu of %zu: %zu candidate pair(s) among %zu source(s) from %zu task(s); wrote %s\n", header.bucket,
                 header.buckets, count, sources, header.tasks.size(), final_path.string().c_str());
  return kOk;
}

// The first record kind of a file: "entries" for an entry shard.
std::string first_record(const std::string& part) {
  std::ifstream in(part, std::ios::binary);
  std::string line;
  while (std::getline(in, line))
    if (line.find_first_not_of(" \t\r") != std::string::npos) {
      auto j = nlohmann::json::parse(line, nullptr, false);
      return j.is_object() ? interchange::string_field(j, "record") : "";
    }
  return "";
}

// `annals merge --combine SOURCES-FILES ENTRY-SHARDS --out DIR`: the final
// step: the join across identities over every shard, and the outputs.
int run_combine(const MergeArgs& a) {
  if (Status usable = check_output_args(a.out); !usable.ok()) return fail(usable);
  std::vector<std::string> sources_files, shard_files, pairs_files;
  for (auto& p : a.parts) {
    std::string kind = first_record(p);
    (kind == "entries" ? shard_files : kind == "pairs" ? pairs_files : sources_files).push_back(p);
  }
  interchange::MergeInput input;
  std::vector<Diagnostic> problems;
  auto added = read_parts(sources_files, input, problems);
  for (std::size_t i = 0; i < added.size(); ++i)
    if (added[i] > 0) problems.push_back({Severity::Error, sources_files[i], 0, 0, "", "holds mention records: a part or bucket file, not a sources file"});
  std::unordered_map<std::string, SharedSource> by_file;
  for (auto& s : input.sources) by_file.emplace(s.info.file, SharedSource(s.info));
  interchange::EntriesInput shards;
  for (auto& p : shard_files)
    if (auto in = open_part(p, problems)) interchange::read_entries(*in, p, by_file, shards, problems);
  // The band steps' candidate pairs, verified and linked as they are read:
  // what banding every signature here would find (merge/near_duplicates.h).
  merge::Options options;
  std::vector<interchange::PairsFile> pairs;
  if (!pairs_files.empty()) {
    std::vector<merge::SignedSource> signed_sources;
    for (auto& s : input.sources) signed_sources.push_back({s.info.file, &s.signature});
    merge::NearDuplicateLinker linker(signed_sources, options.near_duplicates);
    auto candidate = [&](std::string_view x, std::string_view y) { return linker.candidate(x, y); };
    for (auto& p : pairs_files)
      if (auto in = open_part(p, problems)) interchange::read_pairs(*in, p, candidate, pairs, problems);
    // Ranks the band steps could not reproduce (a file name twice, two
    // signatures of one copy key): banded here instead, as without pairs.
    if (linker.ranks_reproducible()) options.near_duplicate_groups = linker.groups();
  }
  report_diagnostics(problems);
  auto missing = interchange::missing_pieces(input.tasks, shards);
  if (!pairs_files.empty())
    for (auto& m : interchange::missing_pairs(input.tasks, pairs)) missing.push_back(m);
  for (auto& m : missing) std::fprintf(stderr, "annals merge: %s\n", m.c_str());
  if (any_error(problems) || !missing.empty()) return refuse("a piece of the bucketed run above is damaged, missing or does not fit");
  for (auto& s : shards.shards)
    if (std::none_of(input.fingerprints.begin(), input.fingerprints.end(), [&](auto& f) { return f.first == s.header.fingerprint; }))
      input.fingerprints.emplace_back(s.header.fingerprint, s.name);
  for (auto& p : pairs)
    if (std::none_of(input.fingerprints.begin(), input.fingerprints.end(), [&](auto& f) { return f.first == p.header.fingerprint; }))
      input.fingerprints.emplace_back(p.header.fingerprint, p.name);
  if (auto mixed = interchange::mixed_fingerprints(input)) return fail(Status::error(*mixed));
  bool input_problems = std::any_of(input.diagnostics.begin(), input.diagnostics.end(), [](auto& d) { return d.severity != Severity::Note; });
  Timeline t = merge::join_identities(interchange::concatenate_shards(std::move(shards)), std::move(input.sources),
                                      std::move(input.diagnostics), options);
  t.rules_dir = input.rules_dir;
  set_titles(t, a.out);
  if (Status written = write_timeline(t, a.out); !written.ok()) return fail(written);
  return input_problems ? kInputProblems : kOk;
}

int run_merge(const MergeArgs& a) {
  if (int(a.entries) + int(a.combine) + int(a.bands) > 1) {
    std::fprintf(stderr, "annals merge: --entries and --bands (per bucket) and --combine (the final step) are steps of their own: give one\n");
    return kUsageError;
  }
  if (a.entries) return run_entries(a);
  if (a.bands) return run_bands(a);
  if (a.combine) return run_combine(a);
  if (Status usable = check_output_args(a.out); !usable.ok()) return fail(usable);
  interchange::MergeInput input;
  std::vector<Diagnostic> problems;
  read_parts(a.parts, input, problems);
  if (!input.tasks.empty())
    return refuse(input.tasks.front().where + ": a file of a bucketed run (annals extract --buckets): reduce it with annals merge "
                  "--entries, then --combine");
  // Notes (a source read twice, dropped) do not make it an input-problem
  // run: merging a part twice gives what merging it once gives.
  bool input_problems = report_diagnostics(problems);
  if (auto mixed = interchange::mixed_fingerprints(input)) return fail(Status::error(*mixed));
  // Diagnostics carried over from the extract runs were printed there; they
  // still make this an input-problem run.
  input_problems = input_problems || std::any_of(input.diagnostics.begin(), input.diagnostics.end(),
                                                         [](auto& d) { return d.severity != Severity::Note; });
  // No source at all is not a timeline (wrong files, every part bad): the
  // previous outputs stay, and it is exit 2 like every run that writes
  // nothing; exit 1 says the outputs were written.
  if (input.sources.empty()) {
    std::fprintf(stderr, "annals: no sources in the part(s); nothing was written\n");
    return kUsageError;
  }
  Timeline t = merge::merge(std::move(input.mentions), std::move(input.sources), std::move(input.diagnostics));
  t.rules_dir = input.rules_dir;
  set_titles(t, a.out);
  if (Status written = write_timeline(t, a.out); !written.ok()) return fail(written);
  return input_problems ? kInputProblems : kOk;
}

}  // namespace

void register_merge(CLI::App& app, int& exit_code) {
  auto args = std::make_shared<MergeArgs>();
  auto* cmd = app.add_subcommand("merge", "Merge JSON Lines from `annals extract` into the timeline and write the outputs (the reduce step)");
  cmd->add_option("parts", args->parts, "Files written by annals extract (- for stdin)")->required();
  add_output_options(cmd, args->out);
  cmd->add_flag("--entries", args->entries,
                "Reduce one bucket of annals extract --buckets (its TASK.bucket-B-of-N.jsonl files) into --out/entries-B-of-N.jsonl, "
                "streaming them together one identity at a time");
  cmd->add_flag("--bands", args->bands,
                "Near-duplicate candidates of one band bucket of annals extract --buckets (its TASK.bands-B-of-N.jsonl files) into "
                "--out/pairs-B-of-N.jsonl");
  cmd->add_flag("--combine", args->combine,
                "The final step of a bucketed run: every TASK.sources.jsonl and entries-B-of-N.jsonl (and pairs-B-of-N.jsonl, if the "
                "band steps ran: then it verifies their pairs instead of banding every signature) into the outputs annals build writes");
  add_quiet_option(cmd, args->out.quiet);
  args->out.fixed_time = source_date_epoch();
  cmd->footer(
      "Examples:\n"
      "  annals merge part-1.jsonl part-2.jsonl --out out\n"
      "      the timeline of both parts, the same files `annals build` over all their sources writes\n"
      "  cat part-*.jsonl | annals merge - --format csv --out out\n"
      "      from stdin, CSV only\n"
      "  annals merge --entries shuffle/*.bucket-3-of-8.jsonl --out shuffle\n"
      "      the reduce of bucket 3: shuffle/entries-3-of-8.jsonl\n"
      "  annals merge --bands shuffle/*.bands-3-of-8.jsonl --out shuffle\n"
      "      the near-duplicate candidates of band bucket 3: shuffle/pairs-3-of-8.jsonl\n"
      "  annals merge --combine shuffle/*.sources.jsonl shuffle/entries-*-of-8.jsonl shuffle/pairs-*-of-8.jsonl --out out\n"
      "      the final step: the timeline of every bucket, as annals build writes it (the pairs files optional: without\n"
      "      them it searches near-duplicates itself; with them, every band bucket's must be given)");
  cmd->callback([args, &exit_code] { exit_code = run_merge(*args); });
}

}  // namespace annals::cli
