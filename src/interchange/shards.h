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
// bucket. Each file holds the records of interchange/records.h.
// A sources file: every source record, with "mentions":0, and the
// diagnostics, then its task record and the end record (a stream cannot
// know its counts before its end):
//   {"record":"task","task":T,"buckets":N,"bucket_mentions":[K0,...],"bucket_bands":[L0,...],
//    "rules":DIR,"fingerprint":FP}
// A bucket file is sorted by identity, so that its reduce can stream it
// (annals merge --entries holds one identity at a time): its task record
// first, saying so, then the source record of each source with mentions in
// it, in file name order (without signature; "mentions" counts its mention
// records in this file, "digest" is the sum of their lines' FNV-1a, in
// hex: they no longer follow their source record, and a source read twice
// is told by its record alone), then the mention records ordered by
// identity (each identity's in the order they were extracted: source by
// source, as found), then the end record:
//   {"record":"task","task":T,"bucket":B,"buckets":N,"mentions":K,"sources":S,"order":"identity","rules":DIR,"fingerprint":FP}
// (the pack is named here too: a bucket file may hold no source record).
// The map task holds each bucket's mention records (their lines, and their
// identities) until it ends: a task's mentions, not the corpus's.
// A plain `annals merge` refuses them; --entries refuses a bucket file not
// in this order (one of an older annals, or an edited one) by name. Its
// reduce holds the largest identity's mentions, one record of each file,
// and the files of sources given twice; a shard's mentions name their
// source by file only, and the final step finds the metadata in the
// sources files.
// An entry shard is
//   {"record":"entries","bucket":B,"buckets":N,"fingerprint":FP,"rules":DIR,"tasks":{T:K,...}}
// then, identity by identity in identity order, its entries and then its
// undated mentions (in mention order within the identity):
//   {"record":"entry","event_id","title","category","rule","date":VALUE,"conflicts_with":[...],
//    "conflict_count":N,"mentions":[mention objects, "source": FILE]}        per entry
//   {"record":"undated","mention":{...}}                                     per undated mention
// then {"record":"end","entries":E,"undated":U}. (Undated mentions of
// several identities are not in mention order: --combine sorts them.)
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
#include <unordered_set>
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

// Writes one map task's files (see above). The sources file streams; each
// bucket file's mention records are held, as lines, until finish() sorts
// them by identity.
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
    std::size_t sources = 0;
    std::ostream& out() { return file->out(); }
  };
  // A source of a bucket file: its record and its mention records' digest.
  struct HeldSource {
    merge::SourceRecord record;
    std::size_t mentions = 0;
    std::uint64_t digest = 0;
  };
  struct HeldMention {
    std::string identity, line;
  };
  struct Held {
    std::vector<HeldSource> sources;
    std::vector<HeldMention> mentions;
  };
  std::vector<Held> held_;  // per bucket
  std::unordered_map<std::string, std::vector<std::uint64_t>> added_;  // source file -> hashes of its records, as added
  std::string task_;
  PartOrigin origin_;
  std::vector<File> buckets_;
  File sources_;
  std::optional<BandWriter> bands_;  // the task's band files (interchange/bands.h)
};

// The sum of the FNV-1a of each line (without its line end): a digest of
// a set of lines that does not depend on their order.
std::uint64_t lines_digest(std::uint64_t digest, std::string_view line);

// One bucket file (see above), read as a stream: its source records (by
// file name), then its mentions in identity order. What it holds is the
// record at hand, the files of its sources that are dropped, and the
// mentions of one identity while take() moves them.
class BucketStream {
 public:
  // Reads the task record of `in`, named `name`. nullopt, with the reason
  // in `problems`, when it is no sorted bucket file (a sources file, a
  // bucket file of an older annals, not a file of a bucketed run); damage
  // found later is reported by read_source_records, take() and finish().
  [[nodiscard]] static std::optional<BucketStream> open(std::shared_ptr<std::istream> in, std::string name,
                                                        std::vector<Diagnostic>& problems);
  BucketStream(BucketStream&&) = default;
  BucketStream& operator=(BucketStream&&) = default;

  const std::string& name() const { return name_; }
  const TaskRecord& task() const { return task_; }
  const std::string& rules_dir() const { return rules_dir_; }
  // Each rule-pack fingerprint of its records, with where it was first met.
  const std::vector<std::pair<std::string, std::string>>& fingerprints() const { return fingerprints_; }

  // The identity of the next mention, or nullptr when there is none (the
  // end, or damage: reported in `problems` by line). Set once
  // read_source_records has read past the source records.
  const std::string* head() const { return next_ ? &next_->identity : nullptr; }
  // Moves the mentions of head()'s identity to the end of `into`, except
  // those of dropped sources; stops at the first damaged record.
  void take(merge::MentionQueue& into, std::vector<Diagnostic>& problems);
  // After the last mention: reports a file cut short, or whose counts or
  // digest do not match its records (an edited file).
  void finish(std::vector<Diagnostic>& problems);

 private:
  friend void read_source_records(std::vector<BucketStream>& streams, std::vector<Diagnostic>& problems);
  BucketStream() = default;
  // The source record at hand.
  struct SourceHead {
    std::string file;
    std::uint64_t hash = 0;  // of its line, which holds the count and digest of its mentions
    long line = 0;
  };
  // Reads on to the next source record (into source_), or past the last
  // one to the first mention (into next_).
  void next_source(std::vector<Diagnostic>& problems);
  // Reads the next record into `j` (false at the end of the file, or on a
  // line that is no record: damage, reported).
  bool read_record(nlohmann::json& j, std::vector<Diagnostic>& problems);
  // Reads on to the next mention record, into next_.
  void advance(std::vector<Diagnostic>& problems);
  // Takes record `j` of the mention section: true when it is the next mention.
  bool take_record(const nlohmann::json& j, std::vector<Diagnostic>& problems);
  // Reports damage at the current line and stops the stream.
  void fail(std::vector<Diagnostic>& problems, std::string message);

  std::shared_ptr<std::istream> in_;
  std::string name_, rules_dir_;
  TaskRecord task_;
  std::vector<std::pair<std::string, std::string>> fingerprints_;
  std::optional<SourceHead> source_;
  std::string last_file_;
  std::unordered_set<std::string> dropped_;  // files of sources read from an earlier stream
  std::size_t sources_ = 0, announced_ = 0;   // source records, and the mentions they announce
  std::uint64_t digest_ = 0, summed_ = 0;     // their digests' sum, and that of the mention lines read
  std::optional<EventMention> next_;
  std::string last_identity_, line_;
  long line_no_ = 0;
  std::size_t mentions_ = 0;
  bool ended_ = false, failed_ = false;
};

// Reads the source records of every stream together (each file's are in
// file name order) and leaves each at its first mention. A source whose
// record was already read from an earlier stream is dropped, its mentions
// skipped, with a note: a task given twice, or one run twice under two
// names, counts once. A source of the same name with other records is
// kept, with a warning, as read_records does. Holds one source record of
// each stream.
void read_source_records(std::vector<BucketStream>& streams, std::vector<Diagnostic>& problems);

// An entry shard's header, and its records (see above).
struct ShardHeader {
  std::size_t bucket = 0, buckets = 0;
  std::string fingerprint, rules_dir;
  std::map<std::string, std::size_t> tasks;  // task -> mentions of this bucket it holds
};
void write_shard_header(std::ostream& out, const ShardHeader& header);
void write_shard_entry(std::ostream& out, const TimelineEntry& e);
void write_shard_undated(std::ostream& out, const EventMention& m);
void write_shard_end(std::ostream& out, std::size_t entries, std::size_t undated);
// Writes a whole entry shard: the header, the entries and undated mentions
// of `t` (what merge::merge_identities returns), then the end record.
void write_entries(std::ostream& out, const ShardHeader& header, const Timeline& t);

// The reduce of one bucket: merges `streams` (the bucket's files, in the
// order given) identity by identity, runs merge::merge_identities over each
// identity's mentions (of every stream, in stream order) and writes its
// entries and undated mentions to `out`, between `header` and the end
// record. Holds one identity's mentions at a time. What it returns is what
// it wrote; damage met on the way is in `problems` (the shard is then not
// to be kept).
struct ReduceCounts {
  std::size_t entries = 0, undated = 0;
};
ReduceCounts reduce_bucket(std::vector<BucketStream>& streams, const ShardHeader& header, std::ostream& out,
                           std::vector<Diagnostic>& problems);

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
