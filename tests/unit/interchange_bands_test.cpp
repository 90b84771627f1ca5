#include <doctest/doctest.h>

#include <map>
#include <set>

#include <fmt/format.h>

#include "interchange/bands.h"
#include "merge/near_duplicates.h"

using namespace annals;
using namespace annals::interchange;

namespace {
const merge::Signer kSigner({"the", "and", "with", "for"});
const char* kStory =
    "Engineers restored power to the northern districts after a substation fire left forty thousand homes without "
    "electricity overnight, the utility said, adding that a faulty transformer had overheated during the heat wave. "
    "Hospitals ran on generators and the city opened cooling centres in schools while crews replaced cables.";
}  // namespace

TEST_CASE("a band bucket's pairs are the one-process banding's candidates: ranked by file name, copies banded once as their first file") {
  // A crowd of variants (a key's run past the window, where rank order
  // decides which pairs are proposed), with copies under names that sort
  // before and after their originals.
  std::vector<std::string> names;
  std::vector<merge::Signature> sigs;
  for (int i = 0; i < 300; ++i) {
    names.push_back(fmt::format("v{:03}.txt", (i * 7) % 300));
    sigs.push_back(kSigner(fmt::format("{} Filed by {:03}desk", kStory, i)));  // six bytes of a word count: the number first
  }
  for (int i = 0; i < 20; ++i) {
    names.push_back(fmt::format("{}copy{:02}.txt", i % 2 ? "a" : "z", i));
    sigs.push_back(sigs[std::size_t(i * 11)]);
  }
  std::vector<merge::SignedSource> in;
  for (std::size_t i = 0; i < sigs.size(); ++i) in.push_back({names[i], &sigs[i]});
  merge::NearDuplicateLinker linker(in);
  std::vector<std::string> rank_file;  // the linker's ranks, by file
  {
    std::vector<std::size_t> order(sigs.size());
    for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
    std::sort(order.begin(), order.end(), [&](auto a, auto b) { return names[a] < names[b]; });
    for (std::size_t r = 0; r < linker.distinct(); ++r)
      for (auto i : order)
        if (sigs[i] == linker.distinct_signature(r)) {
          rank_file.push_back(names[i]);
          break;
        }
  }
  std::vector<merge::BandEntry> entries;
  for (std::uint32_t r = 0; r < linker.distinct(); ++r)
    for (std::size_t b = 0; b < merge::kBands; ++b) entries.push_back({merge::band_key(linker.distinct_signature(r), b), r});
  std::set<std::pair<std::string, std::string>> want;
  merge::for_each_band_candidate(entries, [&](std::uint32_t i, std::uint32_t j) { want.emplace(rank_file[i], rank_file[j]); });
  std::vector<BandSource> bands;
  for (std::size_t i = 0; i < sigs.size(); ++i) {
    BandSource s{names[i], merge::copy_key(sigs[i]), {}};
    for (std::size_t b = 0; b < merge::kBands; ++b) s.keys.push_back(merge::band_key(sigs[i], b));
    bands.push_back(s);
  }
  bands.push_back(bands.front());  // a source given twice (a retried task's file read with it) counts once
  std::set<std::pair<std::string, std::string>> got;
  std::size_t listed = 0;
  for (auto& [first, with] : band_bucket_pairs(bands)) {
    CHECK(std::is_sorted(with.begin(), with.end()));
    for (auto& w : with) {
      CHECK(first < w);
      got.emplace(first, w);
      ++listed;
    }
  }
  CHECK(listed == got.size());  // deduplicated
  CHECK(got == want);
  // The window decided: some key is shared by more than kBucketWindow + 1 sources.
  std::map<std::uint64_t, std::size_t> run;
  for (auto& e : entries) ++run[e.key];
  std::size_t longest = 0;
  for (auto& k : run) longest = std::max(longest, k.second);
  MESSAGE(linker.distinct() << " distinct, longest run " << longest << ", " << got.size() << " pairs");
  CHECK(longest > merge::kBucketWindow + 1);
  // acopy01.txt is a copy of v077.txt and sorts first: it stands for both; v000.txt stands for zcopy00.txt.
  auto named = [&](const std::string& f) {
    return std::any_of(got.begin(), got.end(), [&](auto& p) { return p.first == f || p.second == f; });
  };
  CHECK(named("acopy01.txt"));
  CHECK(!named("v077.txt"));
  CHECK(named("v000.txt"));
  CHECK(!named("zcopy00.txt"));
}
