// core/status — the one way a fallible function reports failure.
//
//   [[nodiscard]] Status write_file(const fs::path& p, std::string_view bytes);
//   [[nodiscard]] Result<RuleSet> load(...);
//
//   if (Status s = write_file(p, text); !s.ok()) return s;   // pass it up
//   Result<int> n = parse_count(text);
//   if (!n.ok()) report(n.status().message());
//   use(*n);
//
// A Status is success or one error message, written for the user as the
// rest of a line that starts with "annals: " (say what failed and on what,
// with the OS's reason where there is one: "cannot write out/timeline.csv:
// No space left on device"). Problems that a run reports and goes on from
// (a bad source, each error of a rule file) are Diagnostics (core/types.h),
// collected and printed together; a Status is for the failure that stops
// the operation at hand. Both types are [[nodiscard]]: ignoring a failure
// must be written out ((void)), never happen by accident.
#pragma once

#include <cassert>
#include <string>
#include <string_view>
#include <system_error>
#include <utility>
#include <variant>

namespace annals {

class [[nodiscard]] Status {
 public:
  Status() = default;  // success
  static Status error(std::string message) { return Status(std::move(message)); }
  // "WHAT: REASON" with the OS's reason for `ec` ("cannot read rules/x:
  // Permission denied").
  static Status os_error(std::string_view what, std::error_code ec) {
    return Status(std::string(what) + ": " + ec.message());
  }

  bool ok() const { return !failed_; }
  // Empty on success.
  const std::string& message() const { return message_; }

 private:
  explicit Status(std::string message) : failed_(true), message_(std::move(message)) {}
  bool failed_ = false;
  std::string message_;
};

// A value, or the Status that says why there is none.
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}  // NOLINT: implicit, like std::expected
  Result(Status error) : v_(std::move(error)) { assert(!std::get<Status>(v_).ok()); }  // NOLINT

  bool ok() const { return v_.index() == 0; }
  // The error; a success Status when there is a value.
  Status status() const { return ok() ? Status() : std::get<Status>(v_); }

  T& value() & { return std::get<T>(v_); }
  const T& value() const& { return std::get<T>(v_); }
  T&& value() && { return std::get<T>(std::move(v_)); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

 private:
  std::variant<T, Status> v_;
};

}  // namespace annals
