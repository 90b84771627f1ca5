#include "cli/outputs.h"

#include <algorithm>
#include <chrono>
#include <cstdlib>

#include <fmt/chrono.h>
#include <fmt/format.h>

#include "cli/commands.h"
#include "core/files.h"
#include "render/output.h"

namespace annals::cli {
namespace {

std::filesystem::path template_path(const OutputArgs& a) {
  auto dir = a.templates_dir.empty() ? default_data_path("templates") : std::filesystem::path(a.templates_dir);
  return dir / (a.template_name + ".html.mustache");
}

bool wants(const OutputArgs& a, const char* format) { return std::find(a.formats.begin(), a.formats.end(), format) != a.formats.end(); }

// The template's text, or why it cannot be had.
Result<std::string> read_template(const OutputArgs& a) {
  auto path = template_path(a);
  std::string text;
  std::error_code ec = read_file(path, text);
  if (ec == std::errc::no_such_file_or_directory) return Status::error("template not found: " + path.string());
  if (ec) return Status::os_error("cannot read template " + path.string(), ec);
  return text;
}

}  // namespace

void add_output_options(CLI::App* cmd, OutputArgs& args) {
  cmd->add_option("--templates", args.templates_dir, "Templates folder (default: ./templates if there is one, else the installed ones)");
  cmd->add_option("--template", args.template_name, "Template name: templates/NAME.html.mustache (default: timeline)");
  cmd->add_option("--out", args.out_dir, "Output folder (default: ./out)");
  std::vector<std::string> format_names;
  for (auto& f : render::output_formats()) format_names.emplace_back(f.name);
  cmd->add_option("--format", args.formats,
                  "Outputs to write, comma-separated: html, csv (timeline.csv and mentions.csv), json, timelinejs (default: html,csv,json)")
      ->delimiter(',')
      ->check(CLI::IsMember(format_names));
  cmd->add_option("--csv-dialect", args.csv_dialect, "CSV files: plain (UTF-8, LF; default) or excel (UTF-8 with BOM, CRLF)")
      ->check(CLI::IsMember({"plain", "excel"}));
  cmd->add_option("--html-pages", args.html_pages,
                  "timeline.html as one page (single), as an index with a page per year (paged), or paged when the one "
                  "page would be above --html-page-budget (auto; default)")
      ->check(CLI::IsMember({"auto", "single", "paged"}));
  cmd->add_option("--html-page-budget", args.html_page_budget_mb,
                  "Estimated page size in MB above which auto pages the timeline and a year page is split by month (default: 20)")
      ->check(CLI::PositiveNumber);
  cmd->add_option("--title", args.title, "What the timeline is about: the page's heading and the TimelineJS title slide");
  cmd->add_option("--description", args.description, "A sentence or two under the title (page and TimelineJS title slide)");
}

void set_titles(Timeline& t, const OutputArgs& a, std::string title, std::string description) {
  t.title = !a.title.empty() ? a.title : std::move(title);
  t.description = !a.description.empty() ? a.description : std::move(description);
}

std::optional<long long> source_date_epoch() {
  const char* v = std::getenv("SOURCE_DATE_EPOCH");
  if (!v || !*v) return std::nullopt;
  char* end = nullptr;
  long long n = std::strtoll(v, &end, 10);
  if (*end != '\0') return std::nullopt;
  return n;
}

Status check_output_args(const OutputArgs& a) {
  if (!wants(a, "html")) return Status();
  return read_template(a).status();
}

Status write_timeline(const Timeline& t, const OutputArgs& a) {
  std::string template_text;
  if (wants(a, "html")) {
    auto text = read_template(a);
    if (!text.ok()) return text.status();
    template_text = std::move(*text);
  }
  auto now = a.fixed_time ? std::time_t(*a.fixed_time) : std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  render::HtmlOptions html_options;
  html_options.generated_at = fmt::format("{:%Y-%m-%d %H:%M} UTC", fmt::gmtime(now));
  html_options.generated_at_iso = fmt::format("{:%Y-%m-%dT%H:%M}Z", fmt::gmtime(now));
  html_options.layout = a.html_pages == "single"  ? render::HtmlLayout::Single
                        : a.html_pages == "paged" ? render::HtmlLayout::Paged
                                                  : render::HtmlLayout::Auto;
  html_options.page_budget = std::size_t(a.html_page_budget_mb * 1e6);
  render::RenderOptions render_options{*render::parse_csv_dialect(a.csv_dialect), template_text, html_options};
  std::vector<render::OutputFile> files;
  for (auto it = a.formats.begin(); it != a.formats.end(); ++it) {
    const std::string& name = *it;
    if (std::find(a.formats.begin(), it, name) != it) continue;  // "csv,csv" writes csv once
    // A format's failure names the format (html: its template) however far
    // the writing had gone.
    std::string who = name == "html" ? template_path(a).string() : name;
    std::size_t first = files.size();
    if (Status listed = render::find_output_format(name)->files(t, render_options, files); !listed.ok())
      return Status::error(fmt::format("{}: {}; nothing was written", who, listed.message()));
    for (std::size_t i = first; i < files.size(); ++i)
      files[i].write = [who, write = std::move(files[i].write)](render::OutputSink& out) {
        Status s = write(out);
        return s.ok() ? s : Status::error(who + ": " + s.message());
      };
  }
  // A paged timeline's pages of an earlier run go when html is written again.
  bool html = wants(a, "html");
  auto retired = [html](const std::string& name) { return html && render::is_html_page_name(name); };
  if (Status written = render::write_outputs(a.out_dir, files, retired); !written.ok())
    return Status::error(written.message() + "; nothing was written");
  std::string written;
  std::size_t pages = std::count_if(files.begin(), files.end(), [](auto& f) { return render::is_html_page_name(f.name); });
  for (auto& f : files) {
    if (render::is_html_page_name(f.name)) continue;
    written += (written.empty() ? "" : ", ") + f.name;
    if (f.name == "timeline.html" && pages) written += fmt::format(" (the index of {} timeline-*.html pages)", pages);
  }
  std::size_t dated_mentions = 0;
  for (auto& e : t.entries) dated_mentions += e.mentions.size();
  if (!a.quiet)
    std::fprintf(stderr,
               "annals: %zu source(s), %zu timeline entr%s from %zu dated mention(s), %zu undated mention(s), %zu near-duplicate group(s); wrote %s in %s\n",
               t.sources.size(), t.entries.size(), t.entries.size() == 1 ? "y" : "ies", dated_mentions, t.undated.size(),
               t.near_duplicates.size(), written.c_str(), a.out_dir.c_str());
  return Status();
}

}  // namespace annals::cli
