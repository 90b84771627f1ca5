// Fuzz target: reading a pattern's named capture groups from its text
// (rules::capture_groups), checked against RE2 itself. When the extraction
// cache vouches for a pack, its patterns are not compiled at load and the
// groups come from this reader; a group numbered differently from RE2 would
// silently read the wrong capture into an event's fields. So for every
// pattern RE2 accepts, the two must agree exactly (abort otherwise).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <map>
#include <string>
#include <string_view>

#include <re2/re2.h>

#include "rules/rules.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view pattern(reinterpret_cast<const char*>(data), size);
  const auto read = annals::rules::capture_groups(pattern);  // any bytes: must not crash
  RE2::Options options;
  options.set_log_errors(false);
  const RE2 re(pattern, options);
  if (!re.ok()) return 0;
  const std::map<std::string, int, std::less<>> expected(re.NamedCapturingGroups().begin(),
                                                         re.NamedCapturingGroups().end());
  if (read != expected) std::abort();
  return 0;
}
