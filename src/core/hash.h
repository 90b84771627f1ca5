// core/hash — FNV-1a, a small, stable 64-bit hash, and a 64-bit mixer.
// Stable across runs and platforms, which is what event ids and near-duplicate shingles need (not
// std::hash, whose values may change between builds).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace annals {

constexpr std::uint64_t kFnv1aBasis = 1469598103934665603ull;
constexpr std::uint64_t kFnv1aPrime = 1099511628211ull;

inline std::uint64_t fnv1a(std::string_view s, std::uint64_t h = kFnv1aBasis) {
  // Eight bytes a turn, the same hash: the loop's own cost halves, which
  // counts for the outputs' manifest (every byte written is hashed).
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  std::size_t n = s.size(), i = 0;
  for (; i + 8 <= n; i += 8) {
    h = (h ^ p[i]) * kFnv1aPrime;
    h = (h ^ p[i + 1]) * kFnv1aPrime;
    h = (h ^ p[i + 2]) * kFnv1aPrime;
    h = (h ^ p[i + 3]) * kFnv1aPrime;
    h = (h ^ p[i + 4]) * kFnv1aPrime;
    h = (h ^ p[i + 5]) * kFnv1aPrime;
    h = (h ^ p[i + 6]) * kFnv1aPrime;
    h = (h ^ p[i + 7]) * kFnv1aPrime;
  }
  for (; i < n; ++i) h = (h ^ p[i]) * kFnv1aPrime;
  return h;
}

// splitmix64's finalizer: a strong 64-bit mixer, for deriving well-spread
// hashes from ones that are not (near-duplicate bigrams, probe sequences).
inline std::uint64_t mix64(std::uint64_t x) {
  x ^= x >> 30;
  x *= 0xbf58476d1ce4e5b9ull;
  x ^= x >> 27;
  x *= 0x94d049bb133111ebull;
  x ^= x >> 31;
  return x;
}

}  // namespace annals
