// The command line a newcomer meets first: --version, a bare `annals`,
// each command's --help with its examples, and the man page generated
// from the same definitions.
#include <doctest/doctest.h>

#include "e2e.h"

namespace annals::e2e {

TEST_CASE("--version prints the project version and the git description it was built from") {
  auto r = run_annals("--version");
  r.expect_exit(0);
  CHECK(r.output.starts_with("annals " ANNALS_PROJECT_VERSION " (git "));
  CHECK(r.output.find("unknown") == std::string::npos);  // the tests run in a git checkout
}

TEST_CASE("a bare annals prints the help with every command and the exit codes, exit 0") {
  auto r = run_annals("");
  r.expect_exit(0);
  for (const char* command : {"build", "tag", "eval", "rules", "explain", "extract", "merge"})
    CHECK_MESSAGE(r.output.find("\n  " + std::string(command) + " ") != std::string::npos, command);
  CHECK(r.output.find("2  usage or configuration error") != std::string::npos);
  CHECK(r.output.find("A subcommand is required") == std::string::npos);
}

TEST_CASE("a bare annals rules prints its help naming check and test") {
  auto r = run_annals("rules");
  r.expect_exit(0);
  CHECK(r.output.find("check") != std::string::npos);
  CHECK(r.output.find("test") != std::string::npos);
}

TEST_CASE("each command's --help ends with examples that name the command") {
  for (std::string command : {"build", "tag", "eval", "rules check", "rules test", "explain", "extract", "merge"}) {
    auto r = run_annals(command + " --help");
    INFO(command);
    r.expect_exit(0);
    auto examples = r.output.find("Examples:\n");
    REQUIRE(examples != std::string::npos);
    CHECK(r.output.find("  annals " + command, examples) != std::string::npos);
  }
}

TEST_CASE("the first example of build --help runs as written") {
  TempDir dir;
  fs::copy(ANNALS_SOURCE_DIR "/sources", dir.path / "sources", fs::copy_options::recursive);
  auto r = run_in(dir.str(), "'" ANNALS_BINARY "' build sources --out out");
  r.expect_exit(0);
  CHECK(fs::exists(dir.path / "out/timeline.html"));
  CHECK(fs::exists(dir.path / "out/mentions.csv"));
}

TEST_CASE("the man page is written from the CLI definitions: every command, option and example, valid roff") {
  auto r = run_annals("--man");
  r.expect_exit(0);
  const std::string& man = r.output;
  CHECK(man.starts_with(".TH ANNALS 1 "));
  for (const char* section : {".SH NAME", ".SH SYNOPSIS", ".SH COMMANDS", ".SH EXIT STATUS", ".SH FILES"})
    CHECK_MESSAGE(man.find(section) != std::string::npos, section);
  for (const char* heading : {".SS \"annals build SOURCES... [OPTIONS]\"", ".SS \"annals rules check [OPTIONS]\"",
                              ".SS \"annals merge PARTS... [OPTIONS]\""})
    CHECK_MESSAGE(man.find(heading) != std::string::npos, heading);
  CHECK(man.find(".B \\-\\-csv\\-dialect") != std::string::npos);  // an option, hyphens escaped
  CHECK(man.find("annals explain sources/column.txt") != std::string::npos);  // an example
  CHECK(man.find("\\-\\-man") == std::string::npos);  // the hidden option itself is not listed
  // The build writes the same page for installation.
  CHECK(fs::exists(ANNALS_BUILD_DIR "/annals.1"));
  CHECK(read_file(ANNALS_BUILD_DIR "/annals.1") == man);
}

TEST_CASE("a copied binary finds the installed data beside it, from any folder") {
  TempDir prefix;
  fs::create_directories(prefix.path / "bin");
  fs::copy_file(ANNALS_BINARY, prefix.path / "bin/annals");
  fs::create_directories(prefix.path / "share/annals");
  fs::copy(ANNALS_SOURCE_DIR "/rules", prefix.path / "share/annals/rules", fs::copy_options::recursive);
  fs::copy(ANNALS_SOURCE_DIR "/templates", prefix.path / "share/annals/templates", fs::copy_options::recursive);
  // The copy's rules say so: a rule that only they have is found.
  write_file(prefix.path / "share/annals/rules/events/zz-probe.toml",
             "[[event]]\nid = \"probe\"\ncategory = \"probe\"\npattern = 'unmistakable probe phrase'\ntitle = \"Probe\"\n");
  TempDir work;
  write_file(work.path / "src/a.txt", "On 7 March 2025 an unmistakable probe phrase was heard.\n");
  auto r = run_in(work.str(), "'" + (prefix.path / "bin/annals").string() + "' build src --out out --format json");
  r.expect_exit(0);
  std::string json = read_file(work.path / "out/timeline.json");
  CHECK(json.find("\"title\": \"Probe\"") != std::string::npos);
  CHECK(json.find(prefix.str()) == std::string::npos);  // the pack is named by version, not by this path
  CHECK(json.find("the default rules of annals " ANNALS_PROJECT_VERSION) != std::string::npos);
}

}  // namespace annals::e2e
