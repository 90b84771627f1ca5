#include <doctest/doctest.h>

#include "skip.h"

#include <cmath>
#include <filesystem>

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
