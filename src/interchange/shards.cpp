#include "interchange/shards.h"

#include <algorithm>
#include <cctype>
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
  std::vector<std::vector<EventMention>> of_bucket(buckets_.size());
  for (auto& m : mentions) of_bucket[bucket_of(m.identity, buckets_.size())].push_back(std::move(m));
  // In a bucket file the source record says who its mentions are; the
  // signature is for the final step only, in the sources file.
  const merge::SourceRecord unsigned_record{source.info, {}};
  for (std::size_t b = 0; b < buckets_.size(); ++b) {
    if (of_bucket[b].empty()) continue;
    write_source(buckets_[b].out(), unsigned_record, of_bucket[b], origin_);
    ++buckets_[b].sources;
    buckets_[b].mentions += of_bucket[b].size();
  }
  write_source(sources_.out(), source, {}, origin_);
  ++sources_.sources;
  bands_->add(source);
}

void BucketWriter::add(const Diagnostic& d) { write_diagnostic(sources_.out(), d); }

Status BucketWriter::finish() {
  std::vector<std::size_t> counts;
  for (std::size_t b = 0; b < buckets_.size(); ++b) {
    File& f = buckets_[b];
    write_line(f.out(), {{"record", "task"}, {"task", task_}, {"bucket", b}, {"buckets", buckets_.size()}, {"mentions", f.mentions},
                        {"rules", origin_.rules_dir}, {"fingerprint", origin_.fingerprint}});
    write_end(f.out(), f.sources);
    counts.push_back(f.mentions);
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

void write_entries(std::ostream& out, const ShardHeader& header, const Timeline& t) {
  write_line(out, {{"record", "entries"},
                   {"bucket", header.bucket},
                   {"buckets", header.buckets},
                   {"fingerprint", header.fingerprint},
                   {"rules", header.rules_dir},
                   {"tasks", header.tasks}});
  for (auto& e : t.entries) {
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
  for (auto& m : t.undated) write_line(out, {{"record", "undated"}, {"mention", mention_in_shard(m)}});
  write_line(out, {{"record", "end"}, {"entries", t.entries.size()}, {"undated", t.undated.size()}});
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
