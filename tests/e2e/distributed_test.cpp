// End-to-end tests of the records that a distributed run (many extract
// tasks, retried or speculative, and one merge) depends on: every source
// record names its rule pack, merge refuses parts of different packs, and a
// part read twice gives what it gives read once.
#include <doctest/doctest.h>

#include <algorithm>

#include <nlohmann/json.hpp>

#include "e2e.h"

using namespace annals::e2e;
using nlohmann::json;

namespace {

// Every regular file of `dir`, by name.
std::map<std::string, std::string> files_of(const fs::path& dir) {
  std::map<std::string, std::string> out;
  for (auto& e : fs::directory_iterator(dir))
    if (e.is_regular_file()) out[e.path().filename().string()] = read_file(e.path());
  return out;
}

bool contains(const std::string& haystack, const std::string& needle) { return haystack.find(needle) != std::string::npos; }

// The "fingerprint" of the first source record of a part.
std::string first_fingerprint(const fs::path& part) {
  std::istringstream in(read_file(part));
  for (std::string line; std::getline(in, line);) {
    auto j = json::parse(line);
    if (j["record"] == "source") return j["fingerprint"].get<std::string>();
  }
  return "";
}

// A copy of the shipped rule pack in `dir`, with `extra` appended to its stopwords.
void copy_pack(const fs::path& dir, const std::string& extra) {
  fs::copy(fs::path(ANNALS_SOURCE_DIR) / "rules", dir, fs::copy_options::recursive);
  if (extra.empty()) return;
  std::string shared = read_file(dir / "shared.toml");
  auto at = shared.find("stopwords = [");
  REQUIRE(at != std::string::npos);
  shared.insert(at + std::string("stopwords = [").size(), "\"" + extra + "\", ");
  write_file(dir / "shared.toml", shared);
}

}  // namespace

TEST_CASE("every source record of a part names the rule pack's fingerprint, which follows the pack's stopwords") {
  TempDir tmp;
  write_file(tmp.path / "src" / "a.txt", "On 7 March 2025 DeepSeek released R1.\n");
  copy_pack(tmp.path / "same", "");
  copy_pack(tmp.path / "other", "zebra");
  auto with = [&](const std::string& pack) {
    fs::path part = tmp.path / (pack + ".jsonl");
    run_annals("extract --rules " + (tmp.path / pack).string() + " " + (tmp.path / "src").string(), part.string()).expect_exit(0);
    return first_fingerprint(part);
  };
  std::string shipped = with("same"), other = with("other");
  CHECK(shipped.rfind("annals-", 0) == 0);
  CHECK(contains(shipped, "+pack-"));
  // Where the pack lives does not enter it; its stopwords do.
  fs::path part = tmp.path / "shipped.jsonl";
  run_annals("extract " + (tmp.path / "src").string(), part.string()).expect_exit(0);
  CHECK(first_fingerprint(part) == shipped);
  CHECK(other != shipped);
}

TEST_CASE("merge refuses parts extracted with different rule packs, naming each part and fingerprint, exit 2 and nothing written") {
  TempDir tmp;
  write_file(tmp.path / "one" / "a.txt", "On 7 March 2025 DeepSeek released R1.\n");
  write_file(tmp.path / "two" / "b.txt", "On 9 March 2025 Acme released X1.\n");
  copy_pack(tmp.path / "pack-a", "");
  copy_pack(tmp.path / "pack-b", "zebra");
  fs::path part1 = tmp.path / "part1.jsonl", part2 = tmp.path / "part2.jsonl";
  run_annals("extract --rules " + (tmp.path / "pack-a").string() + " " + (tmp.path / "one").string(), part1.string()).expect_exit(0);
  run_annals("extract --rules " + (tmp.path / "pack-b").string() + " " + (tmp.path / "two").string(), part2.string()).expect_exit(0);
  std::string fp1 = first_fingerprint(part1), fp2 = first_fingerprint(part2);
  REQUIRE(fp1 != fp2);
  fs::path out = tmp.path / "out";
  auto m = run_annals("merge " + part1.string() + " " + part2.string() + " --out " + out.string());
  m.expect_exit(2);
  CHECK(contains(m.output, "annals: parts extracted with 2 different rule packs or annals versions cannot be merged"));
  CHECK(contains(m.output, "nothing was written"));
  CHECK(contains(m.output, "\n  " + part1.string() + ":1: " + fp1 + "\n"));
  CHECK(contains(m.output, "\n  " + part2.string() + ":1: " + fp2));
  CHECK(!fs::exists(out / "timeline.html"));
  // The same parts each on its own, or with parts of their own pack, merge.
  run_annals("merge " + part1.string() + " --format csv --out " + out.string()).expect_exit(0);
  CHECK(fs::exists(out / "timeline.csv"));
}

TEST_CASE("merge of the same part twice gives byte-identical outputs and exit code to merging it once") {
  setenv("SOURCE_DATE_EPOCH", "1700000000", 1);
  TempDir tmp;
  write_file(tmp.path / "src" / "a.txt", "On 7 March 2025 DeepSeek released R1. On 9 March 2025 Acme released X1.\n");
  write_file(tmp.path / "src" / "b.txt", "Acme released X1 on 9 March 2025, and Initech released Y2 on 10 March 2025.\n");
  write_file(tmp.path / "src" / "c.txt", "Last week Initech released Y2.\n");  // undated: relative date, no publication day
  // A diagnostic record in the part (a repaired source): reported once, as once.
  write_file(tmp.path / "src" / "d.txt", "On 1 May 2025 Acme released Z3. \u202e\n");
  fs::path part = tmp.path / "part.jsonl";
  auto e = run_annals("extract " + (tmp.path / "src").string(), part.string());
  REQUIRE(e.exit_code <= 1);
  const std::string formats = " --format html,csv,json,timelinejs --out ";
  auto once = run_annals("merge " + part.string() + formats + (tmp.path / "once").string());
  auto twice = run_annals("merge " + part.string() + " " + part.string() + formats + (tmp.path / "twice").string());
  // A retried map task's part is also read after the first: in another order.
  auto thrice = run_annals("merge " + part.string() + " - " + part.string() + formats + (tmp.path / "thrice").string() + " < " +
                           part.string());
  INFO(once.output);
  INFO(twice.output);
  REQUIRE(once.exit_code == 1);
  REQUIRE(contains(read_file(tmp.path / "once" / "timeline.json"), "bidirectional"));
  CHECK(twice.exit_code == once.exit_code);
  CHECK(thrice.exit_code == once.exit_code);
  CHECK(contains(twice.output, ": note: source src/a.txt was already read from " + part.string() + ":1 with the same records: dropped, counted once"));
  auto expected = files_of(tmp.path / "once");
  REQUIRE(expected.size() >= 4);
  for (const char* run : {"twice", "thrice"}) {
    auto got = files_of(tmp.path / run);
    CHECK(got.size() == expected.size());
    for (auto& file : expected) {
      INFO(run << ": " << file.first);
      CHECK(got[file.first] == file.second);
    }
  }
  unsetenv("SOURCE_DATE_EPOCH");
}

TEST_CASE("merge keeps two different sources of the same name and warns that it counts twice") {
  TempDir tmp;
  write_file(tmp.path / "one" / "src" / "a.txt", "On 7 March 2025 DeepSeek released R1.\n");
  write_file(tmp.path / "two" / "src" / "a.txt", "On 9 March 2025 Acme released X1.\n");
  fs::path part1 = tmp.path / "part1.jsonl", part2 = tmp.path / "part2.jsonl";
  run_annals("extract " + (tmp.path / "one" / "src").string(), part1.string()).expect_exit(0);
  run_annals("extract " + (tmp.path / "two" / "src").string(), part2.string()).expect_exit(0);
  auto m = run_annals("merge " + part1.string() + " " + part2.string() + " --format json --out " + (tmp.path / "out").string());
  m.expect_exit(1);
  CHECK(contains(m.output, part2.string() + ":1: warning: source src/a.txt was also read from " + part1.string() +
                               ":1 with other records (another text, metadata or rule pack): both are kept, so it counts twice\n"));
  auto t = json::parse(read_file(tmp.path / "out" / "timeline.json"));
  CHECK(t["entries"].size() == 2);
}

TEST_CASE("extract --partition K/N over the same folders: N parts merge to build's outputs, listing problems once") {
  setenv("SOURCE_DATE_EPOCH", "1700000000", 1);
  TempDir tmp;
  // Sources inside the working folder (the project root) and outside it, which are named by their
  // folder's name, and a missing input: one diagnostic over all shares.
  write_file(tmp.path / "outside" / "note.txt", "On 4 June 2025 Acme Corp. opened a plant in Ohio.\n");
  const std::string inputs = " sources tests/fixtures/merge " + (tmp.path / "outside").string() + " " + (tmp.path / "nowhere").string();
  const std::string formats = " --format html,csv,json,timelinejs --out ";
  auto built = run_annals("build" + inputs + formats + (tmp.path / "built").string());
  INFO(built.output);
  REQUIRE(built.exit_code == 1);  // the missing input
  REQUIRE(contains(read_file(tmp.path / "built" / "timeline.json"), "\"outside/note.txt\""));
  for (unsigned seed : {0u, 5u}) {
    std::string parts;
    int missing_reported = 0;
    for (int k = 0; k < 3; ++k) {
      fs::path part = tmp.path / ("part-" + std::to_string(seed) + "-" + std::to_string(k) + ".jsonl");
      auto e = run_annals("extract --partition " + std::to_string(k) + "/3 --partition-seed " + std::to_string(seed) + inputs,
                          part.string());
      INFO(e.output);
      REQUIRE(e.exit_code <= 1);
      missing_reported += contains(e.output, "no such file or folder");
      parts.append(" ").append(part.string());
    }
    CHECK(missing_reported == 1);
    fs::path merged = tmp.path / ("merged-" + std::to_string(seed));
    auto m = run_annals("merge" + parts + formats + merged.string());
    INFO(m.output);
    CHECK(m.exit_code == built.exit_code);
    auto expected = files_of(tmp.path / "built"), got = files_of(merged);
    REQUIRE(expected.size() >= 4);
    for (auto& file : expected) {
      INFO("seed " << seed << ": " << file.first);
      CHECK(got[file.first] == file.second);
    }
  }
  unsetenv("SOURCE_DATE_EPOCH");
}

TEST_CASE("extract --partition refuses a share out of range and --stdin, exit 2") {
  auto out_of_range = run_annals("extract --partition 3/3 sources");
  CHECK(out_of_range.exit_code == 2);
  CHECK(contains(out_of_range.output, "annals: --partition must be K/N with 0 <= K < N, e.g. 0/16, got \"3/3\""));
  auto not_a_number = run_annals("extract --partition x/3 sources");
  CHECK(not_a_number.exit_code == 2);
  auto with_stdin = run_annals("extract --partition 0/2 --stdin < /dev/null");
  CHECK(with_stdin.exit_code == 2);
  CHECK(contains(with_stdin.output, "--partition shares SOURCES; with --stdin, split the input instead"));
}
