// End-to-end tests of `annals tag`: JSON Lines with byte offsets into the
// file as read, and TimeML output.
#include <nlohmann/json.hpp>

#include "e2e.h"

using namespace annals::e2e;

TEST_CASE("tag: JSON Lines give byte offsets into the .txt file, type, value, mod and rule") {
  TempDir dir;
  std::string text = "Caf\xc3\xa9 news. Profit rose in early 2024 and the board will meet Friday.\n";
  write_file(dir.path / "a.txt", text);
  auto r = run_annals("tag " + (dir.path / "a.txt").string() + " --reference-date 2025-03-05 -j1");
  r.expect_exit(0);
  std::vector<nlohmann::json> lines;
  std::istringstream in(r.output);
  for (std::string line; std::getline(in, line);)
    if (!line.empty() && line[0] == '{') lines.push_back(nlohmann::json::parse(line));
  REQUIRE(lines.size() == 2);
  for (auto& j : lines) {
    auto start = j["start"].get<std::size_t>(), end = j["end"].get<std::size_t>();
    CHECK(text.substr(start, end - start) == j["text"].get<std::string>());
  }
  CHECK(lines[0]["text"] == "early 2024");
  CHECK(lines[0]["value"] == "2024");
  CHECK(lines[0]["mod"] == "START");
  CHECK(lines[0]["type"] == "DATE");
  CHECK(lines[1]["text"] == "Friday");
  CHECK(lines[1]["value"] == "2025-03-07");  // "will": the coming Friday
  CHECK(lines[1]["rule"] == "date.cued-weekday");
  CHECK_FALSE(lines[1].contains("mod"));
}

TEST_CASE("tag: without a reference date a relative expression is printed unresolved, with the reason") {
  TempDir dir;
  write_file(dir.path / "b.txt", "It rained yesterday.\n");
  auto r = run_annals("tag " + (dir.path / "b.txt").string());
  r.expect_exit(0);
  auto j = nlohmann::json::parse(r.output.substr(r.output.find('{')));
  CHECK(j["text"] == "yesterday");
  CHECK(j["value"] == "");
  CHECK(j.contains("reason"));
}

TEST_CASE("tag: a date counted from an earlier one names it, and resolves without a reference date") {
  TempDir dir;
  std::string text = "Nvidia fell on 27 January 2025.\n\nTwo days later, Alibaba answered.\n";
  write_file(dir.path / "c.txt", text);
  auto r = run_annals("tag " + (dir.path / "c.txt").string() + " -j1");
  r.expect_exit(0);
  auto j = nlohmann::json::parse(r.output.substr(r.output.rfind("{\"file\"")));
  CHECK(j["text"] == "Two days later");
  CHECK(j["value"] == "2025-01-29");
  CHECK(j["anchor"]["text"] == "27 January 2025");
  auto start = j["anchor"]["start"].get<std::size_t>(), end = j["anchor"]["end"].get<std::size_t>();
  CHECK(text.substr(start, end - start) == "27 January 2025");
}

TEST_CASE("tag: --format timeml writes TIMEX3 tags and the DCT") {
  TempDir dir;
  write_file(dir.path / "c.txt", "Sales fell 5% last year.\n");
  auto r = run_annals("tag " + (dir.path / "c.txt").string() + " --reference-date 1998-01-08 --format timeml");
  r.expect_exit(0);
  CHECK(r.output.find("value=\"1998-01-08\"") != std::string::npos);
  CHECK(r.output.find("<TIMEX3 tid=\"t1\" type=\"DATE\" value=\"1997\">last year</TIMEX3>") != std::string::npos);
}

TEST_CASE("tag: a bad --reference-date or --format is a usage error") {
  run_annals("tag README.md --reference-date 1998-13-01").expect_exit(2);
  run_annals("tag README.md --format xml").expect_exit(2);
}

TEST_CASE("tag: a file name with quotes, a backslash and control characters is escaped in the JSON") {
  TempDir dir;
  std::string name = "say \"hi\" \\ tab\there\x01.txt";
  write_file(dir.path / name, "The board met on 2024-05-06.\n");
  auto r = run_annals("tag " + dir.str() + " -j1");
  r.expect_exit(0);
  std::string line = r.output.substr(r.output.find('{'));
  CHECK(line.find(R"(say \"hi\" \\ tab\there\u0001.txt")") != std::string::npos);
  auto j = nlohmann::json::parse(line);
  CHECK(j["file"] == (dir.path / name).string());
  CHECK(j["text"] == "2024-05-06");
}
