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
//
// Distributed, the search is three steps, and near_duplicate_groups is their
// composition in one process (one code path):
//   (a) band_key: each band of a signature is a key; a key's band bucket is
//       band_bucket(key, N), so the map side can shuffle keys by bucket;
//   (b) for_each_band_candidate: over the (key, source) of any set of keys
//       (one band, or one band bucket of a shuffled run), the pairs banding
//       proposes for those keys. Within a key, sources are in file order,
//       copies left out (only the first file of identical signatures): the
//       order the kBucketWindow cut depends on. Keys partition the
//       candidates, so the union over any partition of keys is the same;
//   (c) NearDuplicateLinker: copies, then each candidate pair verified by
//       its full estimate, single linkage, the groups.
#pragma once

#include <cstdint>
#include <functional>
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
constexpr std::size_t kBands = 256;  // of 2 rows each, see above
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

// (a) The key of band `band` (< kBands) of `signature` (kSignatureSize
// values): the band and its two values, 40 bits, so that two signatures share
// a key exactly when they agree on that whole band.
std::uint64_t band_key(const Signature& signature, std::size_t band);
// The band bucket of `key` among `buckets` (> 0). The values are low bits of
// hashes, so a plain modulo spreads keys evenly.
inline std::size_t band_bucket(std::uint64_t key, std::size_t buckets) { return std::size_t(key % buckets); }
// A copy class's key: a hash of the whole signature (what copies are found
// by). Distinct signatures almost never share one; NearDuplicateLinker
// tells when they do.
std::uint64_t copy_key(const Signature& signature);

// (b) One band key of one source. `source` is the source's rank among the
// distinct signatures in file order (copies left out).
struct BandEntry {
  std::uint64_t key;
  std::uint32_t source;
};
// Calls f(i, j), i < j (ranks), for each pair banding proposes among
// `entries`: sources sharing a key, each with the kBucketWindow after it in
// rank order (in a key's run larger than kBucketWindow + 1, only those). A
// pair may come more than once (from several keys). `entries` must be in
// ascending `source` order (ties in any order); they are sorted by key.
void for_each_band_candidate(std::vector<BandEntry>& entries, const std::function<void(std::uint32_t, std::uint32_t)>& f);

// (c) Verification and single linkage over `sources` (which must outlive it).
class NearDuplicateLinker {
 public:
  NearDuplicateLinker(const std::vector<SignedSource>& sources, const NearDuplicateOptions& options = {});
  // The sources that band: one of each class of identical signatures (its
  // first file), in file order; a source's rank in (b) is its index here.
  std::size_t distinct() const { return distinct_.size(); }
  const Signature& distinct_signature(std::size_t rank) const { return *sigs_[distinct_[rank]]; }
  // Whether ranks computed elsewhere (a band step: files sorted, copies left
  // out by copy_key) are these: no two sources share a file name and no two
  // distinct signatures a copy_key. When not, band here.
  bool ranks_reproducible() const { return reproducible_; }
  // Links the two distinct sources when their estimate reaches the threshold.
  void candidate(std::size_t rank_a, std::size_t rank_b);
  // The same, the sources named by file (a band step's pair): false when
  // either is no distinct source here (the pair comes from other sources).
  [[nodiscard]] bool candidate(std::string_view file_a, std::string_view file_b);
  // Groups of near-duplicate files (each sorted; groups sorted; singletons left out).
  std::vector<std::vector<std::string>> groups();

 private:
  struct UnionFind {
    std::vector<std::size_t> parent;
    std::size_t find(std::size_t x);
  };
  std::vector<std::string_view> files_;  // in file order
  std::vector<const Signature*> sigs_;   // in file order
  std::vector<std::size_t> order_;       // file order -> index into the sources given
  std::vector<std::size_t> class_of_;    // index of the first source of its class (npos: no signature)
  std::vector<std::size_t> distinct_;    // those first sources, ascending
  bool reproducible_ = true;
  std::size_t needed_ = 0;               // matching bins that reach the threshold
  UnionFind sets_;
};

// The pairs (i < j, indices into `signatures`) whose estimate reaches the
// threshold: those LSH banding proposes (Banded, what near_duplicate_groups
// uses) or every pair (AllPairs: quadratic, for measuring the banding's
// recall). Sorted.
enum class PairSearch { Banded, AllPairs };
std::vector<std::pair<std::size_t, std::size_t>> similar_pairs(const std::vector<Signature>& signatures, PairSearch search,
                                                               const NearDuplicateOptions& options = {});

}  // namespace annals::merge
