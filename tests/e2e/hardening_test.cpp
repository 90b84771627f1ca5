// Regression tests of hostile and broken inputs (issue 16): each names the
// failure it pins, checks the exact exit code and message, and, where a run
// must fail, that the previous outputs are still there, unchanged.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include "e2e.h"

using namespace annals::e2e;

namespace {

// Every file of a folder (not below it) with its content.
std::map<std::string, std::string> snapshot(const fs::path& dir) {
  std::map<std::string, std::string> files;
  std::error_code ec;
  for (auto& e : fs::directory_iterator(dir, ec))
    if (e.is_regular_file()) files[e.path().filename().string()] = read_file(e.path());
  return files;
}

// An out/ folder holding the outputs of a good build, to check that a
// failing run leaves them as they were.
fs::path previous_outputs(const TempDir& tmp) {
  fs::path out = tmp.path / "out";
  write_file(tmp.path / "good/note.txt", "On 7 March 2025 DeepSeek released R1.\n");
  auto r = run_annals("build " + (tmp.path / "good").string() + " --out " + out.string());
  REQUIRE(r.exit_code == 0);
  return out;
}

std::string repeat(std::string_view s, std::size_t n) {
  std::string out;
  out.reserve(s.size() * n);
  for (std::size_t i = 0; i < n; ++i) out += s;
  return out;
}

bool contains(const std::string& haystack, const std::string& needle) { return haystack.find(needle) != std::string::npos; }

}  // namespace

TEST_CASE("regression: an HTML or Markdown source nested 100,000 levels deep is skipped alone instead of crashing the build") {
  TempDir tmp;
  fs::path src = tmp.path / "src";
  const std::size_t n = 100000;
  write_file(src / "deep.html", "<html><body>" + repeat("<div>", n) + "On 7 March 2025 Acme released X1." +
                                    repeat("</div>", n) + "</body></html>");
  write_file(src / "deep.md", repeat(">", n) + " On 7 March 2025 Acme released X1.\n");
  write_file(src / "ok.txt", "On 7 March 2025 DeepSeek released R1.\n");
  fs::path out = tmp.path / "out";
  auto r = run_annals("build " + src.string() + " --out " + out.string());
  INFO(r.output);
  CHECK(r.exit_code == 1);
  CHECK(contains(r.output, (src / "deep.html").string() + ": error: elements nested 100002 levels deep (the limit is 2000); skipped\n"));
  CHECK(contains(r.output, (src / "deep.md").string() + ": error: Markdown blocks nested 100000 levels deep (the limit is 2000); skipped\n"));
  auto rows = csv_records(read_file(out / "timeline.csv"));
  REQUIRE(rows.size() == 1);
  CHECK(rows[0]["title"] == "DeepSeek releases R1");
}

TEST_CASE("regression: extract --stdin skips a document whose url is null or whose title is a number instead of aborting and losing the batch") {
  TempDir tmp;
  write_file(tmp.path / "in.jsonl",
             "{\"id\":\"a\",\"text\":\"On 7 March 2025 DeepSeek released R1.\"}\n"
             "{\"id\":\"b\",\"text\":\"On 8 March 2025 Alibaba released QwQ-32B.\",\"url\":null,\"published\":null}\n"
             "{\"id\":\"c\",\"text\":\"On 9 March 2025 Acme released X1.\",\"title\":5}\n"
             "{\"id\":\"d\",\"text\":\"Nothing.\",\"outlet\":[\"x\"]}\n"
             "{\"id\":\"e\",\"text\":\"Nothing.\",\"published\":\"March\"}\n");
  fs::path part = tmp.path / "part.jsonl";
  auto r = run_annals("extract --stdin < " + (tmp.path / "in.jsonl").string(), part.string());
  INFO(r.output);
  CHECK(r.exit_code == 1);
  CHECK(r.output ==
        "<stdin>:3: error: \"title\" must be a string or null, got number; document skipped\n"
        "<stdin>:4: error: \"outlet\" must be a string or null, got array; document skipped\n"
        "e: warning: published \"March\" is not YYYY-MM-DD; ignored\n");
  std::vector<std::string> sources;
  std::istringstream lines(read_file(part));
  for (std::string line; std::getline(lines, line);) {
    auto j = nlohmann::json::parse(line);
    if (j["record"] == "source") sources.push_back(j["source"]["file"]);
  }
  CHECK(sources == std::vector<std::string>{"a", "b", "e"});
}
