#include "merge/near_duplicates.h"

#include <algorithm>
#include <array>
#include <bitset>
#include <cstring>
#include <limits>
#include <map>
#include <numeric>

#include "core/hash.h"

namespace annals::merge {
namespace {

// Each byte lower-cased when it belongs to a word (ASCII letters and digits,
// and every byte of a multi-byte UTF-8 character), 0 when it ends one.
constexpr std::array<unsigned char, 256> kWordByte = [] {
  std::array<unsigned char, 256> t{};
  for (int c = 0; c < 256; ++c)
    if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c >= 0x80) t[std::size_t(c)] = static_cast<unsigned char>(c);
    else if (c >= 'A' && c <= 'Z') t[std::size_t(c)] = static_cast<unsigned char>(c - 'A' + 'a');
  return t;
}();

constexpr std::size_t kWordPrefix = 6;      // bytes of a word that count
constexpr int kBinBits = 8;                 // 2^8 = kSignatureSize bins
static_assert(std::size_t(1) << kBinBits == kSignatureSize);
static_assert(kBands == kSignatureSize);    // each bin is in two bands, see band_rows
constexpr double kChanceAgreement = 1.0 / 65536;  // two 16-bit values agreeing by chance
constexpr std::size_t kNone = std::size_t(-1);

// The two bins of band b: (2b, 2b+1) for the first half, (i, i+128) for the second.
std::pair<std::size_t, std::size_t> band_rows(std::size_t b) {
  return b < kBands / 2 ? std::pair{2 * b, 2 * b + 1} : std::pair{b - kBands / 2, b};
}

std::size_t matching_bins(const Signature& a, const Signature& b) {
  std::size_t same = 0;
  for (std::size_t k = 0; k < kSignatureSize; ++k) same += a[k] == b[k];
  return same;
}

// The fewest matching bins whose estimate reaches `threshold`.
std::size_t bins_needed(double threshold) {
  for (std::size_t m = 0; m <= kSignatureSize; ++m)
    if ((double(m) / kSignatureSize - kChanceAgreement) / (1 - kChanceAgreement) >= threshold) return m;
  return kSignatureSize + 1;
}

// Sorts entries by key_of(entry), stably, a byte at a time, only the bytes
// in which keys differ (LSD radix sort: linear in the number of entries,
// which a comparison sort per band is not; one band's keys differ in 4).
template <typename E, typename Key>
void radix_sort_by_key(std::vector<E>& v, std::vector<E>& scratch, Key key_of) {
  if (v.empty()) return;
  std::uint64_t differ = 0;
  for (auto& e : v) differ |= key_of(e) ^ key_of(v.front());
  scratch.resize(v.size());
  for (int shift = 0; shift < 64; shift += 8) {
    if (((differ >> shift) & 0xff) == 0) continue;
    std::array<std::size_t, 257> count{};
    for (auto& e : v) ++count[((key_of(e) >> shift) & 0xff) + 1];
    for (std::size_t i = 1; i < count.size(); ++i) count[i] += count[i - 1];
    for (auto& e : v) scratch[count[(key_of(e) >> shift) & 0xff]++] = e;
    v.swap(scratch);
  }
}

// (b) over entries in rank order: sorts them by key (stably, so a key's
// run stays in rank order) and calls f(i, j), i < j, for each source of a
// run with the kBucketWindow after it.
template <typename E, typename Key, typename Source, typename F>
void band_candidates(std::vector<E>& entries, std::vector<E>& scratch, Key key_of, Source source_of, F&& f) {
  radix_sort_by_key(entries, scratch, key_of);
  for (std::size_t run = 0; run < entries.size();) {
    std::size_t end = run + 1;
    while (end < entries.size() && key_of(entries[end]) == key_of(entries[run])) ++end;
    for (std::size_t p = run; p < end; ++p)
      for (std::size_t q = p + 1; q < end && q - p <= kBucketWindow; ++q) {
        std::uint32_t i = source_of(entries[p]), j = source_of(entries[q]);
        f(std::min(i, j), std::max(i, j));
      }
    run = end;
  }
}

// Sources with identical signatures (exact copies, mostly): class_of[i] is
// the index of the first source of i's class; `distinct` lists those first
// sources, ascending. Empty signatures belong to no class (class_of = npos).
// `exact`: no two distinct signatures share a copy_key.
struct Copies {
  std::vector<std::size_t> class_of;
  std::vector<std::size_t> distinct;
  bool exact = true;
};

Copies find_copies(const std::vector<const Signature*>& sigs) {
  Copies c;
  c.class_of.assign(sigs.size(), kNone);
  std::vector<std::pair<std::uint64_t, std::size_t>> hashed;
  for (std::size_t i = 0; i < sigs.size(); ++i)
    if (sigs[i]->size() == kSignatureSize) hashed.emplace_back(copy_key(*sigs[i]), i);
  std::sort(hashed.begin(), hashed.end());
  for (std::size_t run = 0; run < hashed.size();) {
    std::size_t end = run + 1;
    while (end < hashed.size() && hashed[end].first == hashed[run].first) ++end;
    // Equal hashes almost always mean equal signatures; compare to be sure.
    for (std::size_t k = run; k < end; ++k) {
      std::size_t i = hashed[k].second;
      for (std::size_t l = run; l < k && c.class_of[i] == kNone; ++l)
        if (*sigs[hashed[l].second] == *sigs[i]) c.class_of[i] = c.class_of[hashed[l].second];
      if (c.class_of[i] == kNone) {
        c.class_of[i] = i;
        c.exact = c.exact && k == run;
      }
    }
    run = end;
  }
  for (std::size_t i = 0; i < sigs.size(); ++i)
    if (c.class_of[i] == i) c.distinct.push_back(i);
  return c;
}

// (a) + (b) in one process: every band in turn, over the distinct
// signatures (ranks = their indices). The keys of one band share their
// band bits, so an entry is the key's values and the rank in one word:
// half the memory traffic of a BandEntry.
template <typename F>
void band_in_process(const std::vector<const Signature*>& distinct, F&& f) {
  std::vector<std::uint64_t> entries(distinct.size()), scratch;
  auto key_of = [](std::uint64_t e) { return e >> 32; };
  auto source_of = [](std::uint64_t e) { return std::uint32_t(e); };
  for (std::size_t b = 0; b < kBands; ++b) {
    for (std::size_t r = 0; r < distinct.size(); ++r) entries[r] = (band_key(*distinct[r], b) << 32) | r;
    band_candidates(entries, scratch, key_of, source_of, f);
  }
}

}  // namespace

Signer::Signer(const std::vector<std::string>& stopwords) {
  for (auto& w : stopwords) {
    stop_.emplace_back(fnv1a(w), w);
    longest_stopword_ = std::max(longest_stopword_, w.size());
  }
  std::sort(stop_.begin(), stop_.end());
}

// Calls f(h) with the hash of every content-word bigram of `text`, in text
// order (repeats included). Word hashes are computed as the bytes go by: the
// first kWordPrefix bytes, lower-cased, and, while the word is no longer than
// the longest stopword, all of it, to look it up among the stopwords.
template <typename F>
void Signer::for_each_bigram(std::string_view text, F&& f) const {
  std::uint64_t previous = 0;
  bool have_previous = false;
  std::size_t length = 0;
  std::uint64_t prefix = kFnv1aBasis, whole = kFnv1aBasis;
  auto stopword = [&](std::string_view word_end) {
    auto it = std::lower_bound(stop_.begin(), stop_.end(), whole, [](const auto& e, std::uint64_t h) { return e.first < h; });
    for (; it != stop_.end() && it->first == whole; ++it) {
      std::string_view w = it->second;
      if (w.size() != length) continue;
      bool same = true;
      for (std::size_t i = 0; i < length && same; ++i)
        same = kWordByte[static_cast<unsigned char>(word_end[i])] == static_cast<unsigned char>(w[i]);
      if (same) return true;
    }
    return false;
  };
  auto end_word = [&](std::size_t end) {
    if (length >= 3 && !(length <= longest_stopword_ && stopword(text.substr(end - length, length)))) {
      if (have_previous) f(mix64(previous * 31 + prefix));
      previous = prefix;
      have_previous = true;
    }
    length = 0;
    prefix = whole = kFnv1aBasis;
  };
  for (std::size_t i = 0; i < text.size(); ++i) {
    unsigned char c = kWordByte[static_cast<unsigned char>(text[i])];
    if (!c) {
      if (length) end_word(i);
      continue;
    }
    if (length < kWordPrefix) prefix = (prefix ^ c) * kFnv1aPrime;
    if (length < longest_stopword_) whole = (whole ^ c) * kFnv1aPrime;
    ++length;
  }
  if (length) end_word(text.size());
}

std::vector<std::uint64_t> Signer::bigrams(std::string_view text) const {
  std::vector<std::uint64_t> out;
  for_each_bigram(text, [&](std::uint64_t h) { out.push_back(h); });
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

Signature Signer::operator()(std::string_view text) const {
  std::array<std::uint64_t, kSignatureSize> least;
  least.fill(std::numeric_limits<std::uint64_t>::max());
  std::bitset<kSignatureSize> filled;
  std::array<std::uint64_t, kMinShingles> first_distinct;  // until kMinShingles are seen
  std::size_t distinct = 0;
  for_each_bigram(text, [&](std::uint64_t h) {
    if (distinct < kMinShingles &&
        std::find(first_distinct.begin(), first_distinct.begin() + std::ptrdiff_t(distinct), h) == first_distinct.begin() + std::ptrdiff_t(distinct))
      first_distinct[distinct++] = h;
    std::size_t bin = std::size_t(h >> (64 - kBinBits));
    std::uint64_t rest = h & (~std::uint64_t(0) >> kBinBits);
    if (rest < least[bin]) least[bin] = rest;
    filled.set(bin);
  });
  if (distinct < kMinShingles) return {};
  Signature sig(kSignatureSize);
  for (std::size_t k = 0; k < kSignatureSize; ++k) {
    std::size_t from = k;
    // Optimal densification: an empty bin takes the value of the first
    // filled bin of its own fixed probe sequence.
    for (std::uint64_t attempt = 1; !filled.test(from); ++attempt)
      from = std::size_t(mix64((std::uint64_t(k) << 32) + attempt) >> (64 - kBinBits));
    sig[k] = std::uint16_t(least[from]);
  }
  return sig;
}

double similarity(const Signature& a, const Signature& b) {
  if (a.size() != kSignatureSize || b.size() != kSignatureSize) return 0.0;
  double agree = double(matching_bins(a, b)) / double(kSignatureSize);
  return std::max(0.0, (agree - kChanceAgreement) / (1 - kChanceAgreement));
}

std::uint64_t band_key(const Signature& signature, std::size_t band) {
  auto [r0, r1] = band_rows(band);
  return (std::uint64_t(band) << 32) | (std::uint64_t(signature[r0]) << 16) | signature[r1];
}

std::uint64_t copy_key(const Signature& signature) {
  return fnv1a(std::string_view(reinterpret_cast<const char*>(signature.data()), signature.size() * sizeof(std::uint16_t)));
}

void for_each_band_candidate(std::vector<BandEntry>& entries, const std::function<void(std::uint32_t, std::uint32_t)>& f) {
  std::vector<BandEntry> scratch;
  band_candidates(entries, scratch, [](const BandEntry& e) { return e.key; }, [](const BandEntry& e) { return e.source; }, f);
}

std::size_t NearDuplicateLinker::UnionFind::find(std::size_t x) {
  while (parent[x] != x) x = parent[x] = parent[parent[x]];
  return x;
}

NearDuplicateLinker::NearDuplicateLinker(const std::vector<SignedSource>& in, const NearDuplicateOptions& options)
    : needed_(bins_needed(options.threshold)) {
  // In file order, so that the result does not depend on input order.
  order_.resize(in.size());
  std::iota(order_.begin(), order_.end(), 0);
  std::sort(order_.begin(), order_.end(), [&](std::size_t a, std::size_t b) { return in[a].file < in[b].file; });
  for (std::size_t i : order_) {
    files_.push_back(in[i].file);
    sigs_.push_back(in[i].signature);
  }
  Copies copies = find_copies(sigs_);
  class_of_ = std::move(copies.class_of);
  distinct_ = std::move(copies.distinct);
  reproducible_ = copies.exact && std::adjacent_find(files_.begin(), files_.end()) == files_.end();
  sets_.parent.resize(sigs_.size());
  std::iota(sets_.parent.begin(), sets_.parent.end(), 0);
  for (std::size_t i = 0; i < sigs_.size(); ++i)
    if (class_of_[i] != kNone && class_of_[i] != i) sets_.parent[sets_.find(i)] = sets_.find(class_of_[i]);
}

void NearDuplicateLinker::candidate(std::size_t rank_a, std::size_t rank_b) {
  std::size_t a = distinct_[rank_a], b = distinct_[rank_b];
  std::size_t ra = sets_.find(a), rb = sets_.find(b);
  if (ra != rb && matching_bins(*sigs_[a], *sigs_[b]) >= needed_) sets_.parent[rb] = ra;
}

bool NearDuplicateLinker::candidate(std::string_view file_a, std::string_view file_b) {
  auto index = [&](std::string_view f) {
    auto it = std::lower_bound(files_.begin(), files_.end(), f);
    std::size_t i = std::size_t(it - files_.begin());
    return it != files_.end() && *it == f && class_of_[i] == i ? i : kNone;
  };
  std::size_t a = index(file_a), b = index(file_b);
  if (a == kNone || b == kNone) return false;
  std::size_t ra = sets_.find(a), rb = sets_.find(b);
  if (ra != rb && matching_bins(*sigs_[a], *sigs_[b]) >= needed_) sets_.parent[rb] = ra;
  return true;
}

std::vector<std::vector<std::string>> NearDuplicateLinker::groups() {
  std::map<std::size_t, std::vector<std::string>> groups;
  for (std::size_t i = 0; i < sigs_.size(); ++i)
    if (class_of_[i] != kNone) groups[sets_.find(i)].emplace_back(files_[i]);
  std::vector<std::vector<std::string>> out;
  for (auto& [root, files] : groups)
    if (files.size() > 1) out.push_back(std::move(files));
  std::sort(out.begin(), out.end());
  return out;
}

std::vector<std::pair<std::size_t, std::size_t>> similar_pairs(const std::vector<Signature>& signatures, PairSearch search,
                                                               const NearDuplicateOptions& options) {
  std::vector<const Signature*> sigs;
  for (auto& s : signatures) sigs.push_back(&s);
  Copies copies = find_copies(sigs);
  std::size_t needed = bins_needed(options.threshold);
  std::vector<std::pair<std::size_t, std::size_t>> between;  // pairs of distinct signatures
  std::vector<const Signature*> distinct;
  for (std::size_t i : copies.distinct) distinct.push_back(sigs[i]);
  auto check = [&](std::size_t i, std::size_t j) {
    if (matching_bins(*distinct[i], *distinct[j]) >= needed) between.emplace_back(copies.distinct[i], copies.distinct[j]);
  };
  if (search == PairSearch::AllPairs) {
    for (std::size_t i = 0; i < distinct.size(); ++i)
      for (std::size_t j = i + 1; j < distinct.size(); ++j) check(i, j);
  } else {
    band_in_process(distinct, check);
  }
  std::sort(between.begin(), between.end());
  between.erase(std::unique(between.begin(), between.end()), between.end());
  // Every member of a class pairs with every member of the other, and with its own.
  std::map<std::size_t, std::vector<std::size_t>> members;
  for (std::size_t i = 0; i < sigs.size(); ++i)
    if (copies.class_of[i] != kNone) members[copies.class_of[i]].push_back(i);
  std::vector<std::pair<std::size_t, std::size_t>> out;
  for (auto& [first, m] : members)
    for (std::size_t a = 0; a < m.size(); ++a)
      for (std::size_t b = a + 1; b < m.size(); ++b) out.emplace_back(m[a], m[b]);
  for (auto [x, y] : between)
    for (std::size_t i : members[x])
      for (std::size_t j : members[y]) out.emplace_back(std::min(i, j), std::max(i, j));
  std::sort(out.begin(), out.end());
  return out;
}

std::vector<std::vector<std::string>> near_duplicate_groups(const std::vector<SignedSource>& in,
                                                            const NearDuplicateOptions& options) {
  NearDuplicateLinker linker(in, options);
  std::vector<const Signature*> distinct;
  for (std::size_t r = 0; r < linker.distinct(); ++r) distinct.push_back(&linker.distinct_signature(r));
  band_in_process(distinct, [&](std::uint32_t i, std::uint32_t j) { linker.candidate(i, j); });
  return linker.groups();
}

}  // namespace annals::merge
