// Fuzz target: the start-byte reading of a pattern (rules/start_bytes.h),
// checked against RE2 itself. The input is a pattern, a newline, and a
// text; wherever RE2 finds a match anchored at a place of the text, the
// start bytes must not rule that place out (a wrong "no" would silently
// drop an event). The extractor's own use is covered too: fuzz_rules loads
// whole packs, whose event rules get their start bytes at load.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include <re2/re2.h>

#include "rules/start_bytes.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const std::size_t newline = input.find('\n');
  if (newline == std::string_view::npos) {
    (void)annals::rules::start_bytes_of(input);  // any bytes as a pattern
    return 0;
  }
  const std::string_view pattern = input.substr(0, newline);
  const std::string_view text = input.substr(newline + 1).substr(0, 512);  // bounded: one anchored match per place
  const auto starts = annals::rules::start_bytes_of(pattern);
  if (!starts) return 0;
  RE2::Options options;
  options.set_log_errors(false);
  const RE2 re(pattern, options);
  if (!re.ok()) return 0;
  for (std::size_t p = 0; p <= text.size(); ++p)
    for (std::size_t end : {text.size(), std::min(text.size(), p + 1), std::min(text.size(), p + 2)}) {
      if (end < p) continue;
      if (re.Match(text, p, end, RE2::ANCHOR_START, nullptr, 0) && !starts->may_start(text, p, end)) std::abort();
    }
  return 0;
}
