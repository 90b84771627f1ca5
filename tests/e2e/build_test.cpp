// End-to-end tests of `annals build`: the real binary on real files.
#include <doctest/doctest.h>

#include <algorithm>

#include <nlohmann/json.hpp>

#include "e2e.h"
#include "skip.h"

using namespace annals::e2e;

namespace {

const std::map<std::string, std::string>* find_row(const std::vector<std::map<std::string, std::string>>& rows,
                                                    const std::string& title_part) {
  for (auto& r : rows)
    if (r.at("title").find(title_part) != std::string::npos) return &r;
  return nullptr;
}

// A copy of the project's rules/ in `dir`, to break on purpose.
void copy_rules(const fs::path& dir) { fs::copy(ANNALS_SOURCE_DIR "/rules", dir, fs::copy_options::recursive); }

}  // namespace

TEST_CASE("build on the sample sources writes html, csv and json and merges events reported twice") {
  TempDir out;
  auto r = run_annals("build sources --out " + out.str());
  INFO(r.output);
  r.expect_exit(0);
  for (auto f : {"timeline.html", "timeline.csv", "timeline.json"}) CHECK(fs::exists(out.path / f));
  auto rows = csv_records(read_file(out.path / "timeline.csv"));
  REQUIRE(!rows.empty());
  auto* r1 = find_row(rows, "DeepSeek releases R1");
  REQUIRE(r1);
  CHECK(r1->at("date") == "2025-01");
  CHECK(r1->at("granularity") == "month");
  CHECK(r1->at("date_start") == "2025-01-01");
  CHECK(r1->at("date_end") == "2025-01-31");
  CHECK(r1->at("sources") == "3");
  CHECK(r1->at("source_files") == "sources/analysis.md;sources/briefing.html;sources/undated-notes.txt");
  // "Two days later" counts from the day the sentence before names, not from publication (2025-03-19).
  auto* qwen = find_row(rows, "Alibaba releases Qwen2.5-Max");
  REQUIRE(qwen);
  CHECK(qwen->at("date") == "2025-01-29");
  auto* npc = find_row(rows, "National People's Congress");
  REQUIRE(npc);
  CHECK(npc->at("date") == "2025-03-07");  // "this week" (2025-W10) refined by "7 March 2025"
  CHECK(npc->at("sources") == "2");
  // The undated source's relative dates are reported, not invented: a mention of an event that has
  // one entry joins it with its date unresolved; one of an event with no entry is listed as undated.
  auto json = nlohmann::json::parse(read_file(out.path / "timeline.json"));
  bool joined = false;
  for (auto& e : json["entries"])
    for (auto& m : e["mentions"])
      if (e["title"] == "DeepSeek releases R1" && m["source"]["file"] == "sources/undated-notes.txt")
        joined = m["date"]["unresolved"].is_string() && m["date"]["value"] == "";
  CHECK(joined);
  // ... and timeline.json and the page say which date it counted from.
  std::string counted_from;
  for (auto& e : json["entries"])
    if (e["title"] == "Alibaba releases Qwen2.5-Max") counted_from = e["mentions"][0]["date"]["anchor"]["text"];
  CHECK(counted_from == "27 January 2025");
  CHECK(read_file(out.path / "timeline.html").find("(counted from “27 January 2025”)") != std::string::npos);
  CHECK(r1->at("source_files").find("sources/undated-notes.txt") != std::string::npos);
  bool undated_reported = std::any_of(json["undated"].begin(), json["undated"].end(), [](auto& m) {
    return m["source"]["file"] == "sources/undated-notes.txt" && m["title"] == "Moonshot AI releases Kimi-2" &&
           m["date"]["unresolved"].is_string();
  });
  CHECK(undated_reported);
  // Chronological order, coarse before fine.
  std::vector<std::string> starts;
  for (auto& row : rows) starts.push_back(row.at("date_start"));
  CHECK(std::is_sorted(starts.begin(), starts.end()));
}

TEST_CASE("the publication date comes from the manifest, front matter, html meta and dateline of the samples") {
  TempDir out;
  auto r = run_annals("build sources --out " + out.str());
  auto json = nlohmann::json::parse(read_file(out.path / "timeline.json"));
  std::map<std::string, std::string> from;
  for (auto& s : json["sources"]) from[s["file"]] = s["published_from"];
  CHECK(from["sources/wire-report.txt"] == "sources.toml");
  CHECK(from["sources/analysis.md"] == "front matter");
  CHECK(from["sources/briefing.html"] == "html meta");
  CHECK(from["sources/column.txt"] == "dateline");
  CHECK(from["sources/undated-notes.txt"] == "");
}

TEST_CASE("seeds: R1 in January 2025, the NPC report in the week of 2025-03-03, the rare-earth export ban in 2023") {
  fs::path seeds = ANNALS_SHARED_DIR "/seeds";
  SKIP_UNLESS(fs::exists(seeds), seeds.string() + " is absent");
  TempDir out;
  auto r = run_annals("build '" + seeds.string() + "' --out " + out.str());
  INFO(r.output);
  r.expect_exit(0);
  auto rows = csv_records(read_file(out.path / "timeline.csv"));
  auto* r1 = find_row(rows, "DeepSeek releases R1");
  REQUIRE(r1);
  CHECK(r1->at("date_start") >= "2025-01-01");
  CHECK(r1->at("date_end") <= "2025-01-31");
  CHECK(r1->at("source_files").find("001_") != std::string::npos);
  CHECK(r1->at("evidence").find("R1") != std::string::npos);
  auto* npc = find_row(rows, "National People's Congress");
  REQUIRE(npc);
  CHECK(npc->at("date_start") >= "2025-03-03");
  CHECK(npc->at("date_end") <= "2025-03-09");
  CHECK(npc->at("source_files").find("002_") != std::string::npos);
  CHECK(npc->at("evidence").find("National People") != std::string::npos);
  auto* ban = find_row(rows, "rare earth");
  REQUIRE(ban);
  CHECK(ban->at("date") == "2023");
  CHECK(ban->at("source_files").find("004_") != std::string::npos);
  CHECK(ban->at("evidence").find("2023") != std::string::npos);
}

TEST_CASE("a TOML syntax error in a rule file stops the run with file:line:column, exit 2, and writes nothing") {
  TempDir dir;
  copy_rules(dir.path / "rules");
  write_file(dir.path / "rules/broken.toml", "[[event]]\nid = \"x\"\npattern = 'a\ntitle = \"t\"\n");
  auto r = run_annals("build sources --rules " + (dir.path / "rules").string() + " --out " + (dir.path / "out").string());
  r.expect_exit(2);
  CHECK(r.output.find("broken.toml:3:") != std::string::npos);
  CHECK(r.output.find("TOML syntax error") != std::string::npos);
  CHECK_FALSE(fs::exists(dir.path / "out"));
}

TEST_CASE("an invalid RE2 pattern names the rule and quotes RE2's message, exit 2") {
  TempDir dir;
  copy_rules(dir.path / "rules");
  write_file(dir.path / "rules/broken.toml", "[[event]]\nid = \"bad-regex\"\npattern = '(unclosed'\ntitle = \"t\"\n");
  auto r = run_annals("build sources --rules " + (dir.path / "rules").string() + " --out " + (dir.path / "out").string());
  INFO(r.output);
  r.expect_exit(2);
  CHECK(r.output.find("broken.toml:3:") != std::string::npos);
  CHECK(r.output.find("[bad-regex]") != std::string::npos);
  CHECK(r.output.find("missing )") != std::string::npos);  // RE2's own words
  CHECK_FALSE(fs::exists(dir.path / "out"));
}

TEST_CASE("a failed run leaves the previous outputs untouched") {
  TempDir dir;
  auto out = dir.path / "out";
  run_annals("build sources --out " + out.string()).expect_exit(0);
  std::string before = read_file(out / "timeline.csv");
  copy_rules(dir.path / "rules");
  write_file(dir.path / "rules/broken.toml", "not toml at all [");
  auto r = run_annals("build sources --rules " + (dir.path / "rules").string() + " --out " + out.string());
  r.expect_exit(2);
  CHECK(read_file(out / "timeline.csv") == before);
  for (auto& e : fs::directory_iterator(out)) CHECK(e.path().filename().string().find(".tmp") == std::string::npos);
}

TEST_CASE("binary and missing sources are reported and skipped, the others still make the timeline, exit 1") {
  TempDir dir;
  fs::copy(ANNALS_SOURCE_DIR "/sources", dir.path / "src", fs::copy_options::recursive);
  write_file(dir.path / "src/image.txt", std::string("\x89PNG\r\n\x1a\n\0\0\0\rIHDR", 16));
  write_file(dir.path / "src/latin1.txt", "Caf\xE9 news. In 2023 China banned the export of gallium, officials said.\n");
  auto r = run_annals("build " + (dir.path / "src").string() + " " + (dir.path / "nowhere").string() + " --out " +
                  (dir.path / "out").string());
  INFO(r.output);
  r.expect_exit(1);
  CHECK(r.output.find("image.txt: error: looks like a binary file") != std::string::npos);
  CHECK(r.output.find("latin1.txt: warning: not valid UTF-8") != std::string::npos);
  CHECK(r.output.find("nowhere: error: no such file or folder") != std::string::npos);
  auto rows = csv_records(read_file(dir.path / "out/timeline.csv"));
  CHECK(find_row(rows, "DeepSeek releases R1") != nullptr);
  CHECK(find_row(rows, "gallium") != nullptr);  // the repaired file still counts
}

TEST_CASE("--reference-date dates every source, and a malformed one is a usage error") {
  TempDir out;
  auto r = run_annals("build sources/undated-notes.txt --reference-date 2025-03-19 --out " + out.str());
  r.expect_exit(0);
  auto rows = csv_records(read_file(out.path / "timeline.csv"));
  auto* r1 = find_row(rows, "DeepSeek releases R1");
  REQUIRE(r1);
  CHECK(r1->at("date") == "2025-01");
  run_annals("build sources --reference-date 19/03/2025 --out " + out.str()).expect_exit(2);
  run_annals("build --no-such-flag sources").expect_exit(2);
}

TEST_CASE("html output is self-contained and escapes source text") {
  TempDir dir;
  write_file(dir.path / "src/evil.md",
             "---\npublished: 2025-03-01\n---\n\nIn 2023 <script>alert(1)</script> China banned the export of gallium, "
             "officials said.\n");
  auto r = run_annals("build " + (dir.path / "src").string() + " --out " + (dir.path / "out").string());
  r.expect_exit(0);
  std::string html = read_file(dir.path / "out/timeline.html");
  // The sentence is on the page, escaped: an empty or missing page passes no check below.
  CHECK(html.find("&lt;script&gt;alert(1)&lt;/script&gt; China banned the export of gallium") != std::string::npos);
  CHECK(html.find("<script>alert(1)</script>") == std::string::npos);
  CHECK(html.find("http://") == std::string::npos);
  CHECK(html.find("src=\"http") == std::string::npos);
}
