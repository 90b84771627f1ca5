// render/formats — the output formats `annals build --format` selects from.
// Each format is one writer of the whole timeline into one or more files of
// the output folder; adding a format means one new writer file and one line
// in formats.cpp.
//
//   html        timeline.html, and when paged   (render/html.h)
//               timeline-*.html
//   csv         timeline.csv and mentions.csv   (render/csv_timeline.h, csv_mentions.h)
//   json        timeline.json                   (render/json.h)
//   timelinejs  timelinejs.csv, timelinejs.json (render/timelinejs.h)
//
// The registry is an immutable table: safe to read from any thread.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "core/types.h"
#include "render/csv.h"
#include "render/html.h"
#include "render/output.h"

namespace annals::render {

// What the writers need besides the timeline.
struct RenderOptions {
  CsvDialect csv_dialect = CsvDialect::Plain;  // every CSV file of the run
  std::string html_template;                   // Mustache template text; "html" only
  HtmlOptions html;
};

struct OutputFormat {
  std::string_view name;         // as given to --format
  std::vector<std::string_view> files;  // the files it writes
  // Appends the format's files to `out`; on failure appends nothing.
  Status (*render)(const Timeline& t, const RenderOptions& options, std::vector<OutputFile>& out);
};

// Every format, in the order of the table above.
const std::vector<OutputFormat>& output_formats();

// The format called `name`, or nullptr.
const OutputFormat* find_output_format(std::string_view name);

// What `annals build` writes when --format is not given: html, csv, json.
std::vector<std::string> default_output_formats();

}  // namespace annals::render
