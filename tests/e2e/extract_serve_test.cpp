// End-to-end tests of `annals extract --serve`, the long-lived map worker:
// one process runs task after task from request lines on stdin, and each
// task writes what the one-shot `annals extract` of that task writes.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include "e2e.h"

using namespace annals::e2e;

namespace {

// Runs one --serve process over `requests` (one per line); its replies, parsed.
std::vector<nlohmann::json> serve(const fs::path& dir, const std::vector<nlohmann::json>& requests, const std::string& raw = "") {
  std::string text = raw;
  for (auto& r : requests) text += r.dump() + "\n";
  write_file(dir / "requests.jsonl", text);
  auto run = run_annals("extract --serve -q -j 1 < '" + (dir / "requests.jsonl").string() + "'", (dir / "replies.jsonl").string());
  run.expect_exit(0);
  std::vector<nlohmann::json> replies;
  std::istringstream lines(read_file(dir / "replies.jsonl"));
  for (std::string line; std::getline(lines, line);) replies.push_back(nlohmann::json::parse(line));
  return replies;
}

// What one-shot `annals extract ARGS` writes on stdout.
std::string one_shot(const fs::path& dir, const std::string& args) {
  auto out = dir / "one-shot.jsonl";
  auto run = run_annals("extract -q -j 1 " + args, out.string());
  INFO(run.output);
  REQUIRE(run.exit_code <= 1);
  return read_file(out);
}

// "part-3" for ("part-", 3).
std::string numbered(std::string prefix, std::size_t k) {
  prefix += std::to_string(k);
  return prefix;
}

bool has_temporaries(const fs::path& dir) {
  for (auto& e : fs::directory_iterator(dir))
    if (e.path().filename().string().find(".tmp-") != std::string::npos) return true;
  return false;
}

}  // namespace

TEST_CASE("extract --serve runs share after share in one process, each part byte-identical to extract --partition of it") {
  TempDir dir;
  auto parts = dir.path / "parts";
  fs::create_directories(parts);
  std::vector<nlohmann::json> requests;
  for (int k = 0; k < 3; ++k)
    requests.push_back({{"task", numbered("t", k)}, {"sources", {"sources", "tests/fixtures/merge"}},
                        {"partition", numbered("", k) + "/3"}, {"seed", 5}, {"part", (parts / (numbered("part-", k))).string()}});
  auto replies = serve(dir.path, requests);
  REQUIRE(replies.size() == 3);
  std::size_t sources = 0;
  for (int k = 0; k < 3; ++k) {
    INFO("share " << k);
    CHECK(replies[k]["task"] == numbered("t", k));
    CHECK(replies[k]["exit"].get<int>() <= 1);
    CHECK(replies[k]["cpu_s"].get<double>() > 0);
    sources += replies[k]["sources"].get<std::size_t>();
    CHECK(read_file(parts / (numbered("part-", k))) ==
          one_shot(dir.path, "--partition " + std::to_string(k) + "/3 --partition-seed 5 sources tests/fixtures/merge"));
  }
  CHECK(sources > 3);
  CHECK(!has_temporaries(parts));
}

TEST_CASE("extract --serve writes the bucket files of extract --buckets, and a task run twice replaces its own files") {
  TempDir dir;
  auto served = dir.path / "served", once = dir.path / "once";
  nlohmann::json task = {{"task", "alpha"}, {"sources", {"tests/fixtures/merge"}}, {"buckets", 4}, {"out", served.string()}};
  auto replies = serve(dir.path, {task, task});
  REQUIRE(replies.size() == 2);
  CHECK(replies[0]["exit"] == 0);
  CHECK(replies[1]["exit"] == 0);
  run_annals("extract -q --buckets 4 --task alpha --out '" + once.string() + "' tests/fixtures/merge").expect_exit(0);
  std::size_t files = 0;
  for (auto& e : fs::directory_iterator(once)) {
    INFO(e.path().filename().string());
    CHECK(read_file(served / e.path().filename()) == read_file(e.path()));
    ++files;
  }
  CHECK(files == 9);  // 4 buckets, 4 band files and the sources file
  CHECK(!has_temporaries(served));
}

TEST_CASE("extract --serve reads the documents of a shard that start in a byte range, as extract --stdin reads them") {
  TempDir dir;
  std::string shard;
  for (int n = 0; n < 20; ++n)
    shard += nlohmann::json{{"id", "doc-" + std::to_string(n)}, {"published", "2025-03-0" + std::to_string(1 + n % 9)},
                            {"text", "On " + std::to_string(1 + n % 9) + " March 2025 Company" + std::to_string(n % 3) +
                                         " Holdings launched its Model" + std::to_string(n % 4) + " assistant."}}
                 .dump() +
             "\n";
  write_file(dir.path / "docs.jsonl", shard);
  // Three ranges cut anywhere, two of them inside a line: every document is read by exactly one.
  std::vector<std::size_t> cuts = {0, shard.size() / 3 + 5, 2 * shard.size() / 3 - 7, shard.size()};
  std::vector<nlohmann::json> requests;
  for (std::size_t k = 0; k + 1 < cuts.size(); ++k)
    requests.push_back({{"task", numbered("s", k)}, {"shard", (dir.path / "docs.jsonl").string()}, {"begin", cuts[k]},
                        {"end", cuts[k + 1]}, {"part", (dir.path / (numbered("part-", k))).string()}});
  auto replies = serve(dir.path, requests);
  REQUIRE(replies.size() == 3);
  std::size_t sources = 0;
  for (auto& r : replies) sources += r["sources"].get<std::size_t>();
  CHECK(sources == 20);
  // Merged, the three parts are the timeline of one extract --stdin of the whole shard.
  auto whole = dir.path / "whole.jsonl";
  run_annals("extract -q --stdin < '" + (dir.path / "docs.jsonl").string() + "'", whole.string()).expect_exit(0);
  setenv("SOURCE_DATE_EPOCH", "1700000000", 1);
  auto a = run_annals("merge -q '" + whole.string() + "' --out '" + (dir.path / "a").string() + "'");
  auto b = run_annals("merge -q '" + (dir.path / "part-0").string() + "' '" + (dir.path / "part-1").string() + "' '" +
                      (dir.path / "part-2").string() + "' --out '" + (dir.path / "b").string() + "'");
  unsetenv("SOURCE_DATE_EPOCH");
  a.expect_exit(0);
  b.expect_exit(0);
  for (const char* name : {"timeline.json", "timeline.csv", "mentions.csv", "timeline.html"}) {
    INFO(name);
    CHECK(read_file(dir.path / "a" / name) == read_file(dir.path / "b" / name));
  }
}

TEST_CASE("extract --serve answers a bad task request with exit 2 and its reason, writes nothing for it, and runs the next") {
  TempDir dir;
  auto part = dir.path / "part";
  nlohmann::json good = {{"task", "ok"}, {"sources", {"tests/fixtures/merge"}}, {"part", part.string()}};
  nlohmann::json no_output = {{"task", "x"}, {"sources", {"tests/fixtures/merge"}}};
  nlohmann::json bad_share = {{"task", "y"}, {"sources", {"tests/fixtures/merge"}}, {"partition", "3/3"}, {"part", part.string()}};
  nlohmann::json unwritable = {{"task", "z"}, {"sources", {"tests/fixtures/merge"}}, {"part", (dir.path / "no/such/folder/part").string()}};
  auto replies = serve(dir.path, {no_output, bad_share, unwritable, good}, "not json\n");
  REQUIRE(replies.size() == 5);
  for (std::size_t k = 0; k < 4; ++k) {
    INFO(replies[k].dump());
    CHECK(replies[k]["exit"] == 2);
    CHECK(!replies[k]["error"].get<std::string>().empty());
  }
  CHECK(replies[1]["error"].get<std::string>().find("\"part\"") != std::string::npos);
  CHECK(replies[2]["error"].get<std::string>().find("--partition must be K/N") != std::string::npos);
  CHECK(replies[3]["error"].get<std::string>().find("cannot write") != std::string::npos);
  CHECK(replies[4]["exit"] == 0);
  CHECK(read_file(part) == one_shot(dir.path, "tests/fixtures/merge"));
}

TEST_CASE("extract --serve takes its task requests from stdin only, not with SOURCES or --stdin, exit 2") {
  auto both = run_annals("extract --serve tests/fixtures/merge");
  CHECK(both.exit_code == 2);
  CHECK(both.output.find("give SOURCES, --stdin or --serve (one of them)") != std::string::npos);
  auto keyed = run_annals("extract --serve --buckets 4 --task t --out /tmp < /dev/null");
  CHECK(keyed.exit_code == 2);
  CHECK(keyed.output.find("each task request says where it writes") != std::string::npos);
}

TEST_CASE("extract --serve removes the temporaries that killed servers left beside a part, and keeps a live process's") {
  TempDir dir;
  auto parts = dir.path / "parts";
  std::string stale = ".part-1.jsonl.tmp-" + std::to_string(gone_pid());
  std::string live = ".part-2.jsonl.tmp-" + std::to_string(getpid());  // this test's own process is alive
  write_file(parts / stale, "half a part");
  write_file(parts / live, "in progress");
  auto replies = serve(dir.path, {{{"task", "t0"}, {"sources", {"tests/fixtures/merge"}}, {"part", (parts / "part-0.jsonl").string()}}});
  REQUIRE(replies.size() == 1);
  CHECK(replies[0]["exit"] == 0);
  CHECK_FALSE(fs::exists(parts / stale));
  CHECK(fs::exists(parts / live));
  CHECK(read_file(parts / "part-0.jsonl") == one_shot(dir.path, "tests/fixtures/merge"));
}
