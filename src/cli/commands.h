// cli — the command-line front end. Each subcommand lives in its own file and
// registers itself here; library code never sees argv.
//
// Exit codes (one policy, documented in README.md):
//   0  success
//   1  input problems were found (a source skipped, repaired or missing), outputs still written
//   2  usage or configuration error (bad arguments, rule pack or template errors); nothing written
#pragma once

#include <array>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <CLI/CLI.hpp>
#include <date/date.h>

#include "core/status.h"
#include "rules/rules.h"

namespace annals::cli {

enum ExitCode { kOk = 0, kInputProblems = 1, kUsageError = 2 };

// What --help and the man page say about annals as a whole (cli/app.cpp):
// what it does, each exit code, where its data is found.
extern const char* const kDescription;
extern const std::array<std::pair<int, const char*>, 3> kExitCodes;
extern const char* const kDataFiles;

// The whole command line: every subcommand, --version, --help (also what a
// bare `annals` prints) and the hidden --man. `exit_code` receives the
// result of the subcommand that runs.
void build_app(CLI::App& app, int& exit_code);

// The man page of `app` (roff), written from its commands and options.
std::string man_page(const CLI::App& app);

// Where rules/ and templates/ are looked for when not given (kDataFiles):
// NAME in the current folder; else share/annals/NAME beside the folder of
// the executable (an installed or moved binary finds its data); else the
// data directory it was configured to install to; else the source tree it
// was built from. When none has it, NAME (which then reports "not found").
std::filesystem::path default_data_path(const std::string& name);

// Prints "annals: MESSAGE" to stderr and returns kUsageError: how a
// command ends on a failed operation (`return fail(status);`).
int fail(const Status& failure);

// --reference-date: "" is no date; YYYY-MM-DD is that day; anything else fails.
[[nodiscard]] Result<std::optional<date::sys_days>> parse_reference_date(const std::string& text);

// Loads the rule pack in `dir` (default_data_path("rules") when empty) and
// prints its diagnostics to stderr; fails with "the rule pack in DIR has
// errors<consequence>" when it has errors. DatesOnly skips the pack's event
// rules (LoadOptions::event_rules); AllButFallback also turns the fallback
// event rules off (--no-fallback). The default pack, when found outside the
// current folder, gets the RuleSet::dir "the default rules of annals
// VERSION": the outputs name it without a path of this machine.
enum class PackPart { All, AllButFallback, DatesOnly };
// `vouched`: rules::LoadOptions::vouched (build passes its extraction cache's).
[[nodiscard]] Result<std::unique_ptr<rules::RuleSet>> load_rule_pack(const std::string& dir, const char* consequence,
                                                                     PackPart part = PackPart::All,
                                                                     std::function<bool(std::string_view)> vouched = {});

// The options several commands share, worded once: --rules DIR, -j N and
// --no-fallback (which selects PackPart::AllButFallback).
void add_rules_option(CLI::App* cmd, std::string& dir);
void add_fallback_option(CLI::App* cmd, bool& no_fallback);
inline PackPart event_pack(bool no_fallback) { return no_fallback ? PackPart::AllButFallback : PackPart::All; }
void add_threads_option(CLI::App* cmd, unsigned& threads);
// --doc-type NAME: the document type of every source (rules/doc_types.h).
void add_doc_type_option(CLI::App* cmd, std::string& type);
// Fails when `type` is neither empty, "auto" nor a type the pack defines.
[[nodiscard]] Status check_doc_type(const rules::RuleSet& pack, const std::string& type);
// -q, --quiet: no progress line and no summary; problems are still reported.
void add_quiet_option(CLI::App* cmd, bool& quiet);

// Prints each diagnostic to stderr, one per line. Returns true when any is
// worse than a note: input problems were found (exit code 1).
bool report_diagnostics(const std::vector<Diagnostic>& diags);

// Each registers a subcommand; `exit_code` receives the result when it runs.
void register_build(CLI::App& app, int& exit_code);
void register_tag(CLI::App& app, int& exit_code);
void register_eval(CLI::App& app, int& exit_code);
void register_rules(CLI::App& app, int& exit_code);    // rules check, rules test
void register_explain(CLI::App& app, int& exit_code);
void register_extract(CLI::App& app, int& exit_code);  // map step: mentions as JSON Lines
void register_merge(CLI::App& app, int& exit_code);    // reduce step: JSON Lines -> timeline

}  // namespace annals::cli
