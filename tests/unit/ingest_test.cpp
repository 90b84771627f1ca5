#include <doctest/doctest.h>

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <thread>

#include "ingest/ingest.h"
#include "temporal/calendar.h"
#include "test_rules.h"

using namespace annals;

namespace {
const char* kDatelinePack = R"TOML(
[tables.month]
march = 3
mar = 3
[[date]]
id = "d.iso"
pattern = '\b(?P<y>[0-9]{4})-(?P<m>[0-9]{2})-(?P<d>[0-9]{2})\b'
value = "{y}-{m}-{d}"
[[dateline]]
id = "dl.published"
pattern = 'Published\s*(?P<m>%{table:month})\s+(?P<d>[0-9]{1,2})\s+(?P<y>[0-9]{4})'
value = "{y}-{m|month}-{d}"
)TOML";

// make_document for sources that are never skipped.
Document make(std::string file, std::string bytes, std::string_view kind, const rules::RuleSet& rules,
              const ingest::Options& options, const SourceInfo* manifest_entry, std::vector<Diagnostic>& diags) {
  auto doc = ingest::make_document(std::move(file), std::move(bytes), kind, rules, options, manifest_entry, diags);
  REQUIRE(doc.has_value());
  return std::move(*doc);
}

std::string day(const Document& d) { return d.info.published ? temporal::format_iso_day(*d.info.published) : "none"; }
}  // namespace

TEST_CASE("html_to_text drops scripts, styles and navigation and decodes entities") {
  std::string t = *ingest::html_to_text(
      "<html><head><style>p{}</style><script>evil()</script></head><body><nav>Home</nav>"
      "<p>Caf&eacute; &amp; bar&rsquo;s</p><p>Second</p></body></html>");
  CHECK(t.find("evil") == std::string::npos);
  CHECK(t.find("Home") == std::string::npos);
  CHECK(t.find("Caf\xC3\xA9 & bar\xE2\x80\x99s") != std::string::npos);
  CHECK(t.find("\n\nSecond") != std::string::npos);
}

TEST_CASE("a dateline near the top gives the publication date when nothing else does") {
  auto rules = testing::load_pack(kDatelinePack);
  std::vector<Diagnostic> diags;
  auto doc = make("a.txt", "Title\nBy someone PublishedMar 19 202590Print\nBody.", "txt", *rules, {}, nullptr, diags);
  CHECK(day(doc) == "2025-03-19");
  CHECK(doc.info.published_from == "dateline");
}

TEST_CASE("publication date precedence: option, then manifest, then front matter, then dateline") {
  auto rules = testing::load_pack(kDatelinePack);
  std::vector<Diagnostic> diags;
  std::string md = "---\ntitle: T\npublished: 2025-01-02\noutlet: Review\n---\nPublished Mar 19 2025\n\nBody.";
  auto from_front = make("a.md", md, "md", *rules, {}, nullptr, diags);
  CHECK(day(from_front) == "2025-01-02");
  CHECK(from_front.info.outlet == "Review");
  SourceInfo manifest;
  manifest.published = temporal::parse_iso_day("2024-12-31");
  auto from_manifest = make("a.md", md, "md", *rules, {}, &manifest, diags);
  CHECK(day(from_manifest) == "2024-12-31");
  ingest::Options forced{temporal::parse_iso_day("2020-05-05"), ""};
  auto from_option = make("a.md", md, "md", *rules, forced, &manifest, diags);
  CHECK(day(from_option) == "2020-05-05");
  CHECK(from_option.info.published_from == "--reference-date");
}

TEST_CASE("html meta gives title, outlet, url and publication date") {
  auto rules = testing::load_pack(kDatelinePack);
  std::vector<Diagnostic> diags;
  auto doc = make(
      "a.html",
      "<html><head><title>Plain</title><meta property='og:title' content='OG title'>"
      "<meta property='og:site_name' content='Outlet'><meta property='article:published_time' content='2025-03-20T06:30:00Z'>"
      "<link rel='canonical' href='https://example.org/x'></head><body><p>Text.</p></body></html>",
      "html", *rules, {}, nullptr, diags);
  CHECK(doc.info.title == "OG title");
  CHECK(doc.info.outlet == "Outlet");
  CHECK(doc.info.url == "https://example.org/x");
  CHECK(day(doc) == "2025-03-20");
}

TEST_CASE("a source without any date has no publication date rather than an invented one") {
  auto rules = testing::load_pack(kDatelinePack);
  std::vector<Diagnostic> diags;
  auto doc = make("a.txt", "Notes\n\nNothing dated here.", "txt", *rules, {}, nullptr, diags);
  CHECK_FALSE(doc.info.published.has_value());
}

TEST_CASE("invalid UTF-8 in a source is repaired and reported as a warning") {
  auto rules = testing::load_pack(kDatelinePack);
  std::vector<Diagnostic> diags;
  auto doc = make("bad.txt", "ok \xFF\xFE text", "txt", *rules, {}, nullptr, diags);
  REQUIRE(diags.size() == 1);
  CHECK(diags[0].severity == Severity::Warning);
  CHECK(diags[0].file == "bad.txt");
  CHECK(doc.text == "ok ?? text");
}

TEST_CASE("front matter quoted values are unescaped the YAML way") {
  auto rules = testing::load_pack(kDatelinePack);
  std::vector<Diagnostic> diags;
  auto dq = make("a.md", "---\ntitle: \"Say \\\"hi\\\" now\"\noutlet: 'It''s here'\n---\nBody.", "md", *rules, {}, nullptr, diags);
  CHECK(dq.info.title == "Say \"hi\" now");
  CHECK(dq.info.outlet == "It's here");
}

TEST_CASE("read_source keeps every byte of a large file and of a named pipe, which cannot seek") {
  auto pack = testing::load_pack(kDatelinePack);
  auto dir = std::filesystem::temp_directory_path() / ("annals-read-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  std::string text;
  for (int i = 0; text.size() < 200000; ++i) text += "Line " + std::to_string(i) + " says caf\xC3\xA9 on 2025-03-07.\n";
  {
    std::ofstream(dir / "big.txt", std::ios::binary) << text;
    std::vector<Diagnostic> diags;
    auto doc = ingest::read_source(dir / "big.txt", {}, *pack, {}, diags);
    REQUIRE(doc);
    CHECK(doc->text == text);
  }
  auto fifo = dir / "pipe.txt";
  REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
  std::thread writer([&] { std::ofstream(fifo, std::ios::binary) << text; });
  std::vector<Diagnostic> diags;
  auto doc = ingest::read_source(fifo, {}, *pack, {}, diags);
  writer.join();
  REQUIRE(doc);
  CHECK(doc->text == text);
  std::filesystem::remove_all(dir);
}

TEST_CASE("every folder's sources.toml applies, also when the sorted files go back and forth between folders") {
  auto pack = testing::load_pack(kDatelinePack);
  auto dir = std::filesystem::temp_directory_path() / ("annals-manifests-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir / "a" / "n");
  std::filesystem::create_directories(dir / "b");
  auto write = [](const std::filesystem::path& p, const std::string& s) { std::ofstream(p, std::ios::binary) << s; };
  write(dir / "a" / "m.txt", "Text m.\n");
  write(dir / "a" / "n" / "p.txt", "Text p.\n");
  write(dir / "a" / "o.txt", "Text o.\n");
  write(dir / "b" / "q.txt", "Text q.\n");
  write(dir / "a" / "sources.toml", "[[source]]\nfile = \"m.txt\"\ntitle = \"M\"\n[[source]]\nfile = \"o.txt\"\ntitle = \"O\"\n");
  write(dir / "a" / "n" / "sources.toml", "[[source]]\nfile = \"p.txt\"\ntitle = \"P\"\n");
  write(dir / "b" / "sources.toml", "[[source]]\nfile = \"q.txt\"\ntitle = \"Q\"\npublished = 2025-03-07\n");
  std::vector<Diagnostic> diags;
  auto files = ingest::collect_sources({dir.string()}, diags);
  REQUIRE(files.size() == 4);
  CHECK(files[1].filename() == "p.txt");  // a/m.txt, a/n/p.txt, a/o.txt, b/q.txt
  auto manifests = ingest::load_manifests(files, diags);
  CHECK(manifests.size() == 4);
  std::vector<std::string> titles;
  for (auto& f : files) {
    auto doc = ingest::read_source(f, manifests, *pack, {}, diags);
    REQUIRE(doc);
    titles.push_back(doc->info.title);
    if (f.filename() == "q.txt") CHECK(day(*doc) == "2025-03-07");
  }
  CHECK(titles == std::vector<std::string>{"M", "P", "O", "Q"});
  CHECK(diags.empty());
  std::filesystem::remove_all(dir);
}

TEST_CASE("collect_sources lists a folder in path order, not string order, and follows no folder link") {
  namespace fs = std::filesystem;
  auto dir = fs::temp_directory_path() / ("annals-collect-" + std::to_string(::getpid()));
  fs::create_directories(dir / "a" / "sub");
  for (auto name : {"a/sub/x.md", "a/y.html", "a/z.txt", "a-b.txt", "a.txt", "b.txt", "notes.pdf"})
    std::ofstream(dir / name) << "Text.\n";
  fs::create_symlink(dir / "b.txt", dir / "c.txt");  // a link to a file is read
  fs::create_directory_symlink(dir / "a", dir / "d");  // a link to a folder is not walked
  std::vector<Diagnostic> diags;
  std::vector<std::string> expected;
  for (auto name : {"a/sub/x.md", "a/y.html", "a/z.txt", "a-b.txt", "a.txt", "b.txt", "c.txt"})
    expected.push_back((dir / name).string());
  // "a/..." sorts before "a-b.txt" and "a.txt" element by element, though '/' > '-' and '.'.
  auto as_strings = [](const std::vector<fs::path>& ps) {
    std::vector<std::string> out;
    for (auto& p : ps) out.push_back(p.string());
    return out;
  };
  auto files = ingest::collect_sources({dir.string()}, diags);
  CHECK(as_strings(files) == expected);
  CHECK(std::is_sorted(files.begin(), files.end()));
  // Several inputs are merged in the same order, each file once.
  files = ingest::collect_sources({(dir / "b.txt").string(), dir.string(), (dir / "a").string()}, diags);
  CHECK(as_strings(files) == expected);
  CHECK(diags.empty());
  fs::remove_all(dir);
}

TEST_CASE("outputs name sources from the SOURCES given, never by an absolute path") {
  using ingest::shareable_names;
  using ingest::shareable_path;
  CHECK(shareable_path("sources/a.txt") == "sources/a.txt");
  CHECK(shareable_path("./sources") == "sources");
  CHECK(shareable_path("/home/me/news") == "news");
  CHECK(shareable_path("/home/me/news/") == "news");
  CHECK(shareable_path("../elsewhere/rules") == "rules");
  CHECK(shareable_path("/home/me/a.txt") == "a.txt");
  CHECK(shareable_names({"sources/a.txt", "sources/sub/b.md"}, {"sources"}) == std::vector<std::string>{"sources/a.txt", "sources/sub/b.md"});
  CHECK(shareable_names({"/home/me/news/a/b.txt", "/srv/one.txt"}, {"/home/me/news", "/srv/one.txt"}) ==
        std::vector<std::string>{"news/a/b.txt", "one.txt"});
  // Two folders with the same name keep one more part each.
  CHECK(shareable_names({"/x/2025/news/a.txt", "/y/2024/news/a.txt"}, {"/x/2025/news", "/y/2024/news"}) ==
        std::vector<std::string>{"2025/news/a.txt", "2024/news/a.txt"});
  // Plain paths take a short way, the others the lexical one: the same names.
  CHECK(shareable_names({"/home/me/news/a.txt"}, {"/home/me/news/"}) == std::vector<std::string>{"news/a.txt"});
  CHECK(shareable_names({"./sources/a.txt", "sources//sub/b.md"}, {"./sources"}) ==
        std::vector<std::string>{"sources/a.txt", "sources/sub/b.md"});
  CHECK(shareable_names({"x/a.txt"}, {"x/a.txt", "x"}) == std::vector<std::string>{"x/a.txt"});
  CHECK(shareable_names({"/srv/a.txt"}, {"sources", "/srv"}) == std::vector<std::string>{"srv/a.txt"});
}

TEST_CASE("html_nesting_depth counts nesting elements, not void ones, implicitly closed ones, comments or script text") {
  CHECK(ingest::html_nesting_depth("<html><body><div><div><span>x</span></div></div></body></html>") == 5);
  CHECK(ingest::html_nesting_depth("<p>a<p>b<p>c<br><img src=x><li>d<li>e<hr/>") == 0);
  CHECK(ingest::html_nesting_depth("<div><!-- <div><div><div> --></div>") == 1);
  CHECK(ingest::html_nesting_depth("<script>if (a<b) '<div><div>'</SCRIPT><div></div>") == 1);
  CHECK(ingest::html_nesting_depth("<b a='>'><i></i></b>") == 2);
}

TEST_CASE("regression: HTML nested deeper than kMaxHtmlDepth is refused before the quadratic tree builder runs") {
  std::string deep;
  for (std::size_t i = 0; i <= ingest::kMaxHtmlDepth; ++i) deep += "<div>";
  auto text = ingest::html_to_text(deep + "x");
  REQUIRE_FALSE(text.ok());
  CHECK(text.status().message() == "nested 2001 levels deep (the limit is 2000)");
  CHECK(*ingest::html_to_text(deep.substr(5) + "x") == "x\n");
}
