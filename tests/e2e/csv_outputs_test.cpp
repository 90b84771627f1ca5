// annals build --format and --csv-dialect, end to end: which files a run
// writes, their bytes, and that a run writes all of its files or none.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include "e2e.h"

using namespace annals::e2e;

namespace {

// The files of `dir` (the outputs; not the extraction cache's folder, nor
// the lock and manifest, render/output.h).
std::vector<std::string> files_in(const fs::path& dir) {
  std::vector<std::string> names;
  for (auto& e : fs::directory_iterator(dir))
    if (e.is_regular_file() && e.path().filename().string()[0] != '.') names.push_back(e.path().filename().string());
  std::sort(names.begin(), names.end());
  return names;
}

std::size_t count(const std::string& s, const std::string& what) {
  std::size_t n = 0;
  for (auto i = s.find(what); i != std::string::npos; i = s.find(what, i + what.size())) ++n;
  return n;
}

}  // namespace

TEST_CASE("by default build writes html, timeline.csv, mentions.csv and timeline.json, not timelinejs") {
  TempDir out;
  auto r = run_annals("build sources --out " + out.str());
  INFO(r.output);
  r.expect_exit(0);
  CHECK(files_in(out.path) == std::vector<std::string>{"mentions.csv", "timeline.csv", "timeline.html", "timeline.json"});
  CHECK(r.output.find("wrote timeline.html, timeline.csv, mentions.csv, timeline.json in") != std::string::npos);
}

TEST_CASE("--format timelinejs writes only timelinejs.csv with the template's columns and timelinejs.json") {
  TempDir out;
  auto r = run_annals("build sources --format timelinejs --out " + out.str());
  INFO(r.output);
  r.expect_exit(0);
  CHECK(files_in(out.path) == std::vector<std::string>{"timelinejs.csv", "timelinejs.json"});
  auto rows = parse_csv(read_file(out.path / "timelinejs.csv"));
  REQUIRE(rows.size() > 1);
  CHECK(rows[0] == std::vector<std::string>{"Year", "Month", "Day", "Time", "End Year", "End Month", "End Day",
                                            "End Time", "Display Date", "Headline", "Text", "Media", "Media Credit",
                                            "Media Caption", "Media Thumbnail", "Type", "Group", "Background"});
  auto j = nlohmann::json::parse(read_file(out.path / "timelinejs.json"));
  // The title slide, then one row per event.
  REQUIRE(j["events"].size() == rows.size() - 2);
  CHECK(rows[1][15] == "title");
  CHECK(rows[1][9] == j["title"]["text"]["headline"]);
  // "DeepSeek released R1 in January" (2025): a month entry, year and month only.
  bool found = false;
  for (auto& e : j["events"])
    if (e["text"]["headline"] == "DeepSeek releases R1") {
      found = true;
      CHECK(e["start_date"] == nlohmann::json{{"year", 2025}, {"month", 1}});
      CHECK_FALSE(e.contains("end_date"));
      CHECK(e["display_date"] == "January 2025");
    }
  CHECK(found);
}

TEST_CASE("--format csv needs no HTML template, and --format json,csv,csv writes each file once") {
  TempDir out;
  auto r = run_annals("build sources --format csv --templates /nonexistent --out " + out.str());
  INFO(r.output);
  r.expect_exit(0);
  CHECK(files_in(out.path) == std::vector<std::string>{"mentions.csv", "timeline.csv"});
  TempDir out2;
  run_annals("build sources --format json,csv,csv --out " + out2.str()).expect_exit(0);
  CHECK(files_in(out2.path) == std::vector<std::string>{"mentions.csv", "timeline.csv", "timeline.json"});
}

TEST_CASE("an unknown --format or --csv-dialect is a usage error, exit 2, and nothing is written") {
  TempDir dir;
  run_annals("build sources --format html,xml --out " + (dir.path / "a").string()).expect_exit(2);
  run_annals("build sources --csv-dialect tsv --out " + (dir.path / "b").string()).expect_exit(2);
  CHECK_FALSE(fs::exists(dir.path / "a"));
  CHECK_FALSE(fs::exists(dir.path / "b"));
}

TEST_CASE("--csv-dialect excel gives every CSV a UTF-8 BOM and CRLF rows, the default has neither") {
  TempDir plain, excel;
  run_annals("build sources --format csv,timelinejs --out " + plain.str()).expect_exit(0);
  run_annals("build sources --format csv,timelinejs --csv-dialect excel --out " + excel.str()).expect_exit(0);
  for (auto name : {"timeline.csv", "mentions.csv", "timelinejs.csv"}) {
    INFO(name);
    std::string p = read_file(plain.path / name), e = read_file(excel.path / name);
    CHECK(p.rfind("\xEF\xBB\xBF", 0) == std::string::npos);
    CHECK(p.find('\r') == std::string::npos);
    REQUIRE(e.rfind("\xEF\xBB\xBF", 0) == 0);
    auto rows = parse_csv(p);
    CHECK(count(e, "\r\n") == rows.size());  // one CRLF per row, none inside cells
    CHECK(parse_csv(e.substr(3)) == rows);   // same cells
  }
}

TEST_CASE("mentions.csv has one row per mention of timeline.json, with its entry's event_id") {
  TempDir out;
  run_annals("build sources --format csv,json --out " + out.str()).expect_exit(0);
  auto rows = csv_records(read_file(out.path / "mentions.csv"));
  auto j = nlohmann::json::parse(read_file(out.path / "timeline.json"));
  std::size_t expected = j["undated"].size(), i = 0;
  for (auto& e : j["entries"]) expected += e["mentions"].size();
  REQUIRE(rows.size() == expected);
  for (auto& e : j["entries"])
    for (auto& m : e["mentions"]) {
      CHECK(rows[i].at("event_id") == e["event_id"]);
      CHECK(rows[i].at("source_file") == m["source"]["file"]);
      CHECK(rows[i].at("evidence") == m["evidence"]);
      ++i;
    }
  for (; i < rows.size(); ++i) CHECK(rows[i].at("event_id").empty());
}

TEST_CASE("a run that cannot place one of its files writes none of them") {
  TempDir dir;
  auto out = dir.path / "out";
  run_annals("build sources --format json --out " + out.string()).expect_exit(0);
  std::string before = read_file(out / "timeline.json");
  fs::create_directories(out / "mentions.csv" / "in-the-way");  // a folder where mentions.csv must go
  auto r = run_annals("build sources --reference-date 2024-01-01 --format json,csv --out " + out.string());
  INFO(r.output);
  r.expect_exit(2);
  CHECK(r.output.find("mentions.csv exists and is not a file") != std::string::npos);
  CHECK(read_file(out / "timeline.json") == before);
  CHECK_FALSE(fs::exists(out / "timeline.csv"));
  for (auto& e : fs::directory_iterator(out)) CHECK(e.path().filename().string().find(".tmp") == std::string::npos);
}
