// interchange/shards — the files of a bucketed (shuffled) run: keyed map
// outputs, the per-bucket reduce's entry shards, and their checks.
//
//   annals extract SOURCES --buckets N --task T --out DIR      (map, once per task)
//       DIR/T.bucket-B-of-N.jsonl   for B in 0..N-1: the task's mentions of bucket B
//       DIR/T.sources.jsonl         its source records (with signatures) and diagnostics
//       DIR/T.bands-B-of-N.jsonl    its sources' near-duplicate band keys of band bucket B
//   annals merge --entries DIR/*.bucket-B-of-N.jsonl --out DIR (reduce, once per bucket)
//       DIR/entries-B-of-N.jsonl    the bucket's timeline entries and undated mentions
//   annals merge --bands DIR/*.bands-B-of-N.jsonl --out DIR   (once per band bucket)
//       DIR/pairs-B-of-N.jsonl      the near-duplicate candidate pairs of its keys
//   annals merge --combine DIR/*.sources.jsonl DIR/entries-*.jsonl [DIR/pairs-*.jsonl] --out out
//       the outputs annals build writes, byte for byte (final step)
// Band and pairs files are interchange/bands.h's.
//
// The key: a mention's bucket is FNV-1a of its identity modulo N. Any
// function of identity is safe for the identity-local half of merge, and
// nothing finer is (merge/merge.h, "Scale-out"); the join across identities
// runs in the final step.
//
// Files are named by (task, bucket) and written atomically (.NAME.tmp-PID,
// then rename; the sources file last), so a retried task overwrites its own
// files and a task killed midway leaves no sources file. Every bucket file
// is written, empty or not, so a missing one is a failure, never an empty
// bucket. Each file holds the records of interchange/records.h (a bucket
// file: the source record of each source with mentions in it, without
// signature, and those mentions; a sources file: every source record, with
// "mentions":0, and the diagnostics), then a task record, then the end
// record (a stream cannot know its counts before its end):
//   {"record":"task","task":T,"bucket":B,"buckets":N,"mentions":K,"rules":DIR,"fingerprint":FP}   a bucket file
//   {"record":"task","task":T,"buckets":N,"bucket_mentions":[K0,...],"bucket_bands":[L0,...],
//    "rules":DIR,"fingerprint":FP}                                            a sources file
// (the pack is named here too: a bucket file may hold no source record).
// A plain `annals merge` refuses them. An entry shard is
//   {"record":"entries","bucket":B,"buckets":N,"fingerprint":FP,"rules":DIR,"tasks":{T:K,...}}
//   {"record":"entry","event_id","title","category","rule","date":VALUE,"conflicts_with":[...],
//    "conflict_count":N,"mentions":[mention objects, "source": FILE]}        per entry
//   {"record":"undated","mention":{...}}                                     per undated mention
//   {"record":"end","entries":E,"undated":U}
// The final step checks that every bucket 0..N-1 has one shard and that
// each shard reduced, of every task, as many mentions as the task's sources
// file says that bucket holds: a missing or stale file fails by name.
#pragma once

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <istream>
#include <map>
#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/files.h"
#include "core/status.h"
#include "core/types.h"
#include "interchange/bands.h"
#include "interchange/records.h"
#include "merge/merge.h"

namespace annals::interchange {

// The bucket of a mention of `identity` among `buckets` (> 0).
std::size_t bucket_of(std::string_view identity, std::size_t buckets);

// Why `task` cannot name files (empty when it can): letters, digits, '-',
// '_' and '.', not starting with '.', at most 100 bytes.
std::string task_name_problem(std::string_view task);

std::string sources_file_name(const std::string& task);
std::string bucket_file_name(const std::string& task, std::size_t bucket, std::size_t buckets);
std::string entries_file_name(std::size_t bucket, std::size_t buckets);

// Writes one map task's files (see above), streaming: memory holds one
// source's mentions at a time.
class BucketWriter {
 public:
  [[nodiscard]] static Result<BucketWriter> open(const std::filesystem::path& dir, const std::string& task, std::size_t buckets,
                                                 PartOrigin origin);
  BucketWriter(BucketWriter&&) = default;
  void add(const merge::SourceRecord& source, std::vector<EventMention> mentions);
  void add(const Diagnostic& d);
  // Ends every file and renames them into place, the sources file last.
  [[nodiscard]] Status finish();

 private:
  BucketWriter() = default;
  // Destroyed uncommitted (an error on the way), a file removes its
  // temporary: no file of a failed attempt stays.
  struct File {
    std::optional<AtomicFile> file;
    std::size_t sources = 0, mentions = 0;
    std::ostream& out() { return file->out(); }
  };
  std::string task_;
  PartOrigin origin_;
  std::vector<File> buckets_;
  File sources_;
  std::optional<BandWriter> bands_;  // the task's band files (interchange/bands.h)
};

// Writes an entry shard: the header, then entries and undated mentions of `t`
// (what merge::merge_identities returns), then the end record.
struct ShardHeader {
  std::size_t bucket = 0, buckets = 0;
  std::string fingerprint, rules_dir;
  std::map<std::string, std::size_t> tasks;  // task -> mentions of this bucket it holds
};
void write_entries(std::ostream& out, const ShardHeader& header, const Timeline& t);

// What the final step gathers from entry shards.
struct EntriesInput {
  std::vector<TimelineEntry> entries;
  std::vector<EventMention> undated;
  struct Shard {
    std::string name;
    ShardHeader header;
    std::uint64_t hash = 0;  // of its lines, to tell a shard given twice from two reduces of one bucket
  };
  std::vector<Shard> shards;
};

// Reads an entry shard into `into`; mentions name their source by file,
// resolved in `sources`. A malformed or cut shard, or a mention of a source
// not in `sources`, is reported in `problems` (as errors) by line. A shard
// identical to one already read is skipped with a note.
void read_entries(std::istream& in, const std::string& name, const std::unordered_map<std::string, SharedSource>& sources,
                  EntriesInput& into, std::vector<Diagnostic>& problems);

// The checks of the final step: tasks (from sources files) against shards.
// Each problem names the file to produce or give.
std::vector<std::string> missing_pieces(const std::vector<TaskRecord>& tasks, const EntriesInput& shards);

// The entries of every shard in the order merge::merge_identities over all
// mentions gives them (by identity, each identity's entries kept in order),
// and the undated mentions in mention order.
Timeline concatenate_shards(EntriesInput shards);

}  // namespace annals::interchange
