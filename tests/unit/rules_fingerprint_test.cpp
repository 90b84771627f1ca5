#include "rules/fingerprint.h"

#include <doctest/doctest.h>

#include "rules/rules.h"

namespace annals::rules {

TEST_CASE("a pack's fingerprint depends on every file's path inside the pack and bytes, not on where the pack is") {
  std::vector<std::pair<std::string, std::string>> here{{"rules/a.toml", "x = 1\n"}, {"rules/text.toml", "stopwords = [\"the\"]\n"}};
  std::vector<std::pair<std::string, std::string>> there{{"/srv/p/a.toml", "x = 1\n"}, {"/srv/p/text.toml", "stopwords = [\"the\"]\n"}};
  std::string f = pack_fingerprint(here, "rules");
  CHECK(f.starts_with("annals-" + std::string(annals_version()) + "+pack-"));
  CHECK(f.size() == std::string("annals-+pack-").size() + annals_version().size() + 32);
  CHECK(pack_fingerprint(there, "/srv/p") == f);
  auto stopword = here;
  stopword[1].second = "stopwords = [\"a\"]\n";
  CHECK(pack_fingerprint(stopword, "rules") != f);
  auto renamed = here;
  renamed[0].first = "rules/b.toml";
  CHECK(pack_fingerprint(renamed, "rules") != f);
  // Bytes moved from one file to the next are a different pack.
  std::vector<std::pair<std::string, std::string>> moved{{"rules/a.toml", "x = 1\nstopwords"}, {"rules/text.toml", " = [\"the\"]\n"}};
  CHECK(pack_fingerprint(moved, "rules") != f);
  auto fewer = here;
  fewer.pop_back();
  CHECK(pack_fingerprint(fewer, "rules") != f);
}

TEST_CASE("the loader sets the pack's fingerprint, also when it loads only the date rules") {
  std::vector<std::pair<std::string, std::string>> files{
      {"p/x.toml", "[[date]]\nid = \"year\"\npattern = '\\b(?P<y>20[0-9]{2})\\b'\nvalue = \"{y}\"\n"}};
  auto all = load_rules_from(files, "p");
  for (auto& d : all.diagnostics) MESSAGE(format_diagnostic(d));
  REQUIRE(all.ok());
  LoadOptions dates_only;
  dates_only.event_rules = false;
  auto dates = load_rules_from(files, "p", dates_only);
  REQUIRE(dates.ok());
  CHECK(all.rules->fingerprint == pack_fingerprint(files, "p"));
  CHECK(dates.rules->fingerprint == all.rules->fingerprint);
}

}  // namespace annals::rules
