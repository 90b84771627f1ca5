// Skipping a test case for missing data (../shared is not part of the
// project): the case is reported as skipped, never as passed.
//
//   TEST_CASE("seeds: ...") {
//     fs::path seeds = ANNALS_SHARED_DIR "/seeds";
//     SKIP_UNLESS(fs::exists(seeds), seeds.string() + " is absent");
//     ...
//   }
//
// A run in which every selected case skipped exits with kSkipExitCode,
// which ctest reports as "Skipped" (SKIP_RETURN_CODE on every doctest
// entry, tests/CMakeLists.txt); each ctest entry runs exactly one case.
// A run of several cases lists the skipped ones after doctest's summary.
#pragma once

#include <string>

namespace annals::testing {

inline constexpr int kSkipExitCode = 77;

// Records that the current test case is skipped, and why.
void skip(const std::string& why);

}  // namespace annals::testing

#define SKIP_UNLESS(condition, why)     \
  do {                                  \
    if (!(condition)) {                 \
      ::annals::testing::skip(why);     \
      return;                           \
    }                                   \
  } while (false)
