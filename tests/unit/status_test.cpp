#include "core/status.h"

#include <doctest/doctest.h>

namespace annals {

TEST_CASE("status: a default Status is success with no message") {
  Status s;
  CHECK(s.ok());
  CHECK(s.message().empty());
}

TEST_CASE("status: an error keeps its message, an OS error appends the system's reason") {
  Status e = Status::error("cannot read x");
  CHECK_FALSE(e.ok());
  CHECK(e.message() == "cannot read x");
  Status os = Status::os_error("cannot write out/a.csv", std::make_error_code(std::errc::no_space_on_device));
  CHECK_FALSE(os.ok());
  CHECK(os.message() == "cannot write out/a.csv: " + std::make_error_code(std::errc::no_space_on_device).message());
}

TEST_CASE("status: a Result holds either its value or the error that replaced it") {
  Result<int> good = 7;
  REQUIRE(good.ok());
  CHECK(*good == 7);
  CHECK(good.status().ok());
  Result<int> bad = Status::error("not a number");
  CHECK_FALSE(bad.ok());
  CHECK(bad.status().message() == "not a number");
  Result<std::string> moved = std::string("text");
  std::string taken = std::move(moved).value();
  CHECK(taken == "text");
}

}  // namespace annals
