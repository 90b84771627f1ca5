#include "render/formats.h"

#include "render/csv_mentions.h"
#include "render/csv_timeline.h"
#include "render/json.h"
#include "render/timelinejs.h"

namespace annals::render {
namespace {

// The writer of a file whose writing cannot fail (only the sink can).
template <typename Write>
OutputWriter cannot_fail(Write write) {
  return [write](OutputSink& sink) {
    write(sink);
    return Status();
  };
}

Status html_files(const Timeline& t, const RenderOptions& o, std::vector<OutputFile>& out) {
  auto pages = plan_html_pages(t, o.html_template, o.html);
  if (!pages.ok()) return Status::error("template error: " + pages.status().message());
  for (HtmlPage& p : *pages)
    out.push_back({std::move(p.file_name), [render = std::move(p.render)](OutputSink& sink) {
                     Status s = render(sink);
                     return s.ok() ? s : Status::error("template error: " + s.message());
                   }});
  return {};
}

Status csv_files(const Timeline& t, const RenderOptions& o, std::vector<OutputFile>& out) {
  out.push_back({"timeline.csv", cannot_fail([&t, &o](OutputSink& sink) { render_csv(t, o.csv_dialect, sink); })});
  out.push_back({"mentions.csv", cannot_fail([&t, &o](OutputSink& sink) { render_mentions_csv(t, o.csv_dialect, sink); })});
  return {};
}

Status json_files(const Timeline& t, const RenderOptions&, std::vector<OutputFile>& out) {
  out.push_back({"timeline.json", cannot_fail([&t](OutputSink& sink) { render_json(t, sink); })});
  return {};
}

Status timelinejs_files(const Timeline& t, const RenderOptions& o, std::vector<OutputFile>& out) {
  std::size_t limit = o.html.list_limit;
  out.push_back({"timelinejs.csv", cannot_fail([&t, &o, limit](OutputSink& sink) { render_timelinejs_csv(t, o.csv_dialect, limit, sink); })});
  out.push_back({"timelinejs.json", cannot_fail([&t, limit](OutputSink& sink) { render_timelinejs_json(t, limit, sink); })});
  return {};
}

}  // namespace

const std::vector<OutputFormat>& output_formats() {
  static const std::vector<OutputFormat> formats{
      {"html", html_files},
      {"csv", csv_files},
      {"json", json_files},
      {"timelinejs", timelinejs_files},
  };
  return formats;
}

const OutputFormat* find_output_format(std::string_view name) {
  for (auto& f : output_formats())
    if (f.name == name) return &f;
  return nullptr;
}

std::vector<std::string> default_output_formats() { return {"html", "csv", "json"}; }

}  // namespace annals::render
