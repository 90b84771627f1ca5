// The main job, measured: the default rule pack on ../shared/eval/news-dev,
// scored by the shared scorer at run time, must not fall below the figures
// recorded in tests/eval/news-dev-ratchet.txt (a ratchet, like TimeBank's).
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include "e2e.h"
#include "skip.h"

namespace fs = std::filesystem;
using annals::e2e::run_annals;
using annals::e2e::run_in;
using annals::e2e::TempDir;

namespace {

// "name value" lines of the ratchet file; '#' starts a comment.
std::map<std::string, double> read_ratchet(const fs::path& file) {
  std::map<std::string, double> figures;
  std::ifstream in(file);
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    std::istringstream words(line);
    std::string name;
    double value = 0;
    if (words >> name >> value) figures[name] = value;
  }
  return figures;
}

}  // namespace

TEST_CASE("news-dev: recall and precision by the gold stay at or above the ratchet") {
  fs::path dev = ANNALS_SHARED_DIR "/eval/news-dev";
  fs::path scorer = ANNALS_SHARED_DIR "/tools/check_news_events.py";
  SKIP_UNLESS(fs::is_directory(dev / "news") && fs::exists(dev / "events.json"), (dev / "news").string() + " is absent");
  SKIP_UNLESS(fs::exists(scorer), scorer.string() + " is absent");
  SKIP_UNLESS(std::system("python3 -c '' >/dev/null 2>&1") == 0, "python3 is not installed");

  auto ratchet = read_ratchet(fs::path(ANNALS_SOURCE_DIR) / "tests/eval/news-dev-ratchet.txt");
  REQUIRE(ratchet.count("recall_strict") == 1);
  REQUIRE(ratchet.count("precision_by_gold") == 1);

  TempDir out;
  run_annals("build '" + (dev / "news").string() + "' --out '" + out.str() + "'").expect_exit(0);
  std::string figures = (out.path / "score.json").string();
  run_in(ANNALS_SOURCE_DIR, "python3 '" + scorer.string() + "' '" + out.str() + "' --gold '" + (dev / "events.json").string() +
                                "' --news '" + (dev / "news").string() + "' --json '" + figures + "'")
      .expect_exit(0);
  auto score = nlohmann::json::parse(annals::e2e::read_file(figures));
  double recall = score.at("recall").get<double>();
  double precision = score.at("precision_by_gold").get<double>();
  INFO("news-dev: recall strict " << recall << ", precision by the gold " << precision << " over "
                                  << score.at("entries").get<int>() << " entries");
  CHECK(recall >= ratchet["recall_strict"]);
  CHECK(precision >= ratchet["precision_by_gold"]);
}
