#include <doctest/doctest.h>

#include "merge/near_duplicates.h"

using namespace annals::merge;

namespace {
const std::vector<std::string> kStop{"the", "and", "with", "its", "for", "that"};
const char* kArticle =
    "The ministry announced sweeping export restrictions on gallium and germanium on Monday, citing national security. "
    "Traders said prices of both metals jumped in Rotterdam as buyers rushed to secure supplies before licences take "
    "effect. Chipmakers in Japan and Korea warned that inventories would last only a few months. Analysts expect "
    "further curbs on graphite and rare earth processing equipment later in the year, deepening the technology "
    "dispute between the two largest economies.";
}  // namespace

TEST_CASE("a reposted article with light edits is a near-duplicate of the original") {
  std::string repost = std::string("Reposted from the wire. ") + kArticle + " Copyright the wire service.";
  auto a = signature(kArticle, kStop), b = signature(repost, kStop);
  CHECK(similarity(a, b) > 0.6);
  auto groups = near_duplicate_groups({{"wire.txt", a}, {"repost.txt", b}});
  REQUIRE(groups.size() == 1);
  CHECK(groups[0] == std::vector<std::string>{"repost.txt", "wire.txt"});
}

TEST_CASE("two different articles on the same topic are not near-duplicates") {
  const char* other =
      "Shares of rare earth miners rallied after officials hinted at new quotas for the coming season. The finance "
      "minister told parliament that subsidies for battery plants would continue, while opposition members demanded "
      "an inquiry into licensing delays at the ports. Exporters of solar panels reported slower orders from Europe "
      "and expect a weaker quarter as customers wait for tariff decisions in Brussels.";
  auto a = signature(kArticle, kStop), b = signature(other, kStop);
  CHECK(similarity(a, b) < 0.1);
  CHECK(near_duplicate_groups({{"a.txt", a}, {"b.txt", b}}).empty());
}

TEST_CASE("a short note has no signature and is never grouped") {
  auto note = signature("The ministry announced export restrictions on gallium.", kStop);
  CHECK(note.empty());
  CHECK(near_duplicate_groups({{"a.txt", note}, {"b.txt", note}}).empty());
}

TEST_CASE("near-duplicate groups do not depend on input order") {
  std::string repost = std::string("Copy: ") + kArticle;
  auto a = signature(kArticle, kStop), b = signature(repost, kStop);
  CHECK(near_duplicate_groups({{"x", a}, {"y", b}}) == near_duplicate_groups({{"y", b}, {"x", a}}));
}
