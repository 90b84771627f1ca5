// How well near-duplicate detection finds the pairs it should, measured on real
// files (not part of the test suite; tests/unit/near_duplicates_test.cpp pins
// the banding recall):
//
//   build/bench/annals_near_duplicates_recall [--rules DIR] PATH...
//
// PATHs are files or folders; .tml files are read as TimeML (the text of
// <TEXT>), anything else as plain text. The truth is the exact Jaccard
// similarity of each pair's bigram sets (merge::Signer::bigrams), all pairs.
// Against it, the pairs estimated at or above the threshold by:
//   k-hash 256      the MinHash annals used before: 256 hash functions, all pairs
//   OPH all pairs   today's one-permutation 16-bit signature, all pairs
//   OPH banded      the same signature, LSH banding (what annals uses)
// and, for the groups (single linkage), how the grouped files differ between
// k-hash all pairs and OPH banded.
#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <limits>
#include <map>
#include <numeric>
#include <set>
#include <string>
#include <vector>

#include "core/files.h"
#include "core/hash.h"
#include "eval/timeml.h"
#include "merge/near_duplicates.h"
#include "rules/rules.h"

namespace fs = std::filesystem;
using namespace annals;
using Pairs = std::vector<std::pair<std::size_t, std::size_t>>;

namespace {

// The signature annals computed before one-permutation hashing: 256 hash functions over each bigram.
std::vector<std::uint32_t> k_hash_signature(const std::vector<std::uint64_t>& bigrams) {
  if (bigrams.size() < merge::kMinShingles) return {};
  std::vector<std::uint32_t> sig(256, std::numeric_limits<std::uint32_t>::max());
  for (std::uint64_t s : bigrams)
    for (std::size_t k = 0; k < 256; ++k) sig[k] = std::min(sig[k], std::uint32_t(mix64(s ^ (0x9e3779b97f4a7c15ull * (k + 1))) >> 32));
  return sig;
}

double jaccard(const std::vector<std::uint64_t>& a, const std::vector<std::uint64_t>& b) {
  std::size_t both = 0;
  for (auto i = a.begin(), j = b.begin(); i != a.end() && j != b.end();) {
    if (*i < *j) ++i;
    else if (*j < *i) ++j;
    else ++both, ++i, ++j;
  }
  return double(both) / double(a.size() + b.size() - both);
}

void score(const char* name, const Pairs& found, const Pairs& truth) {
  Pairs hit;
  std::set_intersection(found.begin(), found.end(), truth.begin(), truth.end(), std::back_inserter(hit));
  std::printf("%-16s %7zu pairs  recall %5.1f%%  precision %5.1f%%\n", name, found.size(),
              truth.empty() ? 100.0 : 100.0 * double(hit.size()) / double(truth.size()),
              found.empty() ? 100.0 : 100.0 * double(hit.size()) / double(found.size()));
}

// Pairs of files that end in one group (single linkage over `pairs`).
Pairs grouped_together(const Pairs& pairs, std::size_t n) {
  std::vector<std::size_t> parent(n);
  std::iota(parent.begin(), parent.end(), 0);
  auto find = [&](std::size_t x) {
    while (parent[x] != x) x = parent[x] = parent[parent[x]];
    return x;
  };
  for (auto [i, j] : pairs) parent[find(j)] = find(i);
  std::map<std::size_t, std::vector<std::size_t>> groups;
  for (std::size_t i = 0; i < n; ++i) groups[find(i)].push_back(i);
  Pairs out;
  for (auto& [root, m] : groups)
    for (std::size_t a = 0; a < m.size(); ++a)
      for (std::size_t b = a + 1; b < m.size(); ++b) out.emplace_back(m[a], m[b]);
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  std::string rules_dir = std::string(ANNALS_SOURCE_DIR) + "/rules";
  std::vector<fs::path> files;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--rules" && i + 1 < argc) {
      rules_dir = argv[++i];
    } else if (fs::is_directory(a)) {
      for (auto& e : fs::recursive_directory_iterator(a))
        if (e.is_regular_file()) files.push_back(e.path());
    } else {
      files.emplace_back(a);
    }
  }
  if (files.empty()) {
    std::fprintf(stderr, "usage: annals_near_duplicates_recall [--rules DIR] PATH...\n");
    return 2;
  }
  std::sort(files.begin(), files.end());
  rules::LoadOptions only_dates;
  only_dates.event_rules = false;
  auto pack = rules::load_rules(rules_dir, only_dates);
  if (!pack.ok()) {
    std::fprintf(stderr, "the rule pack in %s has errors\n", rules_dir.c_str());
    return 2;
  }
  merge::Signer signer(pack.rules->stopwords);
  std::vector<std::vector<std::uint64_t>> bigrams;
  std::vector<merge::Signature> oph;
  std::vector<std::vector<std::uint32_t>> khash;
  for (auto& f : files) {
    std::string bytes;
    if (read_file(f, bytes)) continue;
    if (f.extension() == ".tml") {
      auto gold = eval::parse_timeml(bytes, f.string());
      if (!gold.ok()) continue;
      bytes = gold->text;
    }
    bigrams.push_back(signer.bigrams(bytes));
    oph.push_back(signer(bytes));
    khash.push_back(k_hash_signature(bigrams.back()));
  }
  const double threshold = merge::NearDuplicateOptions{}.threshold;
  std::size_t n = bigrams.size(), signed_sources = 0;
  for (auto& s : oph) signed_sources += !s.empty();
  Pairs truth, old_pairs;
  for (std::size_t i = 0; i < n; ++i) {
    if (bigrams[i].size() < merge::kMinShingles) continue;
    for (std::size_t j = i + 1; j < n; ++j) {
      if (bigrams[j].size() < merge::kMinShingles) continue;
      if (jaccard(bigrams[i], bigrams[j]) >= threshold) truth.emplace_back(i, j);
      std::size_t same = 0;
      for (std::size_t k = 0; k < 256; ++k) same += khash[i][k] == khash[j][k];
      if (double(same) / 256 >= threshold) old_pairs.emplace_back(i, j);
    }
  }
  auto all = merge::similar_pairs(oph, merge::PairSearch::AllPairs);
  auto banded = merge::similar_pairs(oph, merge::PairSearch::Banded);
  std::printf("%zu sources, %zu with a signature; %zu pairs with an exact bigram Jaccard >= %.2f\n", n, signed_sources,
              truth.size(), threshold);
  score("k-hash 256", old_pairs, truth);
  score("OPH all pairs", all, truth);
  score("OPH banded", banded, truth);
  Pairs banded_in_all;
  std::set_intersection(banded.begin(), banded.end(), all.begin(), all.end(), std::back_inserter(banded_in_all));
  std::printf("OPH banded finds %zu of the %zu pairs OPH all pairs finds (%.1f%%)\n", banded_in_all.size(), all.size(),
              all.empty() ? 100.0 : 100.0 * double(banded_in_all.size()) / double(all.size()));
  auto old_groups = grouped_together(old_pairs, n), new_groups = grouped_together(banded, n),
       true_groups = grouped_together(truth, n);
  std::printf("files grouped together (pairs):\n");
  score("  k-hash 256", old_groups, true_groups);
  score("  OPH banded", new_groups, true_groups);
  Pairs both;
  std::set_intersection(old_groups.begin(), old_groups.end(), new_groups.begin(), new_groups.end(), std::back_inserter(both));
  std::printf("  k-hash and OPH banded agree on %zu; k-hash only %zu, OPH banded only %zu\n", both.size(),
              old_groups.size() - both.size(), new_groups.size() - both.size());
  return 0;
}
