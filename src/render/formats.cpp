#include "render/formats.h"

#include "render/csv_mentions.h"
#include "render/csv_timeline.h"
#include "render/json.h"
#include "render/timelinejs.h"

namespace annals::render {
namespace {

Status write_html(const Timeline& t, const RenderOptions& o, std::vector<OutputFile>& out) {
  // Each page is rendered into its own string, one after the other.
  std::vector<OutputFile> pages;
  Status s = render_html_pages(t, o.html_template, o.html, [&](const std::string& name, const PageRenderer& render) {
    StringSink page;
    if (Status r = render(page); !r.ok()) return r;
    pages.push_back({name, std::move(page.text())});
    return Status();
  });
  if (!s.ok()) return Status::error("template error: " + s.message());
  for (auto& p : pages) out.push_back(std::move(p));
  return {};
}

Status write_csv(const Timeline& t, const RenderOptions& o, std::vector<OutputFile>& out) {
  out.push_back({"timeline.csv", render_csv(t, o.csv_dialect)});
  out.push_back({"mentions.csv", render_mentions_csv(t, o.csv_dialect)});
  return {};
}

Status write_json(const Timeline& t, const RenderOptions&, std::vector<OutputFile>& out) {
  out.push_back({"timeline.json", render_json(t)});
  return {};
}

Status write_timelinejs(const Timeline& t, const RenderOptions& o, std::vector<OutputFile>& out) {
  out.push_back({"timelinejs.csv", render_timelinejs_csv(t, o.csv_dialect, o.html.list_limit)});
  out.push_back({"timelinejs.json", render_timelinejs_json(t, o.html.list_limit)});
  return {};
}

}  // namespace

const std::vector<OutputFormat>& output_formats() {
  static const std::vector<OutputFormat> formats{
      {"html", {"timeline.html"}, write_html},
      {"csv", {"timeline.csv", "mentions.csv"}, write_csv},
      {"json", {"timeline.json"}, write_json},
      {"timelinejs", {"timelinejs.csv", "timelinejs.json"}, write_timelinejs},
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
