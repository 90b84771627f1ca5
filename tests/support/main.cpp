// The main of both doctest binaries: doctest's own, plus two verdicts that
// its exit code cannot give.
//   - A run whose filters select no test case fails: a ctest entry whose
//     --test-case matches nothing (a name cut at ';' by discovery) must not
//     report Passed.
//   - A run whose every selected case skipped (skip.h) exits 77, which
//     ctest reports as Skipped.
#define DOCTEST_CONFIG_IMPLEMENT
#include <doctest/doctest.h>

#include <cstdio>
#include <algorithm>
#include <mutex>
#include <string>
#include <vector>

#include "skip.h"

namespace annals::testing {
namespace {

struct RunRecord {
  std::mutex mutex;
  bool ran = false;  // false for queries (--list-test-cases, --count, ...)
  unsigned selected = 0;
  std::vector<std::string> skipped;  // "case name: why"
  std::string current_case;
};

RunRecord& record() {
  static RunRecord r;
  return r;
}

// A listener sees every run alongside the chosen reporter.
struct SkipListener : doctest::IReporter {
  explicit SkipListener(const doctest::ContextOptions&) {}
  void report_query(const doctest::QueryData&) override {}
  void test_run_start() override { record().ran = true; }
  void test_run_end(const doctest::TestRunStats& stats) override { record().selected = stats.numTestCasesPassingFilters; }
  void test_case_start(const doctest::TestCaseData& tc) override { record().current_case = tc.m_name; }
  void test_case_reenter(const doctest::TestCaseData&) override {}
  void test_case_end(const doctest::CurrentTestCaseStats&) override {}
  void test_case_exception(const doctest::TestCaseException&) override {}
  void subcase_start(const doctest::SubcaseSignature&) override {}
  void subcase_end() override {}
  void log_assert(const doctest::AssertData&) override {}
  void log_message(const doctest::MessageData&) override {}
  void test_case_skipped(const doctest::TestCaseData&) override {}
};

}  // namespace

void skip(const std::string& why) {
  auto& r = record();
  std::lock_guard lock(r.mutex);
  std::string name = r.current_case;
  if (std::find(r.skipped.begin(), r.skipped.end(), name) == r.skipped.end()) r.skipped.push_back(name);
  std::fprintf(stderr, "[annals] SKIPPED \"%s\": %s\n", name.c_str(), why.c_str());
}

}  // namespace annals::testing

DOCTEST_REGISTER_LISTENER("annals-skip", 1, annals::testing::SkipListener);

int main(int argc, char** argv) {
  doctest::Context context(argc, argv);
  int rc = context.run();
  if (context.shouldExit()) return rc;
  auto& r = annals::testing::record();
  if (!r.ran) return rc;
  if (r.selected == 0) {
    std::fprintf(stderr, "[annals] FAILED: the filters select no test case, so nothing was tested\n");
    return 1;
  }
  if (rc == 0 && r.skipped.size() == r.selected) return annals::testing::kSkipExitCode;
  if (!r.skipped.empty()) std::fprintf(stderr, "[annals] %zu of %u test case(s) skipped for missing data\n", r.skipped.size(), r.selected);
  return rc;
}
