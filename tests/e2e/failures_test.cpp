// Every failure a user can cause ends in a clear message and the exit code
// the README gives (1 input problems, 2 usage or configuration errors),
// never in an uncaught exception (exit 134). Permissions are tested as an
// unprivileged user (run_annals_unprivileged), since the tests run as root
// in CI and root reads everything.
#include <doctest/doctest.h>

#include "e2e.h"

namespace annals::e2e {
namespace {

constexpr auto kNone = fs::perms::none;

// The sample sources, rule pack and templates in a folder an unprivileged
// user can read and write.
struct Workspace {
  TempDir dir;
  Workspace() {
    dir.open_to_all();
    fs::copy(ANNALS_SOURCE_DIR "/sources", dir.path / "sources", fs::copy_options::recursive);
    fs::copy(ANNALS_SOURCE_DIR "/rules", dir.path / "rules", fs::copy_options::recursive);
    fs::copy(ANNALS_SOURCE_DIR "/templates", dir.path / "templates", fs::copy_options::recursive);
  }
  fs::path operator/(const char* p) const { return dir.path / p; }
  Run run(const std::string& args) const {
    return run_annals_unprivileged(dir.str(), args + " --rules rules");
  }
};

void no_crash(const Run& r) {
  INFO(r.output);
  CHECK(r.output.find("terminate called") == std::string::npos);
  CHECK(r.output.find("internal error") == std::string::npos);
}

}  // namespace

TEST_CASE("build --templates an unreadable folder: annals: cannot read template ..., exit 2, nothing written") {
  Workspace w;
  fs::permissions(w / "templates", kNone);
  auto r = w.run("build sources --templates templates --out out");
  r.expect_exit(2);
  no_crash(r);
  CHECK(r.output == "annals: cannot read template templates/timeline.html.mustache: Permission denied\n");
  CHECK_FALSE(fs::exists(w / "out"));
}

TEST_CASE("build with an unreadable template file: annals: cannot read template ..., exit 2") {
  Workspace w;
  fs::permissions(w / "templates/timeline.html.mustache", kNone);
  auto r = w.run("build sources --templates templates --out out");
  r.expect_exit(2);
  CHECK(r.output == "annals: cannot read template templates/timeline.html.mustache: Permission denied\n");
}

TEST_CASE("rules check on a pack with an unreadable subfolder names it, exit 2") {
  Workspace w;
  fs::permissions(w / "rules/events", kNone);
  auto r = w.run("rules check");
  r.expect_exit(2);
  no_crash(r);
  CHECK(r.output.find("rules/events: error: cannot read folder: Permission denied; its rule files are missing\n") != std::string::npos);
  CHECK(r.output.find("error(s)") != std::string::npos);
}

TEST_CASE("build with a rule pack file that cannot be read: the file is named, the pack refused, exit 2") {
  Workspace w;
  fs::permissions(w / "rules/dates/absolute.toml", kNone);
  auto r = w.run("build sources --out out");
  r.expect_exit(2);
  no_crash(r);
  CHECK(r.output.find("rules/dates/absolute.toml: error: cannot read rule file: Permission denied\n") != std::string::npos);
  CHECK(r.output.find("annals: the rule pack in rules has errors; nothing was written\n") != std::string::npos);
  CHECK_FALSE(fs::exists(w / "out"));
}

TEST_CASE("an unreadable subfolder of SOURCES is reported and skipped like an unreadable file, exit 1") {
  Workspace w;
  write_file(w / "sources/more/extra.txt", "On 3 March 2025 DeepSeek released R2, a company said.\n");
  write_file(w / "sources/locked.txt", "On 4 March 2025 nothing happened.\n");
  fs::permissions(w / "sources/more", kNone);
  fs::permissions(w / "sources/locked.txt", kNone);
  auto r = w.run("build sources --out out");
  r.expect_exit(1);
  no_crash(r);
  CHECK(r.output.find("sources/more: error: cannot be read: Permission denied; skipped\n") != std::string::npos);
  CHECK(r.output.find("sources/locked.txt: error: cannot be read: Permission denied; skipped\n") != std::string::npos);
  CHECK(read_file(w / "out/timeline.csv").find("DeepSeek releases R1") != std::string::npos);  // the others still count
}

TEST_CASE("an output folder that cannot be created or written: annals: ... Permission denied, nothing written, exit 2") {
  Workspace w;
  fs::create_directories(w / "locked");
  fs::permissions(w / "locked", fs::perms::owner_read | fs::perms::owner_exec | fs::perms::others_read | fs::perms::others_exec);
  auto r = w.run("build sources --out locked/out");
  r.expect_exit(2);
  no_crash(r);
  CHECK(r.output.find("annals: cannot create output folder locked/out: Permission denied; nothing was written\n") !=
        std::string::npos);

  // An existing output folder that cannot be written keeps its files.
  fs::create_directories(w / "kept");
  write_file(w / "kept/timeline.csv", "previous\n");
  fs::permissions(w / "kept", fs::perms::owner_all | fs::perms::others_read | fs::perms::others_exec);
  r = w.run("build sources --out kept");
  r.expect_exit(2);
  // The first file it writes there is the lock of the output set (render/output.h).
  CHECK(r.output.find("annals: cannot write kept/.annals-lock: Permission denied; nothing was written\n") != std::string::npos);
  CHECK(read_file(w / "kept/timeline.csv") == "previous\n");
}

TEST_CASE("tag and eval report an unreadable subfolder and go on, exit 1") {
  Workspace w;
  write_file(w / "gold/ok.tml", "<TimeML><DCT><TIMEX3 tid=\"t0\" type=\"DATE\" value=\"2025-03-07\">x</TIMEX3></DCT>"
                                 "<TEXT>It rained <TIMEX3 tid=\"t1\" type=\"DATE\" value=\"2025-03-06\">yesterday</TIMEX3>.</TEXT></TimeML>\n");
  write_file(w / "gold/locked/b.tml", "<TimeML><TEXT>x</TEXT></TimeML>\n");
  fs::permissions(w / "gold/locked", kNone);
  auto e = w.run("eval --timeml gold");
  e.expect_exit(1);
  no_crash(e);
  CHECK(e.output.find("gold/locked: error: cannot be read: Permission denied; skipped\n") != std::string::npos);
  CHECK(e.output.find("over 1 document(s)") != std::string::npos);

  fs::permissions(w / "sources", kNone);
  auto t = w.run("tag sources");
  t.expect_exit(1);
  no_crash(t);
  CHECK(t.output.find("sources: error: cannot be read: Permission denied; skipped\n") != std::string::npos);
}

TEST_CASE("merge with a part it cannot read reports the reason and goes on, exit 1") {
  Workspace w;
  run_annals("extract -q --rules '" + (w / "rules").string() + "' '" + (w / "sources").string() + "'", (w / "part.jsonl").string())
      .expect_exit(0);
  write_file(w / "locked.jsonl", "{}\n");
  fs::permissions(w / "locked.jsonl", kNone);
  auto r = run_annals_unprivileged(w.dir.str(), "merge part.jsonl locked.jsonl --out out");
  r.expect_exit(1);
  no_crash(r);
  CHECK(r.output.find("locked.jsonl: error: cannot be read: Permission denied; skipped\n") != std::string::npos);
  CHECK(fs::exists(w / "out/timeline.json"));  // from the part it could read
}

TEST_CASE("regression: JSON fields of the wrong type in merge parts and extract --stdin made nlohmann::json throw") {
  TempDir dir;
  write_file(dir.path / "p.jsonl",
             "{\"record\":\"mention\",\"recurring\":\"yes\",\"rule\":\"r\",\"identity\":\"i\"}\n"
             "{\"record\":\"diagnostic\",\"message\":\"m\",\"line\":\"x\"}\n");
  auto m = run_annals("merge " + (dir.path / "p.jsonl").string() + " --out " + (dir.path / "out").string());
  m.expect_exit(2);  // no source is left: nothing is written
  no_crash(m);
  CHECK(m.output.find("p.jsonl:1: error: mention needs a \"source\"; line skipped") != std::string::npos);
  auto x = run_in(dir.str(), "printf '{\"id\":\"a\",\"text\":\"On 7 March 2025 x.\",\"title\":5}\\n' | '" ANNALS_BINARY
                             "' extract --stdin --rules '" ANNALS_SOURCE_DIR "/rules'");
  x.expect_exit(1);  // reported and skipped (hardening_test.cpp pins the batch around it)
  no_crash(x);
  CHECK(x.output.find("<stdin>:1: error: \"title\" must be a string or null, got number; document skipped") != std::string::npos);
}

TEST_CASE("regression: a run from a folder that was deleted works (fs::absolute threw filesystem_error)") {
  TempDir dir;
  fs::create_directories(dir.path / "gone");
  auto r = run_in((dir.path / "gone").string(),
                  "rmdir ../gone && '" ANNALS_BINARY "' build '" ANNALS_SOURCE_DIR "/sources' --rules '" ANNALS_SOURCE_DIR
                  "/rules' --templates '" ANNALS_SOURCE_DIR "/templates' --out '" + (dir.path / "out").string() + "'");
  r.expect_exit(0);
  no_crash(r);
  CHECK(fs::exists(dir.path / "out/timeline.html"));
}

}  // namespace annals::e2e
