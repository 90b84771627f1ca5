#include "core/files.h"

#include <fstream>

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
