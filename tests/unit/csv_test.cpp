#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include "render/csv.h"
#include "render/csv_mentions.h"
#include "render/csv_timeline.h"
#include "render/formats.h"
#include "render/json.h"
#include "render/timelinejs.h"
#include "temporal/calendar.h"

using namespace annals;
using namespace annals::render;

namespace {

EventMention mention(std::string file, std::string title, std::string date_value) {
  EventMention m;
  m.rule_id = "rule-x";
  m.title = std::move(title);
  m.category = "cat";
  m.source.edit().file = std::move(file);
  m.evidence = "In " + date_value + " it happened, \"really\".";
  m.evidence_event = {3, 10};
  DateMention d;
  d.text = date_value;
  d.value = date_value;
  d.interval = temporal::interval_of(date_value);
  REQUIRE(d.interval);
  m.date = d;
  return m;
}

TimelineEntry entry(std::string id, std::string title, std::string date_value, std::vector<EventMention> mentions) {
  TimelineEntry e;
  e.event_id = std::move(id);
  e.title = std::move(title);
  e.category = "cat";
  e.rule_id = "rule-x";
  e.date = *temporal::interval_of(date_value);
  e.mentions = std::move(mentions);
  return e;
}

std::vector<std::string> lines(const std::string& s) {
  std::vector<std::string> out;
  std::size_t start = 0;
  for (std::size_t nl; (nl = s.find('\n', start)) != std::string::npos; start = nl + 1) out.push_back(s.substr(start, nl - start));
  return out;
}

}  // namespace

TEST_CASE("csv_field quotes text cells, doubles quotes and keeps line breaks the RFC 4180 way") {
  CHECK(csv_field("plain") == "\"plain\"");
  CHECK(csv_field("a,b") == "\"a,b\"");
  CHECK(csv_field("say \"hi\"") == R"("say ""hi""")");
  CHECK(csv_field("\"") == R"("""")");
  CHECK(csv_field("a\"\"b\"") == R"("a""""b""")");
  CHECK(csv_field("two\nlines") == "\"two\nlines\"");
  CHECK(csv_field("cr\rhere") == "\"cr\rhere\"");
  CHECK(csv_field("東京 🚀") == "\"東京 🚀\"");
  CHECK(csv_field("March 2025") == "\"March 2025\"");
  CHECK(csv_field("2025-W10") == "\"2025-W10\"");
}

TEST_CASE("text cells that would start a formula get a leading single quote") {
  CHECK(csv_field("=1+1") == "\"'=1+1\"");
  CHECK(csv_field("+33 call") == "\"'+33 call\"");
  CHECK(csv_field("-5 points") == "\"'-5 points\"");
  CHECK(csv_field("@SUM(A1)") == "\"'@SUM(A1)\"");
  CHECK(csv_field("\tTabbed") == "\"'\tTabbed\"");
  CHECK(csv_field("\rcarriage") == "\"'\rcarriage\"");
  CHECK(csv_field("=HYPERLINK(\"x\",\"y\")") == "\"'=HYPERLINK(\"\"x\"\",\"\"y\"\")\"");
  CHECK(neutralize_formula("-") == "'-");
  CHECK(neutralize_formula("--5") == "'--5");
  CHECK(neutralize_formula("-5e3") == "'-5e3");
  CHECK(neutralize_formula("-0044-03-15") == "'-0044-03-15");
}

TEST_CASE("numbers and ISO dates are neither neutralized nor quoted") {
  CHECK(csv_field("2025-03-07") == "2025-03-07");
  CHECK(csv_field("12") == "12");
  CHECK(csv_field("-5") == "-5");
  CHECK(csv_field("+3.25") == "+3.25");
  CHECK(csv_field("") == "");
  CHECK(is_plain_number("-0.5"));
  CHECK_FALSE(is_plain_number("-.5"));
  CHECK_FALSE(is_plain_number("5."));
  CHECK_FALSE(is_plain_number("-5 points"));
  CHECK(is_iso_day("1999-12-31"));
  CHECK_FALSE(is_iso_day("1999-12-3"));
  CHECK_FALSE(is_iso_day("1999-12-31T10"));
}

TEST_CASE("csv dialects: plain is LF without BOM, excel is BOM and CRLF with LF kept inside cells") {
  Timeline t;
  t.entries.push_back(entry("e1", "Title", "2025-03-07", {mention("a.txt", "Title", "2025-03-07"), mention("b.txt", "Title", "2025-03-07")}));
  std::string plain = render_csv(t, CsvDialect::Plain);
  std::string excel = render_csv(t, CsvDialect::Excel);
  CHECK(plain.substr(0, 7) == "\"date\",");
  CHECK(plain.find('\r') == std::string::npos);
  CHECK(excel.substr(0, 3) == "\xEF\xBB\xBF");
  CHECK(excel.substr(3, 7) == "\"date\",");
  // Two rows, each ended by CRLF; the evidence cell keeps its LF between mentions.
  std::size_t crlf = 0;
  for (std::size_t i = excel.find("\r\n"); i != std::string::npos; i = excel.find("\r\n", i + 2)) ++crlf;
  CHECK(crlf == 2);
  CHECK(excel.find(".\n[b.txt]") != std::string::npos);
  CHECK(excel.find("\r\n[b.txt]") == std::string::npos);
  CHECK(parse_csv_dialect("excel") == CsvDialect::Excel);
  CHECK(parse_csv_dialect("plain") == CsvDialect::Plain);
  CHECK_FALSE(parse_csv_dialect("tsv"));
}

TEST_CASE("a CsvWriter row is csv_row of each cell's csv_field, empty cells and both dialects included") {
  using Cells = std::vector<std::string>;
  static const std::vector<CsvColumn<Cells>> columns{
      {"first", [](const Cells& c) { return c[0]; }},
      {"=second", [](const Cells& c) { return c[1]; }},
      {"third", [](const Cells& c) { return c[2]; }},
  };
  std::vector<Cells> rows{{"", "", ""}, {"", "x", ""}, {"-5 points", "say \"hi\"", "2025-03-07"},
                          {" =1+1", "a\u202Eb", "12"}, {"a,b", "\"", "two\nlines"}};
  for (CsvDialect dialect : {CsvDialect::Plain, CsvDialect::Excel}) {
    std::string expected{csv_preamble(dialect)};
    expected += csv_row({csv_field("first"), csv_field("=second"), csv_field("third")}, dialect);
    for (auto& r : rows) expected += csv_row({csv_field(r[0]), csv_field(r[1]), csv_field(r[2])}, dialect);
    std::string got = collect_text([&](OutputSink& out) {
      CsvWriter<Cells> csv(columns, dialect, out);
      for (auto& r : rows) csv.row(r);
    });
    CHECK(got == expected);
  }
  CHECK(csv_field("a\u202Eb") == "\"a\uFFFDb\"");
  CHECK(csv_field("=second") == "\"'=second\"");
}

TEST_CASE("timeline.csv has one row per entry with the documented columns and a conflict flag") {
  Timeline t;
  auto a = entry("e1", "=1+1, \"q\"", "2024", {mention("x.txt", "=1+1, \"q\"", "2024")});
  a.conflicts_with = {"e2"};
  auto b = entry("e2", "=1+1, \"q\"", "2025-03-07", {mention("y.txt", "=1+1, \"q\"", "2025-03-07")});
  b.conflicts_with = {"e1"};
  auto c = entry("e3", "Other", "2025-W10", {mention("y.txt", "Other", "2025-W10")});
  t.entries = {a, b, c};
  auto rows = lines(render_csv(t));
  REQUIRE(rows.size() == 4);
  CHECK(rows[0] ==
        R"("date","date_start","date_end","granularity","display_date","title","category","event_id","rule",)"
        R"("sources","independent_sources","mentions","source_files","actors","tags","evidence","conflict",)"
        R"("conflicts_with")");
  CHECK(rows[1].starts_with(R"(2024,2024-01-01,2024-12-31,"year",2024,"'=1+1, ""q""","cat","e1","rule-x",1,0,1,"x.txt",,,)"));
  CHECK(rows[1].ends_with(R"(,"yes","e2")"));
  CHECK(rows[3].starts_with(R"("2025-W10",2025-03-03,2025-03-09,"week",)"));
  CHECK(rows[3].ends_with(R"(,"no",)"));
}

TEST_CASE("mentions.csv has one row per mention, dated ones with their entry's event_id, then the undated") {
  Timeline t;
  t.entries.push_back(entry("e1", "T", "2025-03", {mention("a.txt", "T", "2025-03"), mention("b.txt", "T", "2025-03-07")}));
  EventMention undated = mention("c.txt", "U", "2025");
  undated.date.reset();
  t.undated.push_back(undated);
  auto rows = lines(render_mentions_csv(t));
  REQUIRE(rows.size() == 4);
  CHECK(rows[0].starts_with(R"("event_id","entry_date","date_text","date_value","date_start","date_end","date_rule",)"));
  CHECK(rows[1].starts_with(R"("e1","2025-03","2025-03","2025-03",2025-03-01,2025-03-31,)"));
  CHECK(rows[2].starts_with(R"("e1","2025-03",2025-03-07,2025-03-07,2025-03-07,2025-03-07,)"));
  CHECK(rows[3].starts_with(R"(,,,,,,,,,"U","cat","rule-x","c.txt",)"));
}

TEST_CASE("timelinejs.csv has exactly the Knight Lab template columns and dates at the entry's precision") {
  Timeline t;
  t.entries.push_back(entry("d", "Day", "2025-03-07", {mention("a.txt", "Day", "2025-03-07")}));
  t.entries.push_back(entry("w", "Week", "2025-W10", {mention("a.txt", "Week", "2025-W10")}));
  t.entries.push_back(entry("q", "Quarter", "2025-Q1", {mention("a.txt", "Quarter", "2025-Q1")}));
  t.entries.push_back(entry("y", "Year", "2023", {mention("a.txt", "Year", "2023")}));
  t.entries.push_back(entry("c", "Decade", "199", {mention("a.txt", "Decade", "199")}));
  auto rows = lines(render_timelinejs_csv(t));
  REQUIRE(rows.size() == 7);
  CHECK(rows[0] ==
        R"("Year","Month","Day","Time","End Year","End Month","End Day","End Time","Display Date","Headline","Text",)"
        R"("Media","Media Credit","Media Caption","Media Thumbnail","Type","Group","Background")");
  CHECK(rows[1].starts_with(R"(,,,,,,,,,"Timeline","<p>5 events from 0 sources, 7 March 2025 to 1990s.</p>",,,,,"title",)"));
  CHECK(rows[2].starts_with(R"(2025,3,7,,,,,,"7 March 2025","Day",)"));
  CHECK(rows[3].starts_with("2025,3,3,,2025,3,9,,"));
  CHECK(rows[4].starts_with("2025,1,,,2025,3,,,"));
  CHECK(rows[5].starts_with(R"(2023,,,,,,,,2023,"Year",)"));
  CHECK(rows[6].starts_with("1990,,,,1999,,,,"));
}

TEST_CASE("the TimelineJS title slide comes from the timeline's title and description, escaped") {
  Timeline t;
  t.title = "R&D <timeline>";
  t.description = "What \"happened\"";
  t.entries.push_back(entry("d", "Day", "2025-03-07", {mention("a.txt", "Day", "2025-03-07")}));
  auto j = timelinejs_json(t);
  CHECK(j["title"]["text"]["headline"] == "R&amp;D &lt;timeline&gt;");
  CHECK(j["title"]["text"]["text"] == "<p>What &quot;happened&quot;</p>");
  auto rows = lines(render_timelinejs_csv(t));
  REQUIRE(rows.size() == 3);
  CHECK(rows[1] == R"(,,,,,,,,,"R&amp;D &lt;timeline&gt;","<p>What &quot;happened&quot;</p>",,,,,"title",,)");
}

TEST_CASE("a TimelineJS slide says when sources disagree, and cites each mention's source, publication and own date") {
  Timeline t;
  auto a = mention("a.txt", "Launch", "2025-01-20");
  a.source.edit().outlet = "Wire";
  a.source.edit().title = "Launch day";
  a.source.edit().published = temporal::parse_iso_day("2025-01-21");
  auto coarse = mention("b.txt", "Launch", "2025-01");
  auto undated = mention("c.txt", "Launch", "2025-01-20");
  undated.date->interval.reset();
  undated.date->value.clear();
  undated.date->unresolved_reason = "relative date and the source has no publication date";
  auto other = mention("d.txt", "Launch", "2025-02-03");
  other.source.edit().outlet = "Other & Co";
  TimelineEntry e1 = entry("e1", "Launch", "2025-01-20", {a, coarse, undated});
  TimelineEntry e2 = entry("e2", "Launch", "2025-02-03", {other});
  e1.conflicts_with = {"e2"};
  e2.conflicts_with = {"e1"};
  t.entries = {e1, e2};
  auto j = timelinejs_json(t);
  std::string text = j["events"][0]["text"]["text"];
  INFO(text);
  CHECK(text.starts_with("<p><strong>The sources disagree on the date.</strong> Wire, b.txt, c.txt: 20 January 2025. "
                         "Other &amp; Co: 3 February 2025.</p>"));
  CHECK(text.find("<cite>Wire, “Launch day”, published 21 January 2025</cite>") != std::string::npos);
  CHECK(text.find("<cite>b.txt; dates it January 2025</cite>") != std::string::npos);
  CHECK(text.find("<cite>c.txt; gives no date of its own</cite>") != std::string::npos);
}

TEST_CASE("a TimelineJS slide lists at most list_limit mentions and says how many more there are") {
  Timeline t;
  std::vector<EventMention> many;
  for (int i = 0; i < 12; ++i) many.push_back(mention("s" + std::to_string(i) + ".txt", "Big", "2025-03-07"));
  t.entries.push_back(entry("big", "Big", "2025-03-07", many));
  std::string text = timelinejs_json(t, 5)["events"][0]["text"]["text"];
  std::size_t paragraphs = 0;
  for (auto p = text.find("<cite>"); p != std::string::npos; p = text.find("<cite>", p + 1)) ++paragraphs;
  CHECK(paragraphs == 5);
  CHECK(text.ends_with("<p>And 7 more mentions.</p>"));
}

TEST_CASE("a TimelineJS slide shows the first http(s) image of its sources, credited to that source") {
  Timeline t;
  auto plain = mention("a.txt", "Pic", "2025-03-07");
  plain.source.edit().image = "javascript:alert(1)";
  auto pic = mention("b.html", "Pic", "2025-03-07");
  pic.source.edit().image = "https://example.org/a.jpg";
  pic.source.edit().outlet = "Photo Desk";
  pic.source.edit().title = "A & B";
  t.entries.push_back(entry("p", "Pic", "2025-03-07", {plain, pic}));
  t.entries.push_back(entry("q", "No picture", "2025-03-08", {plain}));
  auto j = timelinejs_json(t);
  CHECK(j["events"][0]["media"] == nlohmann::json{{"url", "https://example.org/a.jpg"}, {"credit", "Photo Desk"}, {"caption", "A &amp; B"}});
  CHECK_FALSE(j["events"][1].contains("media"));
  auto rows = lines(render_timelinejs_csv(t));
  CHECK(rows[2].find(R"("https://example.org/a.jpg","Photo Desk","A &amp; B")") != std::string::npos);
}

TEST_CASE("timelinejs.json uses TimelineJS's slide format and escapes source text as HTML") {
  Timeline t;
  auto m = mention("a.txt", "<b>T</b>", "2025-W10");
  m.evidence = "x <script>alert(1)</script> & y";
  m.source.edit().outlet = "Wire & Co";
  m.source.edit().url = "https://example.org/a?b=1&c=2";
  auto js = mention("b.txt", "<b>T</b>", "2025-W10");
  js.source.edit().url = "javascript:alert(1)";
  t.entries.push_back(entry("w", "<b>T</b>", "2025-W10", {m, js}));
  auto j = timelinejs_json(t);
  REQUIRE(j["events"].size() == 1);
  auto& e = j["events"][0];
  CHECK(e["start_date"] == nlohmann::json{{"year", 2025}, {"month", 3}, {"day", 3}});
  CHECK(e["end_date"] == nlohmann::json{{"year", 2025}, {"month", 3}, {"day", 9}});
  CHECK(e["display_date"] == "week of 3 March 2025");
  CHECK(e["text"]["headline"] == "&lt;b&gt;T&lt;/b&gt;");  // TimelineJS puts headlines in as HTML
  CHECK(e["group"] == "cat");
  CHECK(e["unique_id"] == "w");
  std::string text = e["text"]["text"];
  CHECK(text.find("<script>") == std::string::npos);
  CHECK(text.find("x &lt;script&gt;alert(1)&lt;/script&gt; &amp; y") != std::string::npos);
  CHECK(text.find("<a href=\"https://example.org/a?b=1&amp;c=2\">Wire &amp; Co</a>") != std::string::npos);
  CHECK(text.find("javascript:") == std::string::npos);
}

TEST_CASE("the output format registry knows html, csv, json and timelinejs, and csv writes mentions.csv too") {
  std::vector<std::string> names;
  for (auto& f : output_formats()) names.emplace_back(f.name);
  CHECK(names == std::vector<std::string>{"html", "csv", "json", "timelinejs"});
  CHECK(default_output_formats() == std::vector<std::string>{"html", "csv", "json"});
  REQUIRE(find_output_format("csv"));
  Timeline t;
  RenderOptions options;  // the writers refer to it: it must outlive them (asan found a temporary here)
  std::vector<OutputFile> files;
  CHECK(find_output_format("csv")->files(t, options, files).ok());
  auto rendered = render_outputs(files);
  REQUIRE(rendered.ok());
  REQUIRE(rendered->size() == 2);
  CHECK((*rendered)[0].name == "timeline.csv");
  CHECK((*rendered)[0].content == render_csv(t));
  CHECK((*rendered)[1].name == "mentions.csv");
  CHECK((*rendered)[1].content == render_mentions_csv(t));
  CHECK(find_output_format("xml") == nullptr);
}

TEST_CASE("regression: a formula after a space, tab, no-break or ideographic space, or a full-width = + - @, is neutralized") {
  CHECK(neutralize_formula(" =1+1") == "' =1+1");
  CHECK(neutralize_formula("  \t=1+1") == "'  \t=1+1");
  CHECK(neutralize_formula("\xC2\xA0=HYPERLINK(\"x\")") == "'\xC2\xA0=HYPERLINK(\"x\")");
  CHECK(neutralize_formula("\xE3\x80\x80+cmd") == "'\xE3\x80\x80+cmd");
  CHECK(neutralize_formula("\xEF\xBC\x9D" "1+1") == "'\xEF\xBC\x9D" "1+1");  // ＝1+1
  CHECK(neutralize_formula(" \xEF\xBC\x8B" "1") == "' \xEF\xBC\x8B" "1");     // ＋1
  CHECK(neutralize_formula("\xEF\xBC\x8D" "2") == "'\xEF\xBC\x8D" "2");       // －2
  CHECK(neutralize_formula("\xEF\xBC\xA0" "SUM") == "'\xEF\xBC\xA0" "SUM");   // ＠SUM
  CHECK(neutralize_formula(" -5 points") == "' -5 points");
  // Blanks before ordinary text, and numbers, are left alone.
  CHECK(neutralize_formula("  March 2025") == "  March 2025");
  CHECK(neutralize_formula("\xC2\xA0" "a = b") == "\xC2\xA0" "a = b");
  CHECK(neutralize_formula("-5") == "-5");
  CHECK(neutralize_formula("") == "");
  CHECK(neutralize_formula("   ") == "   ");
}

TEST_CASE("regression: bidi override and isolate characters in a CSV cell are replaced with U+FFFD") {
  // "\u202E" RIGHT-TO-LEFT OVERRIDE, "\u2066" LEFT-TO-RIGHT ISOLATE, "\u2069" POP DIRECTIONAL ISOLATE.
  CHECK(csv_field("Acme \xE2\x80\xAE" "gnp.exe") == "\"Acme \xEF\xBF\xBDgnp.exe\"");
  CHECK(csv_field("\xE2\x81\xA6" "x\xE2\x81\xA9") == "\"\xEF\xBF\xBDx\xEF\xBF\xBD\"");
  // Other characters of the same block pass: U+2019 right single quotation mark, U+2014 em dash.
  CHECK(csv_field("it\xE2\x80\x99s \xE2\x80\x94 ok") == "\"it\xE2\x80\x99s \xE2\x80\x94 ok\"");
}

TEST_CASE("regression: timeline.json written an entry at a time is byte for byte the dump of the whole JSON tree") {
  Timeline empty;
  CHECK(render_json(empty) == timeline_json(empty).dump(2) + "\n");
  Timeline t;
  auto a = mention("a.txt", "Acme \"quoted\"\nreleases X1", "2025-03-07");
  auto b = mention("b.txt", "Acme releases X1", "2025-03-08");
  t.entries.push_back(entry("e1", "Acme releases X1", "2025-03-07", {a}));
  t.entries.push_back(entry("e2", "Acme releases X1", "2025-03-08", {b}));
  t.entries[0].conflicts_with = {"e2"};
  t.entries[1].conflicts_with = {"e1"};
  t.undated.push_back(mention("c.txt", "Undated", "2025"));
  t.undated.back().date.reset();
  t.sources.push_back(*a.source);
  t.sources.push_back(*b.source);
  t.near_duplicates = {{"a.txt", "b.txt"}};
  t.diagnostics.push_back({Severity::Warning, "c.txt", 3, 4, "r", "something"});
  t.rules_dir = "rules";
  CHECK(render_json(t) == timeline_json(t).dump(2) + "\n");
}

TEST_CASE("timeline.json writes escapes, control characters and non-ASCII text as the dump of the whole tree does") {
  Timeline t;
  // Non-ASCII after an escape and a control character: the fast path has
  // written part of the string when it meets the first non-ASCII byte.
  auto a = mention("a.txt", "Quote \" tab\t \x01 then Z\xC3\xBCrich \xE2\x80\x94 end", "2025-03-07");
  auto b = mention("b.txt", "invalid \xFF byte", "2025-03-08");
  t.entries.push_back(entry("e1", "Z\xC3\xBCrich \"x\"", "2025-03-07", {a}));
  t.entries.push_back(entry("e2", "plain", "2025-03-08", {b}));
  t.sources.push_back(*a.source);
  t.sources.push_back(*b.source);
  CHECK(render_json(t) == timeline_json(t).dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n");
}

TEST_CASE("timelinejs.json written a slide at a time is byte for byte the dump of the whole TimelineJS tree") {
  Timeline empty;
  CHECK(render_timelinejs_json(empty) == timelinejs_json(empty).dump(2) + "\n");
  Timeline t;
  t.title = "A <b>title</b>";
  auto a = mention("a.txt", "Acme \"quoted\"\nreleases X1", "2025-03-07");
  a.source.edit().image = "https://example.org/a.png";
  auto b = mention("b.txt", "Acme releases X1", "2025-W10");
  t.entries.push_back(entry("e1", "Acme \"quoted\"\nreleases X1", "2025-03-07", {a}));
  t.entries.push_back(entry("e2", "Acme releases X1", "2025-W10", {b}));
  t.entries[0].conflicts_with = {"e2"};
  t.entries[1].conflicts_with = {"e1"};
  t.sources.push_back(*a.source);
  t.sources.push_back(*b.source);
  CHECK(render_timelinejs_json(t) == timelinejs_json(t).dump(2) + "\n");
  CHECK(render_timelinejs_json(t, 1) == timelinejs_json(t, 1).dump(2) + "\n");
}
