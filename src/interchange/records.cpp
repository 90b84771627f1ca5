#include "interchange/records.h"

#include <fmt/format.h>

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
         {"source", source_to_json(m.source)},
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
  if (auto p = str(j, "published"); !p.empty()) {
    s.published = temporal::parse_iso_day(p);
    if (!s.published) {
      return Status::error(fmt::format("published \"{}\" is not YYYY-MM-DD", p));
    }
  }
  return s;
}

Result<EventMention> mention_from_json(const json& j) {
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
  auto source = source_from_json(*src);
  if (!source.ok()) return source.status();
  m.source = std::move(*source);
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
    if (!dm.value.empty() && (dm.type == TimexType::Date || dm.type == TimexType::Time))
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

void write_source(std::ostream& out, const merge::SourceRecord& source, const std::vector<EventMention>& mentions,
                  const std::string& rules_dir) {
  json s{{"record", "source"}, {"source", source_to_json(source.info)}, {"signature", source.signature}, {"rules", rules_dir}};
  out << s.dump(-1, ' ', false, kReplace) << '\n';
  for (auto& m : mentions) {
    json j = mention_to_json(m);
    j["record"] = "mention";
    out << j.dump(-1, ' ', false, kReplace) << '\n';
  }
}

void write_diagnostic(std::ostream& out, const Diagnostic& d) {
  json j = diagnostic_to_json(d);
  j["record"] = "diagnostic";
  out << j.dump(-1, ' ', false, kReplace) << '\n';
}

void read_records(std::istream& in, const std::string& name, MergeInput& into, std::vector<Diagnostic>& problems) {
  std::string line;
  int n = 0;
  auto problem = [&](std::string msg) { problems.push_back({Severity::Error, name, n, 0, "", std::move(msg) + "; line skipped"}); };
  while (std::getline(in, line)) {
    ++n;
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    json j = json::parse(line, nullptr, false);
    if (j.is_discarded() || !j.is_object()) {
      problem("not a JSON object");
      continue;
    }
    std::string kind = str(j, "record");
    if (kind == "source") {
      auto s = source_from_json(j.value("source", json{}));
      if (!s.ok()) {
        problem(s.status().message());
        continue;
      }
      merge::SourceRecord rec{*s, {}};
      if (auto sig = j.find("signature"); sig != j.end() && sig->is_array()) {
        for (auto& v : *sig)
          if (v.is_number_unsigned() && v.get<std::uint64_t>() <= 0xffff) rec.signature.push_back(v.get<std::uint16_t>());
        if (!rec.signature.empty() && rec.signature.size() != merge::kSignatureSize) {
          problem(fmt::format("signature has {} values, expected {}", rec.signature.size(), merge::kSignatureSize));
          rec.signature.clear();
        }
      }
      if (into.rules_dir.empty()) into.rules_dir = str(j, "rules");
      into.sources.push_back(std::move(rec));
    } else if (kind == "mention") {
      if (auto m = mention_from_json(j); m.ok()) into.mentions.push_back(std::move(*m));
      else problem(m.status().message());
    } else if (kind == "diagnostic") {
      if (auto d = diagnostic_from_json(j); d.ok()) into.diagnostics.push_back(std::move(*d));
      else problem(d.status().message());
    } else {
      problem(fmt::format("unknown record \"{}\" (expected source, mention or diagnostic)", kind));
    }
  }
}

}  // namespace annals::interchange
