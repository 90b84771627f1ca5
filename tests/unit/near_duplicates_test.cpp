#include <doctest/doctest.h>

#include "skip.h"

#include <cmath>
#include <filesystem>
#include <set>

#include <fmt/format.h>

#include "core/files.h"
#include "eval/timeml.h"
#include "merge/near_duplicates.h"
#include "test_rules.h"

using namespace annals::merge;

namespace {
const std::vector<std::string> kStop{"the", "and", "with", "its", "for", "that"};
const Signer kSigner(kStop);
const char* kArticle =
    "The ministry announced sweeping export restrictions on gallium and germanium on Monday, citing national security. "
    "Traders said prices of both metals jumped in Rotterdam as buyers rushed to secure supplies before licences take "
    "effect. Chipmakers in Japan and Korea warned that inventories would last only a few months. Analysts expect "
    "further curbs on graphite and rare earth processing equipment later in the year, deepening the technology "
    "dispute between the two largest economies.";

std::string read_file(const std::filesystem::path& p) {
  std::string bytes;
  REQUIRE(!annals::read_file(p, bytes));
  return bytes;
}

double jaccard(const std::vector<std::uint64_t>& a, const std::vector<std::uint64_t>& b) {
  std::vector<std::uint64_t> both;
  std::set_intersection(a.begin(), a.end(), b.begin(), b.end(), std::back_inserter(both));
  return double(both.size()) / double(a.size() + b.size() - both.size());
}

// The signatures of te3-silver's texts and the seeds, by file name, sorted.
std::pair<std::vector<std::string>, std::vector<Signature>> shared_corpus_signatures(const std::filesystem::path& shared) {
  namespace fs = std::filesystem;
  auto pack = annals::testing::load_project_pack();
  Signer signer(pack->stopwords);
  std::vector<Signature> sigs;
  std::vector<std::string> names;
  std::vector<fs::path> files;
  for (auto& e : fs::directory_iterator(shared / "corpus/te3-silver"))
    if (e.path().extension() == ".tml") files.push_back(e.path());
  for (auto& e : fs::directory_iterator(shared / "seeds")) files.push_back(e.path());
  std::sort(files.begin(), files.end());
  for (auto& f : files) {
    std::string bytes = read_file(f);
    std::string text = bytes;
    if (f.extension() == ".tml") {
      auto gold = annals::eval::parse_timeml(bytes, f.string());
      REQUIRE(gold.ok());
      text = gold->text;
    }
    sigs.push_back(signer(text));
    names.push_back(f.filename().string());
  }
  return {names, sigs};
}
}  // namespace

TEST_CASE("a reposted article with light edits is a near-duplicate of the original") {
  std::string repost = std::string("Reposted from the wire. ") + kArticle + " Copyright the wire service.";
  auto a = kSigner(kArticle), b = kSigner(repost);
  CHECK(similarity(a, b) > 0.6);
  auto groups = near_duplicate_groups({{"wire.txt", &a}, {"repost.txt", &b}});
  REQUIRE(groups.size() == 1);
  CHECK(groups[0] == std::vector<std::string>{"repost.txt", "wire.txt"});
}

TEST_CASE("two different articles on the same topic are not near-duplicates") {
  const char* other =
      "Shares of rare earth miners rallied after officials hinted at new quotas for the coming season. The finance "
      "minister told parliament that subsidies for battery plants would continue, while opposition members demanded "
      "an inquiry into licensing delays at the ports. Exporters of solar panels reported slower orders from Europe "
      "and expect a weaker quarter as customers wait for tariff decisions in Brussels.";
  auto a = kSigner(kArticle), b = kSigner(other);
  CHECK(similarity(a, b) < 0.1);
  CHECK(near_duplicate_groups({{"a.txt", &a}, {"b.txt", &b}}).empty());
}

TEST_CASE("a short note has no signature and is never grouped") {
  auto note = kSigner("The ministry announced export restrictions on gallium.");
  CHECK(note.empty());
  CHECK(near_duplicate_groups({{"a.txt", &note}, {"b.txt", &note}}).empty());
}

TEST_CASE("near-duplicate groups do not depend on input order") {
  std::string repost = std::string("Copy: ") + kArticle;
  auto a = kSigner(kArticle), b = kSigner(repost);
  CHECK(near_duplicate_groups({{"x", &a}, {"y", &b}}) == near_duplicate_groups({{"y", &b}, {"x", &a}}));
}

TEST_CASE("the signature estimates the bigrams' Jaccard similarity: one hash per bigram, densified bins") {
  // Articles sharing a growing part of their text: the estimate follows the
  // exact Jaccard similarity of the bigram sets within the MinHash error.
  // Words are cut to six bytes: each gets three letters of its own.
  auto word = [](const char* stem, int i) { return std::string(stem) + char('a' + i / 676) + char('a' + i / 26 % 26) + char('a' + i % 26) + " "; };
  std::string base, other;
  for (int i = 0; i < 400; ++i) base += word("al", i);
  for (int shared : {40, 100, 200, 300}) {
    other.clear();
    for (int i = 0; i < 400; ++i) other += word(i < shared ? "al" : "om", i);
    double exact = jaccard(kSigner.bigrams(base), kSigner.bigrams(other));
    double estimate = similarity(kSigner(base), kSigner(other));
    CAPTURE(shared);
    CHECK(std::abs(estimate - exact) < 0.08);
  }
}

TEST_CASE("copies under other names form one group, however many") {
  auto a = kSigner(kArticle);
  std::vector<std::string> names;
  for (int i = 0; i < 5000; ++i) names.push_back(fmt::format("copy-{}.txt", i));
  std::vector<SignedSource> in;
  for (auto& n : names) in.push_back({n, &a});
  auto groups = near_duplicate_groups(in);
  REQUIRE(groups.size() == 1);
  CHECK(groups[0].size() == names.size());
}

TEST_CASE("a crowd of variants of one article ends in one group: a bucket larger than the comparison window") {
  // Each variant adds words of its own, so the signatures differ but share
  // most bins: every band bucket holds hundreds of sources.
  std::vector<Signature> sigs;
  std::vector<std::string> names;
  for (int i = 0; i < 600; ++i) {
    sigs.push_back(kSigner(fmt::format("{} Variant number{} filed by desk{}", kArticle, i, i)));
    names.push_back(fmt::format("v{}.txt", i));
  }
  std::vector<SignedSource> in;
  for (std::size_t i = 0; i < sigs.size(); ++i) in.push_back({names[i], &sigs[i]});
  auto groups = near_duplicate_groups(in);
  REQUIRE(groups.size() == 1);
  CHECK(groups[0].size() == sigs.size());
}

TEST_CASE("banding finds what all pairs find: te3-silver and the seeds, the seeds' translated pair included") {
  namespace fs = std::filesystem;
  fs::path shared = ANNALS_SHARED_DIR;
  SKIP_UNLESS(fs::exists(shared / "corpus/te3-silver") && fs::exists(shared / "seeds"),
              shared.string() + " has no corpus/te3-silver or seeds");
  auto [names, sigs] = shared_corpus_signatures(shared);
  auto all = similar_pairs(sigs, PairSearch::AllPairs);
  auto banded = similar_pairs(sigs, PairSearch::Banded);
  std::vector<std::pair<std::size_t, std::size_t>> found;
  std::set_intersection(all.begin(), all.end(), banded.begin(), banded.end(), std::back_inserter(found));
  CHECK(found.size() == banded.size());  // banding only ever finds pairs all pairs has
  double recall = double(found.size()) / double(all.size());
  MESSAGE("pairs at >= 0.10: all pairs " << all.size() << ", banded " << banded.size() << ", recall " << recall);
  CHECK(all.size() > 200);
  CHECK(recall >= 0.97);
  bool translated_pair = false;
  for (auto [i, j] : banded) translated_pair = translated_pair || (names[i].starts_with("000_") && names[j].starts_with("001_"));
  CHECK(translated_pair);
}

namespace {

// The groups of the distributed search: (a) every band key of every distinct
// signature, shuffled into `buckets` band buckets; (b) each bucket's
// candidates; (c) verified and linked.
std::vector<std::vector<std::string>> groups_by_band_buckets(const std::vector<SignedSource>& in, std::size_t buckets) {
  NearDuplicateLinker linker(in);
  std::vector<std::vector<BandEntry>> of_bucket(buckets);
  for (std::uint32_t r = 0; r < linker.distinct(); ++r)
    for (std::size_t b = 0; b < kBands; ++b) {
      auto key = band_key(linker.distinct_signature(r), b);
      of_bucket[band_bucket(key, buckets)].push_back({key, r});
    }
  for (auto& entries : of_bucket) for_each_band_candidate(entries, [&](std::uint32_t i, std::uint32_t j) { linker.candidate(i, j); });
  return linker.groups();
}

// near_duplicate_groups over `in`, checked against 1, 3 and 7 band buckets.
void check_band_buckets_give_groups(const std::vector<std::string>& names, const std::vector<Signature>& sigs, std::size_t at_least) {
  std::vector<SignedSource> in;
  for (std::size_t i = 0; i < sigs.size(); ++i) in.push_back({names[i], &sigs[i]});
  auto groups = near_duplicate_groups(in);
  MESSAGE(sigs.size() << " texts, " << groups.size() << " near-duplicate group(s)");
  REQUIRE(groups.size() >= at_least);
  for (std::size_t buckets : {1, 3, 7}) {
    INFO(buckets << " band buckets");
    CHECK(groups_by_band_buckets(in, buckets) == groups);
  }
}

// Variants of kArticle (a crowd: band buckets past the window), copies of
// some, and unrelated texts.
struct Generated {
  std::vector<std::string> names;
  std::vector<Signature> sigs;
};
Generated generated() {
  Generated g;
  for (int i = 0; i < 500; ++i) {
    // Words cut to six bytes: a number in front keeps the unrelated texts' words apart.
    std::string text = i % 3 == 0 ? fmt::format("{} Variant number{} filed by desk{}", kArticle, i, i)
                                  : fmt::format("{0:03}harvest {0:03}farmers {0:03}bushels {0:03}rainfall {0:03}river {0:03}levels "
                                                "{0:03}market {0:03}prices {0:03}tractors {0:03}seeds {0:03}storage {0:03}silos "
                                                "{0:03}loans {0:03}weather {0:03}frost {0:03}drought {0:03}exports {0:03}rail "
                                                "{0:03}barges {0:03}ports {0:03}unions {0:03}wages {0:03}diesel {0:03}fertiliser "
                                                "{0:03}cattle {0:03}dairy {0:03}orchards",
                                                i);
    g.sigs.push_back(kSigner(text));
    g.names.push_back(fmt::format("g{:03}.txt", (i * 37) % 500));
  }
  for (int i = 0; i < 40; ++i) {
    g.sigs.push_back(g.sigs[std::size_t(i * 7)]);  // of variants and of unrelated texts
    g.names.push_back(fmt::format("copy{:02}.txt", i));
  }
  return g;
}

}  // namespace

TEST_CASE("a band key is shared exactly when two signatures agree on both bins of that band") {
  auto a = kSigner(kArticle);
  auto b = a;
  b[3] ^= 1;  // bin 3: in band 1 (bins 2, 3) and band 131 (bins 3, 131)
  for (std::size_t band = 0; band < kBands; ++band) {
    INFO("band " << band);
    CHECK((band_key(a, band) == band_key(b, band)) == (band != 1 && band != 131));
  }
  std::set<std::uint64_t> keys;
  for (std::size_t band = 0; band < kBands; ++band) keys.insert(band_key(a, band));
  CHECK(keys.size() == kBands);  // the band is part of the key
  CHECK(copy_key(a) != copy_key(b));
  CHECK(copy_key(a) == copy_key(Signature(a)));
}

TEST_CASE("band candidates: all pairs of a key's run, in a run past the window only those at most kBucketWindow apart by rank order") {
  // One key shared by 200 sources of spaced ranks (a band bucket's ranks
  // need not be contiguous), one by 3, in rank order.
  std::vector<BandEntry> entries;
  for (std::uint32_t r = 0; r < 200; ++r) {
    entries.push_back({7, r * 5});
    if (r < 3) entries.push_back({(std::uint64_t(9) << 32) | 1, r * 5});
  }
  std::set<std::pair<std::uint32_t, std::uint32_t>> got;
  std::size_t calls = 0;
  for_each_band_candidate(entries, [&](std::uint32_t i, std::uint32_t j) {
    ++calls;
    got.emplace(i, j);
  });
  std::set<std::pair<std::uint32_t, std::uint32_t>> want;
  for (std::uint32_t p = 0; p < 200; ++p)
    for (std::uint32_t q = p + 1; q < 200 && q - p <= kBucketWindow; ++q) want.emplace(p * 5, q * 5);
  CHECK(want.count({0, 5 * 128}) == 1);
  CHECK(want.count({0, 5 * 129}) == 0);
  std::size_t windowed = want.size();
  CHECK(calls == windowed + 3);  // the 3-run's pairs are in the 200-run already: proposed twice
  CHECK(got == want);
}

TEST_CASE("the linker verifies a candidate by its full estimate, groups copies, and names sources by file") {
  auto a = kSigner(kArticle), b = kSigner(std::string(kArticle) + " Reporting by the wire desk in Rotterdam and Seoul.");
  auto c = kSigner("Completely different words about football clubs, stadium seats, goalkeepers, penalties, referees, coaches, "
                   "transfer fees, youth academies, broadcasting rights, supporters' trusts, ticket prices and league tables "
                   "decided the derby season opener played under floodlights.");
  Signature none;
  std::vector<SignedSource> in{{"c.txt", &c}, {"b.txt", &b}, {"a.txt", &a}, {"a-copy.txt", &a}, {"empty.txt", &none}};
  NearDuplicateLinker linker(in);
  CHECK(linker.ranks_reproducible());
  REQUIRE(linker.distinct() == 3);  // a-copy.txt (first of a's class), b.txt, c.txt
  CHECK(linker.distinct_signature(0) == a);
  CHECK(!linker.candidate("a.txt", "b.txt"));       // a.txt is a copy, not the first of its class
  CHECK(!linker.candidate("nowhere.txt", "b.txt"));
  CHECK(linker.candidate("a-copy.txt", "c.txt"));   // known, but not similar: not linked
  CHECK(linker.groups() == std::vector<std::vector<std::string>>{{"a-copy.txt", "a.txt"}});
  CHECK(linker.candidate("a-copy.txt", "b.txt"));
  CHECK(linker.groups() == std::vector<std::vector<std::string>>{{"a-copy.txt", "a.txt", "b.txt"}});
  std::vector<SignedSource> twice{{"x.txt", &a}, {"x.txt", &b}};
  CHECK(!NearDuplicateLinker(twice).ranks_reproducible());  // band steps could not rank two files of one name
}

TEST_CASE("near_duplicate_groups is the band-bucketed search for any number of band buckets: generated signatures") {
  auto g = generated();
  std::vector<SignedSource> in;
  for (std::size_t i = 0; i < g.sigs.size(); ++i) in.push_back({g.names[i], &g.sigs[i]});
  CHECK(near_duplicate_groups(in).front().size() > kBucketWindow);  // the crowd: runs past the window were cut
  check_band_buckets_give_groups(g.names, g.sigs, 1);
}

TEST_CASE("near_duplicate_groups is the band-bucketed search for any number of band buckets: te3-silver and the seeds") {
  namespace fs = std::filesystem;
  fs::path shared = ANNALS_SHARED_DIR;
  SKIP_UNLESS(fs::exists(shared / "corpus/te3-silver") && fs::exists(shared / "seeds"),
              shared.string() + " has no corpus/te3-silver or seeds");
  auto [names, sigs] = shared_corpus_signatures(shared);
  check_band_buckets_give_groups(names, sigs, 10);
}
