// Unit tests of interchange/shards: bucket files sorted by identity, and the
// reduce that streams them together an identity at a time.
#include <doctest/doctest.h>

#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <sstream>

#include "core/files.h"
#include "interchange/shards.h"
#include "temporal/calendar.h"

using namespace annals;
using namespace annals::interchange;
namespace fs = std::filesystem;

namespace {

constexpr std::size_t kBuckets = 2;

EventMention mention(const std::string& file, const std::string& identity, const std::string& date_value, std::size_t at,
                     bool recurring = false) {
  EventMention m;
  m.rule_id = "r";
  m.identity = identity;
  m.title = identity;
  m.recurring = recurring;
  m.source.edit().file = file;
  m.match = {at, at + 4};
  m.evidence_event = {0, 4};
  m.evidence = "text of " + identity;
  if (!date_value.empty()) {
    DateMention d;
    d.value = date_value;
    d.type = TimexType::Date;
    d.interval = temporal::interval_of(date_value);
    REQUIRE(d.interval);
    m.date = d;
  }
  return m;
}

// A folder of its own under the temporary folder, removed at the end.
struct Scratch {
  fs::path path = fs::temp_directory_path() / ("annals-shards-" + std::to_string(::getpid()));
  Scratch() {
    fs::remove_all(path);
    fs::create_directories(path);
  }
  ~Scratch() { fs::remove_all(path); }
};

// The mentions of several identities of both buckets, over two sources:
// dated, undated, a conflict, an undated mention that joins its entry, a
// recurring event, and two mentions of one rule at one offset of one file.
std::vector<std::vector<EventMention>> sources_a_b() {
  std::vector<EventMention> a, b;
  for (int k = 0; k < 12; ++k) {
    std::string id = "r|event " + std::to_string(k * 7 % 12);
    a.push_back(mention("a.txt", id, k % 3 == 0 ? "2024" : "2024-0" + std::to_string(1 + k % 9), std::size_t(100 * k)));
    b.push_back(mention("b.txt", id, k % 4 == 0 ? "" : "2024-0" + std::to_string(1 + k % 9) + "-1" + std::to_string(k % 9),
                        std::size_t(50 * k)));
  }
  a.push_back(mention("a.txt", "r|event 3", "2019", 5));                // a conflict with 2024
  b.push_back(mention("b.txt", "r|recurring", "2020", 7, true));
  b.push_back(mention("b.txt", "r|recurring", "2021", 9, true));
  b.push_back(mention("b.txt", "r|recurring", "", 11, true));
  // Readings of one rule at one offset of one file (a source kept twice),
  // enough of them that a sort that is not stable would reorder them.
  for (int k = 0; k < 40; ++k) {
    b.push_back(mention("b.txt", "r|event 5", "2024-03-12", 50 * 11));  // where b's mention of "r|event 5" is
    b.back().evidence = "reading " + std::to_string(k);
  }
  return {a, b};
}

// Writes task `task` of `sources` (each a source's mentions) into `dir`.
void write_task(const fs::path& dir, const std::string& task, const std::vector<std::vector<EventMention>>& sources) {
  auto w = BucketWriter::open(dir, task, kBuckets, {"rules", "fp"});
  REQUIRE(w.ok());
  for (auto& ms : sources) w->add({*ms.front().source, {}}, ms);
  REQUIRE(w->finish().ok());
}

std::vector<BucketStream> open_streams(const std::vector<std::pair<std::string, std::string>>& files, std::vector<Diagnostic>& problems) {
  std::vector<BucketStream> out;
  for (auto& [name, text] : files)
    if (auto s = BucketStream::open(std::make_shared<std::istringstream>(text), name, problems)) out.push_back(std::move(*s));
  read_source_records(out, problems);
  return out;
}

std::string reduced(std::vector<BucketStream>& streams, std::size_t bucket, std::vector<Diagnostic>& problems) {
  std::ostringstream out;
  reduce_bucket(streams, {bucket, kBuckets, "fp", "rules", {}}, out, problems);
  return out.str();
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) out.push_back(line);
  return out;
}

// The shard of `bucket` reduced in memory, the way --entries did before it
// streamed: merge_identities over every mention of the bucket, in file order.
std::string reduced_in_memory(const std::vector<std::vector<std::vector<EventMention>>>& tasks, std::size_t bucket) {
  merge::MentionQueue all;
  for (auto& task : tasks)
    for (auto& source : task)
      for (auto& m : source)
        if (bucket_of(m.identity, kBuckets) == bucket) all.push_back(m);
  std::ostringstream out;
  write_entries(out, {bucket, kBuckets, "fp", "rules", {}}, merge::merge_identities(std::move(all)));
  return out.str();
}

// A shard's lines with its undated mentions sorted: the streaming reduce
// writes them identity by identity, and --combine sorts them.
std::vector<std::string> comparable(const std::string& shard) {
  std::vector<std::string> entries, undated;
  for (auto& l : lines_of(shard)) (l.rfind("{\"mention\":", 0) == 0 ? undated : entries).push_back(l);
  std::sort(undated.begin(), undated.end());
  entries.insert(entries.end() - 1, undated.begin(), undated.end());  // before the end record
  return entries;
}

}  // namespace

TEST_CASE("a bucket file starts with its task record, then its source records, then its mentions in identity order") {
  Scratch dir;
  write_task(dir.path, "t", sources_a_b());
  for (std::size_t b = 0; b < kBuckets; ++b) {
    auto lines = lines_of(*read_file(dir.path / bucket_file_name("t", b, kBuckets)));
    REQUIRE(lines.size() > 3);
    auto task = nlohmann::json::parse(lines.front());
    CHECK(task["record"] == "task");
    CHECK(task["order"] == "identity");
    CHECK(task["bucket"] == b);
    std::size_t k = 1;
    for (; nlohmann::json::parse(lines[k])["record"] == "source"; ++k) CHECK(nlohmann::json::parse(lines[k]).contains("digest"));
    CHECK(k == 1 + task["sources"].get<std::size_t>());
    std::string last;
    std::vector<std::string> files_of_event_5;
    for (; k + 1 < lines.size(); ++k) {
      auto m = nlohmann::json::parse(lines[k]);
      REQUIRE(m["record"] == "mention");
      CHECK(m["identity"].get<std::string>() >= last);
      last = m["identity"];
      CHECK(bucket_of(last, kBuckets) == b);
      if (last == "r|event 5") files_of_event_5.push_back(m["source"]);
    }
    if (bucket_of("r|event 5", kBuckets) == b) {  // one identity's mentions as extracted: a's, then b's
      REQUIRE(files_of_event_5.size() == 42);
      CHECK(files_of_event_5.front() == "a.txt");
      CHECK(std::count(files_of_event_5.begin(), files_of_event_5.end(), "b.txt") == 41);
    }
    CHECK(nlohmann::json::parse(lines.back())["record"] == "end");
  }
}

TEST_CASE("the streaming reduce of sorted bucket files gives the entries of merge_identities over the whole bucket") {
  Scratch dir;
  auto all = sources_a_b();
  std::vector<std::vector<EventMention>> t1 = {all[0]}, t2 = {all[1]};
  write_task(dir.path, "t1", t1);
  write_task(dir.path, "t2", t2);
  int conflicts = 0;
  for (std::size_t b = 0; b < kBuckets; ++b) {
    std::vector<Diagnostic> problems;
    auto streams = open_streams({{"t1", *read_file(dir.path / bucket_file_name("t1", b, kBuckets))},
                                 {"t2", *read_file(dir.path / bucket_file_name("t2", b, kBuckets))}},
                                problems);
    REQUIRE(streams.size() == 2);
    std::string shard = reduced(streams, b, problems);
    CHECK(problems.empty());
    CHECK(comparable(shard) == comparable(reduced_in_memory({t1, t2}, b)));
    conflicts += shard.find("\"conflict_count\":1") != std::string::npos;
  }
  CHECK(conflicts == 1);  // the fixture holds what it says
}

TEST_CASE("merge_identities over one identity's mentions is that identity's part of the result over all, ties in input order") {
  auto all = sources_a_b();
  merge::MentionQueue everything, one;
  for (auto& s : all)
    for (auto& m : s) {
      everything.push_back(m);
      if (m.identity == "r|event 5") one.push_back(m);
    }
  auto whole = merge::merge_identities(std::move(everything));
  auto part = merge::merge_identities(std::move(one));
  std::vector<std::string> of_whole, of_part;
  for (auto& e : whole.entries)
    if (e.mentions.front().identity == "r|event 5")
      for (auto& m : e.mentions) of_whole.push_back(e.event_id + " " + m.source->file + " " + m.evidence);
  for (auto& e : part.entries)
    for (auto& m : e.mentions) of_part.push_back(e.event_id + " " + m.source->file + " " + m.evidence);
  CHECK(of_part == of_whole);
  // b.txt's mentions at one offset: in the order given, whatever else the input holds.
  REQUIRE(of_part.size() == 42);
  CHECK(of_part[1].find("text of r|event 5") != std::string::npos);
  for (int k = 0; k < 40; ++k) CHECK(of_part[std::size_t(2 + k)].find("reading " + std::to_string(k)) != std::string::npos);
}

TEST_CASE("the same bucket file given twice reduces as once: its sources are dropped with a note") {
  Scratch dir;
  write_task(dir.path, "t", sources_a_b());
  std::string file = *read_file(dir.path / bucket_file_name("t", 0, kBuckets));
  std::vector<Diagnostic> problems;
  auto once = open_streams({{"t", file}}, problems);
  CHECK(problems.empty());
  std::string expected = reduced(once, 0, problems);
  auto twice = open_streams({{"first", file}, {"again", file}}, problems);
  std::size_t sources = 0;
  for (auto& l : lines_of(file)) sources += l.find("\"record\":\"source\"") != std::string::npos;
  REQUIRE(sources > 0);
  REQUIRE(problems.size() == sources);
  CHECK(problems[0].severity == Severity::Note);
  CHECK(problems[0].file == "again");
  CHECK(problems[0].message.find("was already read from first:2 with the same records: dropped, counted once") != std::string::npos);
  problems.clear();
  CHECK(reduced(twice, 0, problems) == expected);
  CHECK(problems.empty());
}

TEST_CASE("regression: a bucket file whose mentions are not sorted by identity is refused by name, not reduced") {
  Scratch dir;
  write_task(dir.path, "t", sources_a_b());
  auto lines = lines_of(*read_file(dir.path / bucket_file_name("t", 0, kBuckets)));
  // An older annals wrote the task record last, each source's mentions after its source record.
  std::string old;
  for (std::size_t k = 1; k + 1 < lines.size(); ++k) old += lines[k] + "\n";
  old += lines.front() + "\n" + lines.back() + "\n";
  std::vector<Diagnostic> problems;
  CHECK(open_streams({{"old.jsonl", old}}, problems).empty());
  REQUIRE(problems.size() == 1);
  CHECK(problems[0].file == "old.jsonl");
  CHECK(problems[0].message.find("a bucket file whose mentions are not sorted by identity") == 0);

  // Two mention lines of different identities swapped: refused at the line out of order.
  std::size_t first = 1;
  while (nlohmann::json::parse(lines[first])["record"] == "source") ++first;
  std::size_t other = first + 1;
  while (nlohmann::json::parse(lines[other])["identity"] == nlohmann::json::parse(lines[first])["identity"]) ++other;
  REQUIRE(other + 1 < lines.size());
  auto swapped = lines;
  std::swap(swapped[first], swapped[other]);
  std::string edited;
  for (auto& l : swapped) edited += l + "\n";
  problems.clear();
  auto streams = open_streams({{"edited.jsonl", edited}}, problems);
  REQUIRE(streams.size() == 1);
  reduced(streams, 0, problems);
  REQUIRE(problems.size() == 1);
  CHECK(problems[0].file == "edited.jsonl");
  CHECK(problems[0].line == int(first + 2));  // the first line after the swapped one: an earlier identity
  CHECK(problems[0].message.find("the mentions are not in identity order (an edited file?)") != std::string::npos);

  // Two source records out of file order: a reduce could not find a source given twice.
  REQUIRE(nlohmann::json::parse(lines[2])["record"] == "source");
  auto sources_swapped = lines;
  std::swap(sources_swapped[1], sources_swapped[2]);
  edited.clear();
  for (auto& l : sources_swapped) edited += l + "\n";
  problems.clear();
  open_streams({{"edited.jsonl", edited}}, problems);
  REQUIRE(problems.size() == 1);
  CHECK(problems[0].line == 3);
  CHECK(problems[0].message.find("the source records are not in file order (an edited file?)") != std::string::npos);
}

TEST_CASE("a bucket file cut short or with an edited mention fails its reduce by name") {
  Scratch dir;
  write_task(dir.path, "t", sources_a_b());
  std::string file = *read_file(dir.path / bucket_file_name("t", 1, kBuckets));
  std::vector<Diagnostic> problems;
  auto cut = open_streams({{"cut.jsonl", file.substr(0, file.rfind("{\"record\":\"end\""))}}, problems);
  REQUIRE(cut.size() == 1);
  reduced(cut, 1, problems);
  REQUIRE(problems.size() == 1);
  CHECK(problems[0].message == "no end record: the file was cut short");

  auto at = file.find("text of r|event");
  REQUIRE(at != std::string::npos);
  std::string edited = file;
  edited.replace(at, 4, "TEXT");
  problems.clear();
  auto streams = open_streams({{"edited.jsonl", edited}}, problems);
  reduced(streams, 1, problems);
  REQUIRE(problems.size() == 1);
  CHECK(problems[0].message == "its mention records do not match the \"digest\" of its source records (an edited file?)");
}

TEST_CASE("a sources file or an empty file is no bucket file for the reduce, and says what it is") {
  Scratch dir;
  write_task(dir.path, "t", sources_a_b());
  std::vector<Diagnostic> problems;
  CHECK(open_streams({{"t.sources.jsonl", *read_file(dir.path / sources_file_name("t"))}, {"empty.jsonl", ""}}, problems).empty());
  REQUIRE(problems.size() == 2);
  CHECK(problems[0].message.find("a sources file; --entries takes the bucket files of one bucket") == 0);
  CHECK(problems[1].message.find("is empty") == 0);
}

TEST_CASE("a source a task reads twice with the same records is held once in its bucket files") {
  Scratch dir;
  auto all = sources_a_b();
  write_task(dir.path / "once", "t", all);
  write_task(dir.path / "twice", "t", {all[0], all[1], all[0]});
  for (std::size_t b = 0; b < kBuckets; ++b)
    CHECK(*read_file(dir.path / "twice" / bucket_file_name("t", b, kBuckets)) == *read_file(dir.path / "once" / bucket_file_name("t", b, kBuckets)));
}
