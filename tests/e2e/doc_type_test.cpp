// Document types end to end: where each source's type comes from
// (--doc-type, sources.toml, front matter, auto) and what timeline.json,
// explain and the dates of the timeline say about it.
#include <doctest/doctest.h>

#include <map>

#include <nlohmann/json.hpp>

#include "e2e.h"

using namespace annals::e2e;

namespace {
// A history (its dates end decades before it was published), a report of
// the day, one told to be a narrative by its front matter and one without a
// publication date.
void write_sources(const fs::path& dir) {
  write_file(dir / "sources.toml", R"toml(
[[source]]
file = "history.txt"
published = 2024-05-02
[[source]]
file = "told.txt"
published = 2024-05-02
doc_type = "narrative"
[[source]]
file = "report.txt"
published = 2024-05-02
)toml");
  write_file(dir / "history.txt",
             "The siege began on 3 October 1951. The city fell on 9 March 1952, and the truce followed on 14 July 1952.\n\n"
             "Rebuilding started on 2 August.\n");
  write_file(dir / "told.txt", "The dam was finished in 1931. Its turbines turned on 2 August.\n");
  write_file(dir / "report.txt", "The council met on 30 April 2024 and will vote on 2 August.\n");
  write_file(dir / "notes.md", "---\ntitle: Notes\ndoc_type: news\n---\nThe depot opened on 2 August.\n");
  write_file(dir / "undated.txt", "The line opened on 5 June 1899. A second track followed on 2 August.\n");
}

std::map<std::string, nlohmann::json> sources_of(const fs::path& timeline) {
  auto json = nlohmann::json::parse(read_file(timeline));
  std::map<std::string, nlohmann::json> by_file;
  for (auto& s : json["sources"]) by_file[fs::path(s["file"].get<std::string>()).filename().string()] = s;
  return by_file;
}
}  // namespace

TEST_CASE("doc types: each source's type and its origin reach timeline.json") {
  TempDir dir, out;
  write_sources(dir.path);
  auto r = run_annals("build " + dir.str() + " --format json --out " + out.str());
  INFO(r.output);
  CHECK(r.exit_code == 0);
  auto s = sources_of(out.path / "timeline.json");
  CHECK(s["history.txt"]["doc_type"] == "narrative");
  CHECK(s["history.txt"]["doc_type_from"] == "auto: 3 of its 3 dates written in full end over 2 years before its publication date");
  CHECK(s["told.txt"]["doc_type"] == "narrative");
  CHECK(s["told.txt"]["doc_type_from"] == "sources.toml");
  CHECK(s["report.txt"]["doc_type"] == "news");
  CHECK(s["report.txt"]["doc_type_from"] == "auto: the default type");
  CHECK(s["notes.md"]["doc_type"] == "news");
  CHECK(s["notes.md"]["doc_type_from"] == "front matter");
  CHECK(s["undated.txt"]["doc_type"] == "narrative");
  CHECK(s["undated.txt"]["doc_type_from"] == "auto: no publication date");
}

TEST_CASE("doc types: --doc-type overrides every source's own, and an unknown one is a usage error") {
  TempDir dir, out;
  write_sources(dir.path);
  auto r = run_annals("build " + dir.str() + " --doc-type news --format json --out " + out.str());
  CHECK(r.exit_code == 0);
  for (auto& [file, s] : sources_of(out.path / "timeline.json")) {
    const std::string& name = file;  // clang 14: INFO cannot capture a structured binding
    INFO(name);
    CHECK(s["doc_type"] == "news");
    CHECK(s["doc_type_from"] == "--doc-type");
  }
  auto bad = run_annals("build " + dir.str() + " --doc-type novel --out " + out.str());
  CHECK(bad.exit_code == 2);
  CHECK(bad.output.find("--doc-type: the rule pack defines no document type \"novel\" (it has narrative, news; or auto)") !=
        std::string::npos);
}

TEST_CASE("doc types: a narrative dates a day without a year in the year its story is in, news near its publication") {
  TempDir dir;
  write_sources(dir.path);
  auto values = [&](const std::string& file) {
    auto r = run_annals("tag " + (dir.path / file).string());
    std::vector<std::string> out;
    std::istringstream lines(r.output);
    for (std::string line; std::getline(lines, line);)
      if (auto j = nlohmann::json::parse(line, nullptr, false); j.is_object()) out.push_back(j["value"]);
    return out;
  };
  CHECK(values("history.txt") == std::vector<std::string>{"1951-10-03", "1952-03-09", "1952-07-14", "1952-08-02"});
  CHECK(values("told.txt") == std::vector<std::string>{"1931", "1931-08-02"});
  CHECK(values("report.txt") == std::vector<std::string>{"2024-04-30", "2024-08-02"});
}

TEST_CASE("doc types: explain says which type a source is read as, and why") {
  TempDir dir;
  write_sources(dir.path);
  auto r = run_annals("explain " + (dir.path / "history.txt").string() + " --color never");
  CHECK(r.exit_code == 0);
  CHECK(r.output.find("published 2024-05-02 (from sources.toml); read as narrative (auto: 3 of its 3 dates written in full") !=
        std::string::npos);
  CHECK(r.output.find("\"2 August\"  rule=date.day-month value=1952-08-02") != std::string::npos);
}
