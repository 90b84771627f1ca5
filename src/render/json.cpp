#include "render/json.h"

#include "interchange/records.h"
#include "render/display.h"
#include "temporal/calendar.h"

#include <array>
#include <charconv>

namespace annals::render {

using nlohmann::json;

json source_json(const SourceInfo& s) { return interchange::source_to_json(s); }

json mention_json(const EventMention& m) { return interchange::mention_to_json(m); }

namespace {

json entry_json(const TimelineEntry& e) {
  json mentions = json::array();
  for (auto& m : e.mentions) mentions.push_back(mention_json(m));
  return {{"event_id", e.event_id},
          {"date", e.date.value},
          {"date_start", temporal::format_iso_day(e.date.first)},
          {"date_end", temporal::format_iso_day(e.date.last)},
          {"granularity", granularity_name(e.date.granularity)},
          {"display_date", display_date(e)},
          {"title", e.title},
          {"category", e.category},
          {"rule", e.rule_id},
          {"sources", e.source_files().size()},
          {"independent_sources", e.independent_sources},
          {"source_files", e.source_files()},
          {"actors", e.actors()},
          {"tags", e.tags()},
          {"conflict", !e.conflicts_with.empty()},
          {"conflicts_with", e.conflicts_with},
          {"conflict_count", std::max(e.conflict_count, e.conflicts_with.size())},
          {"mentions", mentions}};
}

// The pretty-printed text nlohmann's dump(2) gives for entries, mentions and
// sources, appended straight into one buffer: building the json tree (a map
// node and a string copy per key and value) then serializing it was most of
// the JSON writer's cost. Keys are written in the order nlohmann's std::map
// keeps them (byte order); tests and the byte-identity check pin the text.
class Pretty {
 public:
  explicit Pretty(std::string& buf) : buf_(buf) {}

  void open_object() { buf_ += '{'; ++depth_; first_ = true; }
  void close_object() { close('}'); }
  void open_array() { buf_ += '['; ++depth_; first_ = true; }
  void close_array() { close(']'); }
  // Starts the next member of the object being written.
  Pretty& key(std::string_view k) {
    next_item();
    buf_ += '"';
    buf_.append(k);  // keys are ASCII identifiers: nothing to escape
    buf_ += "\": ";
    return *this;
  }
  // Starts the next element of the array being written.
  Pretty& item() { next_item(); return *this; }

  void string(std::string_view s) {
    // One pass, a table lookup per byte: on the first non-ASCII byte what
    // was written is taken back and nlohmann writes the string (two passes
    // with three tests per byte were a third of timeline.json).
    std::size_t start = buf_.size();
    buf_ += '"';
    std::size_t from = 0;
    for (std::size_t i = 0; i < s.size(); ++i) {
      auto c = static_cast<unsigned char>(s[i]);
      CharClass k = kCharClass[c];
      if (k == CharClass::Plain) continue;
      if (k == CharClass::NonAscii) {
        buf_.resize(start);
        return string_slow(s);
      }
      buf_.append(s, from, i - from);
      from = i + 1;
      switch (c) {
        case '"': buf_ += "\\\""; break;
        case '\\': buf_ += "\\\\"; break;
        case '\b': buf_ += "\\b"; break;
        case '\f': buf_ += "\\f"; break;
        case '\n': buf_ += "\\n"; break;
        case '\r': buf_ += "\\r"; break;
        case '\t': buf_ += "\\t"; break;
        default: {
          static constexpr char kHex[] = "0123456789abcdef";
          buf_ += "\\u00";
          buf_ += kHex[c >> 4];
          buf_ += kHex[c & 15];
        }
      }
    }
    buf_.append(s, from);
    buf_ += '"';
  }
  void number(std::size_t n) {
    char digits[24];
    auto end = std::to_chars(digits, digits + sizeof digits, n).ptr;
    buf_.append(digits, end);
  }
  void boolean(bool b) { buf_ += b ? "true" : "false"; }
  void null() { buf_ += "null"; }
  void strings(const std::vector<std::string>& v) {
    open_array();
    for (auto& s : v) item().string(s);
    close_array();
  }
  void span(const Span& s) {
    open_object();
    key("end").number(s.end);
    key("start").number(s.begin);
    close_object();
  }

 private:
  void next_item() {
    buf_ += first_ ? "\n" : ",\n";
    first_ = false;
    buf_.append(std::size_t(2 * depth_), ' ');
  }
  void close(char bracket) {
    --depth_;
    if (!first_) {
      buf_ += '\n';
      buf_.append(std::size_t(2 * depth_), ' ');
    }
    first_ = false;
    buf_ += bracket;
  }
  // Text with bytes past ASCII: nlohmann's own escaping, which replaces
  // invalid UTF-8 the way the rest of the file's writers do.
  enum class CharClass : unsigned char { Plain, Escaped, NonAscii };
  static constexpr std::array<CharClass, 256> kCharClass = [] {
    std::array<CharClass, 256> t{};
    for (int c = 0; c < 256; ++c)
      t[c] = c >= 0x80 ? CharClass::NonAscii : c < 0x20 || c == '"' || c == '\\' ? CharClass::Escaped : CharClass::Plain;
    return t;
  }();

  void string_slow(std::string_view s) {
    buf_ += json(std::string(s)).dump(-1, ' ', false, json::error_handler_t::replace);
  }

  std::string& buf_;
  int depth_ = 2;  // items of the top-level arrays sit at 4 spaces
  bool first_ = false;
};

void write_source(Pretty& p, const SourceInfo& s) {
  p.open_object();
  p.key("doc_type").string(s.doc_type);
  p.key("doc_type_from").string(s.doc_type_from);
  p.key("file").string(s.file);
  if (!s.image.empty()) p.key("image").string(s.image);
  p.key("outlet").string(s.outlet);
  if (s.published)
    p.key("published").string(temporal::format_iso_day(*s.published));
  else
    p.key("published").null();
  p.key("published_from").string(s.published_from);
  p.key("title").string(s.title);
  p.key("url").string(s.url);
  p.close_object();
}

void write_date(Pretty& p, const EventMention& m) {
  const DateMention& d = *m.date;
  p.open_object();
  if (d.anchor) {
    p.key("anchor").open_object();
    p.key("end").number(d.anchor->span.end);
    p.key("start").number(d.anchor->span.begin);
    p.key("text").string(d.anchor->text);
    p.close_object();
  }
  if (m.dated())
    p.key("date_end").string(temporal::format_iso_day(d.interval->last));
  else
    p.key("date_end").null();
  if (m.dated())
    p.key("date_start").string(temporal::format_iso_day(d.interval->first));
  else
    p.key("date_start").null();
  p.key("end").number(d.span.end);
  if (!d.mod.empty()) p.key("mod").string(d.mod);
  p.key("rule").string(d.rule_id);
  p.key("start").number(d.span.begin);
  p.key("text").string(d.text);
  p.key("type").string(timex_type_name(d.type));
  if (!d.unresolved_reason.empty()) p.key("unresolved").string(d.unresolved_reason);
  p.key("value").string(d.value);
  p.close_object();
}

// The text of mention_json(m).
void write_mention(Pretty& p, const EventMention& m) {
  p.open_object();
  p.key("actors").strings(m.actors);
  p.key("category").string(m.category);
  if (m.date) {
    p.key("date");
    write_date(p, m);
    if (!m.date_basis.empty()) p.key("date_basis").string(m.date_basis);
  } else {
    p.key("date").null();
  }
  p.key("evidence").string(m.evidence);
  if (m.date && m.evidence_date) p.key("evidence_date").span(*m.evidence_date);
  p.key("evidence_event").span(m.evidence_event);
  p.key("identity").string(m.identity);
  p.key("match").span(m.match);
  p.key("recurring").boolean(m.recurring);
  p.key("rule").string(m.rule_id);
  p.key("sentence").span(m.sentence);
  p.key("source");
  write_source(p, *m.source);
  p.key("tags").strings(m.tags);
  p.key("terms").strings(m.terms);
  p.key("title").string(m.title);
  p.close_object();
}

// The text of entry_json(e).
void write_entry(Pretty& p, const TimelineEntry& e) {
  auto files = e.source_files();
  p.open_object();
  p.key("actors").strings(e.actors());
  p.key("category").string(e.category);
  p.key("conflict").boolean(!e.conflicts_with.empty());
  p.key("conflict_count").number(std::max(e.conflict_count, e.conflicts_with.size()));
  p.key("conflicts_with").strings(e.conflicts_with);
  p.key("date").string(e.date.value);
  p.key("date_end").string(temporal::format_iso_day(e.date.last));
  p.key("date_start").string(temporal::format_iso_day(e.date.first));
  p.key("display_date").string(display_date(e));
  p.key("event_id").string(e.event_id);
  p.key("granularity").string(granularity_name(e.date.granularity));
  p.key("independent_sources").number(e.independent_sources);
  p.key("mentions").open_array();
  for (auto& m : e.mentions) {
    p.item();
    write_mention(p, m);
  }
  p.close_array();
  p.key("rule").string(e.rule_id);
  p.key("source_files").strings(files);
  p.key("sources").number(files.size());
  p.key("tags").strings(e.tags());
  p.key("title").string(e.title);
  p.close_object();
}

// write_json_items for items written with `write` into one reused buffer:
// a sink call per item, not per value.
template <typename Items, typename Write>
void write_pretty_array(OutputSink& out, const Items& items, Write write) {
  std::string buf;
  write_json_items(out, items, [&](OutputSink& o, const auto& item) {
    buf.clear();
    Pretty p(buf);
    write(p, item);
    o.write(buf);
  });
}

}  // namespace

json timeline_json(const Timeline& t) {
  json entries = json::array();
  for (auto& e : t.entries) entries.push_back(entry_json(e));
  json undated = json::array();
  for (auto& m : t.undated) undated.push_back(mention_json(m));
  json sources = json::array();
  for (auto& s : t.sources) sources.push_back(source_json(s));
  json diags = json::array();
  for (auto& d : t.diagnostics) diags.push_back(format_diagnostic(d));
  return {{"rules", t.rules_dir}, {"entries", entries}, {"undated", undated}, {"sources", sources},
          {"near_duplicates", t.near_duplicates}, {"diagnostics", diags}};
}

void write_json_indented(OutputSink& out, const json& j, int depth) {
  std::string text = j.dump(2, ' ', false, json::error_handler_t::replace);
  if (text.find('\n') == std::string::npos) {
    out.write(text);
    return;
  }
  // One write of the whole re-indented text: a sink call per line cost more
  // than the copy.
  std::string pad(std::size_t(2 * depth), ' '), indented;
  indented.reserve(text.size() + text.size() / 8);
  std::size_t from = 0;
  for (std::size_t nl = text.find('\n'); nl != std::string::npos; nl = text.find('\n', from)) {
    indented.append(text, from, nl + 1 - from);
    indented += pad;
    from = nl + 1;
  }
  indented.append(text, from);
  out.write(indented);
}

// The same text as timeline_json(t).dump(2) (keys in order, as nlohmann
// sorts them), made an entry at a time: a timeline of 50,000 sources never
// exists as one JSON tree, which took several times the timeline's memory.
void render_json(const Timeline& t, OutputSink& out) {
  out.write("{\n  \"diagnostics\": ");
  write_json_array(out, t.diagnostics, [](const Diagnostic& d) { return json(format_diagnostic(d)); });
  out.write(",\n  \"entries\": ");
  write_pretty_array(out, t.entries, write_entry);
  out.write(",\n  \"near_duplicates\": ");
  write_json_indented(out, json(t.near_duplicates), 1);
  out.write(",\n  \"rules\": ");
  out.write(json(t.rules_dir).dump(-1, ' ', false, json::error_handler_t::replace));
  out.write(",\n  \"sources\": ");
  write_pretty_array(out, t.sources, write_source);
  out.write(",\n  \"undated\": ");
  write_pretty_array(out, t.undated, write_mention);
  out.write("\n}\n");
}

std::string render_json(const Timeline& t) {
  return collect_text([&](OutputSink& out) { render_json(t, out); });
}

}  // namespace annals::render
