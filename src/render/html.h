// render/html — the timeline as one self-contained HTML page, rendered from
// a Mustache template (kainjow/mustache). The template decides the look; the
// variables it can use are documented in templates/README.md.
//
// Escaping: every value reaches the page through Mustache's {{var}}, which
// escapes & < > " '. Templates must not use {{{triple}}} or {{& }} on source
// text; the one pre-escaped value offered, `data_json`, is JSON with <, >, &
// and ' written as \u escapes, safe inside <script type="application/json">.
#pragma once

#include <string>

#include "core/types.h"

namespace annals::render {

struct HtmlOptions {
  std::string generated_at;   // shown in the header, e.g. "2026-11-23 11:40 UTC"
};

// Renders `t` with `template_text`. On a template error returns "" and sets *error.
std::string render_html(const Timeline& t, const std::string& template_text, const HtmlOptions& options,
                        std::string* error);

}  // namespace annals::render
