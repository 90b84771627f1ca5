#include "interchange/shards.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <queue>
#include <set>

#include <fmt/format.h>
#include <unistd.h>

#include "core/files.h"
#include "core/hash.h"
#include "temporal/calendar.h"

namespace annals::interchange {

using nlohmann::json;

namespace {

const json::error_handler_t kReplace = json::error_handler_t::replace;

void write_line(std::ostream& out, const json& j) { out << j.dump(-1, ' ', false, kReplace) << '\n'; }

// A mention inside a shard names its source by file: the sources file holds its metadata once.
json mention_in_shard(const EventMention& m) {
  json j = mention_to_json(m);
  j["source"] = m.source->file;
  return j;
}

Result<EventMention> mention_of_shard(const json& j, const std::unordered_map<std::string, SharedSource>& sources) {
  auto src = j.is_object() ? j.find("source") : j.end();
  if (src == j.end() || !src->is_string()) return Status::error("mention needs a \"source\" file");
  auto it = sources.find(src->get_ref<const std::string&>());
  if (it == sources.end())
    return Status::error(fmt::format("mention of source \"{}\", which no sources file given holds (a sources file missing?)",
                                     src->get_ref<const std::string&>()));
  return mention_from_json(j, &it->second);
}

}  // namespace

std::size_t bucket_of(std::string_view identity, std::size_t buckets) { return std::size_t(fnv1a(identity) % buckets); }

std::string task_name_problem(std::string_view task) {
  if (task.empty()) return "is empty";
  if (task.size() > 100) return "is longer than 100 bytes";
  if (task.front() == '.') return "starts with '.'";
  for (char c : task)
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_' && c != '.')
      return fmt::format("holds '{}': a task name is letters, digits, '-', '_' and '.'", c);
  return "";
}

std::string sources_file_name(const std::string& task) { return task + ".sources.jsonl"; }

std::string bucket_file_name(const std::string& task, std::size_t bucket, std::size_t buckets) {
  return fmt::format("{}.bucket-{}-of-{}.jsonl", task, bucket, buckets);
}

std::string entries_file_name(std::size_t bucket, std::size_t buckets) { return fmt::format("entries-{}-of-{}.jsonl", bucket, buckets); }

Result<BucketWriter> BucketWriter::open(const std::filesystem::path& dir, const std::string& task, std::size_t buckets,
                                        PartOrigin origin) {
  if (std::string why = task_name_problem(task); !why.empty()) return Status::error(fmt::format("--task \"{}\" {}", task, why));
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) return Status::os_error("cannot create " + dir.string(), ec);
  remove_stale_temporaries(dir);
  BucketWriter w;
  w.task_ = task;
  w.origin_ = std::move(origin);
  auto start = [&](File& f, const std::string& name) -> Status {
    auto file = AtomicFile::create(dir / name);
    if (!file.ok()) return file.status();
    f.file.emplace(std::move(*file));
    return Status();
  };
  w.buckets_.resize(buckets);
  for (std::size_t b = 0; b < buckets; ++b)
    if (Status s = start(w.buckets_[b], bucket_file_name(task, b, buckets)); !s.ok()) return s;
  if (Status s = start(w.sources_, sources_file_name(task)); !s.ok()) return s;
  auto bands = BandWriter::open(dir, task, buckets, w.origin_);
  if (!bands.ok()) return bands.status();
  w.bands_.emplace(std::move(*bands));
  return w;
}

void BucketWriter::add(const merge::SourceRecord& source, std::vector<EventMention> mentions) {
  if (held_.empty()) held_.resize(buckets_.size());
  write_source(sources_.out(), source, {}, origin_);
  ++sources_.sources;
  bands_->add(source);
  std::vector<std::string> lines;
  lines.reserve(mentions.size());
  std::uint64_t hash = fnv1a(record_line(source_record(source, mentions.size(), origin_)));
  for (auto& m : mentions) hash = fnv1a(lines.emplace_back(record_line(mention_record(m, source.info.file))), hash);
  // A source the task read twice with the same records is held once, as a
  // reduce would count it; with other records, both are, and the reduce
  // refuses the bucket file that holds both.
  auto& seen = added_[source.info.file];
  if (std::find(seen.begin(), seen.end(), hash) != seen.end()) return;
  seen.push_back(hash);
  // In a bucket file the source record says who its mentions are; the
  // signature is for the final step only, in the sources file.
  constexpr std::size_t kNone = std::size_t(-1);
  std::vector<std::size_t> held_source(buckets_.size(), kNone);  // bucket -> its HeldSource of this source
  for (std::size_t k = 0; k < mentions.size(); ++k) {
    std::size_t b = bucket_of(mentions[k].identity, buckets_.size());
    Held& h = held_[b];
    if (held_source[b] == kNone) {
      held_source[b] = h.sources.size();
      h.sources.push_back({{source.info, {}}, 0, 0});
    }
    HeldSource& s = h.sources[held_source[b]];
    s.digest = lines_digest(s.digest, lines[k]);
    ++s.mentions;
    h.mentions.push_back({std::move(mentions[k].identity), std::move(lines[k])});
  }
}

void BucketWriter::add(const Diagnostic& d) { write_diagnostic(sources_.out(), d); }

Status BucketWriter::finish() {
  held_.resize(buckets_.size());
  std::vector<std::size_t> counts;
  for (std::size_t b = 0; b < buckets_.size(); ++b) {
    File& f = buckets_[b];
    Held& h = held_[b];
    // Stable: an identity's mentions keep the order they were extracted in,
    // the order a reduce of unsorted files met them in.
    std::stable_sort(h.mentions.begin(), h.mentions.end(),
                     [](const HeldMention& x, const HeldMention& y) { return x.identity < y.identity; });
    // By file, so that a reduce finds a source given in two files by merging their source records.
    std::stable_sort(h.sources.begin(), h.sources.end(),
                     [](const HeldSource& x, const HeldSource& y) { return x.record.info.file < y.record.info.file; });
    write_line(f.out(), {{"record", "task"}, {"task", task_}, {"bucket", b}, {"buckets", buckets_.size()},
                        {"mentions", h.mentions.size()}, {"sources", h.sources.size()}, {"order", "identity"},
                        {"rules", origin_.rules_dir}, {"fingerprint", origin_.fingerprint}});
    for (auto& s : h.sources) {
      json record = source_record(s.record, s.mentions, origin_);
      record["digest"] = fmt::format("{:016x}", s.digest);
      write_line(f.out(), record);
    }
    for (auto& m : h.mentions) f.out() << m.line << '\n';
    write_end(f.out(), h.sources.size());
    counts.push_back(h.mentions.size());
    h = Held();  // its lines freed before the next bucket is sorted
  }
  write_line(sources_.out(), {{"record", "task"}, {"task", task_}, {"buckets", buckets_.size()}, {"bucket_mentions", counts},
                             {"bucket_bands", bands_->counts()}, {"rules", origin_.rules_dir}, {"fingerprint", origin_.fingerprint}});
  write_end(sources_.out(), sources_.sources);
  std::vector<File*> all;
  for (auto& f : buckets_) all.push_back(&f);
  all.push_back(&sources_);  // last: a task without its sources file did not finish
  // Every file on the disk before any is renamed, so a full disk leaves no
  // file of this attempt in place.
  for (File* f : all)
    if (Status s = f->file->flush(); !s.ok()) return s;
  if (Status s = bands_->flush(); !s.ok()) return s;
  if (Status s = bands_->commit(); !s.ok()) return s;
  for (File* f : all)
    if (Status s = f->file->commit(); !s.ok()) return s;
  return Status();
}

std::uint64_t lines_digest(std::uint64_t digest, std::string_view line) { return digest + fnv1a(line); }

namespace {

// What a file that is no sorted bucket file is, from its task record.
std::string not_sorted_why(const json& task) {
  if (task.contains("bucket"))
    return "a bucket file whose mentions are not sorted by identity (written by an older annals, or edited): run its map task "
           "again (annals extract --buckets)";
  return "a sources file; --entries takes the bucket files of one bucket (TASK.bucket-B-of-N.jsonl)";
}

std::optional<std::uint64_t> hex_field(const json& j, const char* key) {
  std::string text = string_field(j, key);
  std::uint64_t v = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v, 16);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return v;
}

}  // namespace

void BucketStream::fail(std::vector<Diagnostic>& problems, std::string message) {
  problems.push_back({Severity::Error, name_, int(line_no_), 0, "", std::move(message)});
  failed_ = true;
  source_.reset();
  next_.reset();
}

bool BucketStream::read_record(json& j, std::vector<Diagnostic>& problems) {
  while (std::getline(*in_, line_)) {
    ++line_no_;
    if (line_.find_first_not_of(" \t\r") == std::string::npos) continue;
    j = json::parse(line_, nullptr, false);
    if (j.is_discarded() || !j.is_object()) {
      fail(problems, in_->eof() ? "the file ends inside a record (cut short)" : "not a JSON object");
      return false;
    }
    return true;
  }
  return false;
}

std::optional<BucketStream> BucketStream::open(std::shared_ptr<std::istream> in, std::string name, std::vector<Diagnostic>& problems) {
  BucketStream s;
  s.in_ = std::move(in);
  s.name_ = std::move(name);
  json j;
  std::size_t before = problems.size();
  if (!s.read_record(j, problems)) {
    if (problems.size() == before) s.fail(problems, "is empty: not a bucket file of annals extract --buckets");
    return std::nullopt;
  }
  std::string where = fmt::format("{}:{}", s.name_, s.line_no_);
  if (string_field(j, "record") != "task" || string_field(j, "order") != "identity") {
    // Say what it is instead, by its task record (its last but one).
    std::vector<Diagnostic> ignored;  // damage past the first record is beside the point
    bool found = string_field(j, "record") == "task";
    while (!found && s.read_record(j, ignored)) found = string_field(j, "record") == "task";
    s.line_no_ = 0;
    s.fail(problems, found ? not_sorted_why(j) : "not a bucket file of annals extract --buckets (it holds no task record)");
    return std::nullopt;
  }
  auto task = task_from_json(j, where);
  if (!task.ok() || !task->bucket) {
    s.fail(problems, task.ok() ? "a task record in identity order names no \"bucket\"" : task.status().message());
    return std::nullopt;
  }
  s.task_ = std::move(*task);
  s.rules_dir_ = string_field(j, "rules");
  s.fingerprints_.emplace_back(string_field(j, "fingerprint"), where);
  s.next_source(problems);
  return s;
}

void BucketStream::next_source(std::vector<Diagnostic>& problems) {
  source_.reset();
  json j;
  if (failed_ || !read_record(j, problems)) return;
  if (string_field(j, "record") != "source") {
    if (!take_record(j, problems)) advance(problems);
    return;
  }
  auto file = j.is_object() && j.contains("source") ? string_field(j["source"], "file") : "";
  auto announced = j.find("mentions");
  auto digest = hex_field(j, "digest");
  if (file.empty() || announced == j.end() || !announced->is_number_unsigned() || !digest) {
    fail(problems, "a source record of a bucket file needs its \"source\" file, \"mentions\" count and \"digest\"");
    return;
  }
  if (sources_ > 0 && file <= last_file_) {
    fail(problems, file == last_file_ ? fmt::format("source {} has two source records in this file (read twice, with other records)", file)
                                      : fmt::format("source {} after source {}: the source records are not in file order (an edited "
                                                    "file?)",
                                                    file, last_file_));
    return;
  }
  std::string fingerprint = string_field(j, "fingerprint");
  if (std::none_of(fingerprints_.begin(), fingerprints_.end(), [&](auto& f) { return f.first == fingerprint; }))
    fingerprints_.emplace_back(fingerprint, fmt::format("{}:{}", name_, line_no_));
  ++sources_;
  announced_ += announced->get<std::size_t>();
  digest_ += *digest;
  last_file_ = file;
  source_ = SourceHead{std::move(file), fnv1a(line_), line_no_};
}

void read_source_records(std::vector<BucketStream>& streams, std::vector<Diagnostic>& problems) {
  // The streams by the file of their source record at hand; of one file, the first given first.
  auto later = [&](std::size_t a, std::size_t b) {
    int c = streams[a].source_->file.compare(streams[b].source_->file);
    return c != 0 ? c > 0 : a > b;
  };
  std::priority_queue<std::size_t, std::vector<std::size_t>, decltype(later)> heads(later);
  for (std::size_t i = 0; i < streams.size(); ++i)
    if (streams[i].source_) heads.push(i);
  std::vector<std::pair<std::uint64_t, std::string>> reads;  // (hash, where) of each record of one file kept
  while (!heads.empty()) {
    const std::string file = streams[heads.top()].source_->file;
    reads.clear();
    while (!heads.empty() && streams[heads.top()].source_->file == file) {
      BucketStream& s = streams[heads.top()];
      heads.pop();
      auto same = std::find_if(reads.begin(), reads.end(), [&](auto& r) { return r.first == s.source_->hash; });
      if (same != reads.end()) {
        problems.push_back({Severity::Note, s.name_, int(s.source_->line), 0, "", read_twice_message(file, same->second, true)});
        s.dropped_.insert(file);
      } else {
        if (!reads.empty())
          problems.push_back(
              {Severity::Warning, s.name_, int(s.source_->line), 0, "", read_twice_message(file, reads.front().second, false)});
        reads.emplace_back(s.source_->hash, fmt::format("{}:{}", s.name_, s.source_->line));
      }
      s.next_source(problems);  // a later file, or none
      if (s.source_) heads.push(std::size_t(&s - streams.data()));
    }
  }
}

void BucketStream::advance(std::vector<Diagnostic>& problems) {
  next_.reset();
  json j;
  while (!failed_ && read_record(j, problems))
    if (take_record(j, problems)) return;
}

bool BucketStream::take_record(const json& j, std::vector<Diagnostic>& problems) {
  std::string kind = string_field(j, "record");
  if (ended_) {
    fail(problems, "a record after the end record");
    return false;
  }
  if (kind == "end") {
    ended_ = true;
    auto count = j.find("sources");
    if (count == j.end() || !count->is_number_unsigned() || count->get<std::size_t>() != sources_)
      fail(problems, fmt::format("the end record does not count the {} source record(s) before it: the file was cut or edited", sources_));
    return false;
  }
  if (kind != "mention") {
    fail(problems, fmt::format("a \"{}\" record among the mention records: not a bucket file as annals extract --buckets writes it", kind));
    return false;
  }
  // Its source as the shard names it, by file: the metadata is the sources
  // file's, which the final step reads, and is not held here.
  SharedSource source;
  source.edit().file = string_field(j, "source");
  auto m = mention_from_json(j, &source);
  if (!m.ok()) {
    fail(problems, m.status().message());
    return false;
  }
  if (bucket_of(m->identity, task_.buckets) != *task_.bucket) {
    fail(problems, fmt::format("a mention of {} is not of bucket {} of {} (an edited file?)", source->file, *task_.bucket, task_.buckets));
    return false;
  }
  if (m->identity < last_identity_) {
    fail(problems, fmt::format("a mention of \"{}\" after one of \"{}\": the mentions are not in identity order (an edited file?)",
                               m->identity, last_identity_));
    return false;
  }
  summed_ = lines_digest(summed_, line_);
  ++mentions_;
  last_identity_ = m->identity;
  next_ = std::move(*m);
  return true;
}

void BucketStream::take(merge::MentionQueue& into, std::vector<Diagnostic>& problems) {
  if (!next_) return;
  const std::string identity = next_->identity;
  while (next_ && next_->identity == identity) {
    if (dropped_.empty() || !dropped_.count(next_->source->file)) into.push_back(std::move(*next_));
    advance(problems);
  }
}

void BucketStream::finish(std::vector<Diagnostic>& problems) {
  if (failed_) return;
  if (!ended_) fail(problems, "no end record: the file was cut short");
  else if (mentions_ != task_.mentions || mentions_ != announced_)
    fail(problems, fmt::format("the task record counts {} mention(s) and the source records {}, the file holds {}: it was cut or edited",
                               task_.mentions, announced_, mentions_));
  else if (summed_ != digest_)
    fail(problems, "its mention records do not match the \"digest\" of its source records (an edited file?)");
}

void write_shard_header(std::ostream& out, const ShardHeader& header) {
  write_line(out, {{"record", "entries"},
                   {"bucket", header.bucket},
                   {"buckets", header.buckets},
                   {"fingerprint", header.fingerprint},
                   {"rules", header.rules_dir},
                   {"tasks", header.tasks}});
}

void write_shard_entry(std::ostream& out, const TimelineEntry& e) {
  json mentions = json::array();
  for (auto& m : e.mentions) mentions.push_back(mention_in_shard(m));
  write_line(out, {{"record", "entry"},
                   {"event_id", e.event_id},
                   {"title", e.title},
                   {"category", e.category},
                   {"rule", e.rule_id},
                   {"date", e.date.value},
                   {"conflicts_with", e.conflicts_with},
                   {"conflict_count", e.conflict_count},
                   {"mentions", std::move(mentions)}});
}

void write_shard_undated(std::ostream& out, const EventMention& m) {
  write_line(out, {{"record", "undated"}, {"mention", mention_in_shard(m)}});
}

void write_shard_end(std::ostream& out, std::size_t entries, std::size_t undated) {
  write_line(out, {{"record", "end"}, {"entries", entries}, {"undated", undated}});
}

void write_entries(std::ostream& out, const ShardHeader& header, const Timeline& t) {
  write_shard_header(out, header);
  for (auto& e : t.entries) write_shard_entry(out, e);
  for (auto& m : t.undated) write_shard_undated(out, m);
  write_shard_end(out, t.entries.size(), t.undated.size());
}

ReduceCounts reduce_bucket(std::vector<BucketStream>& streams, const ShardHeader& header, std::ostream& out,
                           std::vector<Diagnostic>& problems) {
  write_shard_header(out, header);
  ReduceCounts n;
  // The streams by their next identity; of one identity, the first given first.
  auto later = [&](std::size_t a, std::size_t b) {
    int c = streams[a].head()->compare(*streams[b].head());
    return c != 0 ? c > 0 : a > b;
  };
  std::priority_queue<std::size_t, std::vector<std::size_t>, decltype(later)> heads(later);
  for (std::size_t i = 0; i < streams.size(); ++i)
    if (streams[i].head()) heads.push(i);
  std::vector<std::size_t> at;
  while (!heads.empty()) {
    const std::string identity = *streams[heads.top()].head();
    at.clear();
    for (; !heads.empty() && *streams[heads.top()].head() == identity; heads.pop()) at.push_back(heads.top());
    merge::MentionQueue mentions;
    for (std::size_t i : at) {
      streams[i].take(mentions, problems);
      if (streams[i].head()) heads.push(i);
    }
    if (mentions.empty()) continue;  // every one of a dropped source
    Timeline t = merge::merge_identities(std::move(mentions));
    for (auto& e : t.entries) write_shard_entry(out, e);
    for (auto& m : t.undated) write_shard_undated(out, m);
    n.entries += t.entries.size();
    n.undated += t.undated.size();
  }
  for (auto& s : streams) s.finish(problems);
  write_shard_end(out, n.entries, n.undated);
  return n;
}

void read_entries(std::istream& in, const std::string& name, const std::unordered_map<std::string, SharedSource>& sources,
                  EntriesInput& into, std::vector<Diagnostic>& problems) {
  auto report = [&](Severity s, long line, std::string message) {
    problems.push_back({s, name, int(line), 0, "", std::move(message)});
  };
  std::vector<TimelineEntry> entries;
  std::vector<EventMention> undated;
  std::optional<ShardHeader> header;
  bool ended = false;
  std::uint64_t hash = kFnv1aBasis;
  std::string line;
  long n = 0;
  while (std::getline(in, line)) {
    ++n;
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    hash = fnv1a(line, fnv1a("\n", hash));
    json j = json::parse(line, nullptr, false);
    if (j.is_discarded() || !j.is_object()) {
      report(Severity::Error, n, in.eof() ? "the shard ends inside a record (cut short)" : "not a JSON object");
      continue;
    }
    std::string kind = string_field(j, "record");
    if (ended) {
      report(Severity::Error, n, "a record after the end record");
      continue;
    }
    if (!header) {
      auto buckets = j.find("buckets"), bucket = j.find("bucket");
      if (kind != "entries" || buckets == j.end() || !buckets->is_number_unsigned() || buckets->get<std::size_t>() == 0 ||
          bucket == j.end() || !bucket->is_number_unsigned() || bucket->get<std::size_t>() >= buckets->get<std::size_t>()) {
        report(Severity::Error, n, "does not start with an \"entries\" record naming its bucket: not a shard of annals merge --entries");
        return;
      }
      ShardHeader h;
      h.bucket = bucket->get<std::size_t>();
      h.buckets = buckets->get<std::size_t>();
      h.fingerprint = string_field(j, "fingerprint");
      h.rules_dir = string_field(j, "rules");
      if (auto tasks = j.find("tasks"); tasks != j.end() && tasks->is_object())
        for (auto& [task, count] : tasks->items())
          if (count.is_number_unsigned()) h.tasks[task] = count.get<std::size_t>();
      header = std::move(h);
      continue;
    }
    if (kind == "entry") {
      TimelineEntry e;
      e.event_id = string_field(j, "event_id");
      e.title = string_field(j, "title");
      e.category = string_field(j, "category");
      e.rule_id = string_field(j, "rule");
      auto date = temporal::interval_of(string_field(j, "date"));
      auto mentions = j.find("mentions");
      if (e.event_id.empty() || !date || mentions == j.end() || !mentions->is_array() || mentions->empty()) {
        report(Severity::Error, n, "entry needs an \"event_id\", a calendar \"date\" and \"mentions\"");
        continue;
      }
      e.date = std::move(*date);
      if (auto c = j.find("conflicts_with"); c != j.end() && c->is_array())
        for (auto& id : *c)
          if (id.is_string()) e.conflicts_with.push_back(id.get<std::string>());
      if (auto c = j.find("conflict_count"); c != j.end() && c->is_number_unsigned()) e.conflict_count = c->get<std::size_t>();
      bool ok = true;
      for (auto& mj : *mentions) {
        auto m = mention_of_shard(mj, sources);
        if (!m.ok()) {
          report(Severity::Error, n, m.status().message());
          ok = false;
          break;
        }
        e.mentions.push_back(std::move(*m));
      }
      if (ok) entries.push_back(std::move(e));
    } else if (kind == "undated") {
      auto m = mention_of_shard(j.value("mention", json{}), sources);
      if (!m.ok()) report(Severity::Error, n, m.status().message());
      else undated.push_back(std::move(*m));
    } else if (kind == "end") {
      auto count = [&](const char* key) { return j.contains(key) && j[key].is_number_unsigned() ? j[key].get<std::size_t>() : 0; };
      if (count("entries") != entries.size() || count("undated") != undated.size())
        report(Severity::Error, n,
               fmt::format("the end record counts {} entries and {} undated mention(s), the shard holds {} and {}: it was cut or edited",
                           count("entries"), count("undated"), entries.size(), undated.size()));
      ended = true;
    } else {
      report(Severity::Error, n, fmt::format("unknown record \"{}\" in an entry shard (expected entry, undated or end)", kind));
    }
  }
  if (!header) {
    report(Severity::Error, 0, "is empty: not a shard of annals merge --entries");
    return;
  }
  if (!ended) {
    report(Severity::Error, n, "no end record: the shard was cut short");
    return;
  }
  for (auto& s : into.shards)
    if (s.header.bucket == header->bucket && s.hash == hash) {
      report(Severity::Note, 0, fmt::format("the same shard as {}: read once", s.name));
      return;
    }
  into.shards.push_back({name, std::move(*header), hash});
  std::move(entries.begin(), entries.end(), std::back_inserter(into.entries));
  std::move(undated.begin(), undated.end(), std::back_inserter(into.undated));
}

std::vector<std::string> missing_pieces(const std::vector<TaskRecord>& tasks, const EntriesInput& shards) {
  std::vector<std::string> out;
  std::size_t buckets = 0;
  std::map<std::string, const TaskRecord*> by_task;
  for (auto& t : tasks) {
    if (t.bucket) {
      out.push_back(fmt::format("{}: a bucket file, not a sources file: give it to annals merge --entries", t.where));
      continue;
    }
    if (buckets == 0) buckets = t.buckets;
    if (t.buckets != buckets) {
      out.push_back(fmt::format("{}: task {} has {} buckets, others {}: extract every task with one --buckets", t.where, t.task,
                                t.buckets, buckets));
      continue;
    }
    auto [it, fresh] = by_task.emplace(t.task, &t);
    if (!fresh && it->second->bucket_mentions != t.bucket_mentions)
      out.push_back(fmt::format("{}: task {} is also in {} with other counts: two runs of one task id over different sources",
                                t.where, t.task, it->second->where));
  }
  if (by_task.empty()) out.push_back("no sources file (TASK.sources.jsonl) given");
  std::vector<const EntriesInput::Shard*> of_bucket(buckets, nullptr);
  for (auto& s : shards.shards) {
    if (s.header.buckets != buckets) {
      out.push_back(fmt::format("{}: a shard of {} buckets, the sources files say {}", s.name, s.header.buckets, buckets));
      continue;
    }
    if (of_bucket[s.header.bucket]) {
      out.push_back(fmt::format("{} and {} both reduce bucket {}: give one", of_bucket[s.header.bucket]->name, s.name, s.header.bucket));
      continue;
    }
    of_bucket[s.header.bucket] = &s;
  }
  for (std::size_t b = 0; b < buckets; ++b) {
    const EntriesInput::Shard* s = of_bucket[b];
    if (!s) {
      out.push_back(fmt::format("bucket {} of {}: no entry shard ({}) given", b, buckets, entries_file_name(b, buckets)));
      continue;
    }
    for (auto& [task, record] : by_task) {
      auto it = s->header.tasks.find(task);
      std::size_t want = record->bucket_mentions[b];
      if (it == s->header.tasks.end())
        out.push_back(fmt::format("{}: {} was not reduced into it (the bucket file is missing, or the task ran after the reduce)", s->name,
                                  bucket_file_name(task, b, buckets)));
      else if (it->second != want)
        out.push_back(fmt::format("{}: holds {} mention(s) of task {}, whose sources file says {}: {} is stale or was replaced",
                                  s->name, it->second, task, want, bucket_file_name(task, b, buckets)));
    }
    for (auto& [task, count] : s->header.tasks)
      if (!by_task.count(task))
        out.push_back(fmt::format("{}: reduced task {}, whose sources file {} was not given", s->name, task, sources_file_name(task)));
  }
  return out;
}

Timeline concatenate_shards(EntriesInput shards) {
  Timeline t;
  t.entries = std::move(shards.entries);
  std::stable_sort(t.entries.begin(), t.entries.end(), [](const TimelineEntry& a, const TimelineEntry& b) {
    return a.mentions.front().identity < b.mentions.front().identity;
  });
  t.undated = std::move(shards.undated);
  std::stable_sort(t.undated.begin(), t.undated.end(), merge::undated_order);
  return t;
}

}  // namespace annals::interchange
