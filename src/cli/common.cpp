#include "cli/commands.h"

#include <cstdio>
#include <vector>

#include "cli/version.h"
#include "temporal/calendar.h"

namespace annals::cli {

std::filesystem::path default_data_path(const std::string& name) {
  namespace fs = std::filesystem;
  std::error_code ec;
  std::vector<fs::path> candidates{name};
  // /proc/self/exe: the executable itself, wherever it was installed or moved to.
  if (fs::path exe = fs::read_symlink("/proc/self/exe", ec); !ec)
    candidates.push_back(exe.parent_path().parent_path() / "share/annals" / name);
  candidates.push_back(fs::path(ANNALS_INSTALL_DATADIR) / name);
  candidates.push_back(fs::path(ANNALS_SOURCE_DIR) / name);
  for (auto& c : candidates)
    if (fs::is_directory(c, ec)) return c;
  return name;
}

int fail(const Status& failure) {
  std::fprintf(stderr, "annals: %s\n", failure.message().c_str());
  return kUsageError;
}

Result<std::optional<date::sys_days>> parse_reference_date(const std::string& text) {
  if (text.empty()) return std::optional<date::sys_days>();
  auto day = temporal::parse_iso_day(text);
  if (day && text.size() == 10) return day;
  return Status::error("--reference-date must be YYYY-MM-DD, got \"" + text + "\"");
}

bool report_diagnostics(const std::vector<Diagnostic>& diags) {
  bool problems = false;
  for (auto& d : diags) {
    std::fprintf(stderr, "%s\n", format_diagnostic(d).c_str());
    problems = problems || d.severity != Severity::Note;
  }
  return problems;
}

void add_rules_option(CLI::App* cmd, std::string& dir) {
  cmd->add_option("--rules", dir, "Rule pack folder (default: ./rules if there is one, else the installed one)");
}

void add_fallback_option(CLI::App* cmd, bool& no_fallback) {
  cmd->add_flag("--no-fallback", no_fallback,
                "Turn the rule pack's fallback event rules (the general clause rule) off: only specific rules make entries");
}

void add_threads_option(CLI::App* cmd, unsigned& threads) {
  cmd->add_option("-j,--threads", threads, "Worker threads (default: one per core)");
}

void add_doc_type_option(CLI::App* cmd, std::string& type) {
  cmd->add_option("--doc-type", type,
                  "Document type of every source (overrides sources.toml and front matter): news, narrative (the rule "
                  "pack's [doc_types]) or auto (choose per source, the default)");
}

Status check_doc_type(const rules::RuleSet& pack, const std::string& type) {
  if (type.empty() || type == "auto" || pack.doc_types.find(type)) return Status();
  return Status::error("--doc-type: the rule pack defines no document type \"" + type + "\" (it has " + pack.doc_types.names() +
                       "; or auto)");
}

void add_quiet_option(CLI::App* cmd, bool& quiet) {
  cmd->add_flag("-q,--quiet", quiet, "No progress line and no summary (problems are still reported)");
}

Result<std::unique_ptr<rules::RuleSet>> load_rule_pack(const std::string& dir, const char* consequence, PackPart part,
                                                       std::function<bool(std::string_view)> vouched) {
  auto path = dir.empty() ? default_data_path("rules") : std::filesystem::path(dir);
  rules::LoadOptions options;
  options.vouched = std::move(vouched);
  options.event_rules = part != PackPart::DatesOnly;
  if (part == PackPart::AllButFallback) options.fallback = false;
  auto loaded = rules::load_rules(path, options);
  report_diagnostics(loaded.diagnostics);
  if (!loaded.ok()) return Status::error("the rule pack in " + path.string() + " has errors" + consequence);
  // The outputs name the pack: the default one found outside the current
  // folder is named by version, not by a path of this machine.
  if (dir.empty() && path.is_absolute()) loaded.rules->dir = std::string("the default rules of annals ") + project_version();
  return std::move(loaded.rules);
}

}  // namespace annals::cli
