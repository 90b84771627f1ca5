// render/html — the timeline as one self-contained HTML page, rendered from
// a Mustache template (kainjow/mustache). The template decides the look; the
// C++ only prepares values: entries grouped by year and by month, dates as
// people write them (render/display.h), each entry's sources, the density of
// events per month, corpus counts. Every variable is documented in
// templates/README.md.
//
//   Result<std::string> page = render_html(timeline, template_text, {"2026-11-23 11:40 UTC", "2026-11-23T11:40Z"});
//
// Escaping: every value reaches the page through Mustache's {{var}}, which
// escapes & < > " '. Templates must not use {{{triple}}} or {{& }} on source
// text; the one pre-escaped value offered, `data_json`, is JSON with <, >, &
// and ' written as \u escapes, safe inside <script type="application/json">.
// Urls come from source metadata and may be anything (javascript:, data:):
// a template links only through `link`, which is set only for http(s) urls
// (`safe_url`); the raw `url` is for showing as text.
#pragma once

#include <string>
#include <string_view>

#include "core/status.h"
#include "core/types.h"

namespace annals::render {

struct HtmlOptions {
  std::string generated_at;      // shown in the header, e.g. "2026-11-23 11:40 UTC"
  std::string generated_at_iso;  // the same instant for <time datetime>, e.g. "2026-11-23T11:40Z"
};

// Renders `t` with `template_text`. Fails on a template error, with the
// Mustache parser's message.
[[nodiscard]] Result<std::string> render_html(const Timeline& t, const std::string& template_text,
                                              const HtmlOptions& options);

// True when `url` may become a link: it starts with http:// or https://
// (any case) and holds no spaces or control characters. Everything else
// (javascript:, data:, relative paths, " javascript:") is shown as text only.
bool is_web_url(std::string_view url);

// More months than this between the first and the last entry and the density
// strip counts events per year instead of per month.
inline constexpr int kMaxDensityMonths = 120;

}  // namespace annals::render
