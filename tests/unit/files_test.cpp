#include "core/files.h"

#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <sstream>
#include <vector>

#include <doctest/doctest.h>

namespace annals {
namespace fs = std::filesystem;

TEST_CASE("files: read_file returns a file's bytes, NUL and CR included") {
  fs::path p = fs::temp_directory_path() / "annals-files-test.bin";
  std::string bytes("a\0b\r\nc", 6);
  std::ofstream(p, std::ios::binary) << bytes;
  auto got = read_file(p);
  REQUIRE(got.ok());
  CHECK(*got == bytes);
  fs::remove(p);
}

TEST_CASE("files: read_file of a file that is not there names it and says why") {
  auto got = read_file("no/such/file.txt");
  REQUIRE_FALSE(got.ok());
  CHECK(got.status().message() == "cannot read no/such/file.txt: No such file or directory");
}

TEST_CASE("files: read_file of a folder is an error, not an empty text") {
  auto got = read_file(fs::temp_directory_path());
  REQUIRE_FALSE(got.ok());
  CHECK(got.status().message().ends_with(": Is a directory"));
}

TEST_CASE("files: read_file reads what has no size to its end") {
  auto got = read_file("/proc/self/status");  // st_size is 0
  REQUIRE(got.ok());
  CHECK(got->find("Name:") != std::string::npos);
}

namespace {

// A fresh folder under the system's temporary folder, removed at the end.
struct Folder {
  fs::path path = fs::temp_directory_path() / ("annals-atomic-" + std::to_string(::getpid()));
  Folder() {
    fs::remove_all(path);
    fs::create_directories(path);
  }
  ~Folder() { fs::remove_all(path); }
  std::vector<std::string> names() const {
    std::vector<std::string> out;
    for (auto& e : fs::directory_iterator(path)) out.push_back(e.path().filename().string());
    std::sort(out.begin(), out.end());
    return out;
  }
};

std::string contents(const fs::path& p) {
  std::ostringstream s;
  s << std::ifstream(p, std::ios::binary).rdbuf();
  return s.str();
}

}  // namespace

TEST_CASE("files: an AtomicFile is written to .NAME.tmp-PID and replaces NAME whole, only when committed") {
  Folder dir;
  fs::path part = dir.path / "part-3.jsonl";
  std::ofstream(part) << "old\n";
  std::string big(200000, 'x');  // more than one buffer's worth
  bool committed = false;
  {
    auto file = AtomicFile::create(part);
    REQUIRE(file.ok());
    CHECK(file->temporary() == dir.path / (".part-3.jsonl.tmp-" + std::to_string(::getpid())));
    CHECK(temporary_owner(file->temporary().filename().string()) == ::getpid());
    file->out() << "new\n" << big;
    file->out().flush();
    CHECK(fs::exists(file->temporary()));
    CHECK(contents(part) == "old\n");
    SUBCASE("committed") {
      REQUIRE(file->commit().ok());
      committed = true;
    }
    SUBCASE("destroyed before its commit (an error on the way)") {}
  }
  CHECK(contents(part) == (committed ? "new\n" + big : "old\n"));
  CHECK(dir.names() == std::vector<std::string>{"part-3.jsonl"});
}

TEST_CASE("files: a flushed AtomicFile is complete on the disk under its temporary name, and NAME changes only at commit") {
  // Writers of several files (a map task's bucket files) flush them all
  // before renaming any, so a full disk on the last leaves none in place.
  Folder dir;
  fs::path part = dir.path / "bucket-0.jsonl";
  std::ofstream(part) << "old\n";
  bool committed = false;
  {
    auto file = AtomicFile::create(part);
    REQUIRE(file.ok());
    file->out() << "new\n";
    REQUIRE(file->flush().ok());
    CHECK(contents(file->temporary()) == "new\n");
    CHECK(contents(part) == "old\n");
    REQUIRE(file->flush().ok());  // a second flush has nothing to do
    SUBCASE("committed after the flush") {
      REQUIRE(file->commit().ok());
      committed = true;
    }
    SUBCASE("destroyed after the flush, uncommitted") {}
  }
  CHECK(contents(part) == (committed ? "new\n" : "old\n"));
  CHECK(dir.names() == std::vector<std::string>{"bucket-0.jsonl"});
}

TEST_CASE("files: AtomicFile's errors name the file and give the OS's reason") {
  Folder dir;
  auto missing = AtomicFile::create(dir.path / "no/such/part");
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.status().message() ==
        "cannot write " + (dir.path / "no/such/.part.tmp-").string() + std::to_string(::getpid()) + ": No such file or directory");

  // A folder where the file must go: the rename fails, and the temporary goes.
  fs::create_directories(dir.path / "taken/inside");
  auto file = AtomicFile::create(dir.path / "taken");
  REQUIRE(file.ok());
  file->out() << "x";
  Status renamed = file->commit();
  REQUIRE_FALSE(renamed.ok());
  CHECK(renamed.message().starts_with("cannot rename " + file->temporary().string() + " to " + (dir.path / "taken").string() + ": "));
  CHECK(dir.names() == std::vector<std::string>{"taken"});
}

TEST_CASE("files: an AtomicFile whose write fails says why (here: File too large) at flush and at commit, and removes its temporary") {
  Folder dir;
  // In a child: the file size limit and SIGXFSZ are the whole process's.
  pid_t child = fork();
  REQUIRE(child >= 0);
  if (child == 0) {
    ::signal(SIGXFSZ, SIG_IGN);
    rlimit limit{1000, 1000};
    ::setrlimit(RLIMIT_FSIZE, &limit);
    auto said_why = [&] {
      auto file = AtomicFile::create(dir.path / "part");
      if (!file.ok()) return false;
      file->out() << std::string(100000, 'x');
      const std::string why = "cannot write " + file->temporary().string() + ": File too large";
      Status flushed = file->flush();
      Status committed = file->commit();  // after a failed flush: the same reason, nothing renamed
      return !flushed.ok() && flushed.message() == why && !committed.ok() && committed.message() == why;
    };
    _exit(said_why() ? 0 : 4);  // the AtomicFile is gone by now, its temporary with it
  }
  int status = 0;
  REQUIRE(waitpid(child, &status, 0) == child);
  CHECK(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 0);
  CHECK(dir.names().empty());
}

}  // namespace annals

TEST_CASE("files: temporary_owner reads the pid of NAME.tmp-PID and .NAME.tmp-PID, and nothing else") {
  CHECK(annals::temporary_owner(".timeline.csv.tmp-1234") == 1234);
  CHECK(annals::temporary_owner("extractions.tmp-77") == 77);
  CHECK(annals::temporary_owner("timeline.csv") == 0);
  CHECK(annals::temporary_owner(".notes.tmp-x") == 0);
  CHECK(annals::temporary_owner(".tmp-12") == 0);
  CHECK(annals::temporary_owner("a.tmp-12b") == 0);
  CHECK(annals::temporary_owner("a.tmp--3") == 0);
}
