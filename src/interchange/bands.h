// interchange/bands — the near-duplicate search of a bucketed run, shuffled
// by band key (merge/near_duplicates.h, steps (a) (b) (c)):
//
//   annals extract --buckets N                 (map; BucketWriter writes them too)
//       DIR/T.bands-B-of-N.jsonl    the band keys of the task's sources in band bucket B
//   annals merge --bands DIR/*.bands-B-of-N.jsonl --out DIR   (once per band bucket)
//       DIR/pairs-B-of-N.jsonl      the candidate pairs banding proposes for those keys
//   annals merge --combine ... DIR/pairs-*-of-N.jsonl         (final step)
//       verifies the pairs and links them, instead of banding every signature
//
// A band file holds, per source with a signature and a key in its bucket,
//   {"record":"bands","source":FILE,"copy":HEX16,"keys":BASE64}
// "copy" is merge::copy_key of the signature (copies share it and are banded
// once, as their first file); "keys" are that bucket's band keys, each as
// three 16-bit words (band, value, value) in signature_to_text's base64.
// Then {"record":"task","task":T,"band_bucket":B,"buckets":N,"sources":K,
// "rules":DIR,"fingerprint":FP} and the end record. The task's sources file
// counts its band lines per bucket ("bucket_bands" in its task record).
// A pairs file is
//   {"record":"pairs","bucket":B,"buckets":N,"fingerprint":FP,"tasks":{T:K,...}}
//   {"record":"pair","source":FILE,"with":[FILE,...]}   per first file, "with" sorted, after it
//   {"record":"end","pairs":P}
// and the final step checks, as for entry shards, that every band bucket has
// one and that it read, of every task, the band lines its sources file counts.
#pragma once

#include <cstdint>
#include <filesystem>
#include <istream>
#include <map>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "core/files.h"
#include "core/status.h"
#include "core/types.h"
#include "interchange/records.h"
#include "merge/merge.h"

namespace annals::interchange {

std::string bands_file_name(const std::string& task, std::size_t bucket, std::size_t buckets);
std::string pairs_file_name(std::size_t bucket, std::size_t buckets);

// Writes one map task's band files; BucketWriter holds one. Nothing is in
// place before commit().
class BandWriter {
 public:
  [[nodiscard]] static Result<BandWriter> open(const std::filesystem::path& dir, const std::string& task, std::size_t buckets,
                                               PartOrigin origin);
  BandWriter(BandWriter&&) = default;
  BandWriter& operator=(BandWriter&&) = default;
  void add(const merge::SourceRecord& source);
  // Band lines written per bucket (the sources file's "bucket_bands").
  const std::vector<std::size_t>& counts() const { return counts_; }
  // Ends every file and writes it out; commit() then renames them into place.
  [[nodiscard]] Status flush();
  [[nodiscard]] Status commit();

 private:
  BandWriter() = default;
  std::string task_;
  PartOrigin origin_;
  std::vector<AtomicFile> files_;
  std::vector<std::size_t> counts_;
};

// What a band step gathers from the band files of one bucket.
struct BandSource {
  std::string file;
  std::uint64_t copy = 0;
  std::vector<std::uint64_t> keys;
};
struct BandsInput {
  std::vector<BandSource> sources;
  std::optional<std::size_t> bucket;
  std::size_t buckets = 0;
  std::string fingerprint;
  std::map<std::string, std::size_t> tasks;  // task -> band lines read of it
};
// Reads a band file into `into`; what is wrong (malformed, cut, of another
// bucket, a task given twice with other contents) goes to `problems` as errors.
void read_bands(std::istream& in, const std::string& name, BandsInput& into, std::vector<Diagnostic>& problems);

// The candidate pairs of one band bucket: (b) of merge/near_duplicates.h over
// its sources, ranked by file with copies left out. Each first file with the
// files it pairs with (sorted, after it), first files sorted. A file given
// twice counts once (its first line).
using CandidatePairs = std::vector<std::pair<std::string, std::vector<std::string>>>;
CandidatePairs band_bucket_pairs(std::vector<BandSource> sources);

struct PairsHeader {
  std::size_t bucket = 0, buckets = 0;
  std::string fingerprint;
  std::map<std::string, std::size_t> tasks;
};
void write_pairs(std::ostream& out, const PairsHeader& header, const CandidatePairs& pairs);

// Reads a pairs file, calling candidate(a, b) for each pair; it returns false
// for a pair of sources the final step does not have (reported). Headers go
// to `headers` (a file identical to one read already is skipped with a note).
struct PairsFile {
  std::string name;
  PairsHeader header;
  std::uint64_t hash = 0;
};
void read_pairs(std::istream& in, const std::string& name, const std::function<bool(std::string_view, std::string_view)>& candidate,
                std::vector<PairsFile>& headers, std::vector<Diagnostic>& problems);

// The checks of the final step for pairs files, as missing_pieces for entry
// shards: each problem names the file to produce or give.
std::vector<std::string> missing_pairs(const std::vector<TaskRecord>& tasks, const std::vector<PairsFile>& pairs);

}  // namespace annals::interchange
