#include "pipeline/pipeline.h"

#include <atomic>
#include <stdexcept>
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
