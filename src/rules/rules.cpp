// load_rules: the order of the loader's passes (rules/loader.h says which
// file does what).
#include "rules/rules.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include <fmt/format.h>
#include <toml++/toml.h>

#include "rules/loader.h"

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

namespace {

// load_rules_from, after `problems` met while finding the files.
LoadResult load_files(const std::vector<std::pair<std::string, std::string>>& files, std::string dir_label,
                      const LoadOptions& options, std::vector<Diagnostic> problems) {
  LoadResult result;
  auto rs = std::make_unique<RuleSet>();
  rs->dir = std::move(dir_label);
  Loader L;
  L.diags = std::move(problems);
  L.rs = rs.get();
  L.options = &options;
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
  L.check_fragments();
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

namespace {

// Every *.toml below `dir`, in path order, read into `files`. A file or folder
// that cannot be read, a dangling link or a link loop named *.toml, and
// anything named *.toml that is not a file are reported (an unreadable
// rule file is an error: rules would be missing without a word).
void read_pack_files(const fs::path& dir, std::vector<std::pair<std::string, std::string>>& files, std::vector<Diagnostic>& diags) {
  std::vector<fs::path> paths;
  std::vector<fs::path> folders{dir};
  auto problem = [&](Severity sev, const fs::path& p, std::string message) { diags.push_back({sev, p.string(), 0, 0, "", std::move(message)}); };
  while (!folders.empty()) {
    fs::path folder = std::move(folders.back());
    folders.pop_back();
    std::error_code ec;
    fs::directory_iterator it(folder, ec), end;
    for (; !ec && it != end; it.increment(ec)) {
      const fs::path& p = it->path();
      bool toml = p.extension() == ".toml";
      std::error_code sec;
      fs::file_status link = it->symlink_status(sec), target = it->status(sec);
      if (fs::is_symlink(link) && sec) {
        if (toml) problem(Severity::Error, p, fmt::format("cannot read rule file: {}", sec.message()));
        continue;
      }
      if (fs::is_directory(target)) {
        if (fs::is_symlink(link)) {
          problem(Severity::Warning, p, "symbolic link to a folder: not followed, its rule files are not read");
          continue;
        }
        if (toml) problem(Severity::Warning, p, "is a folder, not a rule file: the rule files inside it are read");
        folders.push_back(p);
      } else if (toml) {
        if (fs::is_regular_file(target)) paths.push_back(p);
        else problem(Severity::Error, p, "is not a regular file; not read as a rule file");
      }
    }
    if (ec) problem(Severity::Error, folder, fmt::format("cannot read folder: {}; its rule files are missing", ec.message()));
  }
  std::sort(paths.begin(), paths.end());
  std::size_t total = 0;
  for (auto& p : paths) {
    std::error_code ec;
    auto size = fs::file_size(p, ec);
    if (!ec && size > Limits::kRuleFileBytes) {
      problem(Severity::Error, p, file_too_large(size));
      continue;
    }
    if (!ec && total + size > Limits::kPackBytes) {
      problem(Severity::Error, p, pack_too_large());
      break;
    }
    std::ifstream in(p, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    if (!in) {
      problem(Severity::Error, p, fmt::format("cannot read rule file: {}", std::strerror(errno)));
      continue;
    }
    total += ss.str().size();
    files.emplace_back(p.string(), ss.str());
  }
}

}  // namespace

LoadResult load_rules(const std::filesystem::path& dir, const LoadOptions& options) {
  std::vector<std::pair<std::string, std::string>> files;
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) {
    LoadResult r;
    r.diagnostics.push_back({Severity::Error, dir.string(), 0, 0, "", ec && ec != std::errc::no_such_file_or_directory ? "rules folder cannot be read: " + ec.message() : "rules folder not found"});
    return r;
  }
  std::vector<Diagnostic> problems;
  read_pack_files(dir, files, problems);
  return load_files(files, dir.string(), options, std::move(problems));
}

}  // namespace annals::rules
