// `annals extract SOURCES... | --stdin`: the map step. Writes every event
// mention of every source, with its provenance, as JSON Lines on stdout
// (interchange/records.h), one source at a time, needing nothing from the
// other sources. `annals merge` is the reduce step.
#include <charconv>
#include <iostream>

#include "cli/commands.h"
#include "cli/progress.h"
#include "ingest/ingest.h"
#include "interchange/records.h"
#include "pipeline/pipeline.h"
#include "temporal/calendar.h"

namespace annals::cli {
namespace {

struct ExtractArgs {
  std::vector<std::string> sources;
  std::string rules_dir, reference_date, doc_type;
  bool no_fallback = false;
  bool from_stdin = false;
  bool quiet = false;
  unsigned threads = 0;
  std::string partition;        // "K/N": the K-th of N disjoint shares of SOURCES
  std::uint64_t partition_seed = 0;
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

void emit(const pipeline::ScannedSource& s, const interchange::PartOrigin& origin) {
  interchange::write_source(std::cout, {s.doc.info, s.signature}, s.result.events, origin);
}

// Reports diagnostics on stderr and passes them on to merge as records.
// Returns true when any is an input problem.
bool forward(const std::vector<Diagnostic>& diags) {
  for (auto& d : diags) interchange::write_diagnostic(std::cout, d);
  return report_diagnostics(diags);
}

// Reads {"id","text","published"?,"title"?,"url"?,"outlet"?,"doc_type"?} documents, a
// batch at a time, so that a mapper streams with bounded memory.
bool extract_stdin(const rules::RuleSet& rules, const ExtractArgs& a, std::optional<date::sys_days> reference, std::size_t& written) {
  constexpr std::size_t kBatch = 256;
  bool problems = false;
  std::string line;
  long line_no = 0;
  ingest::Options options{reference, a.doc_type};
  const interchange::PartOrigin origin{ingest::shareable_path(rules.dir), rules.fingerprint};
  while (std::cin) {
    std::vector<Document> batch;
    std::vector<Diagnostic> diags;
    while (batch.size() < kBatch && std::getline(std::cin, line)) {
      ++line_no;
      if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
      auto doc = interchange::input_document_from_json(line);
      if (!doc.ok()) {
        diags.push_back({Severity::Error, "<stdin>", int(line_no), 0, "", doc.status().message() + "; document skipped"});
        continue;
      }
      if (!doc->warning.empty()) diags.push_back({Severity::Warning, doc->id, 0, 0, "", doc->warning});
      if (auto d = ingest::make_document(doc->id, std::move(doc->text), "txt", rules, options, &doc->meta, diags))
        batch.push_back(std::move(*d));
    }
    for (auto& s : pipeline::scan_documents(rules, std::move(batch), a.threads)) {
      emit(s, origin);
      ++written;
    }
    problems = forward(diags) || problems;
    std::cout.flush();
  }
  return problems;
}

int run_extract(const ExtractArgs& a) {
  auto reference = parse_reference_date(a.reference_date);
  if (!reference.ok()) return fail(reference.status());
  if (a.from_stdin == !a.sources.empty()) {
    std::fprintf(stderr, "annals extract: give SOURCES or --stdin (not both)\n");
    return kUsageError;
  }
  pipeline::Partition share;
  if (!a.partition.empty()) {
    if (a.from_stdin) {
      std::fprintf(stderr, "annals extract: --partition shares SOURCES; with --stdin, split the input instead\n");
      return kUsageError;
    }
    auto parsed = parse_partition(a.partition, a.partition_seed);
    if (!parsed.ok()) return fail(parsed.status());
    share = *parsed;
  }
  auto loaded = load_rule_pack(a.rules_dir, "; nothing was extracted", event_pack(a.no_fallback));
  if (!loaded.ok()) return fail(loaded.status());
  const rules::RuleSet& pack = **loaded;
  if (Status known = check_doc_type(pack, a.doc_type); !known.ok()) return fail(known);
  std::ios::sync_with_stdio(false);
  bool problems = false;
  std::size_t written = 0;  // source records, for the end record
  if (a.from_stdin) {
    problems = extract_stdin(pack, a, *reference, written);
  } else {
    // Each source's records go out as soon as it is its turn: memory holds
    // the sources in flight, never the corpus.
    auto list = pipeline::list_sources(a.sources);
    pipeline::keep_partition(list, share);
    std::vector<Diagnostic> diags = std::move(list.diagnostics);
    Progress progress(!a.quiet, list.files.size(), list.total_bytes);
    const interchange::PartOrigin origin{ingest::shareable_path(pack.dir), pack.fingerprint};
    pipeline::stream_sources(pack, list, {*reference, a.threads, a.doc_type, /*shareable_names=*/true}, [&](pipeline::SourceOutcome&& s) {
      progress.advance(s.bytes);
      diags.insert(diags.end(), s.diagnostics.begin(), s.diagnostics.end());
      if (!s.extracted) return;
      interchange::write_source(std::cout, s.extracted->source, s.extracted->events, origin);
      ++written;
    });
    progress.clear();
    problems = forward(diags);
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
  add_rules_option(cmd, args->rules_dir);
  add_fallback_option(cmd, args->no_fallback);
  cmd->add_option("--reference-date", args->reference_date, "Publication date for every source, YYYY-MM-DD");
  add_doc_type_option(cmd, args->doc_type);
  add_threads_option(cmd, args->threads);
  cmd->add_option("--partition", args->partition,
                  "K/N: extract only the K-th (from 0) of N disjoint shares of SOURCES, chosen by a hash of each source's "
                  "name: N tasks given the same SOURCES together extract each source once, named as one run names it");
  cmd->add_option("--partition-seed", args->partition_seed, "Seed of --partition's hash (another seed, other shares)");
  cmd->footer(
      "Examples:\n"
      "  annals extract sources/wire-report.txt sources/column.txt > part-1.jsonl\n"
      "      the map step over two sources; `annals merge part-*.jsonl` is the reduce step\n"
      "  printf '{\"id\":\"a1\",\"text\":\"...\",\"published\":\"2025-03-07\"}\\n' | annals extract --stdin\n"
      "      documents as JSON Lines on stdin, mentions as JSON Lines on stdout\n"
      "  annals extract --partition 3/16 news/ > part-3.jsonl\n"
      "      map task 3 of 16 over one folder (scripts/annals-dask runs such tasks on a Dask cluster)");
  add_quiet_option(cmd, args->quiet);
  cmd->callback([args, &exit_code] { exit_code = run_extract(*args); });
}

}  // namespace annals::cli
