// End-to-end tests of the HTML output: the real binary, the shipped
// templates, the sample sources and the hostile fixture. What only a browser
// can show (scripts not running, filters) is in tests/browser/.
#include <doctest/doctest.h>

#include <algorithm>
#include <regex>
#include <set>

#include "e2e.h"

using namespace annals::e2e;

namespace {

// The default page's entries are <li class="entry ..." id="EVENT_ID">; the
// list template marks its entries with data-event-id.
std::set<std::string> event_ids_in_html(const std::string& html) {
  std::set<std::string> ids;
  std::regex re{"(?:<li class=\"entry[^\"]*\" id=|data-event-id=)\"([^\"]*)\""};
  for (auto it = std::sregex_iterator(html.begin(), html.end(), re); it != std::sregex_iterator(); ++it)
    ids.insert((*it)[1]);
  return ids;
}

std::set<std::string> event_ids_in_csv(const fs::path& csv) {
  std::set<std::string> ids;
  for (auto& row : csv_records(read_file(csv))) ids.insert(row.at("event_id"));
  return ids;
}

std::size_t count(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (auto p = text.find(what); p != std::string::npos; p = text.find(what, p + 1)) ++n;
  return n;
}

}  // namespace

TEST_CASE("the default page carries every CSV event_id exactly once, inside year and month sections") {
  TempDir out;
  auto r = run_annals("build sources --out " + out.str());
  INFO(r.output);
  REQUIRE(r.exit_code <= 1);
  std::string html = read_file(out.path / "timeline.html");
  auto ids = event_ids_in_csv(out.path / "timeline.csv");
  REQUIRE(!ids.empty());
  CHECK(event_ids_in_html(html) == ids);
  CHECK(count(html, "<li class=\"entry") == ids.size());
  CHECK(count(html, "<section class=\"month\"") >= 1);
  CHECK(html.find("Content-Security-Policy") != std::string::npos);
  CHECK(html.find("<time datetime=\"2025-01\">January 2025</time>") != std::string::npos);
}

TEST_CASE("--template list renders the same timeline with another look, without script") {
  TempDir full, list;
  REQUIRE(run_annals("build sources --out " + full.str()).exit_code <= 1);
  auto r = run_annals("build sources --template list --out " + list.str());
  INFO(r.output);
  REQUIRE(r.exit_code <= 1);
  std::string page = read_file(full.path / "timeline.html"), plain = read_file(list.path / "timeline.html");
  CHECK(plain != page);
  CHECK(plain.find("<h1>Chronology</h1>") != std::string::npos);
  CHECK(plain.find("<script") == std::string::npos);
  CHECK(plain.size() < page.size() / 3);
  CHECK(event_ids_in_html(plain) == event_ids_in_csv(list.path / "timeline.csv"));
}

TEST_CASE("an unknown --template is a usage error that names the file it looked for") {
  TempDir out;
  auto r = run_annals("build sources --template no-such-look --out " + out.str());
  r.expect_exit(2);
  CHECK(r.output.find("no-such-look.html.mustache") != std::string::npos);
}

TEST_CASE("hostile sources reach the page as text: no markup, no javascript: link, no script end in the JSON") {
  TempDir out;
  auto r = run_annals("build tests/fixtures/hostile --out " + out.str());
  INFO(r.output);
  REQUIRE(r.exit_code <= 1);
  std::string html = read_file(out.path / "timeline.html");
  // The page's own script, and no other element from the sources.
  CHECK(count(html, "<script") == 1);
  CHECK(count(html, "</script>") == 1);
  CHECK(html.find("<img") == std::string::npos);
  CHECK(html.find("<svg") == std::string::npos);
  CHECK(html.find("<b ") == std::string::npos);
  std::string lower = html;
  std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return char(std::tolower(c)); });
  CHECK(lower.find("href=\"javascript") == std::string::npos);
  CHECK(lower.find("href=\" javascript") == std::string::npos);
  // Shown, escaped, where a reader can see it.
  CHECK(html.find("Baidu plans to open up &lt;script&gt;__pwned=1&lt;/script&gt;") != std::string::npos);
  CHECK(html.find("<code>javascript:alert(1)</code>") != std::string::npos);
  // A "</script>" in source text is text: it cannot end the page's script.
  CHECK(html.find("&lt;/script&gt;&lt;script&gt;__pwned=&apos;json&apos;&lt;/script&gt;") != std::string::npos);
  // The two sources that date the same release differently are a visible conflict.
  CHECK(count(html, "The sources disagree on the date.") == 2);
}

TEST_CASE("no output names an absolute path of the machine, even when SOURCES and --rules are given as absolute paths") {
  TempDir out;
  std::string root = ANNALS_SOURCE_DIR;
  auto r = run_annals("build '" + root + "/sources' --rules '" + root + "/rules' --format html,csv,json,timelinejs --out " + out.str());
  r.expect_exit(0);
  for (auto& e : fs::directory_iterator(out.path)) {
    std::string text = read_file(e.path());
    INFO(e.path().filename().string());
    CHECK(text.find(root) == std::string::npos);
    CHECK(text.find(out.str()) == std::string::npos);
  }
  // Sources are named from the folder given: its name and the path inside it.
  auto rows = csv_records(read_file(out.path / "timeline.csv"));
  REQUIRE(!rows.empty());
  CHECK(read_file(out.path / "timeline.csv").find("sources/analysis.md") != std::string::npos);
  CHECK(read_file(out.path / "timeline.html").find("with the rule pack <code>rules</code>") != std::string::npos);
}

TEST_CASE("--title and --description title the page and the TimelineJS title slide, escaped") {
  TempDir out;
  auto r = run_annals("build sources --format html,timelinejs --title 'R&D <watch>' --description 'Who said what, when.' --out " + out.str());
  r.expect_exit(0);
  std::string html = read_file(out.path / "timeline.html");
  CHECK(html.find("<h1>R&amp;D &lt;watch&gt; <span class=\"range\">") != std::string::npos);
  // The title leads with the given title; the range and counts follow the rule pack.
  CHECK(html.find("<title>R&amp;D &lt;watch&gt;, 2023 to 7 March 2025 · ") != std::string::npos);
  CHECK(html.find("<p class=\"description\">Who said what, when.</p>") != std::string::npos);
  std::string tljs = read_file(out.path / "timelinejs.json");
  CHECK(tljs.find("\"headline\": \"R&amp;D &lt;watch&gt;\"") != std::string::npos);
  CHECK(tljs.find("\"text\": \"<p>Who said what, when.</p>\"") != std::string::npos);
}

TEST_CASE("a folder's sources.toml [timeline] table or its _index.md front matter titles the page, and --title wins") {
  TempDir sources, out;
  fs::path folder = sources.path / "watch";
  fs::create_directories(folder);
  fs::copy_file(fs::path(ANNALS_SOURCE_DIR) / "sources/column.txt", folder / "column.txt");
  {
    std::ofstream(folder / "_index.md") << "---\ntitle: From the index\ndescription: \"Notes, kept \\\"weekly\\\"\"\n---\nOn 3 March 2025 DeepSeek released R2.\n";
  }
  auto r = run_annals("build '" + folder.string() + "' --format html,csv --out " + out.str());
  r.expect_exit(0);
  std::string html = read_file(out.path / "timeline.html");
  CHECK(html.find("<h1>From the index") != std::string::npos);
  CHECK(html.find("Notes, kept &quot;weekly&quot;") != std::string::npos);
  // _index.md describes the folder; it is not a source.
  CHECK(read_file(out.path / "timeline.csv").find("_index.md") == std::string::npos);
  {
    std::ofstream(folder / "sources.toml") << "[timeline]\ntitle = \"From the manifest\"\n";
  }
  run_annals("build '" + folder.string() + "' --format html --out " + out.str()).expect_exit(0);
  CHECK(read_file(out.path / "timeline.html").find("<h1>From the manifest") != std::string::npos);
  run_annals("build '" + folder.string() + "' --format html --title Given --out " + out.str()).expect_exit(0);
  CHECK(read_file(out.path / "timeline.html").find("<h1>Given") != std::string::npos);
}
