// `annals merge PARTS... [--out DIR]`: the reduce step. Reads JSON Lines
// written by `annals extract` (files, or - for stdin), merges every mention
// into one timeline and writes the outputs, exactly as `annals build` over
// all the sources at once would.
#include <cerrno>
#include <filesystem>
#include <fstream>
#include <iostream>

#include "cli/commands.h"
#include "cli/outputs.h"
#include "interchange/records.h"
#include "merge/merge.h"

namespace annals::cli {
namespace {

struct MergeArgs {
  std::vector<std::string> parts;
  OutputArgs out;
};

int run_merge(const MergeArgs& a) {
  if (Status usable = check_output_args(a.out); !usable.ok()) return fail(usable);
  interchange::MergeInput input;
  std::vector<Diagnostic> problems;
  for (auto& part : a.parts) {
    if (part == "-") {
      interchange::read_records(std::cin, "<stdin>", input, problems);
      continue;
    }
    if (std::error_code ec; std::filesystem::is_directory(part, ec)) {
      problems.push_back({Severity::Error, part, 0, 0, "", "is a folder, not a part written by annals extract; skipped"});
      continue;
    }
    std::ifstream in(part, std::ios::binary);
    if (!in) {
      // libstdc++ opens with open(2), which left its reason in errno.
      std::string why = std::error_code(errno, std::generic_category()).message();
      problems.push_back({Severity::Error, part, 0, 0, "", "cannot be read: " + why + "; skipped"});
      continue;
    }
    interchange::read_records(in, part, input, problems);
  }
  // Notes (a source read twice, dropped) do not make it an input-problem
  // run: merging a part twice gives what merging it once gives.
  bool input_problems = report_diagnostics(problems);
  if (auto mixed = interchange::mixed_fingerprints(input)) return fail(Status::error(*mixed));
  // Diagnostics carried over from the extract runs were printed there; they
  // still make this an input-problem run.
  input_problems = input_problems || std::any_of(input.diagnostics.begin(), input.diagnostics.end(),
                                                         [](auto& d) { return d.severity != Severity::Note; });
  // No source at all is not a timeline (wrong files, every part bad): the
  // previous outputs stay.
  if (input.sources.empty()) {
    std::fprintf(stderr, "annals: no sources in the part(s); nothing was written\n");
    return kInputProblems;
  }
  Timeline t = merge::merge(std::move(input.mentions), std::move(input.sources), std::move(input.diagnostics));
  t.rules_dir = input.rules_dir;
  set_titles(t, a.out);
  if (Status written = write_timeline(t, a.out); !written.ok()) return fail(written);
  return input_problems ? kInputProblems : kOk;
}

}  // namespace

void register_merge(CLI::App& app, int& exit_code) {
  auto args = std::make_shared<MergeArgs>();
  auto* cmd = app.add_subcommand("merge", "Merge JSON Lines from `annals extract` into the timeline and write the outputs (the reduce step)");
  cmd->add_option("parts", args->parts, "Files written by annals extract (- for stdin)")->required();
  add_output_options(cmd, args->out);
  args->out.fixed_time = source_date_epoch();
  cmd->footer(
      "Examples:\n"
      "  annals merge part-1.jsonl part-2.jsonl --out out\n"
      "      the timeline of both parts, the same files `annals build` over all their sources writes\n"
      "  cat part-*.jsonl | annals merge - --format csv --out out\n"
      "      from stdin, CSV only");
  cmd->callback([args, &exit_code] { exit_code = run_merge(*args); });
}

}  // namespace annals::cli
