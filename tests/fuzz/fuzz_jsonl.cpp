// Fuzz target: the JSON Lines readers. Any bytes as a part for `annals
// merge` (records -> merge -> every output format, the page with the
// shipped template), and each line as a document of `annals extract --stdin`.
#include <cstddef>
#include <cstdint>
#include <sstream>
#include <string>

#include "fuzz_support.h"
#include "interchange/records.h"
#include "merge/merge.h"
#include "render/formats.h"

using namespace annals;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const std::string page_template = fuzz::shipped_template();
  const std::string bytes(reinterpret_cast<const char*>(data), size);
  std::istringstream lines(bytes);
  for (std::string line; std::getline(lines, line);) (void)interchange::input_document_from_json(line);

  std::istringstream in(bytes);
  interchange::MergeInput input;
  std::vector<Diagnostic> problems;
  interchange::read_records(in, "fuzz.jsonl", input, problems);
  Timeline t = merge::merge(std::move(input.mentions), std::move(input.sources), std::move(input.diagnostics));
  render::RenderOptions options{render::CsvDialect::Excel, page_template, {"2025-03-07 00:00 UTC", "2025-03-07T00:00Z"}};
  std::vector<render::OutputFile> files;
  for (auto& format : render::output_formats()) (void)format.render(t, options, files);
  return 0;
}
