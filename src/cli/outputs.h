// cli/outputs — the output options `build` and `merge` share, and the one
// place that renders a timeline into the files --format selects and writes
// them atomically.
#pragma once

#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "core/status.h"
#include "core/types.h"
#include "render/formats.h"

namespace annals::cli {

struct OutputArgs {
  std::string templates_dir, out_dir = "out", template_name = "timeline";
  std::vector<std::string> formats = render::default_output_formats();
  std::string csv_dialect = "plain";
  // --html-pages auto|single|paged and --html-page-budget MB (render/html.h).
  std::string html_pages = "auto";
  double html_page_budget_mb = 20;
  // --title / --description: what the timeline is about (the page's heading,
  // the TimelineJS title slide). They win over a folder's sources.toml.
  std::string title, description;
  // When set (from the SOURCE_DATE_EPOCH environment variable, read in the
  // CLI layer only), the generation time shown in the page, so that runs over
  // the same inputs are byte-identical.
  std::optional<long long> fixed_time;
  bool quiet = false;  // --quiet: no summary line
};

// Adds --templates, --template, --out, --format, --csv-dialect, --html-pages, --html-page-budget,
// --title and --description to `cmd`.
void add_output_options(CLI::App* cmd, OutputArgs& args);

// The value of SOURCE_DATE_EPOCH, if set to a number.
std::optional<long long> source_date_epoch();

// Checks the options that can be checked before any work: the template can
// be read when html is wanted.
[[nodiscard]] Status check_output_args(const OutputArgs& args);

// Sets t's title and description: --title / --description, else `title` /
// `description` (what the sources' folder says, for build).
void set_titles(Timeline& t, const OutputArgs& args, std::string title = {}, std::string description = {});

// Renders `t` into every selected format, each file streamed into its
// temporary, puts the files in place as one set (render/output.h), then
// prints a summary of what was written to stderr (unless args.quiet).
// Fails, having replaced nothing, on a template error or a file that cannot
// be written.
[[nodiscard]] Status write_timeline(const Timeline& t, const OutputArgs& args);

}  // namespace annals::cli
