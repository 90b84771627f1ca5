// Fuzz target: the JSON Lines readers. Any bytes as a part for `annals
// merge` (records -> merge -> every output format, the page with the
// shipped template's tags), each line as a document of `annals extract --stdin`,
// and the bytes as an entry shard of `annals merge --combine` whose
// mentions name the sources the part read (shards -> checks -> join), and
// as a sorted bucket file of `annals merge --entries`, twice over (streams
// -> source records -> the reduce an identity at a time).
#include <cstddef>
#include <cstdint>
#include <memory>
#include <sstream>
#include <string>
#include <unordered_map>

#include "fuzz_support.h"
#include "interchange/records.h"
#include "interchange/shards.h"
#include "merge/merge.h"
#include "render/formats.h"

using namespace annals;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const std::string page_template = fuzz::shipped_template_tags();
  const std::string bytes(reinterpret_cast<const char*>(data), size);
  std::istringstream lines(bytes);
  for (std::string line; std::getline(lines, line);) (void)interchange::input_document_from_json(line);

  std::istringstream in(bytes);
  interchange::MergeInput input;
  std::vector<Diagnostic> problems;
  interchange::read_records(in, "fuzz.jsonl", input, problems);
  std::unordered_map<std::string, SharedSource> by_file;
  for (auto& s : input.sources) by_file.emplace(s.info.file, SharedSource(s.info));
  std::istringstream shard(bytes);
  interchange::EntriesInput shards;
  interchange::read_entries(shard, "fuzz-shard.jsonl", by_file, shards, problems);
  (void)interchange::missing_pieces(input.tasks, shards);
  std::vector<interchange::BucketStream> streams;
  for (const char* name : {"fuzz.bucket-0-of-1.jsonl", "again.bucket-0-of-1.jsonl"})
    if (auto s = interchange::BucketStream::open(std::make_shared<std::istringstream>(bytes), name, problems)) streams.push_back(std::move(*s));
  interchange::read_source_records(streams, problems);
  std::ostringstream reduced;
  (void)interchange::reduce_bucket(streams, {}, reduced, problems);
  Timeline combined = merge::join_identities(interchange::concatenate_shards(std::move(shards)), input.sources);
  Timeline t = merge::merge(std::move(input.mentions), std::move(input.sources), std::move(input.diagnostics));
  render::RenderOptions options{render::CsvDialect::Excel, page_template, {"2025-03-07 00:00 UTC", "2025-03-07T00:00Z"}};
  std::vector<render::OutputFile> files;
  for (auto& format : render::output_formats()) (void)format.files(t, options, files);
  for (auto& format : render::output_formats()) (void)format.files(combined, options, files);
  (void)render::render_outputs(files);
  return 0;
}
