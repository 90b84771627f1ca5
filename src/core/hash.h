// core/hash — FNV-1a, a small, stable 64-bit hash. Stable across runs and
// platforms, which is what event ids and near-duplicate shingles need (not
// std::hash, whose values may change between builds).
#pragma once

#include <cstdint>
#include <string_view>

namespace annals {

constexpr std::uint64_t kFnv1aBasis = 1469598103934665603ull;

inline std::uint64_t fnv1a(std::string_view s, std::uint64_t h = kFnv1aBasis) {
  for (unsigned char c : s) {
    h ^= c;
    h *= 1099511628211ull;
  }
  return h;
}

}  // namespace annals
