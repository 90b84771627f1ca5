#include "merge/near_duplicates.h"

#include <algorithm>
#include <limits>
#include <map>
#include <numeric>
#include <unordered_set>

#include "core/hash.h"

namespace annals::merge {
namespace {

// A strong 64-bit mixer (splitmix64's finalizer) to derive the k hash functions.
std::uint64_t mix(std::uint64_t x) {
  x ^= x >> 30;
  x *= 0xbf58476d1ce4e5b9ull;
  x ^= x >> 27;
  x *= 0x94d049bb133111ebull;
  x ^= x >> 31;
  return x;
}

bool word_byte(unsigned char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c >= 0x80; }

}  // namespace

Signature signature(std::string_view text, const std::vector<std::string>& stopwords) {
  std::unordered_set<std::string_view> stop(stopwords.begin(), stopwords.end());
  std::vector<std::uint64_t> words;
  std::string word;
  auto flush = [&] {
    if (word.size() >= 3 && !stop.count(word)) words.push_back(fnv1a(std::string_view(word).substr(0, 6)));
    word.clear();
  };
  for (unsigned char c : text) {
    if (word_byte(c)) word.push_back(c >= 'A' && c <= 'Z' ? char(c - 'A' + 'a') : char(c));
    else flush();
  }
  flush();
  if (words.size() < 2) return {};
  std::vector<std::uint64_t> shingles;
  shingles.reserve(words.size() - 1);
  for (std::size_t i = 0; i + 1 < words.size(); ++i) shingles.push_back(mix(words[i] * 31 + words[i + 1]));
  std::sort(shingles.begin(), shingles.end());
  shingles.erase(std::unique(shingles.begin(), shingles.end()), shingles.end());
  if (shingles.size() < kMinShingles) return {};
  Signature sig(kSignatureSize, std::numeric_limits<std::uint32_t>::max());
  for (std::uint64_t s : shingles)
    for (std::size_t k = 0; k < kSignatureSize; ++k) {
      auto h = std::uint32_t(mix(s ^ (0x9e3779b97f4a7c15ull * (k + 1))) >> 32);
      if (h < sig[k]) sig[k] = h;
    }
  return sig;
}

double similarity(const Signature& a, const Signature& b) {
  if (a.size() != kSignatureSize || b.size() != kSignatureSize) return 0.0;
  std::size_t same = 0;
  for (std::size_t k = 0; k < kSignatureSize; ++k) same += a[k] == b[k];
  return double(same) / double(kSignatureSize);
}

std::vector<std::vector<std::string>> near_duplicate_groups(const std::vector<std::pair<std::string, Signature>>& in,
                                                            const NearDuplicateOptions& options) {
  // Sorted by file so that the result does not depend on input order.
  std::vector<std::pair<std::string, Signature>> sources = in;
  std::sort(sources.begin(), sources.end(), [](auto& a, auto& b) { return a.first < b.first; });
  std::vector<std::size_t> parent(sources.size());
  std::iota(parent.begin(), parent.end(), 0);
  auto find = [&](std::size_t x) {
    while (parent[x] != x) x = parent[x] = parent[parent[x]];
    return x;
  };
  // All pairs: exact over signatures, fine for tens of thousands of sources.
  for (std::size_t i = 0; i < sources.size(); ++i)
    for (std::size_t j = i + 1; j < sources.size(); ++j)
      if (similarity(sources[i].second, sources[j].second) >= options.threshold) parent[find(j)] = find(i);
  std::map<std::size_t, std::vector<std::string>> groups;
  for (std::size_t i = 0; i < sources.size(); ++i) groups[find(i)].push_back(sources[i].first);
  std::vector<std::vector<std::string>> out;
  for (auto& [root, files] : groups)
    if (files.size() > 1) out.push_back(std::move(files));
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace annals::merge
