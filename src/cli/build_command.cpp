// `annals build SOURCES... [--rules DIR] [--out DIR] [--reference-date D]`:
// the whole pipeline, from sources to the outputs --format selects (render/formats.h).
#include <algorithm>
#include <chrono>
#include <fstream>
#include <sstream>

#include <fmt/chrono.h>
#include <fmt/format.h>

#include "cli/commands.h"
#include "cli/watch.h"
#include "merge/merge.h"
#include "pipeline/pipeline.h"
#include "render/formats.h"
#include "render/output.h"
#include "rules/rules.h"
#include "temporal/calendar.h"

namespace annals::cli {
namespace {

struct BuildArgs {
  std::vector<std::string> sources;
  std::string rules_dir, templates_dir, out_dir = "out", template_name = "timeline", reference_date;
  unsigned threads = 0;
  bool watch = false;  // --watch: rebuild on changes (cli/watch.h)
  std::vector<std::string> formats = render::default_output_formats();  // names from render/formats.h
  std::string csv_dialect = "plain";
};


void print(const std::vector<Diagnostic>& diags) {
  for (auto& d : diags) std::fprintf(stderr, "%s\n", format_diagnostic(d).c_str());
}

int run_build(const BuildArgs& a) {
  std::optional<date::sys_days> reference;
  if (!a.reference_date.empty()) {
    reference = temporal::parse_iso_day(a.reference_date);
    if (!reference || a.reference_date.size() != 10) {
      std::fprintf(stderr, "annals: --reference-date must be YYYY-MM-DD, got \"%s\"\n", a.reference_date.c_str());
      return kUsageError;
    }
  }
  auto rules_dir = a.rules_dir.empty() ? default_data_path("rules") : std::filesystem::path(a.rules_dir);
  auto loaded = rules::load_rules(rules_dir);
  print(loaded.diagnostics);
  if (!loaded.ok()) {
    std::fprintf(stderr, "annals: the rule pack in %s has errors; nothing was written\n", rules_dir.string().c_str());
    return kUsageError;
  }
  auto templates_dir = a.templates_dir.empty() ? default_data_path("templates") : std::filesystem::path(a.templates_dir);
  auto template_path = templates_dir / (a.template_name + ".html.mustache");
  bool wants_html = std::find(a.formats.begin(), a.formats.end(), "html") != a.formats.end();
  std::ifstream tin(template_path, std::ios::binary);
  if (wants_html && !tin) {
    std::fprintf(stderr, "annals: template not found: %s\n", template_path.string().c_str());
    return kUsageError;
  }
  std::stringstream tss;
  tss << tin.rdbuf();

  pipeline::ScanOptions scan_options{reference, a.threads};
  auto scan = pipeline::scan_sources(*loaded.rules, a.sources, scan_options);
  print(scan.diagnostics);

  Timeline t = merge::merge(std::move(scan.mentions), pipeline::source_records(scan.sources), scan.diagnostics);
  t.rules_dir = rules_dir.string();

  render::HtmlOptions html_options;
  html_options.generated_at = fmt::format("{:%Y-%m-%d %H:%M} UTC", fmt::gmtime(std::chrono::system_clock::to_time_t(std::chrono::system_clock::now())));
  html_options.generated_at_iso = html_options.generated_at.substr(0, 10) + "T" + html_options.generated_at.substr(11, 5) + "Z";
  render::RenderOptions render_options{*render::parse_csv_dialect(a.csv_dialect), tss.str(), html_options};
  std::vector<render::OutputFile> files;
  std::string written;
  for (auto it = a.formats.begin(); it != a.formats.end(); ++it) {
    const std::string& name = *it;
    if (std::find(a.formats.begin(), it, name) != it) continue;  // "csv,csv" writes csv once
    if (auto err = render::find_output_format(name)->render(t, render_options, files); !err.empty()) {
      std::fprintf(stderr, "%s: %s\n", name == "html" ? template_path.string().c_str() : name.c_str(), err.c_str());
      return kUsageError;
    }
  }
  for (auto& f : files) written += (written.empty() ? "" : ", ") + f.name;
  if (auto err = render::write_outputs(a.out_dir, files); !err.empty()) {
    std::fprintf(stderr, "annals: %s; nothing was written\n", err.c_str());
    return kUsageError;
  }
  std::size_t dated_mentions = 0;
  for (auto& e : t.entries) dated_mentions += e.mentions.size();
  std::fprintf(stderr, "annals: %zu source(s), %zu timeline entr%s from %zu dated mention(s), %zu undated mention(s); wrote %s in %s\n",
               t.sources.size(), t.entries.size(), t.entries.size() == 1 ? "y" : "ies", dated_mentions, t.undated.size(),
               written.c_str(), a.out_dir.c_str());
  bool input_problems = std::any_of(scan.diagnostics.begin(), scan.diagnostics.end(),
                                    [](auto& d) { return d.severity != Severity::Note; });
  return input_problems ? kInputProblems : kOk;
}

}  // namespace

void register_build(CLI::App& app, int& exit_code) {
  auto args = std::make_shared<BuildArgs>();
  auto* cmd = app.add_subcommand("build", "Read SOURCES, build the timeline, write the outputs --format selects (HTML, CSV, JSON, TimelineJS)");
  cmd->add_option("sources", args->sources, "Source files or folders (.txt, .md, .html; folders are read recursively)")->required();
  cmd->add_option("--rules", args->rules_dir, "Rule pack folder (default: ./rules)");
  cmd->add_option("--templates", args->templates_dir, "Templates folder (default: ./templates)");
  cmd->add_option("--template", args->template_name, "Template name: templates/NAME.html.mustache (default: timeline)");
  cmd->add_option("--out", args->out_dir, "Output folder (default: ./out)");
  cmd->add_option("--reference-date", args->reference_date, "Publication date for every source, YYYY-MM-DD (overrides all others)");
  cmd->add_option("-j,--threads", args->threads, "Worker threads (default: one per core)");
  std::vector<std::string> format_names;
  for (auto& f : render::output_formats()) format_names.emplace_back(f.name);
  cmd->add_option("--format", args->formats, "Outputs to write, comma-separated: html, csv (timeline.csv and mentions.csv), json, timelinejs (default: html,csv,json)")
      ->delimiter(',')
      ->check(CLI::IsMember(format_names));
  cmd->add_option("--csv-dialect", args->csv_dialect, "CSV files: plain (UTF-8, LF; default) or excel (UTF-8 with BOM, CRLF)")
      ->check(CLI::IsMember({"plain", "excel"}));
  cmd->add_flag("--watch", args->watch, "Rebuild whenever a source, rule or template changes; on rule errors keep the last good output");
  cmd->callback([args, &exit_code] {
    exit_code = args->watch ? watch_and_rebuild(watch_targets(args->sources, args->rules_dir, args->templates_dir, args->out_dir),
                                                [args] { return run_build(*args); })
                            : run_build(*args);
  });
}

}  // namespace annals::cli
