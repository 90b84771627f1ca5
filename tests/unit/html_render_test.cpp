// render/html: the values offered to templates (grouping, density, sources,
// evidence pieces, urls) and the escaping of everything from sources.
#include <doctest/doctest.h>

#include <fmt/format.h>
#include <kainjow/mustache.hpp>

#include "html_fixtures.h"
#include "render/html.h"
#include "temporal/calendar.h"

using namespace annals;

namespace {

using html_fixtures::mention;

TimelineEntry entry(std::string id, std::string date_value, std::string title = "Event") {
  TimelineEntry e;
  e.event_id = std::move(id);
  e.title = std::move(title);
  e.category = "cat";
  e.date = *temporal::interval_of(date_value);
  e.mentions.push_back(mention("a.txt", date_value));
  return e;
}

std::string render_page(const Timeline& t, const std::string& tmpl, render::HtmlOptions options = {}) {
  options.generated_at = "2026-01-02 03:04 UTC";
  options.generated_at_iso = "2026-01-02T03:04Z";
  Result<std::string> out = render::render_html(t, tmpl, options);
  INFO(out.status().message());
  REQUIRE(out.ok());
  return *out;
}

}  // namespace

TEST_CASE("only http and https urls may become links") {
  CHECK(render::is_web_url("https://example.org/a?b=c"));
  CHECK(render::is_web_url("HTTP://EXAMPLE.ORG"));
  CHECK_FALSE(render::is_web_url("javascript:alert(1)"));
  CHECK_FALSE(render::is_web_url(" https://example.org"));
  CHECK_FALSE(render::is_web_url("JaVaScRiPt:x"));
  CHECK_FALSE(render::is_web_url("data:text/html,<script>x</script>"));
  CHECK_FALSE(render::is_web_url("https://"));
  CHECK_FALSE(render::is_web_url("https://example.org/\njavascript:x"));
  CHECK_FALSE(render::is_web_url("//example.org"));
  CHECK_FALSE(render::is_web_url(""));
}

TEST_CASE("entries are grouped by year, then by month, with coarse dates in their own group") {
  Timeline t;
  t.entries = {entry("e1", "2024"), entry("e2", "2024-03"), entry("e3", "2024-03-07"), entry("e4", "2025-W10")};
  auto out = render_page(t, "{{#years}}[{{year}} {{count}}:{{#months}}({{label}}|{{anchor}}|{{#precise}}p{{/precise}}:"
                       "{{#entries}}{{event_id}} {{/entries}}){{/months}}]{{/years}}");
  CHECK(out == "[2024 3:(2024|p2024|:e1 )(March 2024|m2024-03|p:e2 e3 )]"
               "[2025 1:(March 2025|m2025-03|p:e4 )]");
}

TEST_CASE("the density strip has a bin for every month between the first and last entry, empty ones included") {
  Timeline t;
  t.entries = {entry("e1", "2025-01-05"), entry("e2", "2025-01-20"), entry("e3", "2025-04")};
  auto out = render_page(t, "{{#density}}{{key}}={{count}}/{{percent}}{{#anchor}}@{{anchor}}{{/anchor}} {{/density}}");
  CHECK(out == "2025-01=2/100@m2025-01 2025-02=0/0 2025-03=0/0 2025-04=1/50@m2025-04 ");
}

TEST_CASE("a timeline longer than ten years gets one density bin per year") {
  Timeline t;
  t.entries = {entry("e1", "2001-05"), entry("e2", "2015-02")};
  auto out = render_page(t, "{{#density_by_year}}years:{{/density_by_year}}{{#density}}{{key}} {{/density}}");
  CHECK(out.starts_with("years:2001 2002 "));
  CHECK(out.ends_with("2014 2015 "));
}

TEST_CASE("a date inside the event match is printed once, as a date piece marked in_event") {
  Timeline t;
  TimelineEntry e = entry("e1", "2025-03");
  auto& m = e.mentions[0];
  m.evidence = "Baidu earlier this month said it would.";
  m.evidence_event = {0, 38};
  m.evidence_date = Span{6, 24};
  t.entries = {e};
  auto out = render_page(t, "{{#years}}{{#entries}}{{#mentions}}{{#segments}}{{#event}}<e>{{text}}</e>{{/event}}"
                       "{{#date}}<d{{#in_event}} in{{/in_event}}>{{text}}</d>{{/date}}{{#plain}}{{text}}{{/plain}}"
                       "{{/segments}}{{/mentions}}{{/entries}}{{/years}}");
  CHECK(out == "<e>Baidu </e><d in>earlier this month</d><e> said it would</e>.");
}

TEST_CASE("source text and metadata are escaped, and a javascript: url gives no link") {
  Timeline t;
  TimelineEntry e = entry("e1", "2025-03-07", "<script>x()</script>");
  e.mentions[0].source.edit().outlet = "\"><img src=x onerror=y()>";
  e.mentions[0].source.edit().url = "javascript:alert(1)";
  t.entries = {e};
  auto out = render_page(t, "{{#years}}{{#entries}}{{title}}|{{#mentions}}{{source_name}}|{{#link}}LINK{{/link}}"
                       "{{^link}}{{url}}{{/link}}{{/mentions}}{{/entries}}{{/years}}");
  CHECK(out == "&lt;script&gt;x()&lt;/script&gt;|&quot;&gt;&lt;img src=x onerror=y()&gt;|javascript:alert(1)");
}

TEST_CASE("a date counted from an earlier one offers that date's text, escaped, and other dates offer none") {
  Timeline t;
  TimelineEntry e = entry("e1", "2025-01-29");
  e.mentions.push_back(e.mentions[0]);
  e.mentions[0].date->anchor = DateMention::Anchor{{0, 10}, "<b>27</b> January"};
  t.entries = {e};
  auto out = render_page(t, "{{#years}}{{#entries}}{{#mentions}}[{{#date_counted_from}}{{date_counted_from}}{{/date_counted_from}}]"
                       "{{/mentions}}{{/entries}}{{/years}}");
  CHECK(out == "[&lt;b&gt;27&lt;/b&gt; January][]");
}

TEST_CASE("an https url is offered as link, and missing metadata is absent rather than empty") {
  Timeline t;
  TimelineEntry e = entry("e1", "2025-03-07");
  e.mentions[0].source.edit().url = "https://example.org/a";
  t.entries = {e};
  SourceInfo bare;
  bare.file = "folder/b.txt";
  t.sources = {bare};
  auto out = render_page(t, "{{#years}}{{#entries}}{{#mentions}}{{link}}|{{source_name}}{{/mentions}}{{/entries}}{{/years}}"
                       "{{#sources}};{{source_name}}{{#source_title}}T{{/source_title}}{{#published}}P{{/published}}{{/sources}}");
  CHECK(out == "https://example.org/a|a.txt;b.txt");
}

TEST_CASE("data_json cannot close the script element it is embedded in") {
  Timeline t;
  TimelineEntry e = entry("e1", "2025-03-07");
  e.mentions[0].evidence = "a </script><script>alert('x')</script> & more";
  t.entries = {e};
  auto out = render_page(t, "{{{data_json}}}");
  CHECK(out.find('<') == std::string::npos);
  CHECK(out.find('>') == std::string::npos);
  CHECK(out.find("\\u003c/script\\u003e") != std::string::npos);
}

TEST_CASE("conflicting entries name each other's date and sources") {
  Timeline t;
  TimelineEntry a = entry("e1", "2025-01-20"), b = entry("e2", "2025-02");
  b.mentions[0].source.edit().file = "dir/other.txt";
  b.mentions[0].source.edit().outlet = "Other Outlet";
  a.conflicts_with = {"e2"};
  b.conflicts_with = {"e1"};
  t.entries = {a, b};
  auto out = render_page(t, "{{conflict_count}}|{{#years}}{{#entries}}{{event_id}}:{{#conflicts}}{{display_date}} per {{source_names}}"
                       "{{/conflicts}};{{/entries}}{{/years}}");
  CHECK(out == "2|e1:February 2025 per Other Outlet;e2:20 January 2025 per a.txt;");
}

TEST_CASE("a template error is reported, not rendered") {
  render::StringSink page;
  Status s = render::render_html(Timeline{}, "{{#years}}unclosed", {}, page);
  CHECK_FALSE(s.ok());
  CHECK_FALSE(s.message().empty());
  CHECK(page.text().empty());
}

TEST_CASE("an entry lists at most list_limit mentions, one per source first, and says how many more there are") {
  Timeline t;
  TimelineEntry e = entry("e1", "2025-03-07");
  e.mentions.clear();
  for (int i = 0; i < 6; ++i) {
    e.mentions.push_back(mention("a.txt", "2025-03-07", "a" + std::to_string(i)));  // six from one source
  }
  for (int i = 0; i < 4; ++i) e.mentions.push_back(mention("s" + std::to_string(i) + ".txt", "2025-03-07", "s" + std::to_string(i)));
  t.entries = {e};
  render::HtmlOptions options;
  options.list_limit = 3;
  auto out = render_page(t, "{{#years}}{{#entries}}{{#mentions}}{{evidence}} {{/mentions}}|{{more_mentions}}|"
                       "{{#sources}}{{file}} {{/sources}}|{{more_sources}}|{{source_names}}{{/entries}}{{/years}}", options);
  CHECK(out == "a0 s0 s1 |7|a.txt s0.txt s1.txt |2|a.txt, s0.txt, s1.txt and 2 more");
}

TEST_CASE("an entry of a many-sided dispute names at most list_limit other dates and counts the rest") {
  Timeline t;
  for (int i = 0; i < 6; ++i) {
    TimelineEntry e = entry("e" + std::to_string(i), "2025-03-0" + std::to_string(i + 1));
    for (int j = 0; j < 6; ++j)
      if (j != i) e.conflicts_with.push_back("e" + std::to_string(j));
    t.entries.push_back(e);
  }
  render::HtmlOptions options;
  options.list_limit = 2;
  auto out = render_page(t, "{{#years}}{{#entries}}{{#conflicts}}{{event_id}},{{/conflicts}}+{{more_conflicts}};{{/entries}}{{/years}}", options);
  CHECK(out == "e1,e2,+3;e0,e2,+3;e0,e1,+3;e0,e1,+3;e0,e1,+3;e0,e1,+3;");
}

TEST_CASE("values are escaped as kainjow's own escape does, wherever the special characters stand") {
  for (std::string title : {std::string{"plain title, nothing to escape"}, std::string{"&<>\"'"},
                            std::string{"AT&T's \"<b>\" deal"}, std::string{"ends with &"},
                            std::string{"a run longer than sixteen bytes, then & and a second long run before <"},
                            std::string{"a NUL\0 then & and '\0\0<", 23}}) {
    Timeline t;
    t.entries = {entry("e1", "2025-03-07", title)};
    auto out = render_page(t, "{{#years}}{{#entries}}{{title}}{{/entries}}{{/years}}");
    CHECK(out == kainjow::mustache::html_escape(title));
  }
}

TEST_CASE("a source of a big near-duplicate group names a few of the others and counts the rest") {
  Timeline t;
  std::vector<std::string> group;
  for (int i = 0; i < 30; ++i) {
    SourceInfo s;
    s.file = fmt::format("copies/c{:02}.txt", i);
    t.sources.push_back(s);
    group.push_back(s.file);
  }
  t.near_duplicates = {group};
  render::HtmlOptions options;
  options.list_limit = 3;
  auto out = render_page(t, "{{near_duplicate_count}}|{{#sources}}{{#near_duplicate_of}}[{{near_duplicate_of}}]{{/near_duplicate_of}}{{/sources}}", options);
  CHECK(out.starts_with("30|[c01.txt, c02.txt, c03.txt and 26 more][c00.txt, c02.txt, c03.txt and 26 more]"));
}

TEST_CASE("a year's entries are offered without months, and names of the page are found from inside an entry") {
  Timeline t;
  t.entries = {entry("e1", "2024"), entry("e2", "2024-03-07"), entry("e3", "2025-01")};
  t.title = "My <title>";
  auto out = render_page(t, "{{#years}}{{year}}:{{#entries}}{{event_id}}/{{event_count}}/{{title}}/{{year}} {{/entries}}{{/years}}{{title}}");
  CHECK(out == "2024:e1/3/Event/2024 e2/3/Event/2024 2025:e3/3/Event/2025 My &lt;title&gt;");
}

TEST_CASE("an entry gives its sources as indexes into the page's sources, for filters") {
  Timeline t;
  TimelineEntry e = entry("e1", "2025-03-07");
  e.mentions.push_back(mention("c.txt", "2025-03-07"));
  e.mentions.push_back(mention("unknown.txt", "2025-03-07"));
  t.entries = {e};
  for (auto f : {"a.txt", "b.txt", "c.txt"}) {
    SourceInfo s;
    s.file = f;
    t.sources.push_back(s);
  }
  auto out = render_page(t, "{{#years}}{{#entries}}{{source_ids}}{{/entries}}{{/years}}|{{#sources}}{{index}}{{/sources}}");
  CHECK(out == "0 2|012");
}

TEST_CASE("counts come with a flag for one, so that a page says 1 event, not 1 events") {
  Timeline t;
  t.entries = {entry("e1", "2025-03-07")};
  auto out = render_page(t, "{{event_count}} {{#single_event}}event{{/single_event}}{{^single_event}}events{{/single_event}}, "
                       "{{category_count}} {{#single_category}}category{{/single_category}}");
  CHECK(out == "1 event, 1 category");
}

TEST_CASE("a merged mention says when its own date differs from the entry's or is unresolved") {
  Timeline t;
  TimelineEntry e = entry("e1", "2025-03-07");
  e.mentions.push_back(mention("b.txt", "2025-03"));
  EventMention undated = mention("c.txt", "");
  undated.date = DateMention{};
  undated.date->unresolved_reason = "relative date and the source has no publication date";
  e.mentions.push_back(undated);
  t.entries = {e};
  auto out = render_page(t, "{{#years}}{{#entries}}{{#mentions}}[{{#date_differs}}{{date_display}}{{/date_differs}}"
                       "{{#unresolved}}?{{unresolved}}{{/unresolved}}]{{/mentions}}{{/entries}}{{/years}}");
  CHECK(out == "[][March 2025][?relative date and the source has no publication date]");
}

TEST_CASE("the page is written to the sink a piece at a time, and data_json only when the template asks for it") {
  Timeline t;
  for (int i = 1; i <= 9; ++i) t.entries.push_back(entry("e" + std::to_string(i), "2025-03-0" + std::to_string(i)));
  struct Pieces : render::OutputSink {
    std::vector<std::string> pieces;
    void write(std::string_view s) override { pieces.emplace_back(s); }
  } sink;
  REQUIRE(render::render_html(t, "{{#years}}{{#entries}}{{event_id}}\n{{/entries}}{{/years}}", {}, sink).ok());
  CHECK(sink.pieces.size() >= 9);
  std::string all;
  for (auto& p : sink.pieces) all += p;
  CHECK(all == "e1\ne2\ne3\ne4\ne5\ne6\ne7\ne8\ne9\n");
  CHECK(render_page(t, "{{event_count}}").find("entries") == std::string::npos);
  CHECK(render_page(t, "{{{data_json}}}").find("\"entries\"") != std::string::npos);
}
