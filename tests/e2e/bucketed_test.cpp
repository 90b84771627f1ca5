// End-to-end tests of a bucketed (shuffled) run: `annals extract --buckets`
// per task, `annals merge --entries` per bucket, `annals merge --combine`
// once (interchange/shards.h), against `annals build` on the same corpus.
#include <doctest/doctest.h>

#include <algorithm>
#include <random>
#include <regex>

#include "e2e.h"
#include "skip.h"

using namespace annals::e2e;

namespace {

constexpr std::size_t kBuckets = 4;

// The outputs build writes by default, by name.
std::map<std::string, std::string> outputs_of(const fs::path& dir) {
  std::map<std::string, std::string> out;
  for (const char* name : {"timeline.html", "timeline.csv", "mentions.csv", "timeline.json"})
    if (fs::exists(dir / name)) out[name] = read_file(dir / name);
  return out;
}

std::string quoted_list(const std::vector<std::string>& files) {
  std::string s;
  for (auto& f : files) s += " '" + f + "'";
  return s;
}

std::vector<std::string> sources_in(const fs::path& dir) {
  std::vector<std::string> out;
  for (auto& e : fs::recursive_directory_iterator(dir)) {
    auto ext = e.path().extension().string();
    if (ext == ".txt" || ext == ".md" || ext == ".html") out.push_back(e.path().string());
  }
  std::sort(out.begin(), out.end());
  return out;
}

// The files of `shuffle` whose names match `pattern` (std::regex, whole name).
std::vector<std::string> named(const fs::path& shuffle, const std::string& pattern) {
  std::vector<std::string> out;
  std::regex re(pattern);
  for (auto& e : fs::directory_iterator(shuffle))
    if (std::regex_match(e.path().filename().string(), re)) out.push_back(e.path().string());
  std::sort(out.begin(), out.end());
  return out;
}

// Runs the map step of task `task` over `files`.
void extract_task(const std::string& task, const std::vector<std::string>& files, const fs::path& shuffle, const std::string& extra) {
  auto e = run_annals("extract --quiet" + extra + " --buckets " + std::to_string(kBuckets) + " --task " + task + " --out '" +
                      shuffle.string() + "'" + quoted_list(files));
  INFO(e.output);
  REQUIRE(e.exit_code <= 1);
}

// Runs the band step of every band bucket (interchange/bands.h).
void band_steps(const fs::path& shuffle) {
  for (std::size_t b = 0; b < kBuckets; ++b) {
    auto files = named(shuffle, ".*\\.bands-" + std::to_string(b) + "-of-4\\.jsonl");
    run_annals("merge --quiet --bands" + quoted_list(files) + " --out '" + shuffle.string() + "'").expect_exit(0);
  }
}

enum class Pairs { None, FromBandSteps };

// Reduces every bucket (and, with pairs, runs every band step), then
// combines into `out`; the combine's run.
Run reduce_and_combine(const fs::path& shuffle, const fs::path& out, Pairs pairs = Pairs::None) {
  for (std::size_t b = 0; b < kBuckets; ++b) {
    auto files = named(shuffle, ".*\\.bucket-" + std::to_string(b) + "-of-4\\.jsonl");
    auto r = run_annals("merge --quiet --entries" + quoted_list(files) + " --out '" + shuffle.string() + "'");
    r.expect_exit(0);
  }
  auto inputs = named(shuffle, ".*\\.sources\\.jsonl");
  auto shards = named(shuffle, "entries-[0-9]+-of-4\\.jsonl");
  inputs.insert(inputs.end(), shards.begin(), shards.end());
  if (pairs == Pairs::FromBandSteps) {
    band_steps(shuffle);
    auto pairs_files = named(shuffle, "pairs-[0-9]+-of-4\\.jsonl");
    inputs.insert(inputs.end(), pairs_files.begin(), pairs_files.end());
  }
  return run_annals("merge --quiet --combine" + quoted_list(inputs) + " --out '" + out.string() + "'");
}

void check_same_files(const fs::path& expected_dir, const fs::path& got_dir, const std::string& what) {
  auto expected = outputs_of(expected_dir), got = outputs_of(got_dir);
  REQUIRE(expected.size() == 4);
  REQUIRE(got.size() == expected.size());
  for (auto& file : expected) {  // not a structured binding: clang 14 cannot capture one in INFO
    INFO(what << ": " << file.first);
    CHECK(got[file.first] == file.second);
  }
}

// Splits `files` into 2 or 3 tasks at random (twice), runs the bucketed
// pipeline, and compares every output with build; then reruns one task
// (a retry) and checks that nothing changes.
void check_bucketed_like_build(const std::vector<std::string>& files, unsigned seed, const std::string& extra = "") {
  REQUIRE(files.size() >= 3);
  setenv("SOURCE_DATE_EPOCH", "1700000000", 1);
  TempDir dir;
  auto whole = dir.path / "whole";
  auto r = run_annals("build --quiet --no-cache" + extra + quoted_list(files) + " --out '" + whole.string() + "'");
  INFO(r.output);
  REQUIRE(r.exit_code <= 1);
  std::mt19937 rng(seed);
  for (int trial = 0; trial < 2; ++trial) {
    std::size_t tasks = 2 + rng() % 2;
    std::vector<std::vector<std::string>> parts(tasks);
    for (auto& f : files) parts[rng() % tasks].push_back(f);
    auto shuffle = dir.path / ("shuffle" + std::to_string(trial));
    for (std::size_t i = 0; i < tasks; ++i)
      if (!parts[i].empty()) extract_task("t" + std::to_string(i), parts[i], shuffle, extra);
    auto out = dir.path / ("bucketed" + std::to_string(trial));
    auto c = reduce_and_combine(shuffle, out);
    INFO(c.output);
    CHECK(c.exit_code == r.exit_code);
    check_same_files(whole, out, std::to_string(tasks) + " tasks");
    // The near-duplicate search shuffled by band key: the same outputs.
    auto paired = dir.path / ("paired" + std::to_string(trial));
    auto p = reduce_and_combine(shuffle, paired, Pairs::FromBandSteps);
    INFO(p.output);
    CHECK(p.exit_code == r.exit_code);
    check_same_files(whole, paired, std::to_string(tasks) + " tasks, with pairs files");
    if (trial == 0) {
      // A retried map task (same task id) overwrites its own files: the same outputs.
      extract_task("t0", parts[0], shuffle, extra);
      auto again = dir.path / "retried";
      auto c2 = reduce_and_combine(shuffle, again, Pairs::FromBandSteps);
      CHECK(c2.exit_code == r.exit_code);
      check_same_files(whole, again, "after a retried task");
    }
  }
  unsetenv("SOURCE_DATE_EPOCH");
}

// Every 8th document of te3-silver as plain text, dated by its creation
// time (sources.toml), in `dir`.
std::vector<std::string> te3_subset(const fs::path& te3, const fs::path& dir) {
  std::vector<fs::path> tml;
  for (auto& e : fs::directory_iterator(te3))
    if (e.path().extension() == ".tml") tml.push_back(e.path());
  std::sort(tml.begin(), tml.end());
  fs::create_directories(dir);
  std::string toml;
  // std::regex would recurse once per character over a whole document.
  std::regex dct_re("functionInDocument=\"CREATION_TIME\"[^>]*value=\"([0-9]{4}-[0-9]{2}-[0-9]{2})|value=\"([0-9]{4}-[0-9]{2}-[0-9]{2})\"[^>]*functionInDocument=\"CREATION_TIME\"");
  for (std::size_t i = 0; i < tml.size(); i += 8) {
    std::string raw = read_file(tml[i]), text;
    auto begin = raw.find("<TEXT>"), end = raw.rfind("</TEXT>");
    std::string body = begin != std::string::npos && end != std::string::npos && end > begin ? raw.substr(begin + 6, end - begin - 6) : raw;
    bool in_tag = false;
    for (char c : body) {
      if (c == '<') in_tag = true;
      else if (c == '>' && in_tag) in_tag = false;
      else if (!in_tag) text += c;
    }
    for (auto [from, to] : std::vector<std::pair<std::string, std::string>>{{"&lt;", "<"}, {"&gt;", ">"}, {"&quot;", "\""}, {"&amp;", "&"}})
      for (std::size_t at = 0; (at = text.find(from, at)) != std::string::npos; at += to.size()) text.replace(at, from.size(), to);
    std::smatch m;
    std::string head = raw.substr(0, begin == std::string::npos ? 4000 : begin);
    std::string name = tml[i].stem().string() + ".txt";
    write_file(dir / name, text);
    if (std::regex_search(head, m, dct_re))
      toml += "[[source]]\nfile = \"" + name + "\"\npublished = " + (m[1].matched ? m[1].str() : m[2].str()) + "\n\n";
  }
  write_file(dir / "sources.toml", toml);
  return sources_in(dir);
}

}  // namespace

TEST_CASE("bucketed extract, per-bucket merge --entries and merge --combine give build's outputs byte for byte: merge fixture") {
  check_bucketed_like_build(sources_in(fs::path(ANNALS_SOURCE_DIR) / "tests/fixtures/merge"), 11);
}

TEST_CASE("bucketed extract, per-bucket merge --entries and merge --combine give build's outputs byte for byte: news-dev") {
  fs::path news = ANNALS_SHARED_DIR "/eval/news-dev/news";
  SKIP_UNLESS(fs::exists(news), news.string() + " is absent");
  check_bucketed_like_build(sources_in(news), 12);
}

TEST_CASE("bucketed extract, per-bucket merge --entries and merge --combine give build's outputs byte for byte: te3-silver subset") {
  fs::path te3 = ANNALS_SHARED_DIR "/corpus/te3-silver";
  SKIP_UNLESS(fs::exists(te3), te3.string() + " is absent");
  TempDir dir;
  auto files = te3_subset(te3, dir.path / "te3");
  REQUIRE(files.size() > 250);
  check_bucketed_like_build(files, 13);
}

TEST_CASE("bucketed run with band steps gives build's outputs byte for byte: a corpus with a near-duplicate pair and copies") {
  TempDir dir;
  auto src = dir.path / "src";
  fs::create_directories(src);
  const std::string wire =
      "On 12 March 2024 the port authority of Rotterdam closed two container terminals after a crane collapsed during a storm. "
      "Dock workers said the cranes had been inspected in January, and the union asked for an inquiry into maintenance contracts. "
      "Shipping lines diverted vessels to Antwerp and Hamburg while engineers examined the remaining cranes, and the terminals "
      "reopened on 15 March 2024 after inspectors cleared them.";
  write_file(src / "wire.txt", wire);
  // Syndicated with a changed headline line and a closing sentence: a near-duplicate, not a copy.
  write_file(src / "repost.txt", "Storm topples crane. " + wire + " The port expects a full report by the end of April 2024.");
  write_file(src / "mirror-a.txt", wire);  // copies: grouped before banding
  write_file(src / "mirror-b.txt", wire);
  write_file(src / "other.txt",
             "The city council approved a new cycling bridge across the river on 3 June 2023, after a decade of debate about cost, "
             "river traffic and the views from the old quarter. Construction starts next spring and should take two years, the "
             "mayor said, while shop owners asked for compensation during the works on the embankment.");
  write_file(src / "third.txt",
             "Farmers in the northern provinces began the wheat harvest early on 20 July 2022 because of the heat wave, and "
             "cooperatives warned that storage silos would be full before the end of August, pushing grain prices down.");
  auto files = sources_in(src);
  setenv("SOURCE_DATE_EPOCH", "1700000000", 1);
  auto whole = dir.path / "whole";
  auto r = run_annals("build --quiet --no-cache" + quoted_list(files) + " --out '" + whole.string() + "'");
  INFO(r.output);
  REQUIRE(r.exit_code <= 1);
  // One group: the copies, the pair, and nothing else.
  auto json = read_file(whole / "timeline.json");
  auto from = json.find("\"near_duplicates\""), to = json.find("\"rules\"");
  REQUIRE(from < to);
  std::string groups = json.substr(from, to - from);
  groups.erase(std::remove_if(groups.begin(), groups.end(), [](char ch) { return std::isspace(static_cast<unsigned char>(ch)); }),
               groups.end());
  REQUIRE(groups == "\"near_duplicates\":[[\"mirror-a.txt\",\"mirror-b.txt\",\"repost.txt\",\"wire.txt\"]],");
  auto shuffle = dir.path / "shuffle";
  extract_task("t0", {files[0], files[3]}, shuffle, "");
  extract_task("t1", {files[1], files[2], files[4], files[5]}, shuffle, "");
  auto out = dir.path / "out";
  auto c = reduce_and_combine(shuffle, out, Pairs::FromBandSteps);
  INFO(c.output);
  CHECK(c.exit_code == r.exit_code);
  check_same_files(whole, out, "with pairs files");
  // The combine verifies the pairs files' candidates and bands nothing
  // itself: pairs files that propose nothing leave the copies only.
  std::vector<std::string> inputs = named(shuffle, ".*\\.sources\\.jsonl|entries-.*");
  for (auto& p : named(shuffle, "pairs-.*")) {
    std::string lines = read_file(p), kept;
    for (std::size_t at = 0, end; at < lines.size(); at = end + 1) {
      end = lines.find('\n', at);
      std::string line = lines.substr(at, end - at);
      if (line.find("\"record\":\"pair\"") != std::string::npos) continue;
      kept += (line.find("\"record\":\"end\"") != std::string::npos ? "{\"record\":\"end\",\"pairs\":0}" : line) + "\n";
    }
    write_file(p, kept);
    inputs.push_back(p);
  }
  auto unpaired = dir.path / "unpaired";
  auto u = run_annals("merge --quiet --combine" + quoted_list(inputs) + " --out '" + unpaired.string() + "'");
  INFO(u.output);
  CHECK(u.exit_code == r.exit_code);
  CHECK(read_file(unpaired / "timeline.json").find("\"repost.txt\",\n      \"wire.txt\"") == std::string::npos);
  CHECK(read_file(unpaired / "timeline.json").find("\"mirror-b.txt\",\n      \"wire.txt\"") != std::string::npos);
  unsetenv("SOURCE_DATE_EPOCH");
}

TEST_CASE("a pairs file missing or stale fails the combine by name, and a band step refuses band files of two buckets, exit 2") {
  TempDir dir;
  auto files = sources_in(fs::path(ANNALS_SOURCE_DIR) / "tests/fixtures/merge");
  auto shuffle = dir.path / "shuffle";
  extract_task("alpha", {files.begin(), files.begin() + 2}, shuffle, "");
  extract_task("beta", {files.begin() + 2, files.end()}, shuffle, "");
  auto out = dir.path / "out";
  REQUIRE(reduce_and_combine(shuffle, out, Pairs::FromBandSteps).exit_code <= 1);
  auto all = named(shuffle, ".*\\.sources\\.jsonl");
  for (auto& f : named(shuffle, "entries-[0-9]+-of-4\\.jsonl")) all.push_back(f);
  auto pairs = named(shuffle, "pairs-[0-9]+-of-4\\.jsonl");
  REQUIRE(pairs.size() == kBuckets);
  auto c = run_annals("merge --combine" + quoted_list(all) + quoted_list({pairs.begin() + 1, pairs.end()}) + " --out '" +
                      (dir.path / "out2").string() + "'");
  INFO(c.output);
  CHECK(c.exit_code == 2);
  CHECK(c.output.find("band bucket 0 of 4: no pairs file (pairs-0-of-4.jsonl) given") != std::string::npos);
  CHECK(!fs::exists(dir.path / "out2" / "timeline.json"));
  // Band bucket 2 stepped again without task beta's band file: stale.
  run_annals("merge --quiet --bands '" + (shuffle / "alpha.bands-2-of-4.jsonl").string() + "' --out '" + shuffle.string() + "'").expect_exit(0);
  auto d = run_annals("merge --combine" + quoted_list(all) + quoted_list(pairs) + " --out '" + (dir.path / "out2").string() + "'");
  INFO(d.output);
  CHECK(d.exit_code == 2);
  CHECK(d.output.find("beta.bands-2-of-4.jsonl was not read into it") != std::string::npos);
  // A band file of another bucket among a band step's files.
  auto e = run_annals("merge --bands '" + (shuffle / "alpha.bands-2-of-4.jsonl").string() + "' '" +
                      (shuffle / "beta.bands-1-of-4.jsonl").string() + "' --out '" + shuffle.string() + "'");
  INFO(e.output);
  CHECK(e.exit_code == 2);
  CHECK(e.output.find("give the band files of one bucket") != std::string::npos);
}

TEST_CASE("a bucket file missing from a reduce fails the combine by name, exit 2 and nothing written") {
  TempDir dir;
  auto files = sources_in(fs::path(ANNALS_SOURCE_DIR) / "tests/fixtures/merge");
  auto shuffle = dir.path / "shuffle";
  extract_task("alpha", {files.begin(), files.begin() + 2}, shuffle, "");
  extract_task("beta", {files.begin() + 2, files.end()}, shuffle, "");
  // Bucket 1's file of task beta is lost before its reduce.
  auto lost = shuffle / "beta.bucket-1-of-4.jsonl";
  REQUIRE(fs::exists(lost));
  fs::remove(lost);
  auto out = dir.path / "out";
  auto c = reduce_and_combine(shuffle, out);
  INFO(c.output);
  CHECK(c.exit_code == 2);
  CHECK(c.output.find("beta.bucket-1-of-4.jsonl was not reduced") != std::string::npos);
  CHECK(c.output.find("nothing was written") != std::string::npos);
  CHECK(!fs::exists(out / "timeline.json"));
}

TEST_CASE("a missing entry shard or sources file fails the combine by name, exit 2") {
  TempDir dir;
  auto files = sources_in(fs::path(ANNALS_SOURCE_DIR) / "tests/fixtures/merge");
  auto shuffle = dir.path / "shuffle";
  extract_task("alpha", {files.begin(), files.begin() + 2}, shuffle, "");
  extract_task("beta", {files.begin() + 2, files.end()}, shuffle, "");
  for (std::size_t b = 0; b < kBuckets; ++b)
    run_annals("merge --quiet --entries" + quoted_list(named(shuffle, ".*\\.bucket-" + std::to_string(b) + "-of-4\\.jsonl")) + " --out '" +
               shuffle.string() + "'")
        .expect_exit(0);
  auto shards = named(shuffle, "entries-.*");
  REQUIRE(shards.size() == kBuckets);
  auto without_shard = quoted_list(named(shuffle, ".*\\.sources\\.jsonl")) + quoted_list({shards.begin(), shards.end() - 1});
  auto c = run_annals("merge --combine" + without_shard + " --out '" + (dir.path / "out").string() + "'");
  INFO(c.output);
  CHECK(c.exit_code == 2);
  CHECK(c.output.find("bucket 3 of 4: no entry shard (entries-3-of-4.jsonl) given") != std::string::npos);
  auto without_sources = quoted_list({(shuffle / "alpha.sources.jsonl").string()}) + quoted_list(shards);
  auto d = run_annals("merge --combine" + without_sources + " --out '" + (dir.path / "out").string() + "'");
  INFO(d.output);
  CHECK(d.exit_code == 2);
  CHECK(d.output.find("beta.sources.jsonl was not given") != std::string::npos);
  CHECK(!fs::exists(dir.path / "out" / "timeline.json"));
}

TEST_CASE("plain merge refuses the files of a bucketed run, and --entries refuses files of two buckets, exit 2") {
  TempDir dir;
  auto files = sources_in(fs::path(ANNALS_SOURCE_DIR) / "tests/fixtures/merge");
  auto shuffle = dir.path / "shuffle";
  extract_task("alpha", files, shuffle, "");
  auto plain = run_annals("merge '" + (shuffle / "alpha.bucket-0-of-4.jsonl").string() + "' --out '" + (dir.path / "out").string() + "'");
  CHECK(plain.exit_code == 2);
  CHECK(plain.output.find("reduce it with annals merge --entries") != std::string::npos);
  auto mixed = run_annals("merge --entries '" + (shuffle / "alpha.bucket-0-of-4.jsonl").string() + "' '" +
                          (shuffle / "alpha.bucket-1-of-4.jsonl").string() + "' --out '" + shuffle.string() + "'");
  CHECK(mixed.exit_code == 2);
  CHECK(mixed.output.find("give the files of one bucket") != std::string::npos);
  CHECK(named(shuffle, "entries-.*").empty());
}

TEST_CASE("merge --entries removes the temporaries of killed runs in --out, and keeps a live process's") {
  TempDir dir;
  auto shuffle = dir.path / "shuffle";
  extract_task("alpha", sources_in(fs::path(ANNALS_SOURCE_DIR) / "tests/fixtures/merge"), shuffle, "");
  std::string stale = ".entries-1-of-4.jsonl.tmp-" + std::to_string(gone_pid());
  std::string live = ".entries-2-of-4.jsonl.tmp-" + std::to_string(getpid());  // this test's own process is alive
  write_file(shuffle / stale, "half a shard");
  write_file(shuffle / live, "in progress");
  run_annals("merge --quiet --entries '" + (shuffle / "alpha.bucket-0-of-4.jsonl").string() + "' --out '" + shuffle.string() + "'")
      .expect_exit(0);
  CHECK_FALSE(fs::exists(shuffle / stale));
  CHECK(fs::exists(shuffle / live));
  CHECK(fs::exists(shuffle / "entries-0-of-4.jsonl"));
}

TEST_CASE("extract --buckets needs --task and --out, and refuses a task name that is no file name, exit 2") {
  auto r = run_annals("extract --buckets 4 tests/fixtures/merge");
  CHECK(r.exit_code == 2);
  CHECK(r.output.find("--buckets, --task and --out go together") != std::string::npos);
  TempDir dir;
  auto bad = run_annals("extract --buckets 4 --task up/down --out '" + dir.path.string() + "' tests/fixtures/merge");
  CHECK(bad.exit_code == 2);
  CHECK(bad.output.find("--task \"up/down\" holds '/'") != std::string::npos);
}

TEST_CASE("regression: merge --entries and --combine that write nothing exit 2 (usage error), not 1 (outputs written)") {
  TempDir dir;
  auto shuffle = dir.path / "shuffle";
  extract_task("alpha", sources_in(fs::path(ANNALS_SOURCE_DIR) / "tests/fixtures/merge"), shuffle, "");
  auto sources_file = (shuffle / "alpha.sources.jsonl").string();
  // A sources file where --entries wants bucket files.
  auto entries = run_annals("merge --entries '" + sources_file + "' --out '" + shuffle.string() + "'");
  INFO(entries.output);
  CHECK(entries.exit_code == 2);
  CHECK(entries.output.find("nothing was written") != std::string::npos);
  CHECK(named(shuffle, "entries-.*").empty());
  // A bucket file cut short: --entries refuses it whole.
  auto bucket = shuffle / "alpha.bucket-0-of-4.jsonl";
  std::string text = read_file(bucket);
  write_file(bucket, text.substr(0, text.size() / 2));
  auto cut = run_annals("merge --entries '" + bucket.string() + "' --out '" + shuffle.string() + "'");
  CHECK(cut.exit_code == 2);
  CHECK(named(shuffle, "entries-.*").empty());
  // --combine with no entry shard at all.
  auto out = dir.path / "out";
  auto combine = run_annals("merge --combine '" + sources_file + "' --out '" + out.string() + "'");
  INFO(combine.output);
  CHECK(combine.exit_code == 2);
  CHECK(combine.output.find("nothing was written") != std::string::npos);
  CHECK(!fs::exists(out / "timeline.json"));
}

TEST_CASE("regression: merge --entries refuses a bucket file not sorted by identity by name, exit 2, and reduces it again once re-extracted") {
  TempDir dir;
  auto files = sources_in(fs::path(ANNALS_SOURCE_DIR) / "tests/fixtures/merge");
  auto shuffle = dir.path / "shuffle";
  extract_task("alpha", files, shuffle, "");
  // The layout of an older annals: the task record last but one, after the mentions.
  auto lines_in = [&](std::size_t b) {
    std::string t = read_file(shuffle / ("alpha.bucket-" + std::to_string(b) + "-of-4.jsonl"));
    return std::count(t.begin(), t.end(), '\n');
  };
  std::size_t b = 0;
  while (b < kBuckets && lines_in(b) < 4) ++b;
  REQUIRE(b < kBuckets);  // a bucket with mentions
  auto bucket = shuffle / ("alpha.bucket-" + std::to_string(b) + "-of-4.jsonl");
  std::string text = read_file(bucket);
  auto first_end = text.find('\n') + 1, last = text.rfind("{\"record\":\"end\"");
  REQUIRE(last != std::string::npos);
  write_file(bucket, text.substr(first_end, last - first_end) + text.substr(0, first_end) + text.substr(last));
  auto r = run_annals("merge --entries '" + bucket.string() + "' --out '" + shuffle.string() + "'");
  INFO(r.output);
  CHECK(r.exit_code == 2);
  CHECK(r.output.find(bucket.string() + ": error: a bucket file whose mentions are not sorted by identity") != std::string::npos);
  CHECK(r.output.find("nothing was written") != std::string::npos);
  CHECK(named(shuffle, "entries-.*").empty());
  extract_task("alpha", files, shuffle, "");
  run_annals("merge --quiet --entries '" + bucket.string() + "' --out '" + shuffle.string() + "'").expect_exit(0);
  CHECK(fs::exists(shuffle / ("entries-" + std::to_string(b) + "-of-4.jsonl")));
}

TEST_CASE("a task's bucket file given twice to merge --entries, and a task run twice under two names, count once: build's outputs") {
  setenv("SOURCE_DATE_EPOCH", "1700000000", 1);
  TempDir dir;
  auto files = sources_in(fs::path(ANNALS_SOURCE_DIR) / "tests/fixtures/merge");
  auto whole = dir.path / "whole";
  run_annals("build --quiet --no-cache" + quoted_list(files) + " --out '" + whole.string() + "'").expect_exit(0);
  auto shuffle = dir.path / "shuffle";
  extract_task("alpha", {files.begin(), files.begin() + 2}, shuffle, "");
  extract_task("beta", {files.begin() + 1, files.end()}, shuffle, "");  // files[1] in both: a speculative copy
  for (std::size_t b = 0; b < kBuckets; ++b) {
    auto bucket_files = named(shuffle, ".*\\.bucket-" + std::to_string(b) + "-of-4\\.jsonl");
    auto r = run_annals("merge --quiet --entries" + quoted_list(bucket_files) + quoted_list({bucket_files.front()}) + " --out '" +
                        shuffle.string() + "'");
    INFO(r.output);
    r.expect_exit(0);
  }
  auto inputs = named(shuffle, ".*\\.sources\\.jsonl");
  auto shards = named(shuffle, "entries-[0-9]+-of-4\\.jsonl");
  inputs.insert(inputs.end(), shards.begin(), shards.end());
  auto out = dir.path / "out";
  auto c = run_annals("merge --quiet --combine" + quoted_list(inputs) + " --out '" + out.string() + "'");
  INFO(c.output);
  CHECK(c.exit_code == 0);
  check_same_files(whole, out, "a file given twice");
  unsetenv("SOURCE_DATE_EPOCH");
}
