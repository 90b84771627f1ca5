// Lazily compiled patterns (rules::LazyRE2, LoadOptions::vouched) and the
// extraction cache that vouches for a pack (pipeline/cache.h).
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <doctest/doctest.h>

#include "core/files.h"
#include "extract/extract.h"
#include "pipeline/cache.h"
#include "pipeline/pipeline.h"
#include "test_rules.h"

using namespace annals;
namespace fs = std::filesystem;

namespace {

rules::LoadResult load_project(std::function<bool(std::string_view)> vouched) {
  rules::LoadOptions options;
  options.vouched = std::move(vouched);
  return rules::load_rules(std::string(ANNALS_SOURCE_DIR) + "/rules", options);
}

std::size_t pattern_count(const rules::RuleSet& rs) {
  return rs.dates.size() + rs.datelines.size() + rs.vetoes.size() + rs.event_vetoes.size() + rs.events.size();
}

// What the extraction of `text` gives, in a form two packs can be compared by.
std::vector<std::string> extraction(const rules::RuleSet& rs, const std::string& text) {
  Document d;
  d.info.file = "x.txt";
  d.text = text;
  std::vector<std::string> out;
  for (auto& m : extract::extract(rs, d).events)
    out.push_back(m.rule_id + "|" + m.title + "|" + std::to_string(m.match.begin) + "-" + std::to_string(m.match.end) + "|" +
                  (m.date ? m.date->value : "-"));
  return out;
}

// A fresh folder under the system's temporary folder, removed at the end.
struct Folder {
  fs::path path = fs::temp_directory_path() / ("annals-lazy-" + std::to_string(::getpid()));
  Folder() {
    fs::remove_all(path);
    fs::create_directories(path);
  }
  ~Folder() { fs::remove_all(path); }
};

// Writes a source dated an hour ago (a file modified within the last
// seconds is read again whatever the cache says).
void put_source(const fs::path& file, const std::string& text) {
  std::ofstream(file) << text;
  fs::last_write_time(file, fs::file_time_type::clock::now() - std::chrono::hours(1));
}

// Streams `dir` through the cache in `cache_dir`; returns how many sources were extracted.
std::size_t stream(const rules::RuleSet& rs, const fs::path& dir, const fs::path& cache_dir) {
  auto cache = pipeline::ExtractionCache::open(cache_dir, rs.fingerprint);
  auto list = pipeline::list_sources({dir.string()});
  std::size_t extracted = 0;
  pipeline::stream_sources(rs, list, {.threads = 2, .cache = &cache},
                           [&](pipeline::SourceOutcome&& s) { extracted += s.origin == pipeline::Origin::Extracted; });
  REQUIRE(cache.save().ok());
  return extracted;
}

}  // namespace

TEST_CASE("capture_groups numbers the named groups as RE2 does, for every rule of the project pack") {
  auto rs = testing::load_project_pack();
  std::size_t checked = 0;
  auto check = [&](const auto& rules) {
    for (auto& r : rules) {
      const std::string& id = r.id;
      INFO("rule " << id);
      CHECK(rules::capture_groups(r.expanded) == r.groups);
      ++checked;
    }
  };
  check(rs->dates);
  check(rs->datelines);
  check(rs->vetoes);
  check(rs->event_vetoes);
  check(rs->events);
  CHECK(checked > 200);
}

TEST_CASE("capture_groups skips escaped parentheses, classes, \\Q...\\E and non-capturing groups") {
  for (std::string p : {R"(\((?P<a>x)\))", R"([(](?P<a>x)[)])", R"([]()](?P<a>x))", R"([^](](x)(?P<b>y))",
                        R"([[:alpha:](](?P<a>x))", R"(\Q(((\E(?P<a>x)(y))", R"((?i)(?:a(b))(?P<c>c)(?i:d)(?P<e>e))",
                        R"((a)((?P<b>b)|(?P<c>c)))"}) {
    INFO("pattern " << p);
    RE2 re(p);
    REQUIRE(re.ok());
    const auto& named = re.NamedCapturingGroups();
    CHECK(rules::capture_groups(p) == std::map<std::string, int, std::less<>>(named.begin(), named.end()));
  }
}

TEST_CASE("a vouched pack compiles no pattern at load, then only those a text needs, with the same matches") {
  auto eager = testing::load_project_pack();
  CHECK(eager->compiled_patterns() == pattern_count(*eager));
  std::string asked;
  auto lazy = load_project([&](std::string_view fingerprint) {
    asked = fingerprint;
    return true;
  });
  REQUIRE(lazy.ok());
  CHECK(asked == eager->fingerprint);
  CHECK(lazy.rules->compiled_patterns() == 0);
  std::string text;
  REQUIRE(!read_file(fs::path(ANNALS_SOURCE_DIR) / "sources" / "wire-report.txt", text));
  auto expected = extraction(*eager, text);
  CHECK(!expected.empty());
  CHECK(extraction(*lazy.rules, text) == expected);
  CHECK(lazy.rules->compiled_patterns() > 0);
  CHECK(lazy.rules->compiled_patterns() < pattern_count(*lazy.rules));
}

TEST_CASE("a bad pattern is still reported when the vouching says no, and vouching is asked only for a parsed pack") {
  const std::string pack = "[[date]]\nid = \"bad\"\npattern = '(?P<y>20[0-9]{2}'\nvalue = \"{y}\"\n";
  int asked = 0;
  rules::LoadOptions options;
  options.vouched = [&](std::string_view) { return ++asked, false; };
  auto r = rules::load_rules_from({{"bad.toml", pack}}, "test", options);
  CHECK(!r.ok());
  CHECK(asked == 1);
  bool reported = false;
  for (auto& d : r.diagnostics) reported = reported || (d.rule_id == "bad" && d.message.find("RE2 error") != std::string::npos);
  CHECK(reported);
}

TEST_CASE("cache: only a cache this binary wrote for the pack vouches for it, and a cache-only run compiles nothing") {
  Folder tmp;
  auto src = tmp.path / "src", cache_dir = tmp.path / "cache";
  fs::create_directories(src);
  put_source(src / "a.txt", "Published 9 March 2025\n\nThe company launched its app on 3 March 2025, it said.\n");
  put_source(src / "b.txt", "Published 10 March 2025\n\nThe council approved the budget on 7 March 2025.\n");
  auto eager = testing::load_project_pack();
  CHECK(!pipeline::ExtractionCache::vouches_for(cache_dir, eager->fingerprint));  // no cache yet
  CHECK(stream(*eager, src, cache_dir) == 2);
  CHECK(pipeline::ExtractionCache::vouches_for(cache_dir, eager->fingerprint));
  CHECK(!pipeline::ExtractionCache::vouches_for(cache_dir, eager->fingerprint + "x"));  // another pack

  auto vouched = [&](std::string_view fingerprint) { return pipeline::ExtractionCache::vouches_for(cache_dir, fingerprint); };
  auto lazy = load_project(vouched);
  REQUIRE(lazy.ok());
  CHECK(stream(*lazy.rules, src, cache_dir) == 0);
  CHECK(lazy.rules->compiled_patterns() == 0);

  put_source(src / "c.txt", "Published 11 March 2025\n\nThe mayor resigned on 10 March 2025.\n");
  CHECK(stream(*lazy.rules, src, cache_dir) == 1);
  CHECK(lazy.rules->compiled_patterns() > 0);
}
