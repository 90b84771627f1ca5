// cli/progress — the progress line of long runs, on stderr:
//
//   annals: 8,214/19,616 documents, 13.1/31.4 MB, 6.2 MB/s, about 3 s left
//
// Shown only when stderr is a terminal, never with --quiet, and only once
// the run has taken a second (a short run prints nothing), redrawn in place
// at most ten times a second; clear() erases it before anything else is
// printed, so that it never mixes with messages or lands in a log file.
#pragma once

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <string>

namespace annals::cli {

class Progress {
 public:
  // `enabled`: the caller's --quiet is off. `documents`, `bytes`: the totals.
  Progress(bool enabled, std::size_t documents, std::uintmax_t bytes);
  ~Progress() { clear(); }
  Progress(const Progress&) = delete;
  Progress& operator=(const Progress&) = delete;

  // One more document of `bytes` done.
  void advance(std::uintmax_t bytes);
  // Erases the line, if one is shown.
  void clear();

  // The line for a state of the run (exposed for tests).
  static std::string line(std::size_t done, std::size_t documents, std::uintmax_t done_bytes, std::uintmax_t bytes,
                          double seconds);

 private:
  using Clock = std::chrono::steady_clock;
  bool enabled_;
  std::size_t documents_, done_ = 0;
  std::uintmax_t bytes_, done_bytes_ = 0;
  Clock::time_point start_ = Clock::now(), last_draw_{};
  bool shown_ = false;
};

}  // namespace annals::cli
