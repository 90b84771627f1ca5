// render/json — the timeline as JSON: every entry with its date, mentions and
// provenance, the undated mentions, the sources and the diagnostics. The
// format is documented in README.md ("timeline.json").
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "core/types.h"

namespace annals::render {

nlohmann::json timeline_json(const Timeline& t);
nlohmann::json mention_json(const EventMention& m);
nlohmann::json source_json(const SourceInfo& s);

// Pretty-printed, UTF-8, ends with a newline.
std::string render_json(const Timeline& t);

}  // namespace annals::render
