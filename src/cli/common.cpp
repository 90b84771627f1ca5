#include "cli/commands.h"

#include <cstdio>

#include "temporal/calendar.h"

namespace annals::cli {

std::filesystem::path default_data_path(const std::string& name) {
  std::error_code ec;
  if (std::filesystem::exists(name, ec)) return name;
  std::filesystem::path built_from = std::filesystem::path(ANNALS_SOURCE_DIR) / name;
  if (std::filesystem::exists(built_from, ec)) return built_from;
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
  cmd->add_option("--rules", dir, "Rule pack folder (default: ./rules if there is one, else the one annals was built with)");
}

void add_fallback_option(CLI::App* cmd, bool& no_fallback) {
  cmd->add_flag("--no-fallback", no_fallback,
                "Turn the rule pack's fallback event rules (the general clause rule) off: only specific rules make entries");
}

void add_threads_option(CLI::App* cmd, unsigned& threads) {
  cmd->add_option("-j,--threads", threads, "Worker threads (default: one per core)");
}

void add_quiet_option(CLI::App* cmd, bool& quiet) {
  cmd->add_flag("-q,--quiet", quiet, "No progress line and no summary (problems are still reported)");
}

Result<std::unique_ptr<rules::RuleSet>> load_rule_pack(const std::string& dir, const char* consequence, PackPart part) {
  auto path = dir.empty() ? default_data_path("rules") : std::filesystem::path(dir);
  rules::LoadOptions options;
  options.event_rules = part != PackPart::DatesOnly;
  if (part == PackPart::AllButFallback) options.fallback = false;
  auto loaded = rules::load_rules(path, options);
  report_diagnostics(loaded.diagnostics);
  if (!loaded.ok()) return Status::error("the rule pack in " + path.string() + " has errors" + consequence);
  return std::move(loaded.rules);
}

}  // namespace annals::cli
