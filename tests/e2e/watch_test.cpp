// End-to-end test of `annals build --watch`: the real binary runs in the
// background; a broken rule file leaves the last good output in place, the
// fixed one rebuilds it. Every wait is bounded.
#include <doctest/doctest.h>

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>

#include <chrono>
#include <thread>

#include "e2e.h"

using namespace annals::e2e;

namespace {

const char* kRules = R"toml(
[[date]]
id = "date.year"
pattern = '\b(?P<year>20[0-9]{2})\b'
value = "{year}"
examples = [{ text = "in 2024", value = "2024" }]

[[event]]
id = "launch"
pattern = '\b(?P<who>[A-Z][a-z]+) launched (?P<what>[A-Z][A-Za-z0-9]+)'
title = "{who} TITLE {what}"
examples = [{ text = "Acme launched Rocket9.", title = "Acme TITLE Rocket9" }]
)toml";

std::string rules_with(const std::string& verb) {
  std::string s = kRules;
  for (std::size_t at; (at = s.find("TITLE")) != std::string::npos;) s.replace(at, 5, verb);
  return s;
}

template <typename Pred>
bool wait_until(Pred pred, int seconds = 30) {
  auto end = std::chrono::steady_clock::now() + std::chrono::seconds(seconds);
  while (std::chrono::steady_clock::now() < end) {
    if (pred()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return pred();
}

// The binary in the background, killed when the test ends.
struct Background {
  pid_t pid = -1;
  Background(std::vector<std::string> args, const fs::path& log) {
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 1, log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    posix_spawn_file_actions_adddup2(&fa, 1, 2);
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    REQUIRE(posix_spawn(&pid, argv[0], &fa, nullptr, argv.data(), environ) == 0);
    posix_spawn_file_actions_destroy(&fa);
  }
  ~Background() {
    if (pid <= 0) return;
    kill(pid, SIGTERM);
    int status = 0;
    if (!wait_until([&] { return waitpid(pid, &status, WNOHANG) == pid; }, 10)) {
      kill(pid, SIGKILL);
      waitpid(pid, &status, 0);
    }
  }
};

}  // namespace

TEST_CASE("build --watch keeps the last good output while the rules are broken and rebuilds once they are fixed") {
  TempDir dir;
  write_file(dir.path / "rules" / "rules.toml", rules_with("launches"));
  write_file(dir.path / "src" / "a.txt", "Acme launched Rocket9 in 2024.\n");
  fs::path out = dir.path / "out", log = dir.path / "log.txt", json = out / "timeline.json";
  Background annals({ANNALS_BINARY, "build", (dir.path / "src").string(), "--rules", (dir.path / "rules").string(), "--templates",
                     ANNALS_SOURCE_DIR "/templates", "--out", out.string(), "--watch"},
                    log);
  auto log_has = [&](const std::string& s) { return read_file(log).find(s) != std::string::npos; };

  REQUIRE(wait_until([&] { return log_has("waiting for changes") && fs::exists(json); }));
  std::string good = read_file(json);
  CHECK(good.find("Acme launches Rocket9") != std::string::npos);

  write_file(dir.path / "rules" / "rules.toml", "[[event]\nid = \"broken\n");
  REQUIRE(wait_until([&] { return log_has("previous output is kept"); }));
  CHECK(log_has("TOML syntax error"));
  CHECK(read_file(json) == good);

  write_file(dir.path / "rules" / "rules.toml", rules_with("ships"));
  CHECK(wait_until([&] { return read_file(json).find("Acme ships Rocket9") != std::string::npos; }));
  INFO(read_file(log));
  CHECK(log_has("rules.toml changed; rebuilding"));
}
