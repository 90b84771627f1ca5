// The extraction cache of `annals build` (pipeline/cache.h): a rebuild
// takes unchanged sources from it and writes what a clean build writes.
#include <chrono>
#include <cstdlib>
#include <regex>
#include <thread>

#include "e2e.h"

using namespace annals::e2e;

namespace {

// Sources copied into `dir`, dated an hour ago: a file modified within the
// last seconds is read again whatever the cache says.
void copy_sources(const fs::path& from, const fs::path& dir) {
  fs::create_directories(dir);
  for (auto& e : fs::directory_iterator(fs::path(ANNALS_SOURCE_DIR) / from)) {
    fs::copy_file(e.path(), dir / e.path().filename());
    fs::last_write_time(dir / e.path().filename(), fs::file_time_type::clock::now() - std::chrono::hours(1));
  }
}

std::map<std::string, std::string> outputs_of(const fs::path& dir) {
  std::map<std::string, std::string> out;
  for (auto& e : fs::directory_iterator(dir))
    if (e.is_regular_file()) out[e.path().filename().string()] = read_file(e.path());
  return out;
}

Run build(const fs::path& sources, const fs::path& out, const std::string& extra = "") {
  setenv("SOURCE_DATE_EPOCH", "1700000000", 1);  // the page's generation time, fixed
  auto r = run_annals("build '" + sources.string() + "' --out '" + out.string() + "' --format html,csv,json,timelinejs " + extra);
  INFO(r.output);
  CHECK(r.exit_code <= 1);
  return r;
}

// "annals: 4 of 5 source(s) taken from the cache in DIR (3 not read again)" -> {4, 3}; {0, 0} without the line.
std::pair<int, int> cache_counts(const Run& r) {
  std::smatch m;
  if (!std::regex_search(r.output, m, std::regex(R"((\d+) of \d+ source\(s\) taken from the cache in .* \((\d+) not read again\))")))
    return {0, 0};
  return {std::stoi(m[1]), std::stoi(m[2])};
}

// The outputs of building `sources` into `out`, compared with a clean build
// with the options `extra`.
void check_like_clean_build_with(const fs::path& sources, const fs::path& out, const TempDir& tmp, const std::string& extra) {
  auto clean = tmp.path / "clean";
  fs::remove_all(clean);
  build(sources, clean, "--no-cache " + extra);
  auto expected = outputs_of(clean), got = outputs_of(out);
  REQUIRE(expected.size() == got.size());
  for (auto& [name, content] : expected) {
    const std::string& file = name;  // clang 14: INFO cannot capture a structured binding
    INFO("file " << file);
    CHECK(got[name] == content);
  }
}

void check_like_clean_build(const fs::path& sources, const fs::path& out, const TempDir& tmp) {
  check_like_clean_build_with(sources, out, tmp, "");
}

}  // namespace

TEST_CASE("cache: a rebuild after adding one source reads only that source and writes what a clean build writes") {
  TempDir tmp;
  auto src = tmp.path / "src", out = tmp.path / "out";
  copy_sources("sources", src);
  CHECK(cache_counts(build(src, out)) == std::pair{0, 0});
  CHECK(fs::exists(out / ".annals-cache" / "extractions"));
  write_file(src / "late.txt", "Published 9 March 2025\n\nDeepSeek released R1 on 20 January 2025, the company said.\n");
  auto again = build(src, out);
  std::size_t before = 0;
  for (auto& e : fs::directory_iterator(src)) before += e.path().extension() != ".toml" && e.path().filename() != "late.txt";
  CHECK(cache_counts(again) == std::pair{int(before), int(before)});
  check_like_clean_build(src, out, tmp);
}

TEST_CASE("cache: a changed rule pack extracts every source again") {
  TempDir tmp;
  auto src = tmp.path / "src", out = tmp.path / "out", rules = tmp.path / "rules";
  copy_sources("tests/fixtures/merge", src);
  fs::copy(fs::path(ANNALS_SOURCE_DIR) / "rules", rules, fs::copy_options::recursive);
  std::string with_rules = "--rules '" + rules.string() + "'";
  build(src, out, with_rules);
  CHECK(cache_counts(build(src, out, with_rules)).first == 4);
  // A comment changes no rule, but the pack's bytes: its fingerprint changes.
  std::ofstream(rules / "shared.toml", std::ios::app) << "\n# edited\n";
  CHECK(cache_counts(build(src, out, with_rules)) == std::pair{0, 0});
  CHECK(cache_counts(build(src, out, with_rules)).first == 4);
}

TEST_CASE("regression: a --no-fallback build after a plain one took the fallback rules' mentions from the cache") {
  TempDir tmp;
  auto src = tmp.path / "src", out = tmp.path / "out";
  copy_sources("sources", src);
  build(src, out);
  auto r = build(src, out, "--no-fallback");
  CHECK(cache_counts(r) == std::pair{0, 0});
  check_like_clean_build_with(src, out, tmp, "--no-fallback");
  CHECK(cache_counts(build(src, out, "--no-fallback")).first > 0);
}

TEST_CASE("cache: an edited source and an edited sources.toml entry miss, the other sources hit") {
  TempDir tmp;
  auto src = tmp.path / "src", out = tmp.path / "out";
  copy_sources("tests/fixtures/merge", src);
  build(src, out);
  auto text = read_file(src / "a-wire.txt");
  write_file(src / "a-wire.txt", text + "\nAlibaba released Qwen3 on 29 April 2025.\n");
  CHECK(cache_counts(build(src, out)) == std::pair{3, 3});
  check_like_clean_build(src, out, tmp);
  // A new outlet for one source: only that one is read again (and, its
  // metadata being new, extracted again).
  auto manifest = read_file(src / "sources.toml");
  auto at = manifest.find("outlet = \"");
  REQUIRE(at != std::string::npos);
  manifest.insert(at + 10, "Edited ");
  write_file(src / "sources.toml", manifest);
  auto edited = build(src, out);
  CHECK(cache_counts(edited).first == 3);
  check_like_clean_build(src, out, tmp);
}

TEST_CASE("cache: a touched or copied source is read again but not extracted again") {
  TempDir tmp;
  auto src = tmp.path / "src", out = tmp.path / "out";
  copy_sources("tests/fixtures/merge", src);
  build(src, out);
  fs::last_write_time(src / "a-wire.txt", fs::file_time_type::clock::now() - std::chrono::minutes(10));
  fs::copy_file(src / "c-blog.html", src / "e-copy.html");
  fs::last_write_time(src / "e-copy.html", fs::file_time_type::clock::now() - std::chrono::minutes(10));
  // All five from the cache, a-wire and e-copy by their text.
  CHECK(cache_counts(build(src, out)) == std::pair{5, 3});
  check_like_clean_build(src, out, tmp);
}

TEST_CASE("cache: content rewritten in place at the same size, its mtime set back, still misses") {
  // The stamp is size, mtime, inode and ctime (as git's index): cp -p or
  // touch -d can restore an mtime, nothing restores a ctime.
  TempDir tmp;
  auto src = tmp.path / "src", out = tmp.path / "out";
  copy_sources("tests/fixtures/merge", src);
  build(src, out);
  auto file = src / "a-wire.txt";
  auto mtime = fs::last_write_time(file);
  auto text = read_file(file);
  auto at = text.find("20 January 2025");
  REQUIRE(at != std::string::npos);
  text.replace(at, 2, "21");
  std::this_thread::sleep_for(std::chrono::milliseconds(20));  // a ctime of its own, even on a coarse clock
  {
    std::ofstream f(file, std::ios::in | std::ios::out | std::ios::binary);  // the same inode, not a new file
    f << text;
  }
  fs::last_write_time(file, mtime);
  CHECK(fs::file_size(file) == text.size());
  // a-wire is read again, and its new text extracted again.
  CHECK(cache_counts(build(src, out)) == std::pair{3, 3});
  check_like_clean_build(src, out, tmp);
  // Its mtime set back once more without a change: read again, then found by its text.
  fs::last_write_time(file, mtime);
  CHECK(cache_counts(build(src, out)) == std::pair{4, 3});
  check_like_clean_build(src, out, tmp);
  CHECK(cache_counts(build(src, out)) == std::pair{4, 4});
}

TEST_CASE("cache: a torn or garbled cache file costs only its records, never the build") {
  TempDir tmp;
  auto src = tmp.path / "src", out = tmp.path / "out";
  copy_sources("tests/fixtures/merge", src);
  build(src, out);
  auto cache = out / ".annals-cache" / "extractions";
  auto bytes = read_file(cache);
  REQUIRE(bytes.size() > 100);
  write_file(cache, bytes.substr(0, bytes.size() - 40));  // the last record torn
  auto torn = build(src, out);
  CHECK(cache_counts(torn).first == 3);
  check_like_clean_build(src, out, tmp);
  bytes = read_file(cache);
  for (std::size_t i = bytes.size() / 3; i < bytes.size(); i += 97) bytes[i] = char(bytes[i] ^ 0x5a);
  write_file(cache, bytes);
  auto garbled = build(src, out);
  CHECK(garbled.exit_code == 0);
  check_like_clean_build(src, out, tmp);
  CHECK(cache_counts(build(src, out)).first == 4);  // and it was rewritten whole
}

TEST_CASE("cache: --no-cache neither reads nor writes it, --cache DIR puts it elsewhere") {
  TempDir tmp;
  auto src = tmp.path / "src", out = tmp.path / "out";
  copy_sources("tests/fixtures/merge", src);
  build(src, out, "--no-cache");
  CHECK(!fs::exists(out / ".annals-cache"));
  auto elsewhere = tmp.path / "cache";
  build(src, out, "--cache '" + elsewhere.string() + "'");
  CHECK(fs::exists(elsewhere / "extractions"));
  CHECK(cache_counts(build(src, out, "--cache '" + elsewhere.string() + "'")).first == 4);
  CHECK(cache_counts(build(src, out, "--no-cache")) == std::pair{0, 0});
}
