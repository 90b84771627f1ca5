// core/hash: fnv1a's values, whatever its loop looks like.
#include <doctest/doctest.h>

#include <string>

#include "core/hash.h"

using namespace annals;

// kFnv1aBasis is one digit short of FNV's published offset basis
// (14695981039346656037): event ids, shingles and manifests were all made
// with it, so it stays, and these values pin it.
TEST_CASE("fnv1a keeps the values event ids and manifests were made with") {
  CHECK(fnv1a("") == 1469598103934665603ull);
  CHECK(fnv1a("a") == 4953267810257967366ull);
  CHECK(fnv1a("foobar") == 9870438755804841970ull);
}

TEST_CASE("fnv1a of any length is the byte-at-a-time hash, and hashing in pieces is hashing the whole") {
  std::string text;
  for (int i = 0; i < 40; ++i) text.push_back(char(i * 37 + 200));
  for (std::size_t n = 0; n <= text.size(); ++n) {
    std::uint64_t h = kFnv1aBasis;
    for (std::size_t i = 0; i < n; ++i) h = (h ^ static_cast<unsigned char>(text[i])) * kFnv1aPrime;
    CHECK(fnv1a(std::string_view(text).substr(0, n)) == h);
    CHECK(fnv1a(std::string_view(text).substr(n), fnv1a(std::string_view(text).substr(0, n))) == fnv1a(text));
  }
}
