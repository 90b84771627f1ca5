// Regression tests of hostile and broken inputs (issue 16): each names the
// failure it pins, checks the exact exit code and message, and, where a run
// must fail, that the previous outputs are still there, unchanged.
#include <doctest/doctest.h>

#include <unistd.h>

#include <nlohmann/json.hpp>

#include "e2e.h"

using namespace annals::e2e;

namespace {

// Every file of a folder (not below it) with its content.
std::map<std::string, std::string> snapshot(const fs::path& dir) {
  std::map<std::string, std::string> files;
  std::error_code ec;
  for (auto& e : fs::directory_iterator(dir, ec))
    if (e.is_regular_file()) files[e.path().filename().string()] = read_file(e.path());
  return files;
}

// An out/ folder holding the outputs of a good build, to check that a
// failing run leaves them as they were.
fs::path previous_outputs(const TempDir& tmp) {
  fs::path out = tmp.path / "out";
  write_file(tmp.path / "good/note.txt", "On 7 March 2025 DeepSeek released R1.\n");
  auto r = run_annals("build " + (tmp.path / "good").string() + " --out " + out.string());
  REQUIRE(r.exit_code == 0);
  return out;
}

std::string repeat(std::string_view s, std::size_t n) {
  std::string out;
  out.reserve(s.size() * n);
  for (std::size_t i = 0; i < n; ++i) out += s;
  return out;
}

// `rules check` output without its "rule has no examples" warnings, which
// the small packs here would all get.
std::string errors_of(const std::string& output) {
  std::istringstream lines(output);
  std::string out;
  for (std::string line; std::getline(lines, line);)
    if (line.find("warning: rule has no examples") == std::string::npos) out += line + "\n";
  return out;
}

bool contains(const std::string& haystack, const std::string& needle) { return haystack.find(needle) != std::string::npos; }

}  // namespace

TEST_CASE("regression: an HTML or Markdown source nested 100,000 levels deep is skipped alone instead of crashing the build") {
  TempDir tmp;
  fs::path src = tmp.path / "src";
  const std::size_t n = 100000;
  write_file(src / "deep.html", "<html><body>" + repeat("<div>", n) + "On 7 March 2025 Acme released X1." +
                                    repeat("</div>", n) + "</body></html>");
  write_file(src / "deep.md", repeat(">", n) + " On 7 March 2025 Acme released X1.\n");
  write_file(src / "ok.txt", "On 7 March 2025 DeepSeek released R1.\n");
  fs::path out = tmp.path / "out";
  auto r = run_annals("build " + src.string() + " --out " + out.string());
  INFO(r.output);
  CHECK(r.exit_code == 1);
  // A source is named as it is shared: its folder's name and its path inside.
  CHECK(contains("\n" + r.output, "\nsrc/deep.html: error: elements nested 100002 levels deep (the limit is 2000); skipped\n"));
  CHECK(contains("\n" + r.output, "\nsrc/deep.md: error: Markdown blocks nested 100000 levels deep (the limit is 2000); skipped\n"));
  auto rows = csv_records(read_file(out / "timeline.csv"));
  REQUIRE(rows.size() == 1);
  CHECK(rows[0]["title"] == "DeepSeek releases R1");
}

TEST_CASE("regression: extract --stdin skips a document whose url is null or whose title is a number instead of aborting and losing the batch") {
  TempDir tmp;
  write_file(tmp.path / "in.jsonl",
             "{\"id\":\"a\",\"text\":\"On 7 March 2025 DeepSeek released R1.\"}\n"
             "{\"id\":\"b\",\"text\":\"On 8 March 2025 Alibaba released QwQ-32B.\",\"url\":null,\"published\":null}\n"
             "{\"id\":\"c\",\"text\":\"On 9 March 2025 Acme released X1.\",\"title\":5}\n"
             "{\"id\":\"d\",\"text\":\"Nothing.\",\"outlet\":[\"x\"]}\n"
             "{\"id\":\"e\",\"text\":\"Nothing.\",\"published\":\"March\"}\n");
  fs::path part = tmp.path / "part.jsonl";
  auto r = run_annals("extract --stdin < " + (tmp.path / "in.jsonl").string(), part.string());
  INFO(r.output);
  CHECK(r.exit_code == 1);
  CHECK(r.output ==
        "<stdin>:3: error: \"title\" must be a string or null, got number; document skipped\n"
        "<stdin>:4: error: \"outlet\" must be a string or null, got array; document skipped\n"
        "e: warning: published \"March\" is not YYYY-MM-DD; ignored\n");
  std::vector<std::string> sources;
  std::istringstream lines(read_file(part));
  for (std::string line; std::getline(lines, line);) {
    auto j = nlohmann::json::parse(line);
    if (j["record"] == "source") sources.push_back(j["source"]["file"]);
  }
  CHECK(sources == std::vector<std::string>{"a", "b", "e"});
}

namespace {

// A rule pack folder holding `files` (name -> TOML).
fs::path rule_pack(const TempDir& tmp, const std::map<std::string, std::string>& files) {
  fs::path dir = tmp.path / "rules";
  fs::create_directories(dir);
  for (auto& [name, text] : files) write_file(dir / name, text);
  return dir;
}

const char* kGoodRule = "[[date]]\nid = \"d2\"\npattern = '\\b2025\\b'\nvalue = \"2025\"\n";

// `build` with a broken pack: exit 2, the pack named, out/ as it was.
void check_build_refuses(const TempDir& tmp, const fs::path& pack) {
  fs::path out = previous_outputs(tmp);
  auto before = snapshot(out);
  auto r = run_annals("build " + (tmp.path / "good").string() + " --rules " + pack.string() + " --out " + out.string());
  INFO(r.output);
  CHECK(r.exit_code == 2);
  CHECK(contains(r.output, "annals: the rule pack in " + pack.string() + " has errors; nothing was written\n"));
  CHECK(snapshot(out) == before);
}

}  // namespace

TEST_CASE("regression: a fragment cycle through two fragments is reported instead of its rules vanishing") {
  TempDir tmp;
  auto pack = rule_pack(tmp, {{"r.toml", std::string("[fragments]\nfa = 'x%{fb}'\nfb = 'y%{fa}'\n[[date]]\nid = \"d\"\npattern = '\\b%{fa}\\b'\n"
                                                     "value = \"2025\"\n") + kGoodRule}});
  auto r = run_annals("rules check --rules " + pack.string());
  CHECK(r.exit_code == 2);
  CHECK(errors_of(r.output) == (pack / "r.toml").string() + ":2:8: error: in fragment \"fa\": fragments refer to each other in a circle: fa -> fb -> fa\n"
                    "annals rules check: " + pack.string() + ": 1 error(s), 2 warning(s)\n");
  check_build_refuses(tmp, pack);
}

TEST_CASE("regression: billion-laughs fragments (24 doubling levels) are refused at the 256 KiB expansion budget") {
  TempDir tmp;
  std::string text = "[fragments]\nl0 = 'ab'\n";
  for (int i = 1; i <= 24; ++i) text += "l" + std::to_string(i) + " = '%{l" + std::to_string(i - 1) + "}%{l" + std::to_string(i - 1) + "}'\n";
  text += "[[date]]\nid = \"d\"\npattern = '\\b%{l24}\\b'\nvalue = \"2025\"\n";
  auto pack = rule_pack(tmp, {{"r.toml", text}});
  auto r = run_annals("rules check --rules " + pack.string());
  CHECK(r.exit_code == 2);
  CHECK(errors_of(r.output) == (pack / "r.toml").string() +
                        ":17:7: error: fragment \"l15\" expands to more than 256 KiB (the limit) through %{l15} -> %{l14} -> %{l13} -> %{l12} -> ...: "
                        "the fragments and tables inside it are too large or repeat too often\n"
                        "annals rules check: " + pack.string() + ": 1 error(s), 1 warning(s)\n");
  check_build_refuses(tmp, pack);
}

TEST_CASE("regression: a pattern with 10,000 capture groups is refused by rules check instead of making build crawl") {
  TempDir tmp;
  auto pack = rule_pack(tmp, {{"r.toml", "[[date]]\nid = \"d\"\npattern = '\\b" + repeat("(a)?", 10000) + "2025\\b'\nvalue = \"2025\"\n"}});
  auto r = run_annals("rules check --rules " + pack.string());
  CHECK(r.exit_code == 2);
  CHECK(errors_of(r.output) == (pack / "r.toml").string() +
                        ":3:11: error: pattern has 10000 capture groups, more than the limit of 100; hint: write (?:...) for a group nothing uses [d]\n"
                        "annals rules check: " + pack.string() + ": 1 error(s), 1 warning(s)\n");
  check_build_refuses(tmp, pack);
}

TEST_CASE("regression: a million-key table is refused at once by the rule file budget, without RE2's log") {
  TempDir tmp;
  std::string keys;
  for (int i = 0; i < 1000000; ++i) keys += "k" + std::to_string(i) + " = \"" + std::to_string(i) + "\"\n";
  auto pack = rule_pack(tmp, {{"big.toml", "[tables.t]\n" + keys + "[[date]]\nid = \"d\"\npattern = '\\b%{table:t}\\b'\nvalue = \"2025\"\n"},
                              {"wide.toml", "[tables.w]\n" + keys.substr(0, keys.find("k100001 ")) + kGoodRule}});
  auto r = run_annals("rules check --rules " + pack.string());
  CHECK(r.exit_code == 2);
  CHECK(errors_of(r.output) == (pack / "big.toml").string() + ": error: rule file is 17.9 MiB, more than the limit of 4 MiB; not read\n" +
                        (pack / "wide.toml").string() +
                        ":1:1: error: table \"w\" has 100001 entries, more than the limit of 100000; split it or shorten it\n"
                        "annals rules check: " + pack.string() + ": 2 error(s), 1 warning(s)\n");
  check_build_refuses(tmp, pack);
}

TEST_CASE("regression: link loops, dangling links, unreadable folders and folders named x.toml in a rule pack are reported, not an abort") {
  TempDir tmp;
  auto pack = rule_pack(tmp, {{"good.toml", kGoodRule}});
  fs::create_directories(pack / "x.toml");
  write_file(pack / "x.toml" / "inner.toml", "[[date]]\nid = \"d3\"\npattern = '\\b2026\\b'\nvalue = \"2026\"\n");
  fs::create_symlink("loop.toml", pack / "loop.toml");
  fs::create_symlink("nowhere", pack / "gone.toml");
  fs::create_directories(pack / "private");
  write_file(pack / "private" / "hidden.toml", kGoodRule);
  fs::permissions(pack / "private", fs::perms::none);
  fs::permissions(tmp.path, fs::perms::owner_all | fs::perms::group_read | fs::perms::group_exec | fs::perms::others_read | fs::perms::others_exec);
  // root reads every folder: run as nobody then.
  std::string as_user = geteuid() == 0 ? "setpriv --reuid=65534 --regid=65534 --clear-groups " : "";
  auto r = run_in(ANNALS_SOURCE_DIR, as_user + "'" ANNALS_BINARY "' rules check --rules " + pack.string());
  fs::permissions(pack / "private", fs::perms::owner_all);
  CHECK(r.exit_code == 2);
  CHECK(errors_of(r.output) == (pack / "gone.toml").string() + ": error: cannot read rule file: No such file or directory\n" +
                        (pack / "loop.toml").string() + ": error: cannot read rule file: Too many levels of symbolic links\n" +
                        (pack / "private").string() + ": error: cannot read folder: Permission denied; its rule files are missing\n" +
                        (pack / "x.toml").string() + ": warning: is a folder, not a rule file: the rule files inside it are read\n"
                        "annals rules check: " + pack.string() + ": 3 error(s), 3 warning(s)\n");
}

TEST_CASE("regression: rules check refuses a value expression that leaves the calendar (ref+999999999Y)") {
  TempDir tmp;
  auto pack = rule_pack(tmp, {{"r.toml", "[[date]]\nid = \"d\"\npattern = '\\b2025\\b'\nvalue = \"ref+999999999Y\"\n"}});
  auto r = run_annals("rules check --rules " + pack.string());
  CHECK(r.exit_code == 2);
  CHECK(errors_of(r.output) == (pack / "r.toml").string() +
                                   ":4:9: error: value: \"ref+999999999Y\" falls outside the years 9999 BC to 9999 AD that a TimeML value can hold [d]\n"
                                   "annals rules check: " + pack.string() + ": 1 error(s), 1 warning(s)\n");
  // A matched number that would leave it leaves the date unresolved, with the reason.
  auto counted = rule_pack(tmp, {{"r.toml", "[[date]]\nid = \"d\"\npattern = '\\b(?P<n>[0-9]+) years ago\\b'\nvalue = \"ref-{n}Y@year\"\n"}});
  write_file(tmp.path / "t.txt", "It began 99999999999 years ago.\n");
  auto t = run_annals("tag --rules " + counted.string() + " --reference-date 2025-03-07 " + (tmp.path / "t.txt").string());
  CHECK(t.exit_code == 0);
  CHECK(contains(t.output, "\"value\":\"\",\"rule\":\"d\",\"reason\":\"\\\"ref-99999999999Y@year\\\" falls outside the years 9999 BC to 9999 AD"));
}

TEST_CASE("regression: tag and rules test writing to a full disk exit 2 with the OS error instead of 0 with nothing written") {
  TempDir tmp;
  write_file(tmp.path / "t.txt", "On 7 March 2025 Acme released X1.\n");
  auto tag = run_annals("tag --reference-date 2025-03-07 " + (tmp.path / "t.txt").string(), "/dev/full");
  CHECK(tag.exit_code == 2);
  CHECK(tag.output == "annals: cannot write standard output: No space left on device\n");
  auto test = run_annals("rules test", "/dev/full");
  CHECK(test.exit_code == 2);
  CHECK(test.output == "annals: cannot write standard output: No space left on device\n");
}

TEST_CASE("regression: build /dev/zero and a source over 64 MiB are skipped at the source size limit instead of reading until memory runs out") {
  TempDir tmp;
  fs::path src = tmp.path / "src";
  write_file(src / "ok.txt", "On 7 March 2025 DeepSeek released R1.\n");
  write_file(src / "huge.txt", "");
  fs::resize_file(src / "huge.txt", (std::uintmax_t(64) << 20) + 1);  // sparse: refused from its size, never read
  fs::path out = tmp.path / "out";
  auto r = run_annals("build /dev/zero " + src.string() + " --out " + out.string());
  INFO(r.output);
  CHECK(r.exit_code == 1);
  // A file given by itself is named by its file name, as it is shared.
  CHECK(contains("\n" + r.output, "\nzero: error: larger than 64 MiB, the limit for one source; skipped\n"));
  CHECK(contains("\n" + r.output, "\nsrc/huge.txt: error: larger than 64 MiB, the limit for one source; skipped\n"));
  auto rows = csv_records(read_file(out / "timeline.csv"));
  REQUIRE(rows.size() == 1);
  CHECK(rows[0]["title"] == "DeepSeek releases R1");
}

TEST_CASE("regression: build of an empty folder exits 2 with no sources instead of replacing out/ with an empty timeline") {
  TempDir tmp;
  fs::path out = previous_outputs(tmp);
  auto before = snapshot(out);
  REQUIRE(before.count("timeline.csv") == 1);
  fs::create_directories(tmp.path / "empty");
  auto r = run_annals("build " + (tmp.path / "empty").string() + " --out " + out.string());
  CHECK(r.exit_code == 2);
  CHECK(r.output == "annals: no sources: no .txt, .md or .html file in " + (tmp.path / "empty").string() + "; nothing was written\n");
  CHECK(snapshot(out) == before);

  // A folder whose only source is a link loop: the loop is named, then the same refusal.
  fs::create_directories(tmp.path / "loop");
  fs::create_symlink("self.txt", tmp.path / "loop" / "self.txt");
  auto loop = run_annals("build " + (tmp.path / "loop").string() + " --out " + out.string());
  CHECK(loop.exit_code == 2);
  CHECK(loop.output == (tmp.path / "loop" / "self.txt").string() + ": error: cannot be read: Too many levels of symbolic links; skipped\n" +
                           "annals: no sources: no .txt, .md or .html file in " + (tmp.path / "loop").string() + "; nothing was written\n");
  CHECK(snapshot(out) == before);

  // Files found, none readable (a folder where a source must be is read as a folder; a binary file is skipped).
  write_file(tmp.path / "binary" / "b.txt", std::string("\x7f" "ELF\0\0\0\x01\x02", 9));
  auto unreadable = run_annals("build " + (tmp.path / "binary").string() + " --out " + out.string());
  CHECK(unreadable.exit_code == 2);
  CHECK(contains(unreadable.output, "annals: no sources: none of the 1 file(s) in " + (tmp.path / "binary").string() +
                                        " could be read; nothing was written\n"));
  CHECK(snapshot(out) == before);
}

TEST_CASE("regression: bidi override and isolate characters in a source reach neither the page nor the CSV, and are reported") {
  TempDir tmp;
  // U+202E RIGHT-TO-LEFT OVERRIDE ... U+202C POP, and U+2067 RIGHT-TO-LEFT ISOLATE ... U+2069 POP.
  write_file(tmp.path / "src" / "note.txt",
             "On 7 March 2025 DeepSeek released R1 \xE2\x80\xAE" "exe.gnp\xE2\x80\xAC in \xE2\x81\xA7" "Hangzhou\xE2\x81\xA9.\n");
  fs::path out = tmp.path / "out";
  auto r = run_annals("build " + (tmp.path / "src").string() + " --out " + out.string());
  CHECK(r.exit_code == 1);
  CHECK(contains("\n" + r.output, "\nsrc/note.txt: warning: 4 bidirectional override or isolate character(s) (U+202A-U+202E, U+2066-U+2069), "
                                  "which can reorder what a reader sees, replaced with U+FFFD\n"));
  for (const char* name : {"timeline.html", "timeline.csv", "mentions.csv", "timeline.json"}) {
    std::string text = read_file(out / name);
    INFO(name);
    REQUIRE(!text.empty());
    CHECK(!contains(text, "\xE2\x80\xAE"));
    CHECK(!contains(text, "\xE2\x80\xAC"));
    CHECK(!contains(text, "\xE2\x81\xA7"));
    CHECK(!contains(text, "\xE2\x81\xA9"));
  }
  CHECK(contains(read_file(out / "mentions.csv"), "R1 \xEF\xBF\xBD" "exe.gnp\xEF\xBF\xBD in \xEF\xBF\xBDHangzhou\xEF\xBF\xBD."));
}

TEST_CASE("regression: CSV cells starting with a space, a no-break space or a full-width = before a formula are neutralized") {
  TempDir tmp;
  // The title comes from the first line of a .txt source; the title column carries it.
  write_file(tmp.path / "src" / "a.txt", " =HYPERLINK(\"http://x.example\",\"a\")\n\nOn 7 March 2025 DeepSeek released R1.\n");
  write_file(tmp.path / "src" / "b.txt", "\xC2\xA0+SUM(1)\n\nOn 8 March 2025 Acme released X1.\n");
  write_file(tmp.path / "src" / "c.txt", "\xEF\xBC\x9D" "1+1\n\nOn 9 March 2025 Initech released Y2.\n");
  fs::path out = tmp.path / "out";
  auto r = run_annals("build " + (tmp.path / "src").string() + " --out " + out.string());
  r.expect_exit(0);
  std::map<std::string, std::string> titles;
  for (auto& row : csv_records(read_file(out / "mentions.csv"))) titles[row["source_file"]] = row["source_title"];
  INFO(read_file(out / "mentions.csv"));
  // A title is the first line, trimmed of ASCII spaces: what reaches the
  // cells is "\u00A0+SUM(1)" and "＝1+1", which the guard missed.
  CHECK(titles["src/a.txt"] == "'=HYPERLINK(\"http://x.example\",\"a\")");
  CHECK(titles["src/b.txt"] == "'\xC2\xA0+SUM(1)");
  CHECK(titles["src/c.txt"] == "'\xEF\xBC\x9D" "1+1");
}

namespace {

// A part written by `annals extract` over two sources, and its lines.
fs::path two_source_part(const TempDir& tmp, std::vector<std::string>& lines) {
  write_file(tmp.path / "src" / "a.txt", "On 7 March 2025 DeepSeek released R1.\n");
  write_file(tmp.path / "src" / "b.txt", "On 9 March 2025 Acme released X1. On 10 March 2025 Initech released Y2.\n");
  fs::path part = tmp.path / "part.jsonl";
  run_annals("extract " + (tmp.path / "src").string(), part.string()).expect_exit(0);
  std::istringstream in(read_file(part));
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  REQUIRE(lines.size() >= 6);
  REQUIRE(contains(lines.back(), "\"record\":\"end\""));
  return part;
}

std::string joined(const std::vector<std::string>& lines, std::size_t count) {
  std::string out;
  for (std::size_t i = 0; i < count; ++i) out += lines[i] + "\n";
  return out;
}

}  // namespace

TEST_CASE("regression: merge of the same part twice drops the duplicate sources and notes it instead of counting them twice") {
  TempDir tmp;
  std::vector<std::string> lines;
  fs::path part = two_source_part(tmp, lines);
  auto once = run_annals("merge " + part.string() + " --format csv --out " + (tmp.path / "once").string());
  once.expect_exit(0);
  auto twice = run_annals("merge " + part.string() + " " + part.string() + " --format csv --out " + (tmp.path / "twice").string());
  CHECK(twice.exit_code == 0);  // a retried map task is no input problem
  std::size_t b_line = 0;
  for (std::size_t i = 0; i < lines.size(); ++i)
    if (contains(lines[i], "\"file\":\"src/b.txt\"") && contains(lines[i], "\"record\":\"source\"")) b_line = i + 1;
  REQUIRE(b_line > 1);
  std::string p = part.string();
  CHECK(contains(twice.output, p + ":1: note: source src/a.txt was already read from " + p + ":1 with the same records: dropped, counted once\n" +
                                   p + ":" + std::to_string(b_line) + ": note: source src/b.txt was already read from " + p + ":" +
                                   std::to_string(b_line) + " with the same records: dropped, counted once\n"));
  CHECK(read_file(tmp.path / "twice/timeline.csv") == read_file(tmp.path / "once/timeline.csv"));
  CHECK(read_file(tmp.path / "twice/mentions.csv") == read_file(tmp.path / "once/mentions.csv"));
}

TEST_CASE("regression: merge of a part cut at a line boundary or inside a record reports it instead of losing sources silently") {
  TempDir tmp;
  std::vector<std::string> lines;
  fs::path part = two_source_part(tmp, lines);
  std::string p = part.string();
  // Cut before the end record: the last source may be incomplete.
  write_file(part, joined(lines, lines.size() - 1));
  auto r = run_annals("merge " + p + " --format csv --out " + (tmp.path / "out").string());
  CHECK(r.exit_code == 1);
  CHECK(contains(r.output, p + ":" + std::to_string(lines.size() - 1) +
                               ": error: no end record after line " + std::to_string(lines.size() - 1) +
                               ": the part was cut short, and what came after it is missing\n"));
  // Cut inside the last source's mention records.
  write_file(part, joined(lines, lines.size() - 2));
  r = run_annals("merge " + p + " --format csv --out " + (tmp.path / "out").string());
  CHECK(r.exit_code == 1);
  CHECK(contains(r.output, "error: source src/b.txt announces 2 mention record(s) but 1 follow: the part was cut or edited\n"));
  // Cut in the middle of the last line.
  write_file(part, joined(lines, lines.size() - 2) + lines[lines.size() - 2].substr(0, 40));
  r = run_annals("merge " + p + " --format csv --out " + (tmp.path / "out").string());
  CHECK(r.exit_code == 1);
  CHECK(contains(r.output, p + ":" + std::to_string(lines.size() - 1) + ": error: the part ends inside a record (cut short); line skipped\n"));
  // The end record counts the sources before it.
  std::vector<std::string> edited(lines.begin(), lines.end());
  edited.erase(edited.begin(), edited.begin() + 2);  // a.txt's source and mention records
  write_file(part, joined(edited, edited.size()));
  r = run_annals("merge " + p + " --format csv --out " + (tmp.path / "out").string());
  CHECK(r.exit_code == 1);
  CHECK(contains(r.output, p + ":" + std::to_string(edited.size()) +
                               ": error: the end record counts 2 source(s) but 1 came before it: the part was cut or edited\n"));
}

TEST_CASE("regression: merge of parts that leave no source (a folder, an empty or damaged part) writes nothing and exits 2, not 1") {
  TempDir tmp;
  fs::path out = previous_outputs(tmp);
  auto before = snapshot(out);
  fs::create_directories(tmp.path / "parts");
  auto dir = run_annals("merge " + (tmp.path / "parts").string() + " --out " + out.string());
  CHECK(dir.exit_code == 2);
  CHECK(dir.output == (tmp.path / "parts").string() + ": error: is a folder, not a part written by annals extract; skipped\n"
                      "annals: no sources in the part(s); nothing was written\n");
  CHECK(snapshot(out) == before);
  write_file(tmp.path / "empty.jsonl", "");
  auto empty = run_annals("merge " + (tmp.path / "empty.jsonl").string() + " --out " + out.string());
  CHECK(empty.exit_code == 2);
  CHECK(empty.output == (tmp.path / "empty.jsonl").string() + ": error: is empty: not a part written by annals extract\n"
                        "annals: no sources in the part(s); nothing was written\n");
  CHECK(snapshot(out) == before);
  auto none = run_in(tmp.str(), "true | '" ANNALS_BINARY "' merge - --out '" + out.string() + "'");
  CHECK(none.exit_code == 2);
  CHECK(none.output == "<stdin>: error: is empty: not a part written by annals extract\n"
                       "annals: no sources in the part(s); nothing was written\n");
  CHECK(snapshot(out) == before);
  // Every line of the part damaged: each is reported, and no source is left.
  write_file(tmp.path / "damaged.jsonl", "not json\n{\"record\":\"nothing known\"}\n");
  auto damaged = run_annals("merge " + (tmp.path / "damaged.jsonl").string() + " --out " + out.string());
  INFO(damaged.output);
  CHECK(damaged.exit_code == 2);
  CHECK(damaged.output.find((tmp.path / "damaged.jsonl").string() + ":1: error: ") != std::string::npos);
  CHECK(damaged.output.ends_with("annals: no sources in the part(s); nothing was written\n"));
  CHECK(snapshot(out) == before);
}

namespace {

// The manifest's lines as name -> "SIZE HASH", and whether each file it names has that size.
std::map<std::string, std::uintmax_t> manifest_sizes(const fs::path& out) {
  std::map<std::string, std::uintmax_t> sizes;
  std::istringstream in(read_file(out / ".annals-outputs"));
  std::uintmax_t size;
  std::string hash, name;
  while (in >> size >> hash >> name) sizes[name] = size;
  return sizes;
}

}  // namespace

TEST_CASE("regression: stale .NAME.tmp-PID files of killed runs are removed, a live process's are kept, and a manifest lists the set") {
  TempDir tmp;
  write_file(tmp.path / "src/note.txt", "On 7 March 2025 DeepSeek released R1.\n");
  fs::path out = tmp.path / "out";
  std::string stale = ".timeline.csv.tmp-" + std::to_string(gone_pid());
  std::string live = ".timeline.html.tmp-" + std::to_string(getpid());  // this test's own process is alive
  write_file(out / stale, std::string(1 << 20, 'x'));
  write_file(out / live, "in progress");
  write_file(out / ".notes.tmp-x", "not ours");
  auto r = run_annals("build " + (tmp.path / "src").string() + " --out " + out.string());
  r.expect_exit(0);
  CHECK_FALSE(fs::exists(out / stale));
  CHECK(fs::exists(out / live));
  CHECK(fs::exists(out / ".notes.tmp-x"));
  auto sizes = manifest_sizes(out);
  CHECK(sizes == std::map<std::string, std::uintmax_t>{{"mentions.csv", fs::file_size(out / "mentions.csv")},
                                                       {"timeline.csv", fs::file_size(out / "timeline.csv")},
                                                       {"timeline.html", fs::file_size(out / "timeline.html")},
                                                       {"timeline.json", fs::file_size(out / "timeline.json")}});
}

TEST_CASE("regression: concurrent builds into one --out leave one run's set of outputs, not a mix") {
  TempDir tmp;
  write_file(tmp.path / "src/note.txt", "On 7 March 2025 DeepSeek released R1.\n");
  fs::path out = tmp.path / "out";
  std::string build = "'" ANNALS_BINARY "' build '" + (tmp.path / "src").string() + "' --rules '" ANNALS_SOURCE_DIR
                      "/rules' --templates '" ANNALS_SOURCE_DIR "/templates' --no-cache -q --format html,timelinejs --out '" + out.string() + "'";
  for (int round = 0; round < 4; ++round) {
    auto r = run_in(tmp.str(), "(" + build + " --title Alpha-" + std::to_string(round) + " & " + build + " --title Beta-" +
                                   std::to_string(round) + " & " + build + " --title Gamma-" + std::to_string(round) + " & wait)");
    r.expect_exit(0);
    auto page = read_file(out / "timeline.html");
    auto json = nlohmann::json::parse(read_file(out / "timelinejs.json"));
    std::string title = json["title"]["text"]["headline"];
    INFO("round " << round << ", timelinejs.json title " << title);
    CHECK(contains(title, "-" + std::to_string(round)));
    CHECK(contains(page, "<title>" + title));
    auto sizes = manifest_sizes(out);
    CHECK(sizes["timeline.html"] == fs::file_size(out / "timeline.html"));
    CHECK(sizes["timelinejs.json"] == fs::file_size(out / "timelinejs.json"));
    CHECK(sizes["timelinejs.csv"] == fs::file_size(out / "timelinejs.csv"));
  }
}

TEST_CASE("regression: 2,000 sources giving one event 2,000 dates make outputs linear in the entries, not in the pairs of them") {
  TempDir tmp;
  const char* months[] = {"January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"};
  int n = 0;
  // Days two apart: sources a day apart may tell one event (merge.h).
  for (int year = 2001; year <= 2020 && n < 2000; ++year)
    for (int month = 0; month < 12 && n < 2000; ++month)
      for (int day = 1; day <= 28 && n < 2000; day += 2, ++n)
        write_file(tmp.path / "src" / ("n" + std::to_string(n) + ".txt"),
                   "DeepSeek released R1 on " + std::to_string(day) + " " + months[month] + " " + std::to_string(year) + ".\n");
  fs::path out = tmp.path / "out";
  auto r = run_annals("build " + (tmp.path / "src").string() + " --no-cache --out " + out.string());
  r.expect_exit(0);
  auto t = nlohmann::json::parse(read_file(out / "timeline.json"));
  REQUIRE(t["entries"].size() == 2000);
  for (auto& e : t["entries"]) {
    CHECK(e["conflict_count"] == 1999);
    CHECK(e["conflicts_with"].size() == 20);
  }
  // Each entry of the page names at most 8 other dates and counts the rest.
  std::string page = read_file(out / "timeline.html");
  CHECK(contains(page, "And 1991 more dates."));
  CHECK(fs::file_size(out / "timeline.html") < 40u << 20);
}
