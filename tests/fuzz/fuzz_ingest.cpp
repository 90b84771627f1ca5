// Fuzz target: ingest. Any bytes as a .txt, a .md and an .html source (with
// the shipped rule pack's datelines), and as a sources.toml manifest.
#include <cstddef>
#include <cstdint>
#include <string>

#include "fuzz_support.h"
#include "ingest/ingest.h"

using namespace annals;

// Loads the pack before the first input, so its load (seconds under ASan)
// does not count against that input's timeout.
extern "C" int LLVMFuzzerInitialize(int*, char***) {
  (void)fuzz::shipped_rules();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const rules::RuleSet& rs = fuzz::shipped_rules();
  const std::string bytes(reinterpret_cast<const char*>(data), size);
  std::vector<Diagnostic> diags;
  for (const char* kind : {"txt", "md", "html"})
    (void)ingest::make_document(std::string("fuzz.") + kind, bytes, kind, rs, {}, nullptr, diags);
  ingest::Manifests manifests;
  ingest::read_manifest(bytes, "/fuzz", "sources.toml", manifests, diags);
  return 0;
}
