#include "interchange/records.h"

#include <algorithm>
#include <iterator>

#include <fmt/format.h>

#include "core/hash.h"

#include "temporal/calendar.h"

namespace annals::interchange {

using nlohmann::json;

namespace {

const json::error_handler_t kReplace = json::error_handler_t::replace;

json span_json(const Span& s) { return {{"start", s.begin}, {"end", s.end}}; }

bool read_span(const json& j, Span& s) {
  if (!j.is_object() || !j.contains("start") || !j.contains("end") || !j["start"].is_number_unsigned() || !j["end"].is_number_unsigned())
    return false;
  s = {j["start"].get<std::size_t>(), j["end"].get<std::size_t>()};
  return true;
}

// Fields of the wrong type read as absent: a record written by another
// program must not make nlohmann::json throw.
std::string str(const json& j, const char* key) { return string_field(j, key); }

bool flag(const json& j, const char* key) {
  auto it = j.find(key);
  return it != j.end() && it->is_boolean() && it->get<bool>();
}

template <typename Int>
Int number(const json& j, const char* key) {
  auto it = j.find(key);
  return it != j.end() && it->is_number_integer() && (std::is_signed_v<Int> || it->is_number_unsigned()) ? it->get<Int>() : Int{0};
}

std::vector<std::string> strings(const json& j, const char* key) {
  std::vector<std::string> out;
  auto it = j.find(key);
  if (it == j.end() || !it->is_array()) return out;
  for (auto& v : *it)
    if (v.is_string()) out.push_back(v.get<std::string>());
  return out;
}

std::optional<TimexType> timex_type(const std::string& s) {
  for (auto t : {TimexType::Date, TimexType::Time, TimexType::Duration, TimexType::Set})
    if (s == timex_type_name(t)) return t;
  return std::nullopt;
}

const char* severity_name(Severity s) { return s == Severity::Error ? "error" : s == Severity::Warning ? "warning" : "note"; }

}  // namespace

std::string string_field(const json& j, const char* key) {
  auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : std::string{};
}

json source_to_json(const SourceInfo& s) {
  json j{{"file", s.file}, {"title", s.title}, {"outlet", s.outlet}, {"url", s.url}};
  if (!s.image.empty()) j["image"] = s.image;
  j["published"] = s.published ? json(temporal::format_iso_day(*s.published)) : json(nullptr);
  j["published_from"] = s.published_from;
  j["doc_type"] = s.doc_type;
  j["doc_type_from"] = s.doc_type_from;
  return j;
}

json mention_to_json(const EventMention& m) {
  json j{{"rule", m.rule_id},
         {"title", m.title},
         {"identity", m.identity},
         {"terms", m.terms},
         {"category", m.category},
         {"recurring", m.recurring},
         {"actors", m.actors},
         {"tags", m.tags},
         {"source", source_to_json(*m.source)},
         {"evidence", m.evidence},
         {"match", span_json(m.match)},
         {"sentence", span_json(m.sentence)},
         {"evidence_event", span_json(m.evidence_event)}};
  if (m.date) {
    json d{{"text", m.date->text},
           {"rule", m.date->rule_id},
           {"type", timex_type_name(m.date->type)},
           {"value", m.date->value},
           {"start", m.date->span.begin},
           {"end", m.date->span.end}};
    d["date_start"] = m.dated() ? json(temporal::format_iso_day(m.date->interval->first)) : json(nullptr);
    d["date_end"] = m.dated() ? json(temporal::format_iso_day(m.date->interval->last)) : json(nullptr);
    if (!m.date->mod.empty()) d["mod"] = m.date->mod;
    if (!m.date->unresolved_reason.empty()) d["unresolved"] = m.date->unresolved_reason;
    if (m.date->anchor) {
      d["anchor"] = span_json(m.date->anchor->span);
      d["anchor"]["text"] = m.date->anchor->text;
    }
    j["date"] = d;
    if (!m.date_basis.empty()) j["date_basis"] = m.date_basis;
    if (m.evidence_date) j["evidence_date"] = span_json(*m.evidence_date);
  } else {
    j["date"] = nullptr;
  }
  return j;
}

json diagnostic_to_json(const Diagnostic& d) {
  return {{"severity", severity_name(d.severity)}, {"file", d.file}, {"line", d.line},
          {"column", d.column}, {"rule", d.rule_id}, {"message", d.message}};
}

Result<SourceInfo> source_from_json(const json& j) {
  if (!j.is_object() || !j.contains("file") || !j["file"].is_string()) {
    return Status::error("source needs a \"file\" string");
  }
  SourceInfo s;
  s.file = str(j, "file");
  s.title = str(j, "title");
  s.outlet = str(j, "outlet");
  s.url = str(j, "url");
  s.image = str(j, "image");
  s.published_from = str(j, "published_from");
  s.doc_type = str(j, "doc_type");
  s.doc_type_from = str(j, "doc_type_from");
  if (auto p = str(j, "published"); !p.empty()) {
    s.published = temporal::parse_iso_day(p);
    if (!s.published) {
      return Status::error(fmt::format("published \"{}\" is not YYYY-MM-DD", p));
    }
  }
  return s;
}

Result<EventMention> mention_from_json(const json& j, const SharedSource* source_of_record) {
  if (!j.is_object()) {
    return Status::error("mention must be an object");
  }
  EventMention m;
  m.rule_id = str(j, "rule");
  m.title = str(j, "title");
  m.identity = str(j, "identity");
  m.category = str(j, "category");
  if (m.rule_id.empty() || m.identity.empty()) {
    return Status::error("mention needs \"rule\" and \"identity\"");
  }
  m.recurring = flag(j, "recurring");
  m.actors = strings(j, "actors");
  m.terms = strings(j, "terms");
  m.tags = strings(j, "tags");
  auto src = j.find("source");
  if (src == j.end()) {
    return Status::error("mention needs a \"source\"");
  }
  if (src->is_string()) {
    // A record's reference to its source record.
    if (!source_of_record || src->get_ref<const std::string&>() != (*source_of_record)->file)
      return Status::error(fmt::format("mention of source \"{}\" is not among the mention records of its source record",
                                       src->get_ref<const std::string&>()));
    m.source = *source_of_record;
  } else {
    auto source = source_from_json(*src);
    if (!source.ok()) return source.status();
    m.source = std::move(*source);
  }
  m.evidence = str(j, "evidence");
  if (!read_span(j.value("match", json{}), m.match) || !read_span(j.value("evidence_event", json{}), m.evidence_event)) {
    return Status::error("mention needs \"match\" and \"evidence_event\" spans");
  }
  read_span(j.value("sentence", json{}), m.sentence);
  if (auto d = j.find("date"); d != j.end() && d->is_object()) {
    DateMention dm;
    dm.text = str(*d, "text");
    dm.rule_id = str(*d, "rule");
    auto type = timex_type(str(*d, "type"));
    if (!type) {
      return Status::error("date needs a \"type\" of DATE, TIME, DURATION or SET");
    }
    dm.type = *type;
    dm.value = str(*d, "value");
    dm.mod = str(*d, "mod");
    dm.unresolved_reason = str(*d, "unresolved");
    dm.span = {number<std::size_t>(*d, "start"), number<std::size_t>(*d, "end")};
    if (Span as; d->contains("anchor") && read_span((*d)["anchor"], as)) dm.anchor = DateMention::Anchor{as, str((*d)["anchor"], "text")};
    // A value a rule left off the calendar (a reason beside it) stays off.
    if (!dm.value.empty() && dm.unresolved_reason.empty() && (dm.type == TimexType::Date || dm.type == TimexType::Time))
      dm.interval = temporal::interval_of(dm.value);
    m.date = std::move(dm);
    m.date_basis = str(j, "date_basis");
    Span ed;
    if (read_span(j.value("evidence_date", json{}), ed)) m.evidence_date = ed;
  }
  return m;
}

Result<Diagnostic> diagnostic_from_json(const json& j) {
  if (!j.is_object() || !j.contains("message")) {
    return Status::error("diagnostic needs a \"message\"");
  }
  Diagnostic d;
  std::string sev = str(j, "severity");
  d.severity = sev == "warning" ? Severity::Warning : sev == "note" ? Severity::Note : Severity::Error;
  d.file = str(j, "file");
  d.line = number<int>(j, "line");
  d.column = number<int>(j, "column");
  d.rule_id = str(j, "rule");
  d.message = str(j, "message");
  return d;
}

Result<InputDocument> input_document_from_json(std::string_view line) {
  json j = json::parse(line.begin(), line.end(), nullptr, false);
  if (j.is_discarded() || !j.is_object()) return Status::error("not a JSON object");
  InputDocument doc;
  auto required = [&](const char* key, std::string& into) {
    auto it = j.find(key);
    if (it == j.end() || !it->is_string()) return false;
    into = it->get<std::string>();
    return true;
  };
  if (!required("id", doc.id) || !required("text", doc.text)) return Status::error("expected {\"id\": string, \"text\": string, ...}");
  std::string published;
  for (auto [key, into] : {std::pair<const char*, std::string*>{"title", &doc.meta.title}, {"url", &doc.meta.url},
                           {"outlet", &doc.meta.outlet}, {"doc_type", &doc.meta.doc_type}, {"published", &published}}) {
    auto it = j.find(key);
    if (it == j.end() || it->is_null()) continue;
    if (!it->is_string()) return Status::error(fmt::format("\"{}\" must be a string or null, got {}", key, it->type_name()));
    *into = it->get<std::string>();
  }
  if (!doc.meta.doc_type.empty()) doc.meta.doc_type_from = "input record";
  if (!published.empty()) {
    doc.meta.published = temporal::parse_iso_day(published);
    if (!doc.meta.published) doc.warning = fmt::format("published \"{}\" is not YYYY-MM-DD; ignored", published);
  }
  return doc;
}

// Base64 (RFC 4648, standard alphabet, padded) of the values as big-endian
// 16-bit words: 684 characters for 256 values, where decimal took about
// 1,430 and hex 1,024. Hand-written: none of annals' libraries has it, and
// it is too small to be worth a dependency.
constexpr std::string_view kBase64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

std::string signature_to_text(const merge::Signature& signature) {
  std::string bytes;
  bytes.reserve(signature.size() * 2);
  for (auto v : signature) {
    bytes.push_back(char(v >> 8));
    bytes.push_back(char(v & 0xff));
  }
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  for (std::size_t i = 0; i < bytes.size(); i += 3) {
    std::size_t n = std::min<std::size_t>(3, bytes.size() - i);
    std::uint32_t group = 0;
    for (std::size_t k = 0; k < 3; ++k) group = group << 8 | (k < n ? std::uint8_t(bytes[i + k]) : 0u);
    for (std::size_t k = 0; k < 4; ++k) out.push_back(k <= n ? kBase64[(group >> (18 - 6 * k)) & 63] : '=');
  }
  return out;
}

std::optional<merge::Signature> signature_from_text(std::string_view text) {
  if (text.size() % 4 != 0) return std::nullopt;
  std::string_view digits = text.substr(0, text.find_last_not_of('=') + 1);
  if (text.size() - digits.size() > 2) return std::nullopt;
  std::string bytes;
  std::uint32_t bits = 0;
  int count = 0;
  for (char c : digits) {
    auto at = kBase64.find(c);
    if (at == std::string_view::npos) return std::nullopt;
    bits = bits << 6 | std::uint32_t(at);
    if ((count += 6) >= 8) bytes.push_back(char((bits >> (count -= 8)) & 0xff));
  }
  if (bytes.size() % 2 != 0) return std::nullopt;
  merge::Signature out;
  out.reserve(bytes.size() / 2);
  for (std::size_t i = 0; i < bytes.size(); i += 2)
    out.push_back(std::uint16_t(std::uint8_t(bytes[i]) << 8 | std::uint8_t(bytes[i + 1])));
  // Only the one spelling signature_to_text writes (no stray low bits): the
  // record hash that finds a source read twice compares spellings.
  if (signature_to_text(out) != text) return std::nullopt;
  return out;
}

json source_record(const merge::SourceRecord& source, std::size_t mentions, const PartOrigin& origin) {
  return {{"record", "source"},        {"source", source_to_json(source.info)}, {"signature", signature_to_text(source.signature)},
          {"rules", origin.rules_dir}, {"fingerprint", origin.fingerprint},     {"mentions", mentions}};
}

json mention_record(const EventMention& m, const std::string& source_file) {
  json j = mention_to_json(m);
  j["record"] = "mention";
  j["source"] = source_file;  // its metadata is in the source record, once
  return j;
}

std::string record_line(const json& record) { return record.dump(-1, ' ', false, kReplace); }

void write_source(std::ostream& out, const merge::SourceRecord& source, const std::vector<EventMention>& mentions,
                  const PartOrigin& origin) {
  out << record_line(source_record(source, mentions.size(), origin)) << '\n';
  for (auto& m : mentions) out << record_line(mention_record(m, source.info.file)) << '\n';
}

void write_diagnostic(std::ostream& out, const Diagnostic& d) {
  json j = diagnostic_to_json(d);
  j["record"] = "diagnostic";
  out << j.dump(-1, ' ', false, kReplace) << '\n';
}

void write_end(std::ostream& out, std::size_t sources) {
  out << json{{"record", "end"}, {"sources", sources}}.dump() << '\n';
}

void read_records(std::istream& in, const std::string& name, MergeInput& into, std::vector<Diagnostic>& problems) {
  std::string line;
  int n = 0;
  auto report = [&](Severity severity, int at, std::string msg) { problems.push_back({severity, name, at, 0, "", std::move(msg)}); };
  auto problem = [&](std::string msg) { report(Severity::Error, n, std::move(msg) + "; line skipped"); };
  // The source whose mention records are being read.
  struct Open {
    std::size_t source, first_mention;  // indexes into `into`
    std::optional<std::size_t> announced;
    std::size_t mentions = 0;
    std::uint64_t hash;
    int line;
    SharedSource shared;  // its metadata, once for all its mentions
  };
  std::optional<Open> open;
  std::size_t sources_since_end = 0, records = 0, ends = 0;
  int last_record_line = 0;
  auto close = [&] {
    if (!open) return;
    const std::string& file = into.sources[open->source].info.file;
    if (open->announced && *open->announced != open->mentions)
      report(Severity::Error, open->line,
             fmt::format("source {} announces {} mention record(s) but {} follow: the part was cut or edited", file, *open->announced,
                         open->mentions));
    std::string here = fmt::format("{}:{}", name, open->line);
    auto& reads = into.seen[file];
    auto same = std::find_if(reads.begin(), reads.end(), [&](auto& r) { return r.first == open->hash; });
    if (same != reads.end()) {
      // A retried or speculative map task, or a part given twice: expected
      // in a distributed run, so a note, and the outputs are those of one read.
      report(Severity::Note, open->line, read_twice_message(file, same->second, true));
      while (into.mentions.size() > open->first_mention) into.mentions.pop_back();
      into.sources.erase(into.sources.begin() + std::ptrdiff_t(open->source));
    } else {
      if (!reads.empty())
        report(Severity::Warning, open->line, read_twice_message(file, reads.front().second, false));
      reads.emplace_back(open->hash, here);
    }
    open.reset();
  };
  while (std::getline(in, line)) {
    ++n;
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    bool cut = in.eof();  // the last line, without its line end
    json j = json::parse(line, nullptr, false);
    if (j.is_discarded() || !j.is_object()) {
      problem(cut ? "the part ends inside a record (cut short)" : "not a JSON object");
      continue;
    }
    ++records;
    last_record_line = n;
    std::string kind = str(j, "record");
    if (kind == "source") {
      auto s = source_from_json(j.value("source", json{}));
      if (!s.ok()) {
        problem(s.status().message());
        continue;
      }
      close();
      merge::SourceRecord rec{*s, {}};
      if (auto sig = j.find("signature"); sig != j.end()) {
        auto values = sig->is_string() ? signature_from_text(sig->get_ref<const std::string&>()) : std::nullopt;
        if (!values || (!values->empty() && values->size() != merge::kSignatureSize))
          report(Severity::Error, n,
                 fmt::format("source {}: \"signature\" is not {} values in base64 (a part from an older annals? extract it "
                             "again); it is not checked for near-duplicates",
                             rec.info.file, merge::kSignatureSize));
        else rec.signature = std::move(*values);
      }
      if (into.rules_dir.empty()) into.rules_dir = str(j, "rules");
      std::string fingerprint = str(j, "fingerprint");
      if (std::none_of(into.fingerprints.begin(), into.fingerprints.end(), [&](auto& f) { return f.first == fingerprint; }))
        into.fingerprints.emplace_back(fingerprint, fmt::format("{}:{}", name, n));
      open = Open{into.sources.size(), into.mentions.size(), std::nullopt, 0, fnv1a(line), n, rec.info};
      if (auto m = j.find("mentions"); m != j.end() && m->is_number_unsigned()) open->announced = m->get<std::size_t>();
      into.sources.push_back(std::move(rec));
      ++sources_since_end;
    } else if (kind == "mention") {
      if (auto m = mention_from_json(j, open ? &open->shared : nullptr); m.ok()) {
        into.mentions.push_back(std::move(*m));
        if (open) {
          ++open->mentions;
          open->hash = fnv1a(line, fnv1a("\n", open->hash));
        }
      } else {
        problem(m.status().message());
      }
    } else if (kind == "diagnostic") {
      if (auto d = diagnostic_from_json(j); !d.ok()) problem(d.status().message());
      else if (into.seen_diagnostics.insert(fnv1a(line)).second) into.diagnostics.push_back(std::move(*d));
    } else if (kind == "end") {
      close();
      auto count = j.find("sources");
      if (count == j.end() || !count->is_number_unsigned() || count->get<std::size_t>() != sources_since_end)
        report(Severity::Error, n,
               fmt::format("the end record counts {} source(s) but {} came before it: the part was cut or edited",
                           count != j.end() && count->is_number_unsigned() ? count->get<std::size_t>() : 0, sources_since_end));
      sources_since_end = 0;
      ++ends;
    } else if (kind == "task") {
      close();
      if (auto t = task_from_json(j, fmt::format("{}:{}", name, n)); t.ok()) {
        // A bucket file may hold no source record: its task record names the pack.
        if (into.rules_dir.empty()) into.rules_dir = str(j, "rules");
        std::string fingerprint = str(j, "fingerprint");
        if (std::none_of(into.fingerprints.begin(), into.fingerprints.end(), [&](auto& f) { return f.first == fingerprint; }))
          into.fingerprints.emplace_back(fingerprint, t->where);
        into.tasks.push_back(std::move(*t));
      } else {
        problem(t.status().message());
      }
    } else {
      problem(fmt::format("unknown record \"{}\" (expected source, mention, diagnostic, task or end)", kind));
    }
  }
  close();
  if (n == 0) report(Severity::Error, 0, "is empty: not a part written by annals extract");
  else if (records == 0) report(Severity::Error, 0, "holds no record: not a part written by annals extract");
  else if (sources_since_end > 0 || ends == 0)
    report(Severity::Error, last_record_line,
           fmt::format("no end record after line {}: the part was cut short, and what came after it is missing", last_record_line));
}

Result<TaskRecord> task_from_json(const json& j, std::string where) {
  TaskRecord t;
  t.task = str(j, "task");
  t.where = std::move(where);
  t.buckets = number<std::size_t>(j, "buckets");
  if (t.task.empty() || t.buckets == 0) return Status::error("task record needs a \"task\" name and a \"buckets\" count");
  if (auto b = j.find("bucket"); b != j.end()) {
    if (!b->is_number_unsigned() || b->get<std::size_t>() >= t.buckets)
      return Status::error(fmt::format("task record: \"bucket\" must be a number below {}", t.buckets));
    t.bucket = b->get<std::size_t>();
    t.mentions = number<std::size_t>(j, "mentions");
    return t;
  }
  auto counts = j.find("bucket_mentions");
  if (counts == j.end() || !counts->is_array() || counts->size() != t.buckets)
    return Status::error(fmt::format("task record: \"bucket_mentions\" must count the mentions of each of the {} buckets", t.buckets));
  for (auto& c : *counts) {
    if (!c.is_number_unsigned()) return Status::error("task record: \"bucket_mentions\" must hold counts");
    t.bucket_mentions.push_back(c.get<std::size_t>());
  }
  if (auto bands = j.find("bucket_bands"); bands != j.end()) {
    if (!bands->is_array() || bands->size() != t.buckets || !std::all_of(bands->begin(), bands->end(), [](auto& c) { return c.is_number_unsigned(); }))
      return Status::error(fmt::format("task record: \"bucket_bands\" must count the band lines of each of the {} buckets", t.buckets));
    for (auto& c : *bands) t.bucket_bands.push_back(c.get<std::size_t>());
  }
  return t;
}

std::string read_twice_message(const std::string& file, const std::string& where, bool same_records) {
  if (same_records) return fmt::format("source {} was already read from {} with the same records: dropped, counted once", file, where);
  return fmt::format("source {} was also read from {} with other records (another text, metadata or rule pack): both are kept, so it "
                     "counts twice",
                     file, where);
}

std::optional<std::string> mixed_fingerprints(const MergeInput& input) {
  if (input.fingerprints.size() < 2) return std::nullopt;
  std::string packs;
  for (auto& [fingerprint, where] : input.fingerprints)
    packs += fmt::format("\n  {}: {}", where, fingerprint.empty() ? "no fingerprint (written by an older annals)" : fingerprint);
  return fmt::format("parts extracted with {} different rule packs or annals versions cannot be merged into one timeline; "
                     "nothing was written (extract them again with one pack). The first source record of each:{}",
                     input.fingerprints.size(), packs);
}

}  // namespace annals::interchange
