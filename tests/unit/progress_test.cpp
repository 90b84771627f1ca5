#include "cli/progress.h"

#include <doctest/doctest.h>

namespace annals::cli {

TEST_CASE("the progress line says documents, megabytes, the rate and the time left") {
  CHECK(Progress::line(8214, 19616, 13'100'000, 31'400'000, 2.0) ==
        "annals: 8,214/19,616 documents, 13.1/31.4 MB, 6.5 MB/s, about 3 s left");
  CHECK(Progress::line(10, 100, 1'000'000, 200'000'000, 1.0) == "annals: 10/100 documents, 1.0/200.0 MB, 1.0 MB/s, about 3 min left");
  CHECK(Progress::line(100, 100, 5'000'000, 5'000'000, 2.5) == "annals: 100/100 documents, 5.0/5.0 MB, 2.0 MB/s");
}

}  // namespace annals::cli
