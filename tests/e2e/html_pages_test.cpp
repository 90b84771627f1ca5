// End-to-end tests of the paged HTML timeline (--html-pages): the real
// binary and the shipped template write an index and a page per year or
// month; every page is there, every link between pages resolves, and the
// pages together hold every timeline.csv row exactly once.
#include <doctest/doctest.h>

#include <map>
#include <regex>
#include <set>

#include "e2e.h"

using namespace annals::e2e;

namespace {

std::vector<std::string> html_files(const fs::path& dir) {
  std::vector<std::string> names;
  for (auto& f : fs::directory_iterator(dir))
    if (f.path().extension() == ".html") names.push_back(f.path().filename().string());
  std::sort(names.begin(), names.end());
  return names;
}

std::set<std::string> csv_ids(const fs::path& csv) {
  std::set<std::string> ids;
  for (auto& row : csv_records(read_file(csv))) ids.insert(row.at("event_id"));
  return ids;
}

// Checks what the brief of the paged layout promises about the pages in
// `dir`: each entry on exactly one page, each page-to-page link (href="FILE"
// or "FILE#anchor") naming a written file, each page self-contained.
void check_pages(const fs::path& dir) {
  auto pages = html_files(dir);
  REQUIRE(pages.size() > 1);
  std::set<std::string> present(pages.begin(), pages.end());
  std::multiset<std::string> entries;
  std::regex entry{"<li class=\"entry[^\"]*\" id=\"([^\"]*)\""}, href{"href=\"([^\"#:]*)(#[^\"]*)?\""};
  std::size_t links = 0;
  for (auto& name : pages) {
    std::string html = read_file(dir / name);
    INFO(name);
    CHECK(html.find("Content-Security-Policy") != std::string::npos);
    CHECK(html.find("<script src") == std::string::npos);
    for (auto it = std::sregex_iterator(html.begin(), html.end(), entry); it != std::sregex_iterator(); ++it) entries.insert((*it)[1]);
    for (auto it = std::sregex_iterator(html.begin(), html.end(), href); it != std::sregex_iterator(); ++it) {
      std::string target = (*it)[1];
      if (target.empty()) continue;  // "#anchor": within the page
      INFO("links to " << target);
      CHECK(present.count(target) == 1);
      ++links;
    }
  }
  CHECK(links >= pages.size());
  auto ids = csv_ids(dir / "timeline.csv");
  REQUIRE(!ids.empty());
  CHECK(std::set<std::string>(entries.begin(), entries.end()) == ids);
  CHECK(entries.size() == ids.size());
  // The manifest lists every page: they are one set with the CSV.
  std::string manifest = read_file(dir / ".annals-outputs");
  for (auto& name : pages) CHECK(manifest.find(" " + name + "\n") != std::string::npos);
}

}  // namespace

TEST_CASE("--html-pages paged writes an index and a page per year whose entries are the CSV rows, links resolving") {
  TempDir out;
  auto r = run_annals("build sources --html-pages paged --out " + out.str());
  r.expect_exit(0);
  check_pages(out.path);
  std::string index = read_file(out.path / "timeline.html");
  CHECK(index.find("<li class=\"entry") == std::string::npos);
  CHECK(index.find("href=\"timeline-2025.html") != std::string::npos);
  CHECK(index.find("href=\"timeline-sources-1.html\"") != std::string::npos);
  CHECK(r.output.find("the index of") != std::string::npos);
}

TEST_CASE("a year above --html-page-budget is split into month pages, and the pages still hold every row once") {
  TempDir out;
  run_annals("build sources --html-pages paged --html-page-budget 0.001 --out " + out.str()).expect_exit(0);
  check_pages(out.path);
  CHECK(fs::exists(out.path / "timeline-2025-01.html"));
  CHECK_FALSE(fs::exists(out.path / "timeline-2025.html"));
}

TEST_CASE("--template list pages too, and its index links to every year page") {
  TempDir out;
  run_annals("build sources --template list --html-pages paged --out " + out.str()).expect_exit(0);
  std::string index = read_file(out.path / "timeline.html");
  for (auto& name : html_files(out.path))
    if (name.starts_with("timeline-2")) CHECK(index.find("href=\"" + name + "\"") != std::string::npos);
}

TEST_CASE("pages of an earlier paged run go when html is written again, and stay when only csv is") {
  TempDir out;
  run_annals("build sources --html-pages paged --out " + out.str()).expect_exit(0);
  REQUIRE(fs::exists(out.path / "timeline-2025.html"));
  run_annals("build sources --format csv --out " + out.str()).expect_exit(0);
  CHECK(fs::exists(out.path / "timeline-2025.html"));
  write_file(out.path / "timeline-notes.html", "mine");  // never listed in a manifest: not ours to remove
  run_annals("build sources --html-pages paged --out " + out.str()).expect_exit(0);
  run_annals("build sources --out " + out.str()).expect_exit(0);
  CHECK(html_files(out.path) == std::vector<std::string>{"timeline-notes.html", "timeline.html"});
}

TEST_CASE("auto pages a generated 3,000-entry timeline above a 1 MB budget, and keeps it one page below 100 MB") {
  if (std::system("python3 -c 1 >/dev/null 2>&1") != 0) {
    MESSAGE("python3 not found: skipped");
    return;
  }
  TempDir work;
  std::string records = (work.path / "g.jsonl").string();
  run_in(ANNALS_SOURCE_DIR, "python3 bench/gen_timeline.py --entries 3000 --out '" + records + "'").expect_exit(0);
  fs::path paged = work.path / "paged", single = work.path / "single";
  run_annals("merge '" + records + "' --format html,csv --html-page-budget 1 --out '" + paged.string() + "'").expect_exit(0);
  check_pages(paged);
  run_annals("merge '" + records + "' --format html,csv --html-page-budget 100 --out '" + single.string() + "'").expect_exit(0);
  CHECK(html_files(single) == std::vector<std::string>{"timeline.html"});
}
