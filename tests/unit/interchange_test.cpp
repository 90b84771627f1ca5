// Unit tests of interchange/records: the JSON Lines records between
// `annals extract` and `annals merge`.
#include <doctest/doctest.h>

#include <sstream>

#include "interchange/records.h"

using namespace annals;
using namespace annals::interchange;

namespace {

// One part of one source, with `fingerprint` and `mentions` mentions.
std::string part_of(const std::string& file, const std::string& fingerprint, const merge::Signature& signature = {}) {
  std::ostringstream out;
  EventMention m;
  m.rule_id = "release";
  m.identity = "release acme x1";
  m.title = "Acme releases X1";
  m.source.edit().file = file;
  m.match = {0, 4};
  m.evidence_event = {0, 4};
  merge::SourceRecord source{*m.source, signature};
  write_source(out, source, {m}, {"rules", fingerprint});
  write_diagnostic(out, {Severity::Warning, file, 1, 2, "", "a repaired character"});
  write_end(out, 1);
  return out.str();
}

void read(const std::string& part, const std::string& name, MergeInput& input, std::vector<Diagnostic>& problems) {
  std::istringstream in(part);
  read_records(in, name, input, problems);
}

}  // namespace

TEST_CASE("a signature is base64 of its values and reads back to the same values") {
  merge::Signature sig(merge::kSignatureSize);
  for (std::size_t i = 0; i < sig.size(); ++i) sig[i] = std::uint16_t(i * 257 + 1);
  sig[0] = 0;
  sig[1] = 0xffff;
  std::string text = signature_to_text(sig);
  CHECK(text.size() == 684);
  CHECK(text.substr(0, 8) == "AAD//wID");  // 00 00 ff ff 02 03
  CHECK(text.back() == '=');               // 512 bytes: one byte short of a whole group
  CHECK(signature_from_text(text) == sig);
  CHECK(signature_from_text(signature_to_text({0x1234})) == merge::Signature{0x1234});
  CHECK(signature_from_text("")->empty());
  CHECK_FALSE(signature_from_text("AAA"));    // not whole groups
  CHECK_FALSE(signature_from_text("AAB="));   // stray low bits: not a spelling annals writes
  CHECK_FALSE(signature_from_text("A==="));
  CHECK_FALSE(signature_from_text("AA=A"));
  CHECK_FALSE(signature_from_text("AA-_"));   // the URL alphabet is not read
  CHECK_FALSE(signature_from_text("AAAA"));   // 3 bytes: not whole 16-bit values
  CHECK(signature_from_text("AAAAAA==") == merge::Signature{0, 0});
}

TEST_CASE("a source record's signature reads back, and a decimal array from an older annals is an error") {
  merge::Signature sig(merge::kSignatureSize, 7);
  MergeInput input;
  std::vector<Diagnostic> problems;
  read(part_of("a.txt", "fp-1", sig), "p.jsonl", input, problems);
  CHECK(problems.empty());
  REQUIRE(input.sources.size() == 1);
  CHECK(input.sources[0].signature == sig);

  std::string old = part_of("b.txt", "fp-1");
  auto at = old.find("\"signature\":\"\"");
  REQUIRE(at != std::string::npos);
  old.replace(at, 14, "\"signature\":[1,2,3]");
  read(old, "old.jsonl", input, problems);
  REQUIRE(problems.size() == 1);
  CHECK(problems[0].message.find("source b.txt: \"signature\" is not 256 values in base64") == 0);
  CHECK(input.sources.size() == 2);  // kept, without a signature
  CHECK(input.sources[1].signature.empty());
}

TEST_CASE("parts of different rule-pack fingerprints are named with where each was first met") {
  MergeInput input;
  std::vector<Diagnostic> problems;
  read(part_of("a.txt", "annals-0.1.0+pack-aaaa"), "one.jsonl", input, problems);
  read(part_of("b.txt", "annals-0.1.0+pack-aaaa"), "two.jsonl", input, problems);
  CHECK_FALSE(mixed_fingerprints(input));
  read(part_of("c.txt", "annals-0.1.0+pack-bbbb"), "three.jsonl", input, problems);
  auto mixed = mixed_fingerprints(input);
  REQUIRE(mixed);
  CHECK(mixed->find("\n  one.jsonl:1: annals-0.1.0+pack-aaaa\n  three.jsonl:1: annals-0.1.0+pack-bbbb") != std::string::npos);
  read(part_of("d.txt", ""), "four.jsonl", input, problems);
  CHECK(mixed_fingerprints(input)->find("four.jsonl:1: no fingerprint (written by an older annals)") != std::string::npos);
}

TEST_CASE("a part read twice adds nothing the second time: sources, mentions and diagnostics once, with a note") {
  MergeInput input;
  std::vector<Diagnostic> problems;
  std::string part = part_of("a.txt", "fp");
  read(part, "p.jsonl", input, problems);
  read(part, "p.jsonl", input, problems);
  CHECK(input.sources.size() == 1);
  CHECK(input.mentions.size() == 1);
  CHECK(input.diagnostics.size() == 1);
  REQUIRE(problems.size() == 1);
  CHECK(problems[0].severity == Severity::Note);
  CHECK(problems[0].message == "source a.txt was already read from p.jsonl:1 with the same records: dropped, counted once");
}

TEST_CASE("a mention record names its source by file, and reads back with the source record's metadata") {
  std::ostringstream out;
  EventMention m;
  m.rule_id = "release";
  m.identity = "release acme x1";
  m.source.edit().file = "a.txt";
  m.source.edit().title = "Acme ships X1";
  m.source.edit().url = "https://example.org/a";
  m.match = {0, 4};
  m.evidence_event = {0, 4};
  write_source(out, {*m.source, {}}, {m, m}, {"rules", "fp"});
  write_end(out, 1);
  std::string part = out.str();
  CHECK(part.find("\"source\":\"a.txt\"") != std::string::npos);
  auto first = part.find("https://example.org/a");
  REQUIRE(first != std::string::npos);
  CHECK(part.find("https://example.org/a", first + 1) == std::string::npos);  // once, in the source record
  MergeInput input;
  std::vector<Diagnostic> problems;
  read(part, "p.jsonl", input, problems);
  CHECK(problems.empty());
  REQUIRE(input.mentions.size() == 2);
  CHECK(input.mentions[1].source->title == "Acme ships X1");
  CHECK(input.mentions[1].source->url == "https://example.org/a");
  CHECK(&*input.mentions[0].source == &*input.mentions[1].source);  // one copy in memory too

  // A mention naming another source than the record before it is an error, and skipped.
  auto at = part.rfind("\"source\":\"a.txt\"");
  part.replace(at, 16, "\"source\":\"b.txt\"");
  MergeInput other;
  problems.clear();
  read(part, "q.jsonl", other, problems);
  REQUIRE(problems.size() >= 1);
  CHECK(problems[0].message == "mention of source \"b.txt\" is not among the mention records of its source record; line skipped");
  CHECK(other.mentions.size() == 1);
}
