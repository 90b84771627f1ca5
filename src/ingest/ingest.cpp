#include "ingest/ingest.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <set>
#include <unordered_map>
#include <sstream>

#include <fmt/format.h>
#include <gumbo.h>
#include <md4c-html.h>
#include <toml++/toml.h>

#include "core/files.h"
#include "core/text.h"
#include "temporal/calendar.h"
#include "temporal/tagger.h"

namespace annals::ingest {
namespace {

namespace fs = std::filesystem;

std::string lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out) if (c >= 'A' && c <= 'Z') c = char(c - 'A' + 'a');
  return out;
}

std::string kind_of(const fs::path& p) {
  std::string ext = lower(p.extension().string());
  if (ext == ".txt" || ext == ".text") return "txt";
  if (ext == ".md" || ext == ".markdown") return "md";
  if (ext == ".html" || ext == ".htm") return "html";
  return "";
}

// fs::absolute fails only when the current folder is gone; the path as
// given is the key then.
fs::path absolute_or_given(const fs::path& file) {
  std::error_code ec;
  fs::path abs = fs::absolute(file, ec);
  return ec ? file : abs;
}
std::string folder_key(const fs::path& file) { return absolute_or_given(file).parent_path().lexically_normal().string(); }
std::string file_key(const fs::path& file) { return absolute_or_given(file).lexically_normal().string(); }

// A folder's own metadata (read_timeline_info), not a source.
const char* const kFolderMetadata = "_index.md";

// ---- HTML ----------------------------------------------------------------

bool is_block(GumboTag t) {
  switch (t) {
    case GUMBO_TAG_P: case GUMBO_TAG_DIV: case GUMBO_TAG_BR: case GUMBO_TAG_LI: case GUMBO_TAG_UL: case GUMBO_TAG_OL:
    case GUMBO_TAG_H1: case GUMBO_TAG_H2: case GUMBO_TAG_H3: case GUMBO_TAG_H4: case GUMBO_TAG_H5: case GUMBO_TAG_H6:
    case GUMBO_TAG_TR: case GUMBO_TAG_TABLE: case GUMBO_TAG_BLOCKQUOTE: case GUMBO_TAG_SECTION: case GUMBO_TAG_ARTICLE:
    case GUMBO_TAG_HEADER: case GUMBO_TAG_FOOTER: case GUMBO_TAG_PRE: case GUMBO_TAG_FIGCAPTION: case GUMBO_TAG_DT:
    case GUMBO_TAG_DD: case GUMBO_TAG_HR: case GUMBO_TAG_TITLE: case GUMBO_TAG_MAIN: case GUMBO_TAG_ASIDE:
      return true;
    default:
      return false;
  }
}

bool is_skipped(GumboTag t) {
  return t == GUMBO_TAG_SCRIPT || t == GUMBO_TAG_STYLE || t == GUMBO_TAG_NOSCRIPT || t == GUMBO_TAG_TEMPLATE ||
         t == GUMBO_TAG_HEAD || t == GUMBO_TAG_NAV || t == GUMBO_TAG_IFRAME || t == GUMBO_TAG_SVG;
}

const GumboVector* children_of(const GumboNode* n) {
  if (n->type == GUMBO_NODE_DOCUMENT) return &n->v.document.children;
  if (n->type == GUMBO_NODE_ELEMENT || n->type == GUMBO_NODE_TEMPLATE) return &n->v.element.children;
  return nullptr;
}

// Calls enter(node) before a node's children and leave(node) after them, in
// document order; enter returns false to skip the children (and leave).
// Iterative, with the path kept on the heap: a source nested 100,000
// elements deep costs memory, never the stack.
template <typename Enter, typename Leave>
void walk(const GumboNode* root, Enter&& enter, Leave&& leave) {
  struct Frame {
    const GumboNode* node;
    unsigned next_child;
  };
  std::vector<Frame> path;
  if (!enter(root)) return;
  path.push_back({root, 0});
  while (!path.empty()) {
    Frame& f = path.back();
    const GumboVector* kids = children_of(f.node);
    if (!kids || f.next_child >= kids->length) {
      leave(f.node);
      path.pop_back();
      continue;
    }
    auto* child = static_cast<const GumboNode*>(kids->data[f.next_child++]);
    if (enter(child)) path.push_back({child, 0});
  }
}

void collect_text(const GumboNode* root, std::string& out) {
  auto paragraph_break = [&] {
    while (!out.empty() && out.back() == ' ') out.pop_back();
    if (out.empty()) return;
    if (out.back() != '\n') out += "\n\n";
    else if (out.size() < 2 || out[out.size() - 2] != '\n') out += '\n';
  };
  auto tag_of = [](const GumboNode* n) { return n->type == GUMBO_NODE_DOCUMENT ? GUMBO_TAG_UNKNOWN : n->v.element.tag; };
  walk(
      root,
      [&](const GumboNode* n) {
        if (n->type == GUMBO_NODE_TEXT || n->type == GUMBO_NODE_WHITESPACE || n->type == GUMBO_NODE_CDATA) {
          // Inline whitespace collapses; paragraph breaks come from block elements.
          for (const char* p = n->v.text.text; *p; ++p) {
            char c = *p;
            if (c == '\n' || c == '\r' || c == '\t') c = ' ';
            if (c == ' ' && (out.empty() || out.back() == ' ' || out.back() == '\n')) continue;
            out.push_back(c);
          }
          return false;
        }
        if (!children_of(n)) return false;
        GumboTag tag = tag_of(n);
        if (is_skipped(tag)) return false;
        if (is_block(tag)) paragraph_break();
        if (tag == GUMBO_TAG_LI) out += "- ";
        return true;
      },
      [&](const GumboNode* n) {
        if (is_block(tag_of(n))) paragraph_break();
      });
}

const char* attr(const GumboNode* n, const char* name) {
  const GumboAttribute* a = gumbo_get_attribute(&n->v.element.attributes, name);
  return a ? a->value : nullptr;
}

struct HtmlMeta {
  std::string title, og_title, site, url, published, image;
};

void collect_meta(const GumboNode* root, HtmlMeta& m) {
  walk(
      root,
      [&](const GumboNode* n) {
        if (n->type != GUMBO_NODE_ELEMENT) return n->type == GUMBO_NODE_DOCUMENT;
        GumboTag tag = n->v.element.tag;
        if (tag == GUMBO_TAG_TITLE && m.title.empty()) {
          std::string t;
          collect_text(n, t);
          m.title = collapse_whitespace(t);
        } else if (tag == GUMBO_TAG_META) {
          const char* key = attr(n, "property");
          if (!key) key = attr(n, "name");
          if (!key) key = attr(n, "itemprop");
          const char* content = attr(n, "content");
          if (key && content) {
            std::string k = lower(key);
            if (k == "og:title" && m.og_title.empty()) m.og_title = content;
            else if ((k == "og:site_name" || k == "publisher" || k == "citation_publisher") && m.site.empty()) m.site = content;
            else if (k == "og:url" && m.url.empty()) m.url = content;
            else if ((k == "og:image" || k == "og:image:url" || k == "twitter:image") && m.image.empty()) m.image = content;
            else if ((k == "article:published_time" || k == "date" || k == "pubdate" || k == "publishdate" ||
                      k == "dc.date" || k == "dc.date.issued" || k == "datepublished" || k == "citation_publication_date" ||
                      k == "og:published_time") && m.published.empty())
              m.published = content;
          }
        } else if (tag == GUMBO_TAG_LINK) {
          const char* rel = attr(n, "rel");
          const char* href = attr(n, "href");
          if (rel && href && lower(rel) == "canonical" && m.url.empty()) m.url = href;
        }
        return true;
      },
      [](const GumboNode*) {});
}

std::string trim_paragraphs(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
  std::size_t b = s.find_first_not_of("\n ");
  return b == std::string::npos ? std::string{} : s.substr(b) + "\n";
}

// ---- Markdown --------------------------------------------------------------

// Splits "---\nkey: value\n---\n" front matter off the top of a Markdown file.
std::map<std::string, std::string> split_front_matter(std::string& md) {
  std::map<std::string, std::string> out;
  if (md.rfind("---\n", 0) != 0 && md.rfind("---\r\n", 0) != 0) return out;
  std::size_t end = md.find("\n---", 3);
  if (end == std::string::npos) return out;
  std::istringstream lines(md.substr(4, end - 4));
  std::string line;
  while (std::getline(lines, line)) {
    auto colon = line.find(':');
    if (colon == std::string::npos) continue;
    std::string key = lower(collapse_whitespace(line.substr(0, colon)));
    std::string val = collapse_whitespace(line.substr(colon + 1));
    if (val.size() >= 2 && val.front() == '"' && val.back() == '"') {
      // YAML double-quoted: backslash escapes a quote or a backslash.
      std::string unescaped;
      for (std::size_t i = 1; i + 1 < val.size(); ++i) {
        if (val[i] == '\\' && i + 2 < val.size() && (val[i + 1] == '"' || val[i + 1] == '\\')) ++i;
        unescaped.push_back(val[i]);
      }
      val = unescaped;
    } else if (val.size() >= 2 && val.front() == '\'' && val.back() == '\'') {
      // YAML single-quoted: '' is a quote.
      std::string unescaped;
      for (std::size_t i = 1; i + 1 < val.size(); ++i) {
        if (val[i] == '\'' && val[i + 1] == '\'') ++i;
        unescaped.push_back(val[i]);
      }
      val = unescaped;
    }
    out[key] = val;
  }
  std::size_t after = md.find('\n', end + 4);
  md.erase(0, after == std::string::npos ? md.size() : after + 1);
  return out;
}

std::string markdown_to_html(std::string_view md) {
  std::string html;
  md_html(md.data(), MD_SIZE(md.size()),
          [](const MD_CHAR* text, MD_SIZE size, void* user) { static_cast<std::string*>(user)->append(text, size); },
          &html, MD_DIALECT_GITHUB, 0);
  return html;
}

// ---- publication date --------------------------------------------------------

std::optional<date::sys_days> parse_published(std::string_view s, const rules::RuleSet& rules) {
  std::string t = collapse_whitespace(s);
  if (auto d = temporal::parse_iso_day(t)) return d;
  for (auto& m : temporal::find_dates(rules, t, std::nullopt))
    if (m.interval && m.interval->granularity == Granularity::Day) return m.interval->first;
  return std::nullopt;
}

std::string first_line(std::string_view text) {
  std::size_t b = text.find_first_not_of(" \n\t#");
  if (b == std::string_view::npos) return {};
  std::size_t e = text.find('\n', b);
  std::string line = collapse_whitespace(text.substr(b, e == std::string_view::npos ? std::string_view::npos : e - b));
  return line.size() > 200 ? std::string{} : line;
}

// Parses HTML once; returns its readable text and, when `meta` is given,
// fills it from the <head>. Refuses HTML nested deeper than kMaxHtmlDepth:
// the HTML5 tree builder looks through the stack of open elements at each
// tag, so its time grows with the square of the depth (40,000 nested <div>
// took 3.5 s, a million would take hours).
Result<std::string> html_to_text_and_meta(std::string_view html, HtmlMeta* meta) {
  if (std::size_t depth = html_nesting_depth(html); depth > kMaxHtmlDepth)
    return Status::error(fmt::format("nested {} levels deep (the limit is {})", depth, kMaxHtmlDepth));
  GumboOutput* out = gumbo_parse_with_options(&kGumboDefaultOptions, html.data(), html.size());
  std::string text;
  collect_text(out->root, text);
  if (meta) collect_meta(out->root, *meta);
  gumbo_destroy_output(&kGumboDefaultOptions, out);
  return trim_paragraphs(std::move(text));
}

}  // namespace

Result<std::string> html_to_text(std::string_view html) { return html_to_text_and_meta(html, nullptr); }

std::size_t html_nesting_depth(std::string_view h) {
  // Elements that never hold themselves deeper: void elements, and those a
  // sibling start tag closes implicitly (<p>, <li>, <td>, ...).
  static constexpr std::string_view kFlat[] = {
      "area", "base", "basefont", "bgsound", "br", "col", "embed", "frame", "hr", "image", "img", "input", "keygen",
      "link", "meta", "param", "source", "track", "wbr", "p", "li", "dt", "dd", "option", "optgroup", "tr", "td", "th",
      "thead", "tbody", "tfoot", "rb", "rt", "rtc", "rp", "colgroup", "caption"};
  // Elements whose content is text up to their end tag.
  static constexpr std::string_view kRawText[] = {"script", "style", "textarea", "title", "xmp", "iframe", "noembed",
                                                  "noframes", "plaintext"};
  auto is_alnum = [](char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'); };
  std::size_t depth = 0, deepest = 0;
  std::string name;
  for (std::size_t i = h.find('<'); i != std::string_view::npos; i = h.find('<', i)) {
    if (h.substr(i, 4) == "<!--") {
      std::size_t end = h.find("-->", i + 4);
      if (end == std::string_view::npos) break;
      i = end + 3;
      continue;
    }
    bool closing = i + 1 < h.size() && h[i + 1] == '/';
    std::size_t b = i + 1 + (closing ? 1 : 0), e = b;
    while (e < h.size() && is_alnum(h[e])) ++e;
    std::size_t gt = e == b ? std::string_view::npos : h.find('>', e);
    if (gt == std::string_view::npos) {
      ++i;
      continue;
    }
    name = lower(h.substr(b, std::min<std::size_t>(e - b, 16)));
    bool flat = std::find(std::begin(kFlat), std::end(kFlat), name) != std::end(kFlat);
    if (!flat && closing && depth > 0) --depth;
    if (!flat && !closing && h[gt - 1] != '/') deepest = std::max(deepest, ++depth);
    i = gt + 1;
    if (!closing && std::find(std::begin(kRawText), std::end(kRawText), name) != std::end(kRawText)) {
      if (name == "plaintext") break;
      // Skip to its end tag (any case); never closed, the rest is its text.
      std::size_t at = h.find("</", i);
      while (at != std::string_view::npos && lower(h.substr(at + 2, name.size())) != name) at = h.find("</", at + 2);
      if (at == std::string_view::npos) break;
      i = at;
    }
  }
  return deepest;
}

std::vector<fs::path> collect_sources(const std::vector<std::string>& inputs, std::vector<Diagnostic>& diags) {
  std::vector<fs::path> files;
  for (auto& in : inputs) {
    fs::path p(in);
    std::error_code ec;
    auto st = fs::status(p, ec);
    if (fs::is_directory(st)) {
      auto found = list_files(
          p, [](const fs::path& f) { return !kind_of(f).empty() && f.filename() != kFolderMetadata; },
          [&](const fs::path& folder, std::error_code why) {
            if (why == std::errc::is_a_directory) return;  // a folder named x.txt: read as a folder
            diags.push_back({Severity::Error, folder.string(), 0, 0, "", "cannot be read: " + why.message() + "; skipped"});
          });
      files.insert(files.end(), std::make_move_iterator(found.begin()), std::make_move_iterator(found.end()));
    } else if (fs::exists(st)) {
      if (kind_of(p).empty())
        diags.push_back({Severity::Warning, in, 0, 0, "", "not a .txt, .md or .html file; read as plain text"});
      files.push_back(p);
    } else if (ec && ec != std::errc::no_such_file_or_directory) {
      diags.push_back({Severity::Error, in, 0, 0, "", "cannot be read: " + ec.message() + "; skipped"});
    } else {
      diags.push_back({Severity::Error, in, 0, 0, "", "no such file or folder"});
    }
  }
  if (inputs.size() > 1) {  // one input's files are in path order already
    std::sort(files.begin(), files.end());
    files.erase(std::unique(files.begin(), files.end()), files.end());
  }
  return files;
}

void read_manifest(std::string_view text, const fs::path& folder, const std::string& shown, Manifests& into,
                   std::vector<Diagnostic>& diags) {
  toml::table doc;
  try {
    doc = toml::parse(text, shown);
  } catch (const toml::parse_error& e) {
    diags.push_back({Severity::Error, shown, int(e.source().begin.line), int(e.source().begin.column), "",
                     fmt::format("TOML syntax error: {} (manifest ignored)", e.description())});
    return;
  }
  if (auto arr = doc["source"].as_array()) {
    for (auto& item : *arr) {
      auto t = item.as_table();
      if (!t) continue;
      int line = int(item.source().begin.line);
      std::string file = (*t)["file"].value_or(std::string{});
      if (file.empty()) {
        diags.push_back({Severity::Error, shown, line, 0, "", "[[source]] entry has no \"file\""});
        continue;
      }
      SourceInfo info;
      info.title = (*t)["title"].value_or(std::string{});
      info.outlet = (*t)["outlet"].value_or(std::string{});
      info.url = (*t)["url"].value_or(std::string{});
      info.image = (*t)["image"].value_or(std::string{});
      info.doc_type = (*t)["doc_type"].value_or(std::string{});
      if (!info.doc_type.empty()) info.doc_type_from = "sources.toml";
      if (auto pub = t->get("published")) {
        std::optional<date::sys_days> d;
        if (auto dt = pub->as_date()) {
          date::year_month_day ymd{date::year{dt->get().year}, date::month{dt->get().month}, date::day{dt->get().day}};
          if (ymd.ok()) d = date::sys_days{ymd};
        } else if (auto s = pub->value<std::string>()) {
          d = temporal::parse_iso_day(*s);
        }
        if (d) {
          info.published = d;
          info.published_from = "sources.toml";
        } else {
          diags.push_back({Severity::Error, shown, int(pub->source().begin.line), int(pub->source().begin.column), "",
                           fmt::format("published of \"{}\" is not a YYYY-MM-DD date", file)});
        }
      }
      into[file_key(folder / file)] = std::move(info);
    }
  }
}

Manifests load_manifests(const std::vector<fs::path>& files, std::vector<Diagnostic>& diags) {
  Manifests out;
  // A folder is made absolute and normalized once, not once per file: the
  // files come sorted, so most are in the folder of the file before them.
  std::set<std::string> folders;
  std::string previous_parent;
  for (auto& f : files) {
    std::string parent = f.parent_path().native();
    if (!folders.empty() && parent == previous_parent) continue;
    folders.insert(folder_key(f));
    previous_parent = std::move(parent);
  }
  for (auto& folder : folders) {
    fs::path mf = fs::path(folder) / "sources.toml";
    std::error_code ec;
    if (!fs::exists(mf, ec)) continue;
    fs::path here = fs::current_path(ec);
    std::string shown = ec ? std::string() : fs::relative(mf, here, ec).string();
    if (ec || shown.empty()) shown = mf.string();
    std::string text;
    if (std::error_code read_ec = read_file(mf, text)) {
      diags.push_back({Severity::Error, shown, 0, 0, "", "cannot be read: " + read_ec.message() + " (manifest ignored)"});
      continue;
    }
    read_manifest(text, folder, shown, out, diags);
  }
  return out;
}

std::string shareable_path(const fs::path& given) {
  fs::path p = given.lexically_normal();
  bool inside = p.is_relative() && (p.empty() || *p.begin() != "..");
  if (inside) return p.string();
  fs::path name = p.has_filename() ? p.filename() : p.parent_path().filename();
  return name.empty() ? std::string{"."} : name.string();
}

namespace {

// A path that is its own lexically_normal() and has a file name: no empty,
// "." or ".." part, no trailing '/'. Relative or absolute.
bool is_plain_path(std::string_view p) {
  if (p.empty() || p.back() == '/') return false;
  for (std::size_t b = p.front() == '/' ? 1 : 0, e; b <= p.size(); b = e + 1) {
    e = std::min(p.find('/', b), p.size());
    std::string_view part = p.substr(b, e - b);
    if (part.empty() || part == "." || part == "..") return false;
  }
  return true;
}

}  // namespace

std::vector<std::string> shareable_names(const std::vector<fs::path>& files, const std::vector<std::string>& inputs) {
  // Each input's name; inputs that would share a name keep one more part
  // of their path at a time (at most the whole path, which is then as given).
  std::vector<fs::path> given;
  for (auto& in : inputs) given.push_back(fs::path(in).lexically_normal());
  std::vector<std::string> name(inputs.size());
  std::vector<std::size_t> parts(inputs.size(), 1);
  // The last n parts of p; past its part count, the whole path as given:
  // "/a/news" and "a/news" (or "x/news" under two roots) differ only there,
  // and without it their rounds never ended.
  auto tail = [](const fs::path& p, std::size_t n) {
    std::vector<fs::path> all;
    for (auto& part : p) if (!part.empty() && part != "/") all.push_back(part);
    if (n > all.size()) return p.string();
    fs::path out;
    for (std::size_t i = all.size() - n; i < all.size(); ++i) out /= all[i];
    return out.string();
  };
  // Each input's normalized path without a trailing '/': the same folder
  // given with and without one is one input.
  std::vector<std::string_view> key(given.size());
  for (std::size_t i = 0; i < given.size(); ++i) {
    key[i] = given[i].native();
    if (key[i].size() > 1 && key[i].back() == '/') key[i].remove_suffix(1);
  }
  // Rounds until no two inputs of different paths share a name. An input
  // gains a part for each other input its name clashes with; inputs are
  // grouped by name, not compared pairwise (annals build *.txt gives one
  // input per file).
  for (bool clash = true; clash;) {
    clash = false;
    for (std::size_t i = 0; i < inputs.size(); ++i) {
      fs::path p = given[i];
      bool inside = p.is_relative() && (p.empty() || *p.begin() != "..");
      name[i] = inside ? p.string() : tail(p, parts[i]);
    }
    std::unordered_map<std::string_view, std::vector<std::size_t>> by_name;
    for (std::size_t i = 0; i < inputs.size(); ++i) by_name[name[i]].push_back(i);
    for (auto& [n, group] : by_name) {
      if (group.size() < 2) continue;
      for (std::size_t i : group) {
        std::size_t others = 0;
        for (std::size_t j : group) others += key[j] != key[i];
        if (others == 0) continue;
        clash = true;
        parts[i] += others;
      }
    }
  }
  // Each input by its key, the first of a path winning: a file's input is the first input that holds it, and
  // the inputs that can hold it are its own path and its ancestors, so each
  // file costs a lookup per part of its path, not one per input. "." (or an
  // empty input) holds every relative path that does not leave it.
  std::unordered_map<std::string_view, std::size_t> input_at;
  std::size_t dot = std::string::npos;
  std::vector<bool> plain_given(given.size());
  for (std::size_t i = 0; i < given.size(); ++i) {
    plain_given[i] = is_plain_path(given[i].native());
    if (key[i].empty() || key[i] == ".") dot = std::min(dot, i);
    else input_at.emplace(key[i], i);
  }
  auto holder = [&](std::string_view file) {
    std::size_t best = std::string::npos;
    auto look = [&](std::string_view k) {
      if (auto it = input_at.find(k); it != input_at.end()) best = std::min(best, it->second);
    };
    bool absolute = !file.empty() && file.front() == '/';
    if (!absolute && file != ".." && !file.starts_with("../")) best = dot;
    if (absolute) look("/");
    for (std::size_t slash = file.find('/', 1); slash != std::string_view::npos; slash = file.find('/', slash + 1))
      look(file.substr(0, slash));
    look(file);
    return best;
  };
  std::vector<std::string> out;
  out.reserve(files.size());
  for (auto& f : files) {
    // A plain path is its own lexically_normal(): no fs::path work for the
    // common case (4% of a no-change rebuild of 19,616 files).
    const bool plain = is_plain_path(f.native());
    fs::path file = plain ? f : f.lexically_normal();
    const std::string& s = file.native();
    std::size_t i = holder(s);
    if (i == std::string::npos) {
      out.push_back(shareable_path(file));
      continue;
    }
    if (plain && plain_given[i]) {  // a plain file under a plain input: the rest of its string
      const std::string& base = given[i].native();
      if (s.size() == base.size()) {
        out.push_back(name[i]);
        continue;
      }
      std::string_view rest(s);
      rest.remove_prefix(base.size() + 1);
      bool separate = !name[i].empty() && name[i].back() != '/';
      out.push_back(name[i] + (separate ? "/" : "") + std::string(rest));
      continue;
    }
    fs::path rel = file.lexically_relative(given[i]);
    out.push_back(rel == "." ? name[i] : (fs::path(name[i]) / rel).string());
  }
  return out;
}

TimelineInfo read_timeline_info(const std::vector<std::string>& inputs, std::vector<Diagnostic>& diags) {
  for (auto& in : inputs) {
    std::error_code ec;
    if (!fs::is_directory(in, ec)) continue;
    fs::path manifest = fs::path(in) / "sources.toml";
    if (fs::exists(manifest, ec)) {
      try {
        toml::table doc = toml::parse_file(manifest.string());
        if (auto t = doc["timeline"].as_table()) {
          TimelineInfo info{(*t)["title"].value_or(std::string{}), (*t)["description"].value_or(std::string{})};
          if (!info.title.empty() || !info.description.empty()) return info;
        }
      } catch (const toml::parse_error&) {
        // load_manifests reports the syntax error, with its line and column.
      }
    }
    fs::path index = fs::path(in) / kFolderMetadata;
    std::string text;
    if (fs::exists(index, ec) && !read_file(index, text)) {
      if (repair_utf8(text))
        diags.push_back({Severity::Warning, index.string(), 0, 0, "", "not valid UTF-8: bad bytes replaced with '?'"});
      auto fm = split_front_matter(text);
      TimelineInfo info{fm["title"], fm["description"]};
      if (!info.title.empty() || !info.description.empty()) return info;
    }
  }
  return {};
}

std::optional<Document> make_document(std::string file, std::string bytes, std::string_view kind,
                                      const rules::RuleSet& rules, const Options& options,
                                      const SourceInfo* manifest_entry, std::vector<Diagnostic>& diags) {
  Document doc;
  doc.info.file = std::move(file);
  if (std::size_t bad = repair_utf8(bytes)) {
    diags.push_back({Severity::Warning, doc.info.file, 0, 0, "",
                     fmt::format("not valid UTF-8: {} byte(s) replaced with '?' (offsets unchanged)", bad)});
  }
  if (std::size_t bidi = replace_bidi_controls(bytes)) {
    diags.push_back({Severity::Warning, doc.info.file, 0, 0, "",
                     fmt::format("{} bidirectional override or isolate character(s) (U+202A-U+202E, U+2066-U+2069), which can "
                                 "reorder what a reader sees, replaced with U+FFFD", bidi)});
  }
  std::string meta_published, meta_from;
  if (kind == "html") {
    HtmlMeta meta;
    auto text = html_to_text_and_meta(bytes, &meta);
    if (!text.ok()) {
      diags.push_back({Severity::Error, doc.info.file, 0, 0, "", "elements " + text.status().message() + "; skipped"});
      return std::nullopt;
    }
    doc.text = std::move(*text);
    doc.info.title = !meta.og_title.empty() ? meta.og_title : meta.title;
    doc.info.outlet = meta.site;
    doc.info.url = meta.url;
    doc.info.image = meta.image;
    meta_published = meta.published;
    meta_from = "html meta";
  } else if (kind == "md") {
    auto fm = split_front_matter(bytes);
    auto get = [&](std::initializer_list<const char*> keys) {
      for (auto k : keys)
        if (auto it = fm.find(k); it != fm.end()) return it->second;
      return std::string{};
    };
    doc.info.title = get({"title"});
    doc.info.outlet = get({"outlet", "source", "publisher", "site"});
    doc.info.url = get({"url", "link", "canonical"});
    doc.info.image = get({"image", "og:image", "cover"});
    meta_published = get({"published", "date", "pubdate"});
    meta_from = "front matter";
    if (std::string type = get({"doc_type"}); !type.empty()) {
      doc.info.doc_type = type;
      doc.info.doc_type_from = "front matter";
    }
    auto text = html_to_text(markdown_to_html(bytes));
    if (!text.ok()) {
      diags.push_back({Severity::Error, doc.info.file, 0, 0, "", "Markdown blocks " + text.status().message() + "; skipped"});
      return std::nullopt;
    }
    doc.text = std::move(*text);
    if (doc.info.title.empty()) doc.info.title = first_line(bytes);
  } else {
    doc.text = std::move(bytes);
    doc.info.title = first_line(doc.text);
  }
  if (manifest_entry) {
    if (!manifest_entry->title.empty()) doc.info.title = manifest_entry->title;
    if (!manifest_entry->outlet.empty()) doc.info.outlet = manifest_entry->outlet;
    if (!manifest_entry->url.empty()) doc.info.url = manifest_entry->url;
    if (!manifest_entry->image.empty()) doc.info.image = manifest_entry->image;
    if (!manifest_entry->doc_type.empty()) {
      doc.info.doc_type = manifest_entry->doc_type;
      doc.info.doc_type_from = manifest_entry->doc_type_from.empty() ? "sources.toml" : manifest_entry->doc_type_from;
    }
  }
  if (!options.doc_type.empty()) {
    doc.info.doc_type = options.doc_type;
    doc.info.doc_type_from = "--doc-type";
  }
  if (!doc.info.doc_type.empty() && doc.info.doc_type != "auto" && !rules.doc_types.find(doc.info.doc_type)) {
    diags.push_back({Severity::Warning, doc.info.file, 0, 0, "",
                     fmt::format("{} gives doc_type \"{}\", which the rule pack does not define (it has {}); its type is chosen "
                                 "automatically", doc.info.doc_type_from, doc.info.doc_type, rules.doc_types.names())});
    doc.info.doc_type.clear();
    doc.info.doc_type_from.clear();
  }
  if (options.reference_date) {
    doc.info.published = options.reference_date;
    doc.info.published_from = "--reference-date";
  } else if (manifest_entry && manifest_entry->published) {
    doc.info.published = manifest_entry->published;
    doc.info.published_from = "sources.toml";
  } else if (!meta_published.empty()) {
    if (auto d = parse_published(meta_published, rules)) {
      doc.info.published = d;
      doc.info.published_from = meta_from;
    } else {
      diags.push_back({Severity::Warning, doc.info.file, 0, 0, "",
                       fmt::format("{} date \"{}\" is not a recognizable day", meta_from, meta_published)});
    }
  }
  if (!doc.info.published) {
    if (auto d = temporal::find_dateline(rules, doc.text)) {
      doc.info.published = d->interval->first;
      doc.info.published_from = "dateline";
    }
  }
  return doc;
}

std::optional<Document> read_source(const fs::path& file, const Manifests& manifests, const rules::RuleSet& rules,
                                    const Options& options, std::vector<Diagnostic>& diags) {
  std::string shown = file.string();
  std::string bytes;
  if (std::error_code ec = read_file(file, bytes, kMaxSourceBytes)) {
    diags.push_back({Severity::Error, shown, 0, 0, "",
                     ec == std::errc::file_too_large
                         ? fmt::format("larger than {} MiB, the limit for one source; skipped", kMaxSourceBytes >> 20)
                         : "cannot be read: " + ec.message() + "; skipped"});
    return std::nullopt;
  }
  if (looks_binary(bytes)) {
    diags.push_back({Severity::Error, shown, 0, 0, "", "looks like a binary file, not text; skipped"});
    return std::nullopt;
  }
  std::string kind = kind_of(file);
  return make_document(shown, std::move(bytes), kind.empty() ? "txt" : kind, rules, options, manifest_entry(manifests, file),
                       diags);
}

const SourceInfo* manifest_entry(const Manifests& manifests, const fs::path& file) {
  if (manifests.empty()) return nullptr;  // file_key (an absolute, normalized path) is only needed to look one up
  auto m = manifests.find(file_key(file));
  return m == manifests.end() ? nullptr : &m->second;
}

}  // namespace annals::ingest
