// render/html: the values offered to templates (grouping, density, sources,
// evidence pieces, urls) and the escaping of everything from sources.
#include <doctest/doctest.h>

#include "render/html.h"
#include "temporal/calendar.h"

using namespace annals;

namespace {

EventMention mention(std::string file, std::string date_value, std::string evidence = "It happened.") {
  EventMention m;
  m.rule_id = "r";
  m.title = "Event";
  m.category = "cat";
  m.source.file = std::move(file);
  m.evidence = std::move(evidence);
  m.evidence_event = {0, 2};
  if (!date_value.empty()) {
    DateMention d;
    d.value = date_value;
    d.interval = temporal::interval_of(date_value);
    REQUIRE(d.interval);
    m.date = d;
  }
  return m;
}

TimelineEntry entry(std::string id, std::string date_value, std::string title = "Event") {
  TimelineEntry e;
  e.event_id = std::move(id);
  e.title = std::move(title);
  e.category = "cat";
  e.date = *temporal::interval_of(date_value);
  e.mentions.push_back(mention("a.txt", date_value));
  return e;
}

std::string render_page(const Timeline& t, const std::string& tmpl) {
  auto out = render::render_html(t, tmpl, {"2026-01-02 03:04 UTC", "2026-01-02T03:04Z"});
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
  e.mentions[0].source.outlet = "\"><img src=x onerror=y()>";
  e.mentions[0].source.url = "javascript:alert(1)";
  t.entries = {e};
  auto out = render_page(t, "{{#years}}{{#entries}}{{title}}|{{#mentions}}{{source_name}}|{{#link}}LINK{{/link}}"
                       "{{^link}}{{url}}{{/link}}{{/mentions}}{{/entries}}{{/years}}");
  CHECK(out == "&lt;script&gt;x()&lt;/script&gt;|&quot;&gt;&lt;img src=x onerror=y()&gt;|javascript:alert(1)");
}

TEST_CASE("a date counted from an earlier one offers that date's text, escaped; other dates offer none") {
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
  e.mentions[0].source.url = "https://example.org/a";
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
  b.mentions[0].source.file = "dir/other.txt";
  b.mentions[0].source.outlet = "Other Outlet";
  a.conflicts_with = {"e2"};
  b.conflicts_with = {"e1"};
  t.entries = {a, b};
  auto out = render_page(t, "{{conflict_count}}|{{#years}}{{#entries}}{{event_id}}:{{#conflicts}}{{display_date}} per {{source_names}}"
                       "{{/conflicts}};{{/entries}}{{/years}}");
  CHECK(out == "2|e1:February 2025 per Other Outlet;e2:20 January 2025 per a.txt;");
}

TEST_CASE("a template error is reported, not rendered") {
  auto out = render::render_html(Timeline{}, "{{#years}}unclosed", {});
  REQUIRE_FALSE(out.ok());
  CHECK_FALSE(out.status().message().empty());
}
