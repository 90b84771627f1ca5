#include "cli/progress.h"

#include <unistd.h>

#include <fmt/format.h>

namespace annals::cli {
namespace {

// 19616 -> "19,616"
std::string grouped(std::uintmax_t n) {
  std::string digits = std::to_string(n), out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return out;
}

}  // namespace

Progress::Progress(bool enabled, std::size_t documents, std::uintmax_t bytes)
    : enabled_(enabled && ::isatty(STDERR_FILENO)), documents_(documents), bytes_(bytes) {}

std::string Progress::line(std::size_t done, std::size_t documents, std::uintmax_t done_bytes, std::uintmax_t bytes,
                           double seconds) {
  double mb = double(done_bytes) / 1e6, rate = seconds > 0 ? mb / seconds : 0;
  std::string out = fmt::format("annals: {}/{} documents, {:.1f}/{:.1f} MB, {:.1f} MB/s", grouped(done), grouped(documents), mb,
                                double(bytes) / 1e6, rate);
  if (done_bytes > 0 && done_bytes < bytes) {
    double left = seconds * double(bytes - done_bytes) / double(done_bytes);
    out += left < 60 ? fmt::format(", about {:.0f} s left", left) : fmt::format(", about {:.0f} min left", left / 60);
  }
  return out;
}

void Progress::advance(std::uintmax_t bytes) {
  ++done_;
  done_bytes_ += bytes;
  if (!enabled_) return;
  auto now = Clock::now();
  if (now - start_ < std::chrono::seconds(1) || now - last_draw_ < std::chrono::milliseconds(100)) return;
  last_draw_ = now;
  std::string text = line(done_, documents_, done_bytes_, bytes_, std::chrono::duration<double>(now - start_).count());
  // \r and "erase to the end of the line": the new line replaces the old in place.
  std::fprintf(stderr, "\r%s\x1b[K", text.c_str());
  std::fflush(stderr);
  shown_ = true;
}

void Progress::clear() {
  if (!shown_) return;
  std::fprintf(stderr, "\r\x1b[K");
  std::fflush(stderr);
  shown_ = false;
}

}  // namespace annals::cli
