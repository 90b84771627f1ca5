// Fuzz target: the date tagger and the event extractor. Any bytes as the
// text of a source, read with the shipped rule pack (rules/) and a fixed
// publication date, and without one; then its dateline.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "core/text.h"
#include "extract/extract.h"
#include "merge/near_duplicates.h"
#include "fuzz_support.h"
#include "temporal/tagger.h"

using namespace annals;

// Loads the pack before the first input, so its load (seconds under ASan)
// does not count against that input's timeout.
extern "C" int LLVMFuzzerInitialize(int*, char***) {
  (void)fuzz::shipped_rules();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const rules::RuleSet& rs = fuzz::shipped_rules();
  static const merge::Signer signer(rs.stopwords);
  Document doc;
  doc.info.file = "fuzz.txt";
  doc.info.published = date::year{2025} / date::March / 7;
  doc.text.assign(reinterpret_cast<const char*>(data), size);
  repair_utf8(doc.text);  // as ingest does before any rule sees the text
  (void)extract::extract(rs, doc);
  (void)temporal::find_dates(rs, doc.text, std::nullopt);
  (void)temporal::find_dateline(rs, doc.text);
  (void)signer(doc.text);
  return 0;
}
