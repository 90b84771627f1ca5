// Fuzz target: the TimeML reader of `annals eval`, and the writer on what it read.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "eval/timeml.h"

using namespace annals;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  auto parsed = eval::parse_timeml(std::string_view(reinterpret_cast<const char*>(data), size), "fuzz.tml");
  if (!parsed.ok()) return 0;
  const eval::GoldDocument& gold = *parsed;
  std::vector<DateMention> mentions;
  std::size_t end = 0;
  for (auto& g : gold.timexes) {
    if (g.span.begin < end || g.span.end > gold.text.size() || g.span.begin > g.span.end) __builtin_trap();
    DateMention m;
    m.span = g.span;
    m.value = g.value;
    mentions.push_back(m);
    end = g.span.end;
  }
  (void)eval::write_timeml(gold.text, mentions, gold.reference);
  return 0;
}
