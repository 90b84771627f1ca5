// annals — command-line entry point. Parses arguments and dispatches to the
// subcommands (see commands.h for the exit-code policy).
#include <cstdio>

#include "cli/commands.h"

int main(int argc, char** argv) {
  CLI::App app{"annals: turn a folder of news articles into one dated, sourced timeline"};
  app.require_subcommand(1);
  int exit_code = annals::cli::kOk;
  annals::cli::register_build(app, exit_code);
  annals::cli::register_tag(app, exit_code);
  annals::cli::register_eval(app, exit_code);
  annals::cli::register_rules(app, exit_code);
  annals::cli::register_explain(app, exit_code);
  annals::cli::register_extract(app, exit_code);
  annals::cli::register_merge(app, exit_code);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int rc = app.exit(e);
    return rc == 0 ? annals::cli::kOk : annals::cli::kUsageError;
  }
  return exit_code;
}
