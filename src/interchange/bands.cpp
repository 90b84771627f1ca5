#include "interchange/bands.h"

#include <algorithm>
#include <charconv>
#include <numeric>

#include <fmt/format.h>

#include "core/hash.h"
#include "interchange/shards.h"

namespace annals::interchange {

using nlohmann::json;

namespace {

void write_line(std::ostream& out, const json& j) { out << j.dump(-1, ' ', false, json::error_handler_t::replace) << '\n'; }

// A key as three 16-bit words: its band (at most 255) and its two values.
std::string keys_to_text(const std::vector<std::uint64_t>& keys) {
  merge::Signature words;
  for (auto k : keys) {
    words.push_back(std::uint16_t(k >> 32));
    words.push_back(std::uint16_t(k >> 16));
    words.push_back(std::uint16_t(k));
  }
  return signature_to_text(words);
}

std::optional<std::vector<std::uint64_t>> keys_from_text(std::string_view text) {
  auto words = signature_from_text(text);
  if (!words || words->size() % 3 != 0) return std::nullopt;
  std::vector<std::uint64_t> keys;
  for (std::size_t i = 0; i < words->size(); i += 3) {
    if ((*words)[i] >= merge::kBands) return std::nullopt;
    keys.push_back(std::uint64_t((*words)[i]) << 32 | std::uint64_t((*words)[i + 1]) << 16 | (*words)[i + 2]);
  }
  return keys;
}

std::optional<std::uint64_t> hex64(std::string_view s) {
  std::uint64_t v = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v, 16);
  if (s.size() != 16 || ec != std::errc() || end != s.data() + s.size()) return std::nullopt;
  return v;
}

std::optional<std::size_t> count_field(const json& j, const char* key) {
  auto it = j.find(key);
  if (it == j.end() || !it->is_number_unsigned()) return std::nullopt;
  return it->get<std::size_t>();
}

// Calls f(line number, record, its "record" kind) for each line of `in`
// that holds something (f returns false to stop); a line that is no JSON
// object is reported and skipped. Returns a hash of the lines read (to
// tell a file given twice).
template <typename F>
std::uint64_t for_each_record(std::istream& in, const char* what, const std::function<void(long, std::string)>& report, F&& f) {
  std::uint64_t hash = kFnv1aBasis;
  std::string line;
  long n = 0;
  while (std::getline(in, line)) {
    ++n;
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    hash = fnv1a(line, fnv1a("\n", hash));
    json j = json::parse(line, nullptr, false);
    if (j.is_discarded() || !j.is_object()) {
      report(n, in.eof() ? fmt::format("{} ends inside a record (cut short)", what) : "not a JSON object");
      continue;
    }
    if (!f(n, j, string_field(j, "record"))) break;
  }
  return hash;
}

}  // namespace

std::string bands_file_name(const std::string& task, std::size_t bucket, std::size_t buckets) {
  return fmt::format("{}.bands-{}-of-{}.jsonl", task, bucket, buckets);
}

std::string pairs_file_name(std::size_t bucket, std::size_t buckets) { return fmt::format("pairs-{}-of-{}.jsonl", bucket, buckets); }

Result<BandWriter> BandWriter::open(const std::filesystem::path& dir, const std::string& task, std::size_t buckets, PartOrigin origin) {
  BandWriter w;
  w.task_ = task;
  w.origin_ = std::move(origin);
  w.counts_.assign(buckets, 0);
  for (std::size_t b = 0; b < buckets; ++b) {
    auto file = AtomicFile::create(dir / bands_file_name(task, b, buckets));
    if (!file.ok()) return file.status();
    w.files_.push_back(std::move(*file));
  }
  return w;
}

void BandWriter::add(const merge::SourceRecord& source) {
  if (source.signature.size() != merge::kSignatureSize) return;
  std::vector<std::vector<std::uint64_t>> of_bucket(files_.size());
  for (std::size_t band = 0; band < merge::kBands; ++band) {
    std::uint64_t key = merge::band_key(source.signature, band);
    of_bucket[merge::band_bucket(key, files_.size())].push_back(key);
  }
  std::string copy = fmt::format("{:016x}", merge::copy_key(source.signature));
  for (std::size_t b = 0; b < files_.size(); ++b) {
    if (of_bucket[b].empty()) continue;
    write_line(files_[b].out(), {{"record", "bands"}, {"source", source.info.file}, {"copy", copy}, {"keys", keys_to_text(of_bucket[b])}});
    ++counts_[b];
  }
}

Status BandWriter::flush() {
  for (std::size_t b = 0; b < files_.size(); ++b) {
    write_line(files_[b].out(), {{"record", "task"}, {"task", task_}, {"band_bucket", b}, {"buckets", files_.size()},
                                 {"sources", counts_[b]}, {"rules", origin_.rules_dir}, {"fingerprint", origin_.fingerprint}});
    write_end(files_[b].out(), counts_[b]);
    if (Status s = files_[b].flush(); !s.ok()) return s;
  }
  return Status();
}

Status BandWriter::commit() {
  for (auto& f : files_)
    if (Status s = f.commit(); !s.ok()) return s;
  return Status();
}

void read_bands(std::istream& in, const std::string& name, BandsInput& into, std::vector<Diagnostic>& problems) {
  auto report = [&](long line, std::string message) { problems.push_back({Severity::Error, name, int(line), 0, "", std::move(message)}); };
  std::vector<BandSource> sources;
  std::optional<std::pair<std::string, std::size_t>> task;
  bool ended = false, refused = false;
  long n = 0;
  for_each_record(in, "the band file", report, [&](long line, const json& j, const std::string& kind) {
    n = line;
    if (ended) {
      report(n, "a record after the end record");
    } else if (kind == "bands" && !task) {
      BandSource s;
      s.file = string_field(j, "source");
      auto copy = hex64(string_field(j, "copy"));
      auto keys = keys_from_text(string_field(j, "keys"));
      if (s.file.empty() || !copy || !keys || keys->empty()) {
        report(n, "a bands record needs a \"source\", a \"copy\" key (16 hex digits) and band \"keys\"");
        return true;
      }
      s.copy = *copy;
      s.keys = std::move(*keys);
      sources.push_back(std::move(s));
    } else if (kind == "task" && !task) {
      auto bucket = count_field(j, "band_bucket"), buckets = count_field(j, "buckets"), count = count_field(j, "sources");
      std::string t = string_field(j, "task");
      if (t.empty() || !bucket || !buckets || *buckets == 0 || *bucket >= *buckets || !count) {
        report(n, "task record needs a \"task\", a \"band_bucket\" below \"buckets\" and a \"sources\" count: not a band file");
        return !(refused = true);
      }
      if (into.bucket && (*into.bucket != *bucket || into.buckets != *buckets)) {
        report(n, fmt::format("band bucket {} of {}, where others are bucket {} of {}: give the band files of one bucket", *bucket, *buckets,
                              *into.bucket, into.buckets));
        return !(refused = true);
      }
      std::string fingerprint = string_field(j, "fingerprint");
      if (into.bucket && fingerprint != into.fingerprint) {
        report(n, "made with another rule pack or annals version than the other band files");
        return !(refused = true);
      }
      into.bucket = bucket;
      into.buckets = *buckets;
      into.fingerprint = fingerprint;
      task.emplace(t, *count);
    } else if (kind == "end" && task) {
      ended = true;
    } else {
      report(n, fmt::format("unexpected record \"{}\" (a band file is bands records, a task record, the end record)", kind));
    }
    return true;
  });
  if (refused) return;
  if (!ended || !task) {
    report(n, "no task and end record: the band file was cut short, or is no band file of annals extract --buckets");
    return;
  }
  if (task->second != sources.size()) {
    report(n, fmt::format("the task record counts {} bands record(s), the file holds {}: it was cut or edited", task->second, sources.size()));
    return;
  }
  auto [it, fresh] = into.tasks.emplace(task->first, task->second);
  if (!fresh) {
    if (it->second != task->second) report(0, fmt::format("task {} is given twice with other contents", task->first));
    return;  // the same task twice: read once
  }
  std::move(sources.begin(), sources.end(), std::back_inserter(into.sources));
}

CandidatePairs band_bucket_pairs(std::vector<BandSource> sources) {
  std::stable_sort(sources.begin(), sources.end(), [](auto& a, auto& b) { return a.file < b.file; });
  sources.erase(std::unique(sources.begin(), sources.end(), [](auto& a, auto& b) { return a.file == b.file; }), sources.end());
  // Copies band once, as their first file: the first of each copy key in file order.
  std::vector<std::size_t> by_copy(sources.size());
  std::iota(by_copy.begin(), by_copy.end(), 0);
  std::stable_sort(by_copy.begin(), by_copy.end(), [&](std::size_t a, std::size_t b) { return sources[a].copy < sources[b].copy; });
  std::vector<bool> banded(sources.size(), false);
  for (std::size_t k = 0; k < by_copy.size(); ++k)
    banded[by_copy[k]] = k == 0 || sources[by_copy[k]].copy != sources[by_copy[k - 1]].copy;
  std::vector<std::size_t> ranked;  // rank -> index into sources
  std::vector<merge::BandEntry> entries;
  for (std::size_t i = 0; i < sources.size(); ++i) {
    if (!banded[i]) continue;
    for (auto key : sources[i].keys) entries.push_back({key, std::uint32_t(ranked.size())});
    ranked.push_back(i);
  }
  std::vector<std::pair<std::uint32_t, std::uint32_t>> pairs;
  merge::for_each_band_candidate(entries, [&](std::uint32_t i, std::uint32_t j) { pairs.emplace_back(i, j); });
  std::vector<merge::BandEntry>().swap(entries);
  std::sort(pairs.begin(), pairs.end());
  pairs.erase(std::unique(pairs.begin(), pairs.end()), pairs.end());
  CandidatePairs out;
  for (auto [i, j] : pairs) {
    const std::string& first = sources[ranked[i]].file;
    if (out.empty() || out.back().first != first) out.emplace_back(first, std::vector<std::string>{});
    out.back().second.push_back(sources[ranked[j]].file);
  }
  return out;
}

void write_pairs(std::ostream& out, const PairsHeader& header, const CandidatePairs& pairs) {
  write_line(out, {{"record", "pairs"},
                   {"bucket", header.bucket},
                   {"buckets", header.buckets},
                   {"fingerprint", header.fingerprint},
                   {"tasks", header.tasks}});
  std::size_t count = 0;
  for (auto& [first, with] : pairs) {
    write_line(out, {{"record", "pair"}, {"source", first}, {"with", with}});
    count += with.size();
  }
  write_line(out, {{"record", "end"}, {"pairs", count}});
}

void read_pairs(std::istream& in, const std::string& name, const std::function<bool(std::string_view, std::string_view)>& candidate,
                std::vector<PairsFile>& headers, std::vector<Diagnostic>& problems) {
  auto report = [&](Severity s, long line, std::string message) { problems.push_back({s, name, int(line), 0, "", std::move(message)}); };
  std::optional<PairsHeader> header;
  bool ended = false, refused = false;
  std::size_t count = 0;
  long n = 0;
  auto error = [&](long line, std::string message) { report(Severity::Error, line, std::move(message)); };
  std::uint64_t hash = for_each_record(in, "the pairs file", error, [&](long line, const json& j, const std::string& kind) {
    n = line;
    if (ended) {
      report(Severity::Error, n, "a record after the end record");
    } else if (!header) {
      auto bucket = count_field(j, "bucket"), buckets = count_field(j, "buckets");
      if (kind != "pairs" || !bucket || !buckets || *buckets == 0 || *bucket >= *buckets) {
        report(Severity::Error, n, "does not start with a \"pairs\" record naming its band bucket: not a pairs file of annals merge --bands");
        return !(refused = true);
      }
      PairsHeader h;
      h.bucket = *bucket;
      h.buckets = *buckets;
      h.fingerprint = string_field(j, "fingerprint");
      if (auto tasks = j.find("tasks"); tasks != j.end() && tasks->is_object())
        for (auto& [task, c] : tasks->items())
          if (c.is_number_unsigned()) h.tasks[task] = c.get<std::size_t>();
      header = std::move(h);
    } else if (kind == "pair") {
      std::string first = string_field(j, "source");
      auto with = j.find("with");
      if (first.empty() || with == j.end() || !with->is_array()) {
        report(Severity::Error, n, "a pair record needs a \"source\" and the files it pairs \"with\"");
        return true;
      }
      for (auto& w : *with) {
        ++count;
        if (!w.is_string() || !candidate(first, w.get_ref<const std::string&>())) {
          report(Severity::Error, n,
                 fmt::format("pairs {} with {}, which the sources files given do not hold (a pairs file of another run?)", first, w.dump()));
          break;
        }
      }
    } else if (kind == "end") {
      if (count_field(j, "pairs") != count)
        report(Severity::Error, n, fmt::format("the end record counts {} pairs, the file holds {}: it was cut or edited",
                                               count_field(j, "pairs").value_or(0), count));
      ended = true;
    } else {
      report(Severity::Error, n, fmt::format("unknown record \"{}\" in a pairs file (expected pair or end)", kind));
    }
    return true;
  });
  if (refused) return;
  if (!header) {
    report(Severity::Error, 0, "is empty: not a pairs file of annals merge --bands");
    return;
  }
  if (!ended) {
    report(Severity::Error, n, "no end record: the pairs file was cut short");
    return;
  }
  for (auto& h : headers)
    if (h.header.bucket == header->bucket && h.hash == hash) {
      report(Severity::Note, 0, fmt::format("the same pairs file as {}: read once", h.name));
      return;
    }
  headers.push_back({name, std::move(*header), hash});
}

std::vector<std::string> missing_pairs(const std::vector<TaskRecord>& tasks, const std::vector<PairsFile>& pairs) {
  std::vector<std::string> out;
  std::size_t buckets = 0;
  std::map<std::string, const TaskRecord*> by_task;
  for (auto& t : tasks) {
    if (t.bucket) continue;  // missing_pieces names it
    if (t.bucket_bands.size() != t.buckets) {
      out.push_back(fmt::format("{}: task {} counts no band files (extracted by an older annals): give no pairs files, or extract it again",
                                t.where, t.task));
      continue;
    }
    buckets = t.buckets;
    by_task.emplace(t.task, &t);
  }
  std::vector<const PairsFile*> of_bucket(buckets, nullptr);
  for (auto& p : pairs) {
    if (p.header.buckets != buckets) {
      out.push_back(fmt::format("{}: a pairs file of {} band buckets, the sources files say {}", p.name, p.header.buckets, buckets));
      continue;
    }
    if (of_bucket[p.header.bucket]) {
      out.push_back(fmt::format("{} and {} both hold band bucket {}: give one", of_bucket[p.header.bucket]->name, p.name, p.header.bucket));
      continue;
    }
    of_bucket[p.header.bucket] = &p;
  }
  for (std::size_t b = 0; b < buckets; ++b) {
    const PairsFile* p = of_bucket[b];
    if (!p) {
      out.push_back(fmt::format("band bucket {} of {}: no pairs file ({}) given", b, buckets, pairs_file_name(b, buckets)));
      continue;
    }
    for (auto& [task, record] : by_task) {
      auto it = p->header.tasks.find(task);
      std::size_t want = record->bucket_bands[b];
      if (it == p->header.tasks.end())
        out.push_back(fmt::format("{}: {} was not read into it (the band file is missing, or the task ran after the band step)", p->name,
                                  bands_file_name(task, b, buckets)));
      else if (it->second != want)
        out.push_back(fmt::format("{}: read {} band line(s) of task {}, whose sources file says {}: {} is stale or was replaced", p->name,
                                  it->second, task, want, bands_file_name(task, b, buckets)));
    }
    for (auto& [task, count] : p->header.tasks)
      if (!by_task.count(task))
        out.push_back(fmt::format("{}: read task {}, whose sources file {} was not given", p->name, task, sources_file_name(task)));
  }
  return out;
}

}  // namespace annals::interchange
