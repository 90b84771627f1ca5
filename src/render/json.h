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

// Pretty-printed, UTF-8, ends with a newline: timeline_json(t).dump(2),
// written an entry at a time, so that no JSON tree of the whole timeline is
// ever held (it took several times the timeline's own memory).
std::string render_json(const Timeline& t);

}  // namespace annals::render
