// `annals extract SOURCES... | --stdin`: the map step. Writes every event
// mention of every source, with its provenance, as JSON Lines on stdout
// (interchange/records.h), one source at a time, needing nothing from the
// other sources. `annals merge` is the reduce step.
#include <iostream>

#include <nlohmann/json.hpp>

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
  std::string rules_dir, reference_date;
  bool no_fallback = false;
  bool from_stdin = false;
  bool quiet = false;
  unsigned threads = 0;
};

void emit(const pipeline::ScannedSource& s, const std::string& rules_dir) {
  interchange::write_source(std::cout, {s.doc.info, s.signature}, s.result.events, rules_dir);
}

// Reports diagnostics on stderr and passes them on to merge as records.
// Returns true when any is an input problem.
bool forward(const std::vector<Diagnostic>& diags) {
  for (auto& d : diags) interchange::write_diagnostic(std::cout, d);
  return report_diagnostics(diags);
}

// Reads {"id","text","published"?,"title"?,"url"?,"outlet"?} documents, a
// batch at a time, so that a mapper streams with bounded memory.
bool extract_stdin(const rules::RuleSet& rules, const ExtractArgs& a, std::optional<date::sys_days> reference) {
  constexpr std::size_t kBatch = 256;
  bool problems = false;
  std::string line;
  long line_no = 0;
  ingest::Options options{reference};
  while (std::cin) {
    std::vector<Document> batch;
    std::vector<Diagnostic> diags;
    while (batch.size() < kBatch && std::getline(std::cin, line)) {
      ++line_no;
      if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
      auto j = nlohmann::json::parse(line, nullptr, false);
      if (j.is_discarded() || !j.is_object() || !j.contains("id") || !j["id"].is_string() || !j.contains("text") ||
          !j["text"].is_string()) {
        diags.push_back({Severity::Error, "<stdin>", int(line_no), 0, "",
                         "expected {\"id\": string, \"text\": string, ...}; document skipped"});
        continue;
      }
      SourceInfo meta;
      meta.title = interchange::string_field(j, "title");
      meta.url = interchange::string_field(j, "url");
      meta.outlet = interchange::string_field(j, "outlet");
      if (auto p = interchange::string_field(j, "published"); !p.empty()) {
        meta.published = temporal::parse_iso_day(p);
        if (!meta.published)
          diags.push_back({Severity::Warning, j["id"].get<std::string>(), 0, 0, "", "published \"" + p + "\" is not YYYY-MM-DD; ignored"});
      }
      batch.push_back(ingest::make_document(j["id"].get<std::string>(), j["text"].get<std::string>(), "txt", rules, options,
                                            &meta, diags));
    }
    for (auto& s : pipeline::scan_documents(rules, std::move(batch), a.threads)) emit(s, ingest::shareable_path(rules.dir));
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
  auto loaded = load_rule_pack(a.rules_dir, "; nothing was extracted", event_pack(a.no_fallback));
  if (!loaded.ok()) return fail(loaded.status());
  const rules::RuleSet& pack = **loaded;
  std::ios::sync_with_stdio(false);
  bool problems = false;
  if (a.from_stdin) {
    problems = extract_stdin(pack, a, *reference);
  } else {
    // Each source's records go out as soon as it is its turn: memory holds
    // the sources in flight, never the corpus.
    auto list = pipeline::list_sources(a.sources);
    std::vector<Diagnostic> diags = std::move(list.diagnostics);
    Progress progress(!a.quiet, list.files.size(), list.total_bytes);
    std::string rules_dir = ingest::shareable_path(pack.dir);
    pipeline::stream_sources(pack, list, {*reference, a.threads, /*shareable_names=*/true}, [&](pipeline::SourceOutcome&& s) {
      progress.advance(s.bytes);
      diags.insert(diags.end(), s.diagnostics.begin(), s.diagnostics.end());
      if (s.extracted) interchange::write_source(std::cout, s.extracted->source, s.extracted->events, rules_dir);
    });
    progress.clear();
    problems = forward(diags);
  }
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
                "Read documents as JSON Lines from stdin: {\"id\",\"text\",\"published\"?,\"title\"?,\"url\"?,\"outlet\"?}");
  add_rules_option(cmd, args->rules_dir);
  add_fallback_option(cmd, args->no_fallback);
  cmd->add_option("--reference-date", args->reference_date, "Publication date for every source, YYYY-MM-DD");
  add_threads_option(cmd, args->threads);
  add_quiet_option(cmd, args->quiet);
  cmd->callback([args, &exit_code] { exit_code = run_extract(*args); });
}

}  // namespace annals::cli
