// render/html, paged: when the timeline becomes an index and a page per year
// (or month), what each page holds, and that links between pages resolve.
#include <doctest/doctest.h>

#include <map>
#include <regex>
#include <set>

#include <fmt/format.h>

#include "html_fixtures.h"
#include "render/html.h"
#include "temporal/calendar.h"

using namespace annals;

namespace {

using html_fixtures::mention;

TimelineEntry entry(std::string id, std::string date_value, std::string file = "a.txt", std::string title = "Event") {
  TimelineEntry e;
  e.event_id = std::move(id);
  e.title = std::move(title);
  e.category = "cat";
  e.date = *temporal::interval_of(date_value);
  e.mentions.push_back(mention(std::move(file), date_value));
  return e;
}

SourceInfo source(std::string file) {
  SourceInfo s;
  s.file = std::move(file);
  return s;
}

// Every page, by name, in the order they were handed over.
std::vector<std::pair<std::string, std::string>> render_pages(const Timeline& t, const std::string& tmpl, render::HtmlOptions o) {
  std::vector<std::pair<std::string, std::string>> pages;
  Status s = render::render_html_pages(t, tmpl, o, [&](const std::string& name, const render::PageRenderer& render) {
    render::StringSink sink;
    Status r = render(sink);
    pages.emplace_back(name, std::move(sink.text()));
    return r;
  });
  INFO(s.message());
  REQUIRE(s.ok());
  return pages;
}

std::vector<std::string> names(const std::vector<std::pair<std::string, std::string>>& pages) {
  std::vector<std::string> n;
  for (auto& [name, text] : pages) n.push_back(name);
  return n;
}

// Three years, 2024 with entries in two months; sources a, b, c; one undated mention.
Timeline three_years() {
  Timeline t;
  t.entries = {entry("e1", "2023-05-01", "a.txt"), entry("e2", "2024-02-03", "b.txt"), entry("e3", "2024-07", "c.txt"),
               entry("e4", "2025-01-09", "a.txt")};
  t.sources = {source("a.txt"), source("b.txt"), source("c.txt")};
  t.undated = {mention("c.txt", "")};
  return t;
}

render::HtmlOptions paged() {
  render::HtmlOptions o;
  o.layout = render::HtmlLayout::Paged;
  return o;
}

const char* kEntries = "{{#years}}{{#entries}}{{event_id}} {{/entries}}{{/years}}";

}  // namespace

TEST_CASE("auto renders one page up to the budget and pages above it, whatever the budget is") {
  Timeline t = three_years();
  render::HtmlOptions o;
  std::size_t estimate = render::estimated_page_bytes(t, 10, o.list_limit);
  o.page_budget = estimate;
  CHECK_FALSE(render::renders_paged(t, 10, o));
  CHECK(names(render_pages(t, std::string(10, 'x'), o)) == std::vector<std::string>{"timeline.html"});
  o.page_budget = estimate - 1;
  CHECK(render::renders_paged(t, 10, o));
  CHECK(render_pages(t, std::string(10, 'x'), o).size() > 1);
  o.layout = render::HtmlLayout::Single;
  CHECK_FALSE(render::renders_paged(t, 10, o));
  o.layout = render::HtmlLayout::Paged;
  o.page_budget = estimate * 10;
  CHECK(render::renders_paged(t, 10, o));
}

TEST_CASE("a single page under auto is the page render_html makes") {
  Timeline t = three_years();
  const std::string tmpl = "{{#paged}}PAGED{{/paged}}{{event_count}}:{{page_event_count}}:" + std::string(kEntries) +
                           "{{#sources}}{{index}}={{file}} {{/sources}}{{#undated}}u{{source_index}}{{/undated}}";
  auto pages = render_pages(t, tmpl, render::HtmlOptions{});
  REQUIRE(pages.size() == 1);
  Result<std::string> single = render::render_html(t, tmpl, render::HtmlOptions{});
  REQUIRE(single.ok());
  CHECK(pages[0].second == *single);
  CHECK(*single == "4:4:e1 e2 e3 e4 0=a.txt 1=b.txt 2=c.txt u2");
}

TEST_CASE("paged: the index first, a page per year, then undated and source pages, named by what they hold") {
  Timeline t = three_years();
  CHECK(names(render_pages(t, kEntries, paged())) ==
        std::vector<std::string>{"timeline.html", "timeline-2023.html", "timeline-2024.html", "timeline-2025.html",
                                 "timeline-undated-1.html", "timeline-sources-1.html"});
  render::HtmlOptions o = paged();
  o.sources_per_page = 2;
  auto n = names(render_pages(t, kEntries, o));
  CHECK(std::count(n.begin(), n.end(), "timeline-sources-2.html") == 1);
  CHECK(std::count(n.begin(), n.end(), "timeline-sources-3.html") == 0);
}

TEST_CASE("paged: each year page holds exactly that year's entries, and the index none") {
  auto pages = render_pages(three_years(), kEntries, paged());
  std::map<std::string, std::string> by_name(pages.begin(), pages.end());
  CHECK(by_name["timeline.html"] == "");
  CHECK(by_name["timeline-2023.html"] == "e1 ");
  CHECK(by_name["timeline-2024.html"] == "e2 e3 ");
  CHECK(by_name["timeline-2025.html"] == "e4 ");
  CHECK(by_name["timeline-undated-1.html"] == "");
  CHECK(by_name["timeline-sources-1.html"] == "");
}

TEST_CASE("paged: a year above the budget is split into month pages, each with that month's entries") {
  Timeline t = three_years();
  render::HtmlOptions o = paged();
  o.page_budget = 1;  // every year is above it
  auto pages = render_pages(t, kEntries, o);
  std::map<std::string, std::string> by_name(pages.begin(), pages.end());
  CHECK(by_name.count("timeline-2024.html") == 0);
  CHECK(by_name["timeline-2024-02.html"] == "e2 ");
  CHECK(by_name["timeline-2024-07.html"] == "e3 ");
  CHECK(by_name["timeline-2023-05.html"] == "e1 ");
  auto index = render_pages(t, "{{#year_pages}}{{year}}:{{count}}{{#by_month}}[{{#month_pages}}{{label}}={{href}},{{/month_pages}}]"
                               "{{/by_month}} {{/year_pages}}", o)[0];
  CHECK(index.second == "2023:1[May=timeline-2023-05.html,] 2024:2[February=timeline-2024-02.html,July=timeline-2024-07.html,] "
                        "2025:1[January=timeline-2025-01.html,] ");
}

TEST_CASE("paged: a page's sources are the ones it cites, and its entries and mentions point into that list") {
  Timeline t = three_years();
  auto pages = render_pages(t, "{{#sources}}{{index}}={{file}} {{/sources}}|{{#years}}{{#entries}}{{source_ids}} {{/entries}}{{/years}}"
                               "|{{#undated}}{{source_index}}{{/undated}}", paged());
  std::map<std::string, std::string> by_name(pages.begin(), pages.end());
  CHECK(by_name["timeline-2024.html"] == "0=b.txt 1=c.txt |0 1 |");
  CHECK(by_name["timeline-undated-1.html"] == "0=c.txt ||0");
  CHECK(by_name["timeline-sources-1.html"] == "0=a.txt 1=b.txt 2=c.txt ||");
  CHECK(by_name["timeline.html"] == "||");
}

TEST_CASE("paged: every link a page offers names a page that is produced") {
  Timeline t = three_years();
  t.entries[1].conflicts_with = {"e4"};
  t.entries[3].conflicts_with = {"e2"};
  render::HtmlOptions o = paged();
  o.page_budget = 1;
  const std::string tmpl =
      "{{index_href}} {{#density}}{{#page_href}}{{page_href}} {{/page_href}}{{/density}}"
      "{{#year_pages}}{{href}} {{#month_pages}}{{href}} {{/month_pages}}{{/year_pages}}{{#undated_pages}}{{href}} {{/undated_pages}}"
      "{{#source_pages}}{{href}} {{/source_pages}}{{#prev_page}}{{href}} {{/prev_page}}{{#next_page}}{{href}} {{/next_page}}"
      "{{#years}}{{#entries}}{{#conflicts}}{{page_href}} {{/conflicts}}{{/entries}}{{/years}}";
  auto pages = render_pages(t, tmpl, o);
  std::set<std::string> produced;
  for (auto& [name, text] : pages) produced.insert(name);
  std::size_t links = 0;
  for (auto& page : pages) {
    const std::string &name = page.first, &text = page.second;
    std::regex word{"\\S+"};
    for (auto it = std::sregex_iterator(text.begin(), text.end(), word); it != std::sregex_iterator(); ++it, ++links) {
      INFO(name << " links to " << it->str());
      CHECK(produced.count(it->str()) == 1);
    }
  }
  CHECK(links > pages.size() * 5);
  // The disputed entries are on other pages: their links name those pages.
  std::map<std::string, std::string> by_name(pages.begin(), pages.end());
  CHECK(by_name["timeline-2024-02.html"].ends_with("timeline-2025-01.html "));
}

TEST_CASE("paged: links within a page are anchors only, so the page's script can keep its filter") {
  Timeline t = three_years();
  auto pages = render_pages(t, "{{#density}}{{#anchor}}[{{page_href}}#{{anchor}}]{{/anchor}}{{/density}}", paged());
  std::map<std::string, std::string> by_name(pages.begin(), pages.end());
  CHECK(by_name["timeline-2024.html"] == "[timeline-2023.html#m2023-05][#m2024-02][#m2024-07][timeline-2025.html#m2025-01]");
  CHECK(by_name["timeline.html"] ==
        "[timeline-2023.html#m2023-05][timeline-2024.html#m2024-02][timeline-2024.html#m2024-07][timeline-2025.html#m2025-01]");
}

TEST_CASE("paged: source text is escaped on every page, and a javascript: url gives no link on any") {
  Timeline t = three_years();
  for (auto* m : {&t.entries[0].mentions[0], &t.undated[0]}) {
    m->source.edit().outlet = "\"><img src=x onerror=y()>";
    m->source.edit().url = "javascript:alert(1)";
    m->title = "<script>x()</script>";
  }
  t.entries[0].title = "<script>x()</script>";
  t.sources[0] = *t.entries[0].mentions[0].source;
  t.sources[2] = *t.undated[0].source;
  auto pages = render_pages(t, "{{#years}}{{#entries}}{{title}}{{#mentions}}{{source_name}}{{link}}{{/mentions}}{{/entries}}{{/years}}"
                               "{{#undated}}{{title}}{{source_name}}{{link}}{{/undated}}{{#sources}}{{source_name}}{{link}}{{/sources}}",
                            paged());
  std::set<std::string> escaped;
  for (auto& page : pages) {
    const std::string &name = page.first, &text = page.second;
    INFO(name << ": " << text);
    CHECK(text.find('<') == std::string::npos);
    CHECK(text.find("javascript") == std::string::npos);
    if (text.find("&lt;") != std::string::npos) escaped.insert(name);
  }
  for (const char* page : {"timeline-2023.html", "timeline-undated-1.html", "timeline-sources-1.html"}) CHECK(escaped.count(page) == 1);
}

TEST_CASE("only the names of a paged timeline's pages count as its pages") {
  CHECK(render::is_html_page_name("timeline-2025.html"));
  CHECK(render::is_html_page_name("timeline-sources-2.html"));
  CHECK_FALSE(render::is_html_page_name("timeline.html"));
  CHECK_FALSE(render::is_html_page_name("timeline-.html"));
  CHECK_FALSE(render::is_html_page_name("timeline.csv"));
  CHECK_FALSE(render::is_html_page_name("timeline-../x.html"));
}
