// merge/near_duplicates — finds sources that are the same article: syndicated,
// reposted, or machine-translated back and forth.
//
//   Signer signer(rules.stopwords);
//   auto sig = signer(doc.text);                      // per source, in the mapper
//   auto groups = near_duplicate_groups(files_and_signatures, options);
//
// Each source becomes the set of its content-word bigrams (lower-cased
// words, stopwords from the rule pack removed, each word cut to its first six
// bytes so that "favourite"/"favorite" or "tightened"/"tightens" meet). A
// MinHash signature of 256 values estimates the Jaccard similarity of two such
// sets; sources at or above the threshold are linked, and linked sources form
// a group (single linkage).
//
// Why bigrams and 0.10: a machine translation of an article shares few exact
// sentences with it but many word pairs; on the seeds the translated pair
// scores 0.18 while different articles on the same topic score at most 0.05.
//
// The signature is a one-permutation MinHash (Li, Owen & Zhang 2012): each
// bigram is hashed once; the hash's top 8 bits pick one of 256 bins, the bin
// keeps the least of the rest, and bins no bigram fell into borrow the value
// of the bin a fixed probe sequence reaches first ("optimal densification",
// Shrivastava 2017), so that two signatures agree in a bin with probability
// the Jaccard similarity. Of each minimum only the low 16 bits are kept
// (b-bit MinHash, Li & König 2010): half the memory, and a chance agreement of
// 1/65536 per bin, which similarity() takes out. One hash per word pair,
// where 256 independent hash functions cost 256.
//
// Groups are found by LSH banding instead of comparing all pairs: every pair
// of bins forms a band in two ways ((2i, 2i+1) and (i, i+128): 256 bands of 2
// rows), sources whose values agree on a whole band are candidates, and a
// candidate pair is linked when its full estimate reaches the threshold. At a
// Jaccard of 0.10 a pair shares a given band with probability 0.01, so it
// becomes a candidate with probability about 1 - 0.99^256 = 0.92, at 0.15
// with 0.997; an unrelated pair (0.01) with 0.025. Disjoint bands only (128)
// missed pairs up to 0.21, since densified bins of short sources are not
// independent; measured recall against all pairs is in README.md ("Near-
// duplicate sources") and pinned by tests/unit/near_duplicates_test.cpp.
// Sources with identical signatures (copies) are grouped before banding, so
// that a corpus of many copies costs no more pairs than one copy of it. In a
// band bucket larger than kBucketWindow + 1 (a bigram pair that half the
// corpus shares), each source is compared only with the kBucketWindow after
// it, so that no bucket costs a quadratic number of comparisons.
//
// Signatures are plain values (serializable), so that detection can run in
// the reducer over signatures computed by independent mappers.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace annals::merge {

constexpr std::size_t kSignatureSize = 256;
// A source with fewer distinct bigrams than this gets no signature: a short
// note that shares one sentence with an article is not a copy of it, and
// similarity estimates over a handful of bigrams are noise.
constexpr std::size_t kMinShingles = 25;
constexpr std::size_t kBucketWindow = 128;
using Signature = std::vector<std::uint16_t>;  // kSignatureSize values, or empty for a source without content

// Computes signatures; holds the stopword set, built once.
class Signer {
 public:
  explicit Signer(const std::vector<std::string>& stopwords);
  Signature operator()(std::string_view text) const;
  // The distinct bigram hashes the signature is computed from, sorted (for
  // measuring: their exact Jaccard similarity is what signatures estimate).
  std::vector<std::uint64_t> bigrams(std::string_view text) const;

 private:
  template <typename F>
  void for_each_bigram(std::string_view text, F&& f) const;

  // (FNV-1a of the word, the word), sorted: a binary search over hashes is
  // cheaper per word than a string hash set, and most words are no stopword.
  std::vector<std::pair<std::uint64_t, std::string>> stop_;
  std::size_t longest_stopword_ = 0;
};

// Estimated Jaccard similarity of two signatures (0 when either is empty).
double similarity(const Signature& a, const Signature& b);

struct NearDuplicateOptions {
  double threshold = 0.10;   // estimated bigram Jaccard at which two sources are the same article
};

struct SignedSource {
  std::string_view file;
  const Signature* signature;
};

// Groups of near-duplicate files (each sorted; groups sorted; singletons left out).
std::vector<std::vector<std::string>> near_duplicate_groups(const std::vector<SignedSource>& sources,
                                                            const NearDuplicateOptions& options = {});

// The pairs (i < j, indices into `signatures`) whose estimate reaches the
// threshold: those LSH banding proposes (Banded, what near_duplicate_groups
// uses) or every pair (AllPairs: quadratic, for measuring the banding's
// recall). Sorted.
enum class PairSearch { Banded, AllPairs };
std::vector<std::pair<std::size_t, std::size_t>> similar_pairs(const std::vector<Signature>& signatures, PairSearch search,
                                                               const NearDuplicateOptions& options = {});

}  // namespace annals::merge
