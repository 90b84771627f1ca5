// render/formats — the output formats `annals build --format` selects from.
// Each format is one writer of the whole timeline into one or more files of
// the output folder; adding a format means one new writer file and one line
// in formats.cpp. A format does not render anything itself: it names its
// files, each with the writer that streams it into an OutputSink when
// write_outputs (render/output.h) gets to it, so a format may make as many
// files as the timeline calls for and none of them is held in memory.
//
//   std::vector<OutputFile> files;
//   if (Status s = find_output_format("csv")->files(timeline, options, files); !s.ok()) ...
//   if (Status s = write_outputs("out", files); !s.ok()) ...   // timeline.csv, mentions.csv
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
  std::string_view name;  // as given to --format
  // Appends the format's files to `out`, each a name and its writer; on
  // failure appends nothing. The writers refer to `t` and `options`, which
  // must outlive them. A writer's failure is the format's own message (a
  // template error: "template error: ..."), not prefixed with the file.
  Status (*files)(const Timeline& t, const RenderOptions& options, std::vector<OutputFile>& out);
};

// Every format, in the order of the table above.
const std::vector<OutputFormat>& output_formats();

// The format called `name`, or nullptr.
const OutputFormat* find_output_format(std::string_view name);

// What `annals build` writes when --format is not given: html, csv, json.
std::vector<std::string> default_output_formats();

}  // namespace annals::render
