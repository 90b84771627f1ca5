#include "eval/timeml.h"

#include <fmt/format.h>

#include "temporal/calendar.h"

namespace annals::eval {
namespace {

// The value of attribute `name` in a tag body ("TIMEX3 tid=\"t1\" type=\"DATE\""), or "".
std::string attribute(std::string_view tag, std::string_view name) {
  std::size_t pos = 0;
  while ((pos = tag.find(name, pos)) != std::string_view::npos) {
    bool starts_word = pos > 0 && (tag[pos - 1] == ' ' || tag[pos - 1] == '\t' || tag[pos - 1] == '\n');
    std::size_t eq = pos + name.size();
    if (starts_word && eq + 1 < tag.size() && tag[eq] == '=' && (tag[eq + 1] == '"' || tag[eq + 1] == '\'')) {
      char quote = tag[eq + 1];
      auto close = tag.find(quote, eq + 2);
      if (close == std::string_view::npos) return {};
      return std::string(tag.substr(eq + 2, close - eq - 2));
    }
    pos = eq;
  }
  return {};
}

std::string_view tag_name(std::string_view tag) {
  std::size_t i = tag.empty() || tag[0] != '/' ? 0 : 1;
  while (i < tag.size() && tag[i] != ' ' && tag[i] != '\t' && tag[i] != '\n' && tag[i] != '/') ++i;
  return tag.substr(0, i);
}

// Appends the decoded form of the entity starting at s[i] ('&') and returns
// the index after it; an unknown entity is copied as is.
std::size_t decode_entity(std::string_view s, std::size_t i, std::string& out) {
  static constexpr std::pair<std::string_view, char> named[] = {
      {"&amp;", '&'}, {"&lt;", '<'}, {"&gt;", '>'}, {"&quot;", '"'}, {"&apos;", '\''}};
  for (auto& [name, c] : named)
    if (s.substr(i, name.size()) == name) {
      out.push_back(c);
      return i + name.size();
    }
  out.push_back('&');
  return i + 1;
}

void escape_into(std::string_view s, std::string& out) {
  for (char c : s) {
    if (c == '&') out += "&amp;";
    else if (c == '<') out += "&lt;";
    else if (c == '>') out += "&gt;";
    else if (c == '"') out += "&quot;";
    else out.push_back(c);
  }
}

}  // namespace

Result<GoldDocument> parse_timeml(std::string_view bytes, std::string file) {
  GoldDocument doc;
  doc.file = std::move(file);
  if (auto dct = bytes.find("<DCT>"); dct != std::string_view::npos) {
    auto open = bytes.find("<TIMEX3", dct);
    auto close = bytes.find('>', open);
    if (open != std::string_view::npos && close != std::string_view::npos)
      doc.reference = temporal::parse_iso_day(attribute(bytes.substr(open + 1, close - open - 1), "value"));
  }
  auto text_open = bytes.find("<TEXT>");
  auto text_close = bytes.rfind("</TEXT>");
  if (text_open == std::string_view::npos || text_close == std::string_view::npos || text_close < text_open) {
    return Status::error("no <TEXT> ... </TEXT> element");
  }
  std::string_view body = bytes.substr(text_open + 6, text_close - text_open - 6);
  doc.text.reserve(body.size());
  std::optional<GoldTimex> open_timex;
  for (std::size_t i = 0; i < body.size();) {
    char c = body[i];
    if (c == '&') {
      i = decode_entity(body, i, doc.text);
      continue;
    }
    if (c != '<') {
      doc.text.push_back(c);
      ++i;
      continue;
    }
    auto close = body.find('>', i);
    if (close == std::string_view::npos) {
      return Status::error(fmt::format("unterminated tag at byte {}", text_open + 6 + i));
    }
    std::string_view tag = body.substr(i + 1, close - i - 1);
    i = close + 1;
    if (tag_name(tag) == "TIMEX3") {
      if (open_timex) {
        return Status::error("nested TIMEX3");
      }
      open_timex = GoldTimex{};
      open_timex->span.begin = doc.text.size();
      open_timex->type = attribute(tag, "type");
      open_timex->value = attribute(tag, "value");
      open_timex->mod = attribute(tag, "mod");
      if (!tag.empty() && tag.back() == '/') open_timex.reset();  // an empty timex has no extent
    } else if (tag_name(tag) == "/TIMEX3") {
      if (!open_timex) {
        return Status::error("</TIMEX3> without <TIMEX3>");
      }
      open_timex->span.end = doc.text.size();
      open_timex->text = doc.text.substr(open_timex->span.begin, open_timex->span.size());
      doc.timexes.push_back(std::move(*open_timex));
      open_timex.reset();
    }
  }
  if (open_timex) return Status::error("unclosed TIMEX3");
  return doc;
}

std::string write_timeml(std::string_view text, const std::vector<DateMention>& mentions,
                         std::optional<date::sys_days> reference) {
  std::string out = "<?xml version=\"1.0\" ?>\n<TimeML>\n";
  if (reference) {
    auto day = temporal::format_iso_day(*reference);
    out += fmt::format("<DCT><TIMEX3 tid=\"t0\" type=\"DATE\" value=\"{}\" functionInDocument=\"CREATION_TIME\">{}</TIMEX3></DCT>\n", day, day);
  }
  out += "<TEXT>";
  std::size_t at = 0;
  int tid = 1;
  for (auto& m : mentions) {
    if (m.span.begin < at || m.span.end > text.size()) continue;
    escape_into(text.substr(at, m.span.begin - at), out);
    out += fmt::format("<TIMEX3 tid=\"t{}\" type=\"{}\" value=\"", tid++, timex_type_name(m.type));
    escape_into(m.value, out);
    out += '"';
    if (!m.mod.empty()) out += fmt::format(" mod=\"{}\"", m.mod);
    out += '>';
    escape_into(text.substr(m.span.begin, m.span.size()), out);
    out += "</TIMEX3>";
    at = m.span.end;
  }
  escape_into(text.substr(at), out);
  out += "</TEXT>\n</TimeML>\n";
  return out;
}

}  // namespace annals::eval
