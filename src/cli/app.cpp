// The whole command line in one CLI::App: the commands, --version, the
// help a bare `annals` prints, and the hidden --man that writes the man
// page from these same definitions (cli/man.cpp, run by the build).
#include <cstdio>

#include <fmt/format.h>

#include "cli/commands.h"
#include "cli/version.h"

namespace annals::cli {

const char* const kDescription =
    "annals reads a folder of news articles (plain text, Markdown, HTML), finds their date expressions and events "
    "with the RE2 patterns of a rule pack (TOML files), resolves every date against each source's publication date "
    "and merges the dated events of all sources into one deduplicated timeline: an HTML page, CSV for spreadsheets "
    "and JSON. Every entry keeps the sources that state it and the sentence that says it.";

const std::array<std::pair<int, const char*>, 3> kExitCodes{{
    {kOk, "success"},
    {kInputProblems, "input problems were found (a source missing, unreadable, binary and skipped, or repaired); "
                     "the outputs were still written from the other sources"},
    {kUsageError, "usage or configuration error: bad arguments, a rule pack or template with errors, outputs that "
                  "cannot be written, parts for merge that leave no source; nothing is written"},
}};

const char* const kDataFiles =
    "The rule pack (--rules) and the templates (--templates), when not given, are the folders rules/ and templates/ "
    "of the current folder if it has them, else share/annals/ beside the folder of the annals executable "
    "(/usr/share/annals for /usr/bin/annals), else those of the data directory annals was configured to install to, "
    "else those of the source tree it was built from.";

namespace {

std::string exit_codes_text() {
  std::string out = "Exit status:\n";
  for (auto& [code, meaning] : kExitCodes) out += fmt::format("  {}  {}\n", code, meaning);
  return out;
}

}  // namespace

void build_app(CLI::App& app, int& exit_code) {
  app.name("annals");
  app.description("turn a folder of news articles into one dated, sourced timeline");
  app.set_version_flag("--version", fmt::format("annals {} (git {})", project_version(), git_description()));
  app.require_subcommand(0, 1);
  register_build(app, exit_code);
  register_tag(app, exit_code);
  register_eval(app, exit_code);
  register_rules(app, exit_code);
  register_explain(app, exit_code);
  register_extract(app, exit_code);
  register_merge(app, exit_code);
  app.footer(exit_codes_text() +
             "\nExample:\n  annals build sources --out out\n      the sample sources as out/timeline.html, "
             "timeline.csv, mentions.csv and timeline.json\n\n"
             "`annals COMMAND --help` shows a command's options and examples; `man annals` all of them.");
  // Hidden (no group): the build runs it to write the man page.
  app.add_flag_callback(
         "--man",
         [&app] {
           std::fputs(man_page(app).c_str(), stdout);
           throw CLI::Success();
         },
         "Print the man page (roff) and exit")
      ->group("");
  // A bare `annals` prints the help rather than an error.
  app.callback([&app] {
    if (app.get_subcommands().empty()) throw CLI::CallForHelp();
  });
}

}  // namespace annals::cli
