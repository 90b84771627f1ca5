// render/output: the streamed writing of a run's files as one set.
#include "render/output.h"

#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <map>

#include <doctest/doctest.h>
#include <fmt/format.h>

#include "core/files.h"
#include "core/hash.h"

namespace annals::render {
namespace fs = std::filesystem;

namespace {

// A fresh output folder under the system's temporary folder, removed at the end.
struct OutFolder {
  fs::path path = fs::temp_directory_path() / ("annals-output-" + std::to_string(::getpid()));
  OutFolder() {
    fs::remove_all(path);
    fs::create_directories(path);
  }
  ~OutFolder() { fs::remove_all(path); }
  // Every file of the folder with its bytes, the lock file left out.
  std::map<std::string, std::string> files() const {
    std::map<std::string, std::string> out;
    for (auto& e : fs::directory_iterator(path)) {
      std::string name = e.path().filename().string();
      if (name == kLockFile) continue;
      auto bytes = read_file(e.path());
      REQUIRE(bytes.ok());
      out[name] = *bytes;
    }
    return out;
  }
};

// `pieces` of rising sizes, some larger than the writers' 64 KiB buffer,
// so that both paths through it are taken; each piece tells its index.
std::vector<std::string> pieces(std::size_t count) {
  std::vector<std::string> out;
  for (std::size_t i = 0; i < count; ++i) out.push_back(std::string(i * 997 % 150000, char('a' + i % 26)) + std::to_string(i) + "\n");
  return out;
}

OutputWriter writes(std::vector<std::string> parts) {
  return [parts = std::move(parts)](OutputSink& out) {
    for (auto& p : parts) out.write(p);
    return Status();
  };
}

OutputWriter writes_text(std::string text) {
  return [text](OutputSink& out) {
    out.write(text);
    return Status();
  };
}

std::string joined(const std::vector<std::string>& parts) {
  std::string all;
  for (auto& p : parts) all += p;
  return all;
}

}  // namespace

TEST_CASE("output: files streamed in pieces land whole, and the manifest gives the size and FNV-1a of their bytes") {
  OutFolder out;
  auto big = pieces(300), small = pieces(3);
  std::vector<OutputFile> files{{"big.txt", writes(big)}, {"empty.txt", writes({})}, {"small.txt", writes(small)}};
  REQUIRE(write_outputs(out.path, files).ok());
  std::string big_bytes = joined(big), small_bytes = joined(small);
  REQUIRE(big_bytes.size() > 20'000'000);
  auto written = out.files();
  CHECK(written[kManifestFile] == fmt::format("{} {:016x} big.txt\n0 {:016x} empty.txt\n{} {:016x} small.txt\n", big_bytes.size(),
                                              fnv1a(big_bytes), kFnv1aBasis, small_bytes.size(), fnv1a(small_bytes)));
  CHECK(written["big.txt"] == big_bytes);
  CHECK(written["empty.txt"].empty());
  CHECK(written["small.txt"] == small_bytes);
  CHECK(written.size() == 4);  // no temporary left
}

TEST_CASE("output: a file is written to .NAME.tmp-PID while the previous set stays in place until all are written") {
  OutFolder out;
  std::vector<OutputFile> first{{"a.txt", writes_text("old a")},
                                {"b.txt", writes_text("old b")}};
  REQUIRE(write_outputs(out.path, first).ok());
  fs::path tmp_b = out.path / (".b.txt.tmp-" + std::to_string(::getpid()));
  bool seen = false;
  std::vector<OutputFile> second{{"a.txt", writes_text("new a")},
                                 {"b.txt", [&](OutputSink& s) {
                                    s.write("new b");
                                    // a.txt is done but not in place; b.txt goes to its temporary.
                                    auto now = out.files();
                                    seen = now["a.txt"] == "old a" && now["b.txt"] == "old b" && fs::exists(tmp_b) &&
                                           now.count(".a.txt.tmp-" + std::to_string(::getpid())) == 1;
                                    return Status();
                                  }}};
  REQUIRE(write_outputs(out.path, second).ok());
  CHECK(seen);
  auto after = out.files();
  CHECK(after["a.txt"] == "new a");
  CHECK(after["b.txt"] == "new b");
  CHECK(after.size() == 3);
}

TEST_CASE("output: a writer that fails mid-stream leaves the previous outputs and manifest, and no temporary") {
  OutFolder out;
  auto parts = pieces(40);
  std::vector<OutputFile> first{{"timeline.csv", writes(parts)}, {"timeline.json", writes(parts)}};
  REQUIRE(write_outputs(out.path, first).ok());
  auto before = out.files();
  std::vector<OutputFile> failing{{"timeline.csv", writes(pieces(50))}, {"timeline.json", [](OutputSink& s) {
                                                                          for (auto& p : pieces(50)) s.write(p);
                                                                          return Status::error("template error: half-way");
                                                                        }}};
  Status s = write_outputs(out.path, failing);
  REQUIRE_FALSE(s.ok());
  CHECK(s.message() == "template error: half-way");  // the writer's own message, as it is
  CHECK(out.files() == before);
}

TEST_CASE("output: a write the OS refuses mid-stream (File too large) names the file and leaves the previous outputs") {
  OutFolder out;
  std::vector<OutputFile> first{{"a.txt", writes_text("old a")},
                                {"big.txt", writes_text("old big")}};
  REQUIRE(write_outputs(out.path, first).ok());
  auto before = out.files();
  // In a child: the file size limit and SIGXFSZ are the whole process's.
  pid_t child = fork();
  REQUIRE(child >= 0);
  if (child == 0) {
    ::signal(SIGXFSZ, SIG_IGN);
    rlimit limit{1 << 20, 1 << 20};
    ::setrlimit(RLIMIT_FSIZE, &limit);
    auto parts = pieces(100);  // about 5 MB
    std::vector<OutputFile> files{{"a.txt", writes_text("new a")},
                                  {"big.txt", [&](OutputSink& s) {
                                     for (auto& p : parts) s.write(p);
                                     return Status();
                                   }}};
    Status s = write_outputs(out.path, files);
    bool said_why = !s.ok() && s.message() == "cannot write " + (out.path / "big.txt").string() + ": File too large";
    _exit(said_why ? 0 : 4);
  }
  int status = 0;
  REQUIRE(waitpid(child, &status, 0) == child);
  CHECK(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 0);
  CHECK(out.files() == before);
}

TEST_CASE("output: a name taken by a folder is refused before any writer runs") {
  OutFolder out;
  fs::create_directories(out.path / "mentions.csv");
  int ran = 0;
  auto counted = [&](OutputSink& s) {
    ++ran;
    s.write("x");
    return Status();
  };
  Status s = write_outputs(out.path, {{"timeline.csv", counted}, {"mentions.csv", counted}});
  REQUIRE_FALSE(s.ok());
  CHECK(s.message() == (out.path / "mentions.csv").string() + " exists and is not a file");
  CHECK(ran == 0);
  CHECK(fs::is_directory(out.path / "mentions.csv"));
  CHECK_FALSE(fs::exists(out.path / "timeline.csv"));
}

TEST_CASE("output: render_outputs gives each file's bytes in order, or the first writer's failure") {
  auto parts = pieces(5);
  auto rendered = render_outputs({{"one.txt", writes(parts)}, {"two.txt", writes_text("2")}});
  REQUIRE(rendered.ok());
  REQUIRE(rendered->size() == 2);
  CHECK((*rendered)[0].name == "one.txt");
  CHECK((*rendered)[0].content == joined(parts));
  CHECK((*rendered)[1].name == "two.txt");
  CHECK((*rendered)[1].content == "2");
  auto failed = render_outputs({{"one.txt", writes(parts)}, {"two.txt", [](OutputSink&) { return Status::error("no"); }}});
  REQUIRE_FALSE(failed.ok());
  CHECK(failed.status().message() == "no");
}

}  // namespace annals::render
