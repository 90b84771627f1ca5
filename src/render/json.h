// render/json — the timeline as JSON: every entry with its date, mentions and
// provenance, the undated mentions, the sources and the diagnostics. The
// format is documented in README.md ("timeline.json").
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "core/types.h"
#include "render/sink.h"

namespace annals::render {

nlohmann::json timeline_json(const Timeline& t);
nlohmann::json mention_json(const EventMention& m);
nlohmann::json source_json(const SourceInfo& s);

// Pretty-printed, UTF-8, ends with a newline: timeline_json(t).dump(2),
// written into `out` an entry at a time, so that no JSON tree (it took
// several times the timeline's own memory) nor text of the whole timeline
// is ever held.
void render_json(const Timeline& t, OutputSink& out);
// The same, as a string.
std::string render_json(const Timeline& t);

// The pieces of a streamed dump(2), for the writers of other JSON files
// (timelinejs.h). Invalid UTF-8 is replaced with U+FFFD, as everywhere.
//
// `j` as dump(2) writes it `depth` levels deep: its lines after the first
// indented by 2 * depth more.
void write_json_indented(OutputSink& out, const nlohmann::json& j, int depth);

// The value of a key of the top-level object that is an array of `items`,
// each written by `write(out, item)` as dump(2) writes it two levels deep.
template <typename Items, typename Write>
void write_json_items(OutputSink& out, const Items& items, Write write) {
  if (items.empty()) {
    out.write("[]");
    return;
  }
  out.write("[\n");
  bool first = true;
  for (auto& item : items) {
    out.write(first ? "    " : ",\n    ");
    first = false;
    write(out, item);
  }
  out.write("\n  ]");
}

// The same, each item made into JSON by `make` only when it is written.
template <typename Items, typename Make>
void write_json_array(OutputSink& out, const Items& items, Make make) {
  write_json_items(out, items, [&](OutputSink& o, const auto& item) { write_json_indented(o, make(item), 2); });
}

}  // namespace annals::render
