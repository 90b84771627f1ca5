// End-to-end tests of `annals eval --timeml`: figures and the error list on a
// small gold folder written here.
#include <nlohmann/json.hpp>

#include "e2e.h"

using namespace annals::e2e;

namespace {
void write_gold(const fs::path& dir) {
  write_file(dir / "one.tml", R"(<?xml version="1.0" ?>
<TimeML><DCT><TIMEX3 tid="t0" type="DATE" value="1989-11-02" functionInDocument="CREATION_TIME">11/02/89</TIMEX3></DCT>
<TEXT>Profit rose <TIMEX3 tid="t1" type="DATE" value="1988">last year</TIMEX3> and <TIMEX3 tid="t2" type="DATE" value="1989-11-01">yesterday</TIMEX3>. It was <TIMEX3 tid="t3" type="DATE" value="PAST_REF">once</TIMEX3> cheap. Sales in 1987 fell.</TEXT></TimeML>
)");
}
}  // namespace

TEST_CASE("eval: figures count matches, misses and false alarms against the gold folder") {
  TempDir dir;
  write_gold(dir.path);
  auto r = run_annals("eval --timeml " + dir.str() + " --json -j1");
  r.expect_exit(0);
  auto j = nlohmann::json::parse(r.output.substr(r.output.find('{')));
  CHECK(j["documents"] == 1);
  CHECK(j["all_types"]["gold"] == 3);     // the DCT is not scored
  CHECK(j["all_types"]["system"] == 3);   // last year, yesterday, 1987
  CHECK(j["all_types"]["strict"]["precision"].get<double>() == doctest::Approx(2.0 / 3));
  CHECK(j["date_time"]["value"]["recall"].get<double>() == doctest::Approx(2.0 / 3));
}

TEST_CASE("eval: --errors names each miss and false alarm with its context, and the table is printed") {
  TempDir dir;
  write_gold(dir.path);
  auto r = run_annals("eval --timeml " + dir.str() + " --errors");
  r.expect_exit(0);
  CHECK(r.output.find("one.tml: miss: gold \"once\" DATE PAST_REF") != std::string::npos);
  CHECK(r.output.find("one.tml: false alarm: gold - | annals \"1987\" DATE 1987 [date.year]") != std::string::npos);
  CHECK(r.output.find("Sales in [1987] fell") != std::string::npos);
  CHECK(r.output.find("| DATE+TIME |") != std::string::npos);
}

TEST_CASE("eval: a folder that does not exist is a usage error") {
  run_annals("eval --timeml /nonexistent-annals-gold").expect_exit(2);
}
