// load_rules: the order of the loader's passes (rules/loader.h says which
// file does what).
#include "rules/rules.h"

#include <algorithm>

#include <fmt/format.h>
#include <toml++/toml.h>

#include "core/files.h"
#include "rules/fingerprint.h"
#include "rules/loader.h"
#include "rules/pattern_text.h"

namespace annals::rules {

namespace fs = std::filesystem;
using detail::Loader;

namespace {

std::string file_too_large(std::uintmax_t bytes) {
  return fmt::format("rule file is {:.1f} MiB, more than the limit of {} MiB; not read", double(bytes) / 1048576.0,
                     Limits::kRuleFileBytes >> 20);
}

std::string pack_too_large() {
  return fmt::format("the rule pack's files hold more than {} MiB in all (the limit); this file and those after it are not read",
                     Limits::kPackBytes >> 20);
}

}  // namespace

std::string normalize_key(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  bool space = false;
  for (char c : text) {
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      space = !out.empty();
      continue;
    }
    if (space) out.push_back(' '), space = false;
    out.push_back(c >= 'A' && c <= 'Z' ? char(c - 'A' + 'a') : c);
  }
  if (!out.empty() && out.back() == '.') out.pop_back();
  return out;
}

LazyRE2::LazyRE2(std::unique_ptr<RE2> re) : state_(std::make_unique<State>()) {
  state_->re = std::move(re);
  state_->done = true;
}

LazyRE2::LazyRE2(std::string pattern, const RE2::Options& options) : state_(std::make_unique<State>()) {
  state_->pattern = std::move(pattern);
  state_->options = options;
}

void LazyRE2::compile() const {
  std::call_once(state_->once, [s = state_.get()] {
    s->re = std::make_unique<RE2>(s->pattern, s->options);
    s->done.store(true, std::memory_order_release);
  });
}

std::size_t RuleSet::compiled_patterns() const {
  std::size_t n = 0;
  auto count = [&](const auto& rules) {
    for (auto& r : rules) n += r.re.compiled();
  };
  count(dates);
  count(datelines);
  count(vetoes);
  count(event_vetoes);
  count(events);
  return n;
}

std::map<std::string, int, std::less<>> capture_groups(std::string_view p) {
  std::map<std::string, int, std::less<>> named;
  int index = 0;
  for (std::size_t i = 0, next; i < p.size(); i = next) {
    next = token_end(p, i);  // escapes, classes and \Q...\E runs hold no group
    if (p[i] != '(') continue;
    if (p.substr(i + 1, 1) != "?") {
      ++index;
    } else if (p.substr(i + 2, 2) == "P<") {
      auto end = p.find('>', i + 4);
      if (end == std::string_view::npos) break;
      named.emplace(std::string(p.substr(i + 4, end - i - 4)), ++index);
      next = end + 1;
    }
  }
  return named;
}

namespace {

// load_rules_from, after `problems` met while finding the files.
LoadResult load_files(const std::vector<std::pair<std::string, std::string>>& files, std::string dir_label,
                      const LoadOptions& options, std::vector<Diagnostic> problems) {
  LoadResult result;
  auto rs = std::make_unique<RuleSet>();
  rs->fingerprint = pack_fingerprint(files, dir_label);
  // A load option that changes what is extracted is part of it too: a
  // --no-fallback build must not take the fallback rules' mentions from the
  // cache, nor merge mix parts of the two.
  if (options.fallback) rs->fingerprint += *options.fallback ? "+fallback" : "+no-fallback";
  rs->dir = std::move(dir_label);
  Loader L;
  L.diags = std::move(problems);
  L.rs = rs.get();
  L.options = &options;
  L.vouched = options.vouched && options.vouched(rs->fingerprint);
  std::vector<std::pair<std::string, toml::table>> docs;
  std::size_t pack_bytes = 0;
  for (auto& [name, content] : files) {
    // toml++ takes seconds over a file of millions of keys: refuse it first.
    if (content.size() > Limits::kRuleFileBytes) {
      L.diags.push_back({Severity::Error, name, 0, 0, "", file_too_large(content.size())});
      L.unparsed.push_back(name);
      continue;
    }
    pack_bytes += content.size();
    if (pack_bytes > Limits::kPackBytes) {
      L.diags.push_back({Severity::Error, name, 0, 0, "", pack_too_large()});
      break;
    }
    L.sources[name] = content;
    try {
      docs.emplace_back(name, toml::parse(content, name));
    } catch (const toml::parse_error& e) {
      L.diags.push_back({Severity::Error, name, int(e.source().begin.line), int(e.source().begin.column), "",
                         fmt::format("TOML syntax error: {}", e.description())});
      L.unparsed.push_back(name);
    }
  }
  for (auto& [name, doc] : docs) L.collect_shared(doc, name);
  rs->doc_types = L.doc_types.finish();
  for (auto& [name, doc] : docs) {
    L.collect_lexicons(doc, name);
    L.collect_settings(doc, name);
  }
  L.build_lexicon_tables();
  L.check_fragments();
  if (options.event_rules) L.build_anaphora();
  if (options.fallback) rs->fallback = *options.fallback;
  for (auto& [name, doc] : docs) {
    L.load_date_rules(doc, "date", rs->dates, name);
    L.load_date_rules(doc, "dateline", rs->datelines, name);
    L.load_vetoes(doc, name);
    if (options.event_rules) L.load_events(doc, name);
  }
  // Rule ids are unique across the whole pack.
  std::map<std::string, const RuleBase*> seen;
  auto check_ids = [&](const auto& rules) {
    for (auto& r : rules) {
      auto [it, fresh] = seen.emplace(r.id, &r);
      if (!fresh)
        L.diags.push_back({Severity::Error, r.file, r.id_line, r.id_column, r.id,
                           fmt::format("duplicate rule id \"{}\" (first defined at {}:{}:{})", r.id, it->second->file,
                                       it->second->id_line, it->second->id_column)});
    }
  };
  check_ids(rs->dates);
  check_ids(rs->datelines);
  check_ids(rs->vetoes);
  check_ids(rs->event_vetoes);
  check_ids(rs->events);
  for (auto& r : rs->events) {
    if (r.kind == r.id) continue;
    auto target = std::find_if(rs->events.begin(), rs->events.end(), [&](auto& o) { return o.id == r.kind; });
    if (target == rs->events.end())
      L.report(Severity::Error, r.file, L.same_as_at[r.id], r.id, fmt::format("same_as names \"{}\", which is not an event rule", r.kind));
    else if (target->kind != target->id)
      L.report(Severity::Error, r.file, L.same_as_at[r.id], r.id,
               fmt::format("same_as must name a rule without same_as; \"{}\" has same_as = \"{}\"", r.kind, target->kind));
  }
  if (rs->dates.empty() && rs->events.empty() && L.diags.empty())
    L.diags.push_back({Severity::Error, rs->dir, 0, 0, "", "no date or event rules found"});

  bool has_error = std::any_of(L.diags.begin(), L.diags.end(), [](auto& d) { return d.severity == Severity::Error; });
  if (!has_error) has_error = !L.build_prefilters();
  result.diagnostics = std::move(L.diags);
  if (!has_error) result.rules = std::move(rs);
  return result;
}

}  // namespace

LoadResult load_rules_from(const std::vector<std::pair<std::string, std::string>>& files, std::string dir_label,
                           const LoadOptions& options) {
  return load_files(files, std::move(dir_label), options, {});
}

LoadResult load_rules(const std::filesystem::path& dir, const LoadOptions& options) {
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) {
    bool missing = !ec || ec == std::errc::no_such_file_or_directory;
    LoadResult r;
    r.diagnostics.push_back({Severity::Error, dir.string(), 0, 0, "",
                             missing ? "rules folder not found" : "cannot read the rules folder: " + ec.message()});
    return r;
  }
  // What cannot be read is reported and the rest still loaded, so that one
  // run names every problem; the pack then has errors and is not returned.
  // A folder named x.toml is listed too (its rule files are read): it gets a
  // warning, since whoever named it so may have meant a rule file.
  std::vector<Diagnostic> unreadable;
  auto cannot_read = [&](const fs::path& p, const std::error_code& why) {
    if (why == std::errc::is_a_directory)
      unreadable.push_back({Severity::Warning, p.string(), 0, 0, "", "is a folder, not a rule file: the rule files inside it are read"});
    else if (std::error_code dir_ec; fs::is_directory(p, dir_ec))
      unreadable.push_back({Severity::Error, p.string(), 0, 0, "", "cannot read folder: " + why.message() + "; its rule files are missing"});
    else
      unreadable.push_back({Severity::Error, p.string(), 0, 0, "", "cannot read rule file: " + why.message()});
  };
  auto paths = list_files(dir, [](const fs::path& p) { return p.extension() == ".toml"; }, cannot_read);
  std::vector<std::pair<std::string, std::string>> files;
  std::uintmax_t total = 0;
  for (auto& p : paths) {
    // Sizes first: a huge file is refused without reading it.
    std::error_code size_ec;
    std::uintmax_t size = fs::file_size(p, size_ec);
    if (!size_ec && size > Limits::kRuleFileBytes) {
      unreadable.push_back({Severity::Error, p.string(), 0, 0, "", file_too_large(size)});
      continue;
    }
    if (!size_ec && (total += size) > Limits::kPackBytes) {
      unreadable.push_back({Severity::Error, p.string(), 0, 0, "", pack_too_large()});
      break;
    }
    std::string text;
    if (std::error_code read_ec = read_file(p, text)) cannot_read(p, read_ec);
    else files.emplace_back(p.string(), std::move(text));
  }
  return load_files(files, dir.string(), options, std::move(unreadable));
}

}  // namespace annals::rules
