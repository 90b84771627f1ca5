// render/html — the timeline as one self-contained HTML page, rendered from
// a Mustache template (kainjow/mustache). The template decides the look; the
// C++ only prepares values: entries grouped by year and by month, dates as
// people write them (render/display.h), each entry's sources, the density of
// events per month, corpus counts. Every variable is documented in
// templates/README.md.
//
//   StringSink page;
//   if (Status s = render_html(timeline, template_text, options, page); !s.ok()) ...
//
// Cost: time and memory linear in the timeline, and the memory of one entry
// at a time. The template's values are made as the template reaches them:
// entering {{#years}}, {{#months}}, {{#entries}}, {{#mentions}}, {{#sources}}
// or {{#undated}} builds that one item, leaving it frees it, and the page
// goes to `out` line by line (a whole-timeline context tree took 1.7 GB and
// 10 s for 10,000 entries). Lists inside an entry (its mentions, sources and
// disputed dates) and a source's near-duplicates show at most
// HtmlOptions::list_limit items and say how many more there are, so no part
// of the page grows with the square of anything.
//
// Escaping: every value reaches the page through Mustache's {{var}}, which
// escapes & < > " '. Templates must not use {{{triple}}} or {{& }} on source
// text; the one pre-escaped value offered, `data_json`, is JSON with <, >, &
// and ' written as \u escapes, safe inside <script type="application/json">
// (made only when a template asks for it: it is the whole timeline).
// Urls come from source metadata and may be anything (javascript:, data:):
// a template links only through `link`, which is set only for http(s) urls
// (`safe_url`); the raw `url` is for showing as text.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "core/status.h"
#include "core/types.h"
#include "render/sink.h"

namespace annals::render {

struct HtmlOptions {
  std::string generated_at;      // shown in the header, e.g. "2026-11-23 11:40 UTC"
  std::string generated_at_iso;  // the same instant for <time datetime>, e.g. "2026-11-23T11:40Z"
  // At most this many items in each list inside an entry (mentions, sources,
  // disputed dates) and in a source's near-duplicates; the rest is counted
  // ("and 37 more"). Every item is in timeline.csv and timeline.json.
  std::size_t list_limit = 8;
};

// Renders `t` with `template_text` into `out`. A template that does not
// parse is an error, and nothing is written.
Status render_html(const Timeline& t, const std::string& template_text, const HtmlOptions& options, OutputSink& out);

// The same, into a string.
Result<std::string> render_html(const Timeline& t, const std::string& template_text, const HtmlOptions& options);

// True when `url` may become a link: it starts with http:// or https://
// (any case) and holds no spaces or control characters. Everything else
// (javascript:, data:, relative paths, " javascript:") is shown as text only.
bool is_web_url(std::string_view url);

// More months than this between the first and the last entry and the density
// strip counts events per year instead of per month.
inline constexpr int kMaxDensityMonths = 120;

}  // namespace annals::render
