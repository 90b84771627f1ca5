// cli — the command-line front end. Each subcommand lives in its own file and
// registers itself here; library code never sees argv.
//
// Exit codes (one policy, documented in README.md):
//   0  success
//   1  input problems were found (a source skipped, repaired or missing), outputs still written
//   2  usage or configuration error (bad arguments, rule pack or template errors); nothing written
#pragma once

#include <filesystem>
#include <string>

#include <CLI/CLI.hpp>

namespace annals::cli {

enum ExitCode { kOk = 0, kInputProblems = 1, kUsageError = 2 };

// Where rules/ and templates/ are looked for when not given: the current
// folder if it has them, else the folder annals was built from.
std::filesystem::path default_data_path(const std::string& name);

// Each registers a subcommand; `exit_code` receives the result when it runs.
void register_build(CLI::App& app, int& exit_code);
void register_rules(CLI::App& app, int& exit_code);    // rules check, rules test
void register_explain(CLI::App& app, int& exit_code);

}  // namespace annals::cli
