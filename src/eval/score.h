// eval/score — TempEval-3 scoring of tagged time expressions against gold.
//
//   Counts c = score_document(gold, system, TypeFilter::All, &pairs);
//   c += ...;                               // micro-average: add documents up
//   Figures f = figures(c);                 // f.relaxed.f1, f.value.f1, ...
//
// Matching follows the TempEval-3 scorer: a relaxed match is a gold and a
// system expression whose extents overlap, a strict match one whose extents
// are identical. Each gold expression is paired with at most one system
// expression (the first unpaired overlapping one, preferring an identical
// extent), and the other way round. Attribute figures count a pair only when
// the attribute is identical, over all system (precision) and all gold
// (recall) expressions: value P = correct values / system, R = correct
// values / gold, F1 their harmonic mean.
//
// TypeFilter::DateTime scores only DATE and TIME expressions on both sides
// (the expressions a timeline can place).
//
// Pure functions; thread-safe.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/types.h"
#include "eval/timeml.h"

namespace annals::eval {

enum class TypeFilter { All, DateTime };

struct Counts {
  std::size_t gold = 0, system = 0;
  std::size_t strict = 0;       // pairs with identical extents
  std::size_t relaxed = 0;      // pairs with overlapping extents
  std::size_t type = 0;         // relaxed pairs with the same type
  std::size_t value = 0;        // relaxed pairs with the same value
  Counts& operator+=(const Counts& o);
};

struct PRF {
  double precision = 0, recall = 0, f1 = 0;
};

struct Figures {
  PRF strict, relaxed, type, value;
};

Figures figures(const Counts& c);

// One line of the error report: a gold expression nobody found (system ==
// nullopt), a system expression with no gold (gold == nullopt), or a pair
// whose extent, type or value differs.
struct Pairing {
  std::optional<GoldTimex> gold;
  std::optional<DateMention> system;
};

// Scores one document; `pairs` (optional) receives every gold and system
// expression once, paired where they matched, in text order.
Counts score_document(const std::vector<GoldTimex>& gold, const std::vector<DateMention>& system, TypeFilter filter,
                      std::vector<Pairing>* pairs = nullptr);

}  // namespace annals::eval
