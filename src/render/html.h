// render/html — the timeline as self-contained HTML pages, rendered from
// a Mustache template (kainjow/mustache). The template decides the look; the
// C++ only prepares values: entries grouped by year and by month, dates as
// people write them (render/display.h), each entry's sources, the density of
// events per month, corpus counts. Every variable is documented in
// templates/README.md.
//
//   StringSink page;
//   if (Status s = render_html(timeline, template_text, options, page); !s.ok()) ...
//
// Pages: a timeline whose page would be bigger than HtmlOptions::page_budget
// (estimated before rendering, see estimated_page_bytes) is rendered as
// several pages, each self-contained: timeline.html becomes an index (header,
// totals, density strip, the years with their counts, links to every page),
// timeline-YYYY.html holds one year (timeline-YYYY-MM.html one month, for a
// year that is itself above the budget), timeline-undated-K.html and
// timeline-sources-K.html the undated mentions and the sources, a fixed
// number per page. render_html_pages hands each page to a callback that
// renders it into the sink it chooses, one page at a time.
//
// Cost: time and memory linear in the timeline, and the memory of one entry
// at a time. The template's values are made as the template reaches them:
// an item of {{#years}}, {{#months}}, {{#entries}}, {{#mentions}},
// {{#sources}}, {{#undated}} and the lists inside them makes only the values
// the template asks it for (render/lazy_context.h), leaving it frees them,
// and the page goes to `out` line by line (a whole-timeline context tree
// took 1.7 GB and 10 s for 10,000 entries). Lists inside an entry (its mentions, sources and
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
#include <functional>
#include <string>
#include <string_view>

#include "core/status.h"
#include "core/types.h"
#include "render/sink.h"

namespace annals::render {

// One page, or an index and a page per year (see the top of this file).
enum class HtmlLayout {
  Auto,    // paged when the one page would be above page_budget
  Single,  // always one page, timeline.html
  Paged,   // always the index and the year, undated and source pages
};

struct HtmlOptions {
  std::string generated_at;      // shown in the header, e.g. "2026-11-23 11:40 UTC"
  std::string generated_at_iso;  // the same instant for <time datetime>, e.g. "2026-11-23T11:40Z"
  // At most this many items in each list inside an entry (mentions, sources,
  // disputed dates) and in a source's near-duplicates; the rest is counted
  // ("and 37 more"). Every item is in timeline.csv and timeline.json.
  std::size_t list_limit = 8;
  HtmlLayout layout = HtmlLayout::Auto;
  // The estimated size (bytes) above which Auto pages the timeline and a
  // year page is split into month pages. 20 MB: a page a browser still
  // opens in a few seconds, about 20,000 entries of a news archive; a month
  // page is not split further.
  std::size_t page_budget = 20'000'000;
  // Undated mentions and sources per page of their own, when paged.
  std::size_t undated_per_page = 1000;
  std::size_t sources_per_page = 2000;
};

// Renders `t` with `template_text` as one page into `out`, whatever
// options.layout says. A template that does not parse is an error, and
// nothing is written.
Status render_html(const Timeline& t, const std::string& template_text, const HtmlOptions& options, OutputSink& out);

// The same, into a string.
Result<std::string> render_html(const Timeline& t, const std::string& template_text, const HtmlOptions& options);

// Renders one page into the sink it is given.
using PageRenderer = std::function<Status(OutputSink& out)>;
// Called once per page, index first: `file_name` ("timeline.html",
// "timeline-2025.html") and how to render it. The callback chooses the sink
// (a file, a string) and returns what rendering or writing returned; a
// failure stops the run and is returned.
using PageCallback = std::function<Status(const std::string& file_name, const PageRenderer& render)>;

// The pages of `t`, index first, as options.layout and options.page_budget
// decide: each a file name and its renderer. The renderers refer to `t` and
// `options`, which must outlive them, and share the timeline's indexes; they
// run one at a time, in any order, each holding one page's values while it
// runs. A template that does not parse is an error.
struct HtmlPage {
  std::string file_name;
  PageRenderer render;
};
[[nodiscard]] Result<std::vector<HtmlPage>> plan_html_pages(const Timeline& t, const std::string& template_text,
                                                            const HtmlOptions& options);

// Renders `t` as one page (timeline.html) or as pages, as options.layout
// and options.page_budget decide, handing each page to `each_page`. Memory:
// the indexes of the timeline (a few words per entry) and one page's values
// at a time. A template that does not parse is an error, and no page is
// handed over.
[[nodiscard]] Status render_html_pages(const Timeline& t, const std::string& template_text, const HtmlOptions& options,
                                       const PageCallback& each_page);

// What the single page of `t` is expected to weigh with the default
// template, in bytes: the estimate Auto compares with page_budget.
std::size_t estimated_page_bytes(const Timeline& t, std::size_t template_size, std::size_t list_limit);

// True when `options` render `t` as several pages.
bool renders_paged(const Timeline& t, std::size_t template_size, const HtmlOptions& options);

// True for the names of the pages a paged timeline adds to timeline.html
// ("timeline-2025.html", "timeline-sources-2.html"): what a new run of the
// html format replaces, whether or not it writes them again.
bool is_html_page_name(std::string_view name);

// True when `url` may become a link: it starts with http:// or https://
// (any case) and holds no spaces or control characters. Everything else
// (javascript:, data:, relative paths, " javascript:") is shown as text only.
bool is_web_url(std::string_view url);

// More months than this between the first and the last entry and the density
// strip counts events per year instead of per month.
inline constexpr int kMaxDensityMonths = 120;

}  // namespace annals::render
