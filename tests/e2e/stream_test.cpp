// Streaming runs on the command line: the progress line is for terminals
// only, --quiet leaves only the problems, and a source too large to read
// whole is refused.
#include "e2e.h"

using namespace annals::e2e;

TEST_CASE("build, extract and tag draw no progress line when stderr is not a terminal") {
  TempDir dir;
  for (auto& args : {"build sources --out '" + dir.str() + "/out'", std::string("extract sources"), std::string("tag sources")}) {
    auto r = run_annals(args, (dir.path / "stdout").string());
    INFO(args << "\n" << r.output);
    CHECK(r.exit_code == 0);
    CHECK(r.output.find('\r') == std::string::npos);
    CHECK(r.output.find("documents,") == std::string::npos);
  }
}

TEST_CASE("build --quiet prints nothing but problems") {
  TempDir dir;
  auto quiet = run_annals("build sources --quiet --out '" + dir.str() + "/out'");
  CHECK(quiet.exit_code == 0);
  CHECK(quiet.output.empty());
  write_file(dir.path / "src/image.txt", std::string("\x89PNG\r\n\x1a\n\0\0\0\rIHDR", 16));
  write_file(dir.path / "src/note.txt", "Published 9 March 2025\n\nAcme released Widget 2 on 3 March 2025.\n");
  auto problem = run_annals("build '" + dir.str() + "/src' -q --out '" + dir.str() + "/out2'");
  CHECK(problem.exit_code == 1);
  CHECK(problem.output.find("image.txt") != std::string::npos);
  CHECK(problem.output.find("source(s)") == std::string::npos);
}

TEST_CASE("a source larger than 64 MiB is refused with a clear message, the others are still built") {
  TempDir dir;
  fs::create_directories(dir.path / "src");
  write_file(dir.path / "src/note.txt", "Published 9 March 2025\n\nDeepSeek released R1 on 20 January 2025.\n");
  {
    std::ofstream huge(dir.path / "src/huge.txt", std::ios::binary);
  }
  fs::resize_file(dir.path / "src/huge.txt", std::uintmax_t(1) << 30);  // sparse: never written, never read
  auto r = run_annals("build '" + dir.str() + "/src' --out '" + dir.str() + "/out'");
  INFO(r.output);
  CHECK(r.exit_code == 1);
  CHECK(r.output.find("huge.txt: error: larger than 64 MiB, the limit for one source; skipped") != std::string::npos);
  CHECK(r.output.find("1 source(s)") != std::string::npos);
}
