#include "pipeline/pipeline.h"

#include <atomic>
#include <map>
#include <string>
#include <stdexcept>
#include <thread>
#include <vector>

#include <doctest/doctest.h>

namespace annals::pipeline {

TEST_CASE("parallel_for runs every index once, whatever the number of threads") {
  for (unsigned threads : {1u, 2u, 7u}) {
    std::vector<std::atomic<int>> seen(100);
    parallel_for(seen.size(), threads, [&](std::size_t i) { ++seen[i]; });
    for (auto& s : seen) CHECK(s == 1);
  }
}

TEST_CASE("parallel_for rethrows a worker's exception in the caller instead of terminating") {
  CHECK_THROWS_WITH_AS(parallel_for(1000, 4,
                                    [](std::size_t i) {
                                      if (i == 3) throw std::runtime_error("item 3");
                                    }),
                       "item 3", std::runtime_error);
}

}  // namespace annals::pipeline

namespace annals::pipeline {

TEST_CASE("ordered_for consumes every result in index order, whatever the number of threads") {
  for (unsigned threads : {1u, 2u, 5u}) {
    std::vector<std::size_t> seen;
    ordered_for<std::size_t>(
        500, threads, [](std::size_t i) { return i * 3; }, [&](std::size_t v) { seen.push_back(v); });
    REQUIRE(seen.size() == 500);
    for (std::size_t i = 0; i < seen.size(); ++i) CHECK(seen[i] == i * 3);
  }
}

TEST_CASE("ordered_for holds at most four results per worker ahead of the one consumed") {
  std::atomic<long> in_flight{0}, most{0};
  ordered_for<int>(
      2000, 3,
      [&](std::size_t) {
        long now = ++in_flight;
        for (long m = most; now > m && !most.compare_exchange_weak(m, now);) {
        }
        return 0;
      },
      [&](int) {
        std::this_thread::yield();
        --in_flight;
      });
  CHECK(most <= 4 * 3 + 3);
}

TEST_CASE("ordered_for consumes one result at a time, whichever worker runs the consumer") {
  std::atomic<int> inside{0};
  std::atomic<bool> overlapped{false};
  std::size_t expected = 0;
  bool in_order = true;
  ordered_for<std::size_t>(
      3000, 4,
      [](std::size_t i) {
        if (i % 7 == 0) std::this_thread::yield();  // results land out of order
        return i;
      },
      [&](std::size_t v) {
        if (++inside > 1) overlapped = true;
        in_order = in_order && v == expected++;
        std::this_thread::yield();
        --inside;
      });
  CHECK_FALSE(overlapped);
  CHECK(in_order);
  CHECK(expected == 3000);
}

TEST_CASE("ordered_for rethrows an exception of a worker or of the consumer in the caller") {
  CHECK_THROWS_WITH_AS(ordered_for<int>(
                           1000, 4,
                           [](std::size_t i) {
                             if (i == 7) throw std::runtime_error("item 7");
                             return 0;
                           },
                           [](int) {}),
                       "item 7", std::runtime_error);
  CHECK_THROWS_WITH_AS(ordered_for<int>(
                           1000, 4, [](std::size_t i) { return int(i); },
                           [](int v) {
                             if (v == 9) throw std::runtime_error("consumer at 9");
                           }),
                       "consumer at 9", std::runtime_error);
}

}  // namespace annals::pipeline

namespace annals::pipeline {

// A list of `n` sources named doc-0.txt... with one listing diagnostic.
SourceList listed(std::size_t n) {
  SourceList list;
  for (std::size_t i = 0; i < n; ++i) {
    list.files.emplace_back("in/doc-" + std::to_string(i) + ".txt");
    list.names.push_back("in/doc-" + std::to_string(i) + ".txt");
    list.stamps.push_back(FileStamp{10, 0});
    list.total_bytes += 10;
  }
  list.diagnostics.push_back({Severity::Error, "in/sub", 0, 0, "", "cannot be read: Permission denied; skipped"});
  return list;
}

TEST_CASE("keep_partition: the shares of a source list are disjoint, cover it, and keep each source's name") {
  for (std::uint64_t seed : {0u, 1u, 99u}) {
    std::map<std::string, int> seen;
    std::size_t bytes = 0, diagnostics = 0;
    for (std::uint64_t k = 0; k < 7; ++k) {
      SourceList share = listed(200);
      keep_partition(share, {k, 7, seed});
      REQUIRE(share.files.size() == share.names.size());
      REQUIRE(share.files.size() == share.stamps.size());
      CHECK(share.files.size() < 200);
      for (std::size_t i = 0; i < share.files.size(); ++i) {
        CHECK(share.names[i] == share.files[i].string());  // regression: a self-move emptied the kept names
        ++seen[share.names[i]];
      }
      bytes += share.total_bytes;
      diagnostics += share.diagnostics.size();
    }
    CHECK(seen.size() == 200);
    for (auto& name : seen) CHECK(name.second == 1);
    CHECK(bytes == 2000);
    CHECK(diagnostics == 1);  // the listing's problems are reported by share 0 only
  }
}

TEST_CASE("keep_partition: another seed gives other shares, one share keeps everything") {
  SourceList a = listed(100), b = listed(100), whole = listed(100);
  keep_partition(a, {0, 4, 1});
  keep_partition(b, {0, 4, 2});
  CHECK(a.names != b.names);
  keep_partition(whole, {0, 1, 5});
  CHECK(whole.files.size() == 100);
}

}  // namespace annals::pipeline
