// End-to-end tests of `annals explain`: the source with every match marked
// (plain markers when stdout is not a terminal) and, for each event mention,
// why it did or did not become a timeline entry.
#include <doctest/doctest.h>

#include "e2e.h"

using namespace annals::e2e;

namespace {

const char* kPack = R"toml(
[tables.month]
january = 1
march = 3

[[date]]
id = "date.month-year"
pattern = '\b(?P<month>%{table:month})\s+(?P<year>[12][0-9]{3})\b'
value = "{year}-{month|month}"
examples = [{ text = "in March 2025", value = "2025-03" }]

[[date]]
id = "date.month"
pattern = '\b(?P<month>%{table:month})\b'
value = "prev(month={month|month})"
examples = [{ text = "in January", reference = "2025-03-07", value = "2025-01" }]

[[date]]
id = "date.year"
pattern = '\b(?P<year>20[0-9]{2})\b'
value = "{year}"
examples = [{ text = "in 2024", value = "2024" }]

[[date]]
id = "date.following-month"
pattern = '\bthe\s+following\s+month\b'
value = "{anchor.month}+1M"
examples = [{ text = "It began in March 2025; the following month it ended.", value = "2025-04" }]

[[dateline]]
id = "dateline.published"
pattern = '(?m)^Published\s+(?P<day>[0-9]{1,2})\s+(?P<month>%{table:month})\s+(?P<year>20[0-9]{2})'
value = "{year}-{month|month}-{day}"
examples = [{ text = "Published 7 March 2025", value = "2025-03-07" }]

[[event]]
id = "launch"
pattern = '\b(?P<who>[A-Z][a-z]+) launched (?P<what>[A-Z][A-Za-z0-9]+)'
title = "{who} launches {what}"
identity = "{who} {what}"
examples = [{ text = "Acme launched Rocket9.", title = "Acme launches Rocket9" }]
)toml";

struct Setup {
  TempDir dir;
  Setup() {
    write_file(dir.path / "rules" / "rules.toml", kPack);
    write_file(dir.path / "a.txt",
               "Acme launched Rocket9 in March 2025.\n\nBeta launched Zeta to little notice.\n\n"
               "Gamma launched Delta in January.\n");
    write_file(dir.path / "b.txt", "Acme launched Rocket9 in March 2025, the maker said.\n");
    write_file(dir.path / "c.txt", "Acme launched Rocket9 in 2024, a rival claims.\n");
  }
  std::string explain(const std::string& extra) {
    return "explain " + (dir.path / "a.txt").string() + " --rules " + (dir.path / "rules").string() + " " + extra;
  }
};

}  // namespace

TEST_CASE("explain marks every date and event match with rule and value, in plain markers when not on a terminal") {
  Setup s;
  auto r = run_annals(s.explain(""));
  INFO(r.output);
  r.expect_exit(0);
  CHECK(r.output.find("[[Acme launched Rocket9]]{event rule=launch title=\"Acme launches Rocket9\"} in "
                      "[[March 2025]]{date rule=date.month-year value=2025-03}.") != std::string::npos);
  CHECK(r.output.find("\x1b[") == std::string::npos);
}

TEST_CASE("explain says why event mentions are not on the timeline: no date in scope, unresolved relative date") {
  Setup s;
  auto r = run_annals(s.explain(""));
  INFO(r.output);
  CHECK(r.output.find("no publication date") != std::string::npos);
  CHECK(r.output.find("[[January]]{date rule=date.month unresolved: relative date and the source has no publication date}") !=
        std::string::npos);
  CHECK(r.output.find("-> not on the timeline: no date in scope (no date expression in its sentence)") != std::string::npos);
  CHECK(r.output.find("-> not on the timeline: unresolved relative date \"January\"") != std::string::npos);
  CHECK(r.output.find("-> timeline entry ev-") != std::string::npos);
}

TEST_CASE("explain resolves relative dates against --reference-date") {
  Setup s;
  auto r = run_annals(s.explain("--reference-date 2025-03-07"));
  INFO(r.output);
  CHECK(r.output.find("published 2025-03-07 (from --reference-date)") != std::string::npos);
  CHECK(r.output.find("[[January]]{date rule=date.month value=2025-01}") != std::string::npos);
}

TEST_CASE("explain with --context says which entry a mention was merged into and which entries it conflicts with") {
  Setup s;
  auto r = run_annals(s.explain("--context " + (s.dir.path / "b.txt").string() + " " + (s.dir.path / "c.txt").string()));
  INFO(r.output);
  r.expect_exit(0);
  CHECK(r.output.find("-> merged into entry ev-") != std::string::npos);
  CHECK(r.output.find("with 1 other mention(s): " + (s.dir.path / "b.txt").string()) != std::string::npos);
  CHECK(r.output.find("conflict with ev-") != std::string::npos);
  CHECK(r.output.find("dated 2024 (" + (s.dir.path / "c.txt").string() + ")") != std::string::npos);
  // Only FILE is printed, not the context sources.
  CHECK(r.output.find("the maker said") == std::string::npos);
}

TEST_CASE("explain --rule marks only that rule and lists its pattern matches that were dropped, with the reason") {
  Setup s;
  auto r = run_annals(s.explain("--rule date.month"));
  INFO(r.output);
  CHECK(r.output.find("[[Acme launched Rocket9]]") == std::string::npos);
  CHECK(r.output.find("Dropped matches of date.month:") != std::string::npos);
  CHECK(r.output.find("\"March\": overlapped by a longer match: date.month-year \"March 2025\"") != std::string::npos);
}

TEST_CASE("explain refuses an unknown rule id and a broken rule pack with exit code 2") {
  Setup s;
  run_annals(s.explain("--rule nope")).expect_exit(2);
  run_annals("explain sources/column.txt --rules tests/fixtures/rules-broken/re2-error").expect_exit(2);
}

TEST_CASE("explain --color always colours matches with ANSI escapes instead of brackets") {
  Setup s;
  auto r = run_annals(s.explain("--color always"));
  INFO(r.output);
  CHECK(r.output.find("\x1b[1;33mAcme launched Rocket9\x1b[0m\x1b[2m{event rule=launch") != std::string::npos);
  CHECK(r.output.find("[[Acme launched Rocket9]]") == std::string::npos);
}

TEST_CASE("explain marks the dateline that gave the source its publication date and resolves relative dates with it") {
  Setup s;
  write_file(s.dir.path / "d.txt", "Published 7 March 2025\n\nGamma launched Delta in January.\n");
  auto r = run_annals("explain " + (s.dir.path / "d.txt").string() + " --rules " + (s.dir.path / "rules").string());
  INFO(r.output);
  CHECK(r.output.find("published 2025-03-07 (from dateline dateline.published)") != std::string::npos);
  CHECK(r.output.find("[[Published 7 [[March 2025]]{date rule=date.month-year value=2025-03}]]"
                      "{dateline rule=dateline.published value=2025-03-07}") != std::string::npos);
  CHECK(r.output.find("[[January]]{date rule=date.month value=2025-01}") != std::string::npos);
}

TEST_CASE("explain names the earlier date an anchored date counts from, with its line and column") {
  Setup s;
  write_file(s.dir.path / "d.txt", "Acme launched Rocket9 in March 2025.\n\nThe following month, Beta launched Zeta.\n");
  auto r = run_annals("explain " + (s.dir.path / "d.txt").string() + " --rules " + (s.dir.path / "rules").string());
  INFO(r.output);
  r.expect_exit(0);
  CHECK(r.output.find("\"The following month\"  rule=date.following-month value=2025-04 from=\"March 2025\" (1:26)") !=
        std::string::npos);
  CHECK(r.output.find("date: \"The following month\" (rule=date.following-month value=2025-04 from=\"March 2025\" (1:26))") !=
        std::string::npos);
}
