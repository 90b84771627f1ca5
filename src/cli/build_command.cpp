// `annals build SOURCES... [--rules DIR] [--out DIR] [--reference-date D]`:
// the whole pipeline, from sources to the outputs --format selects (render/formats.h).
#include <algorithm>
#include <chrono>
#include <fstream>
#include <sstream>

#include <fmt/chrono.h>
#include <fmt/format.h>

#include "cli/commands.h"
#include "cli/outputs.h"
#include "cli/progress.h"
#include "cli/watch.h"
#include "ingest/ingest.h"
#include "merge/merge.h"
#include "pipeline/cache.h"
#include "pipeline/pipeline.h"
#include "render/formats.h"
#include "render/output.h"
#include "rules/rules.h"
#include "temporal/calendar.h"

namespace annals::cli {
namespace {

struct BuildArgs {
  std::vector<std::string> sources;
  std::string rules_dir, reference_date, doc_type;
  unsigned threads = 0;
  bool watch = false;  // --watch: rebuild on changes (cli/watch.h)
  std::string cache_dir;  // --cache DIR; default: OUT/.annals-cache
  bool no_cache = false;
  bool no_fallback = false;
  OutputArgs out;
};

std::filesystem::path cache_dir(const BuildArgs& a) {
  return a.cache_dir.empty() ? std::filesystem::path(a.out.out_dir) / ".annals-cache" : std::filesystem::path(a.cache_dir);
}

int run_build(const BuildArgs& a) {
  auto reference = parse_reference_date(a.reference_date);
  if (!reference.ok()) return fail(reference.status());
  // A pack this binary built the cache with loaded without errors then: its
  // patterns are compiled when a source needs them, not at load.
  std::function<bool(std::string_view)> vouched;
  if (!a.no_cache) vouched = [dir = cache_dir(a)](std::string_view fingerprint) { return pipeline::ExtractionCache::vouches_for(dir, fingerprint); };
  auto loaded = load_rule_pack(a.rules_dir, "; nothing was written", event_pack(a.no_fallback), std::move(vouched));
  if (!loaded.ok()) return fail(loaded.status());
  const rules::RuleSet& pack = **loaded;
  if (Status usable = check_output_args(a.out); !usable.ok()) return fail(usable);
  if (Status known = check_doc_type(pack, a.doc_type); !known.ok()) return fail(known);

  std::optional<pipeline::ExtractionCache> cache;
  if (!a.no_cache) cache = pipeline::ExtractionCache::open(cache_dir(a), pack.fingerprint);
  pipeline::ScanOptions scan_options{*reference, a.threads, a.doc_type, /*shareable_names=*/true, cache ? &*cache : nullptr};
  pipeline::SourceList list = pipeline::list_sources(a.sources);
  // What merge needs of each source; its text and dates are gone once it is extracted.
  std::vector<Diagnostic> diagnostics = std::move(list.diagnostics);
  merge::MentionQueue mentions;
  std::vector<merge::SourceRecord> sources;
  std::size_t cached = 0, unread = 0;
  Progress progress(!a.out.quiet, list.files.size(), list.total_bytes);
  pipeline::stream_sources(pack, list, scan_options, [&](pipeline::SourceOutcome&& s) {
    progress.advance(s.bytes);
    diagnostics.insert(diagnostics.end(), s.diagnostics.begin(), s.diagnostics.end());
    cached += s.origin != pipeline::Origin::Extracted;
    unread += s.origin == pipeline::Origin::CachedFile;
    if (!s.extracted) return;
    std::move(s.extracted->events.begin(), s.extracted->events.end(), std::back_inserter(mentions));
    sources.push_back(std::move(s.extracted->source));
  });
  progress.clear();
  bool input_problems = report_diagnostics(diagnostics);
  if (cache) {
    if (Status saved = cache->save(); !saved.ok()) std::fprintf(stderr, "annals: warning: %s; the next build starts cold\n", saved.message().c_str());
    if (cached > 0 && !a.out.quiet)
      std::fprintf(stderr, "annals: %zu of %zu source(s) taken from the cache in %s (%zu not read again)\n", cached,
                   list.files.size(), cache_dir(a).string().c_str(), unread);
  }

  // An empty timeline over no sources is a mistake (a wrong folder, every
  // file unreadable), not a result: the previous outputs stay, and the exit
  // is 2 (nothing written), as merge's for parts that leave no source.
  if (sources.empty()) {
    std::string inputs;
    for (auto& s : a.sources) inputs += (inputs.empty() ? "" : ", ") + s;
    if (list.files.empty())
      std::fprintf(stderr, "annals: no sources: no .txt, .md or .html file in %s; nothing was written\n", inputs.c_str());
    else
      std::fprintf(stderr, "annals: no sources: none of the %zu file(s) in %s could be read; nothing was written\n",
                   list.files.size(), inputs.c_str());
    return kUsageError;
  }
  Timeline t = merge::merge(std::move(mentions), std::move(sources), std::move(diagnostics));
  t.rules_dir = ingest::shareable_path(pack.dir);
  std::vector<Diagnostic> info_problems;
  auto info = ingest::read_timeline_info(a.sources, info_problems);
  input_problems = report_diagnostics(info_problems) || input_problems;
  set_titles(t, a.out, std::move(info.title), std::move(info.description));

  if (Status written = write_timeline(t, a.out); !written.ok()) return fail(written);
  return input_problems ? kInputProblems : kOk;
}

}  // namespace

void register_build(CLI::App& app, int& exit_code) {
  auto args = std::make_shared<BuildArgs>();
  auto* cmd = app.add_subcommand("build", "Read SOURCES, build the timeline, write the outputs --format selects (HTML, CSV, JSON, TimelineJS)");
  cmd->add_option("sources", args->sources, "Source files or folders (.txt, .md, .html; folders are read recursively)")->required();
  add_rules_option(cmd, args->rules_dir);
  add_fallback_option(cmd, args->no_fallback);
  cmd->add_option("--reference-date", args->reference_date, "Publication date for every source, YYYY-MM-DD (overrides all others)");
  add_doc_type_option(cmd, args->doc_type);
  add_threads_option(cmd, args->threads);
  add_output_options(cmd, args->out);
  args->out.fixed_time = source_date_epoch();
  cmd->add_option("--cache", args->cache_dir,
                  "Folder of the extraction cache: a rebuild reads only the sources that changed (default: OUT/.annals-cache)");
  cmd->add_flag("--no-cache", args->no_cache, "Extract every source again, and neither read nor write the cache");
  add_quiet_option(cmd, args->out.quiet);
  cmd->add_flag("--watch", args->watch, "Rebuild whenever a source, rule or template changes; on rule errors keep the last good output");
  cmd->footer(
      "Examples:\n"
      "  annals build sources --out out\n"
      "      the sample sources as out/timeline.html, timeline.csv, mentions.csv and timeline.json\n"
      "  annals build ~/articles --reference-date 2025-03-07 --format html,csv --csv-dialect excel --watch\n"
      "      your own folder, every source dated 7 March 2025, rebuilt whenever a file changes");
  cmd->callback([args, &exit_code] {
    exit_code = args->watch ? watch_and_rebuild(watch_targets(args->sources, args->rules_dir, args->out.templates_dir, args->out.out_dir),
                                                [args] { return run_build(*args); })
                            : run_build(*args);
  });
}

}  // namespace annals::cli
