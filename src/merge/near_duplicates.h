// merge/near_duplicates — finds sources that are the same article: syndicated,
// reposted, or machine-translated back and forth.
//
//   auto sig = signature(doc.text, stopwords);        // per source, in the mapper
//   auto groups = near_duplicate_groups(files_and_signatures, options);
//
// Each source becomes the set of its content-word bigrams (lower-cased
// words, stopwords from the rule pack removed, each word cut to its first six
// bytes so that "favourite"/"favorite" or "tightened"/"tightens" meet). A
// MinHash signature of 256 values estimates the Jaccard similarity of two such
// sets within about ±0.03; sources at or above the threshold are linked, and
// linked sources form a group (single linkage).
//
// Why bigrams and 0.10: a machine translation of an article shares few exact
// sentences with it but many word pairs; on the seeds the translated pair
// scores 0.18 while different articles on the same topic score at most 0.05.
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
using Signature = std::vector<std::uint32_t>;  // kSignatureSize values, or empty for a source without content

Signature signature(std::string_view text, const std::vector<std::string>& stopwords);

// Estimated Jaccard similarity of two signatures (0 when either is empty).
double similarity(const Signature& a, const Signature& b);

struct NearDuplicateOptions {
  double threshold = 0.10;   // estimated bigram Jaccard at which two sources are the same article
};

// Groups of near-duplicate files (each sorted; groups sorted; singletons left out).
std::vector<std::vector<std::string>> near_duplicate_groups(const std::vector<std::pair<std::string, Signature>>& sources,
                                                            const NearDuplicateOptions& options = {});

}  // namespace annals::merge
