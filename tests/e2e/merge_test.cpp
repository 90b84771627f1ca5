// End-to-end tests of the merge stage: provenance, conflicts, recurring
// events, near-duplicates, aliases, and extract/merge (map/reduce) giving
// byte-identical outputs to build.
#include <doctest/doctest.h>

#include <algorithm>
#include <random>

#include <nlohmann/json.hpp>

#include "e2e.h"
#include "skip.h"

using namespace annals::e2e;
using nlohmann::json;

namespace {

const char* kFixture = "tests/fixtures/merge";

json build_json(const std::string& sources) {
  TempDir out;
  auto r = run_annals("build " + sources + " --format json --out " + out.str());
  INFO(r.output);
  r.expect_exit(0);
  return json::parse(read_file(out.path / "timeline.json"));
}

std::vector<json> entries_titled(const json& t, const std::string& title) {
  std::vector<json> out;
  for (auto& e : t["entries"])
    if (e["title"] == title) out.push_back(e);
  return out;
}

// Every regular file of `dir`, by name (not the extraction cache's folder).
std::map<std::string, std::string> files_of(const fs::path& dir) {
  std::map<std::string, std::string> out;
  for (auto& e : fs::directory_iterator(dir))
    if (e.is_regular_file()) out[e.path().filename().string()] = read_file(e.path());
  return out;
}

// Source files of a folder, as the paths build would report.
std::vector<std::string> source_files(const std::string& dir) {
  std::vector<std::string> out;
  for (auto& e : fs::recursive_directory_iterator(fs::path(ANNALS_SOURCE_DIR) / dir)) {
    auto ext = e.path().extension().string();
    if (ext == ".txt" || ext == ".md" || ext == ".html")
      out.push_back(dir + "/" + fs::relative(e.path(), fs::path(ANNALS_SOURCE_DIR) / dir).string());
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::string quoted_list(const std::vector<std::string>& files) {
  std::string s;
  for (auto& f : files) s += " '" + f + "'";
  return s;
}

// Splits `files` into shards at random, extracts each shard separately,
// merges the parts in a random order, and compares every output with build.
void check_shards_merge_like_build(const std::vector<std::string>& files, unsigned seed) {
  REQUIRE(!files.empty());
  setenv("SOURCE_DATE_EPOCH", "1700000000", 1);
  TempDir dir;
  auto whole = dir.path / "whole";
  auto r = run_annals("build" + quoted_list(files) + " --format html,csv,json,timelinejs --out " + whole.string());
  INFO(r.output);
  REQUIRE(r.exit_code <= 1);
  std::mt19937 rng(seed);
  for (int trial = 0; trial < 3; ++trial) {
    std::size_t shards = 1 + rng() % std::min<std::size_t>(files.size(), 4);
    std::vector<std::vector<std::string>> parts(shards);
    for (auto& f : files) parts[rng() % shards].push_back(f);
    std::vector<std::string> part_files;
    for (std::size_t i = 0; i < shards; ++i) {
      if (parts[i].empty()) continue;
      auto part = dir.path / ("part" + std::to_string(trial) + "-" + std::to_string(i) + ".jsonl");
      auto e = run_annals("extract" + quoted_list(parts[i]), part.string());
      INFO(e.output);
      REQUIRE(e.exit_code <= 1);
      part_files.push_back(part.string());
    }
    std::shuffle(part_files.begin(), part_files.end(), rng);
    auto merged = dir.path / ("merged" + std::to_string(trial));
    auto m = run_annals("merge" + quoted_list(part_files) + " --format html,csv,json,timelinejs --out " + merged.string());
    INFO(m.output);
    CHECK(m.exit_code == r.exit_code);
    auto expected = files_of(whole), got = files_of(merged);
    REQUIRE(expected.size() == got.size());
    for (auto& file : expected) {  // not a structured binding: clang 14 cannot capture one in INFO
      INFO("file " << file.first << ", " << shards << " shard(s)");
      CHECK(got[file.first] == file.second);
    }
  }
  unsetenv("SOURCE_DATE_EPOCH");
}

}  // namespace

TEST_CASE("an event stated by several sources at different granularities and spellings is one entry") {
  auto t = build_json(kFixture);
  auto r1 = entries_titled(t, "DeepSeek releases R1");
  REQUIRE(r1.size() == 1);
  CHECK(r1[0]["date"] == "2025-01-20");  // the most specific date the sources support
  CHECK(r1[0]["sources"] == 4);
  CHECK(r1[0]["mentions"].size() == 4);
  for (auto& m : r1[0]["mentions"]) {
    CHECK(!m["evidence"].get<std::string>().empty());
    CHECK(m["match"]["end"] > m["match"]["start"]);
    CHECK(m["date"]["value"].is_string());
  }
}

TEST_CASE("a once-only event dated differently by two sources is a conflict listed on both entries") {
  auto t = build_json(kFixture);
  auto bans = entries_titled(t, "Export ban: gallium refining equipment");
  REQUIRE(bans.size() == 2);
  CHECK(bans[0]["date"] == "2023");
  CHECK(bans[1]["date"] == "2024");
  CHECK(bans[0]["conflict"] == true);
  CHECK(bans[0]["conflicts_with"] == json::array({bans[1]["event_id"]}));
  CHECK(bans[1]["conflicts_with"] == json::array({bans[0]["event_id"]}));
}

TEST_CASE("a recurring event in two years is two entries without a conflict") {
  auto t = build_json(kFixture);
  auto reports = entries_titled(t, "National People's Congress policy report");
  REQUIRE(reports.size() == 2);
  CHECK(reports[0]["date"] == "2024-03-05");
  CHECK(reports[1]["date"] == "2025-W10");
  CHECK(reports[0]["conflict"] == false);
  CHECK(reports[1]["conflict"] == false);
}

TEST_CASE("a syndicated copy is reported as a near-duplicate and counted once") {
  auto t = build_json(kFixture);
  REQUIRE(t["near_duplicates"].size() == 1);
  CHECK(t["near_duplicates"][0] == json::array({"tests/fixtures/merge/c-blog.html", "tests/fixtures/merge/d-syndicated.txt"}));
  auto r1 = entries_titled(t, "DeepSeek releases R1");
  REQUIRE(r1.size() == 1);
  CHECK(r1[0]["source_files"].size() == 4);
  CHECK(r1[0]["independent_sources"] == 3);
}

TEST_CASE("an actor's aliases name one actor: Alibaba Group Holding Ltd. and Alibaba") {
  auto t = build_json(kFixture);
  auto qwen = entries_titled(t, "Alibaba releases Qwen2");
  REQUIRE(qwen.size() == 1);
  CHECK(qwen[0]["source_files"].size() == 3);
}

TEST_CASE("seeds: the machine-translated pair is a near-duplicate and each entry lists every seed that states it") {
  fs::path seeds = ANNALS_SHARED_DIR "/seeds";
  SKIP_UNLESS(fs::exists(seeds), seeds.string() + " is absent");
  auto t = build_json("'" + seeds.string() + "'");
  REQUIRE(t["near_duplicates"].size() == 1);
  auto group = t["near_duplicates"][0];
  REQUIRE(group.size() == 2);
  CHECK(group[0].get<std::string>().find("000_") != std::string::npos);
  CHECK(group[1].get<std::string>().find("001_") != std::string::npos);
  for (auto& e : t["entries"]) {
    std::size_t files = e["source_files"].size();
    bool both = false;
    for (auto& f : e["source_files"]) both = both || f.get<std::string>().find("000_") != std::string::npos;
    CHECK(e["independent_sources"].get<std::size_t>() <= files);
    if (both && files > 1) CHECK(e["independent_sources"].get<std::size_t>() < files);
  }
}

TEST_CASE("extract per shard then merge gives byte-identical outputs to build: sample sources") {
  check_shards_merge_like_build(source_files("sources"), 1);
}

TEST_CASE("extract per shard then merge gives byte-identical outputs to build: merge fixture") {
  check_shards_merge_like_build(source_files(kFixture), 2);
}

TEST_CASE("extract per shard then merge gives byte-identical outputs to build: seeds") {
  fs::path seeds = ANNALS_SHARED_DIR "/seeds";
  SKIP_UNLESS(fs::exists(seeds), seeds.string() + " is absent");
  std::vector<std::string> files;
  for (auto& e : fs::directory_iterator(seeds)) files.push_back(e.path().string());
  std::sort(files.begin(), files.end());
  check_shards_merge_like_build(files, 3);
}

TEST_CASE("extract --stdin reads JSON Lines documents and reports a malformed line without stopping") {
  TempDir dir;
  write_file(dir.path / "docs.jsonl",
             "{\"id\":\"doc-1\",\"text\":\"DeepSeek released R1 in January.\",\"published\":\"2025-03-19\",\"url\":\"https://example.org/1\"}\n"
             "not json\n"
             "{\"id\":\"doc-2\",\"text\":\"The release of DeepSeek's R1 in January 2025 was a shock.\"}\n");
  auto e = run_annals("extract --stdin < " + (dir.path / "docs.jsonl").string(), (dir.path / "part.jsonl").string());
  INFO(e.output);
  e.expect_exit(1);
  CHECK(e.output.find("<stdin>:2: error") != std::string::npos);
  auto m = run_annals("merge " + (dir.path / "part.jsonl").string() + " --format json --out " + (dir.path / "out").string());
  INFO(m.output);
  m.expect_exit(1);  // the diagnostic travels with the mentions
  auto t = json::parse(read_file(dir.path / "out/timeline.json"));
  auto r1 = entries_titled(t, "DeepSeek releases R1");
  REQUIRE(r1.size() == 1);
  CHECK(r1[0]["date"] == "2025-01");
  CHECK(r1[0]["source_files"] == json::array({"doc-1", "doc-2"}));
  CHECK(r1[0]["mentions"][0]["source"]["url"] == "https://example.org/1");
}

TEST_CASE("merge reports a malformed record with its line and still merges the rest") {
  TempDir dir;
  auto part = dir.path / "part.jsonl";
  run_annals("extract sources/analysis.md", part.string()).expect_exit(0);
  std::string good = read_file(part);
  write_file(part, good + "{\"record\":\"mention\",\"rule\":\"x\"}\n");
  auto lines = std::count(good.begin(), good.end(), '\n');
  auto m = run_annals("merge " + part.string() + " --format json --out " + (dir.path / "out").string());
  m.expect_exit(1);
  CHECK(m.output.find(part.string() + ":" + std::to_string(lines + 1) + ": error") != std::string::npos);
  auto t = json::parse(read_file(dir.path / "out/timeline.json"));
  CHECK(!t["entries"].empty());
}
