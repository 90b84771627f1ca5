#include "rules/doc_types.h"

#include <fmt/format.h>

namespace annals::rules {
namespace {

std::optional<Granularity> granularity_named(std::string_view s) {
  for (Granularity g : {Granularity::Year, Granularity::Quarter, Granularity::Month, Granularity::Week, Granularity::Day})
    if (s == granularity_name(g)) return g;
  return std::nullopt;
}

bool word_char(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_'; }

}  // namespace

Result<AnchorExpression> parse_anchor_expression(std::string_view text) {
  AnchorExpression out;
  out.text = std::string(text);
  std::size_t i = 0;
  auto skip_space = [&] {
    while (i < text.size() && (text[i] == ' ' || text[i] == '\t')) ++i;
  };
  auto word = [&] {
    std::size_t b = i;
    while (i < text.size() && word_char(text[i])) ++i;
    return text.substr(b, i - b);
  };
  auto fail = [&](std::size_t at, std::string msg) {
    return Status::error(fmt::format("at column {}: {}", at + 1, msg));
  };
  while (true) {
    skip_space();
    AnchorTerm term;
    std::size_t at = i;
    std::string_view w = word();
    if (w == "paragraph" && i < text.size() && text[i] == '.') {
      term.paragraph = true;
      ++i;
      at = i;
      w = word();
    }
    if (w == "published" && !term.paragraph) term.source = AnchorTerm::Source::Published;
    else if (w == "last_named") term.source = AnchorTerm::Source::LastNamed;
    else if (w == "last_absolute") term.source = AnchorTerm::Source::LastAbsolute;
    else if (w.empty()) return fail(at, "expected published, last_named or last_absolute");
    else
      return fail(at, fmt::format("unknown anchor \"{}\" (use published, last_named, last_absolute, paragraph.last_named "
                                  "or paragraph.last_absolute)", w));
    if (term.source != AnchorTerm::Source::Published && text.substr(i).starts_with(".opening")) {
      i += 8;
      term.opening = true;
    }
    // ":P" (precision) and "@G" (granularity): a mark and a granularity name.
    std::optional<std::size_t> bad_at;
    auto granularity_after = [&](char mark, std::optional<Granularity>& into) {
      if (bad_at || i >= text.size() || text[i] != mark) return;
      std::size_t g_at = ++i;
      into = granularity_named(word());
      if (!into) bad_at = g_at;
    };
    granularity_after(':', term.precision);
    granularity_after('@', term.at);
    if (bad_at) {
      std::size_t end = *bad_at;
      while (end < text.size() && word_char(text[end])) ++end;
      return fail(*bad_at, fmt::format("unknown granularity \"{}\" (use year, quarter, month, week or day)",
                                       text.substr(*bad_at, end - *bad_at)));
    }
    if (i < text.size() && text[i] == '<') {
      ++i;
      std::size_t p_at = i;
      if (word() != "published") return fail(p_at, "expected \"published\" after '<'");
      term.before_published = true;
    }
    if (term.source == AnchorTerm::Source::Published && (term.precision || term.at || term.before_published))
      return fail(at, "published takes neither :, @ nor <published");
    out.terms.push_back(term);
    skip_space();
    if (i == text.size()) break;
    if (text[i] != '|') return fail(i, fmt::format("unexpected \"{}\" (alternatives are separated by '|')", text.substr(i, 1)));
    ++i;
  }
  return out;
}

const DocType* DocTypes::find(std::string_view name) const {
  for (auto& t : types)
    if (t.name == name) return &t;
  return nullptr;
}

std::string DocTypes::names() const {
  std::string out;
  for (auto& t : types) out += (out.empty() ? "" : ", ") + t.name;
  return out;
}

DocTypes builtin_doc_types() {
  DocTypes d;
  DocType news;
  news.name = "news";
  news.comment = "built in: both bases are the publication date";
  news.ref = *parse_anchor_expression("published");
  news.anchor = news.ref;
  d.types.push_back(std::move(news));
  d.default_type = "news";
  return d;
}

}  // namespace annals::rules
