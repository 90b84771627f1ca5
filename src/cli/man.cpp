// The man page, written from the CLI::App that parses the command line:
// every command's description, positionals, options and examples come from
// the same definitions as --help, so the two cannot drift apart.
#include <string>
#include <vector>

#include <fmt/format.h>

#include "cli/commands.h"
#include "cli/version.h"

namespace annals::cli {
namespace {

// Text as roff reads it: a backslash is \e, a hyphen \- (so that it is
// not hyphenated nor turned into a dash), a line may not begin with . or '.
std::string roff(std::string_view text) {
  std::string out;
  bool line_start = true;
  for (char c : text) {
    if (line_start && (c == '.' || c == '\'')) out += "\\&";
    if (c == '\\') out += "\\e";
    else if (c == '-') out += "\\-";
    else out += c;
    line_start = c == '\n';
  }
  return out;
}

bool hidden(const CLI::Option* o) { return o->get_group().empty(); }

// "sources..." for a positional that takes many values.
std::string positional_usage(const CLI::Option* o) {
  std::string name = o->get_name(true);
  for (auto& c : name) c = char(std::toupper(static_cast<unsigned char>(c)));
  if (o->get_items_expected_max() > 1) name += "...";
  return o->get_required() ? name : "[" + name + "]";
}

// The footer a command carries ("Examples:" and lines indented below it),
// kept as preformatted text.
void footer(std::string& out, const CLI::App& cmd) {
  std::string text = cmd.get_footer();
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
  if (text.empty()) return;
  out += ".PP\n.nf\n" + roff(text) + "\n.fi\n";
}

void options(std::string& out, const CLI::App& cmd) {
  for (const CLI::Option* o : cmd.get_options()) {
    if (hidden(o) || o->get_positional() || o == cmd.get_help_ptr()) continue;
    std::string names = o->get_name(false, true);
    std::string type = o->get_items_expected_max() > 0 ? o->get_type_name() : "";
    out += ".TP\n.B " + roff(names) + (type.empty() ? "" : " \\fI" + roff(type) + "\\fR") + "\n";
    out += roff(o->get_description()) + "\n";
  }
}

void command(std::string& out, const CLI::App& cmd, const std::string& path) {
  auto subs = cmd.get_subcommands([](const CLI::App* s) { return !s->get_group().empty(); });
  std::string usage = path;
  for (const CLI::Option* o : cmd.get_options())
    if (o->get_positional() && !hidden(o)) usage += " " + positional_usage(o);
  if (subs.empty()) usage += " [OPTIONS]";
  out += ".SS \"" + roff(usage) + "\"\n" + roff(cmd.get_description()) + "\n";
  options(out, cmd);
  footer(out, cmd);
  for (const CLI::App* s : subs) command(out, *s, path + " " + s->get_name());
}

}  // namespace

std::string man_page(const CLI::App& app) {
  std::string out;
  out += fmt::format(".TH ANNALS 1 \"\" \"annals {}\" \"User Commands\"\n", project_version());
  out += ".SH NAME\nannals \\- " + roff(app.get_description()) + "\n";
  out += ".SH SYNOPSIS\n.B annals\n.I COMMAND\n[\\fIARGS\\fR] [\\fIOPTIONS\\fR]\n.br\n.B annals\n\\-\\-help | \\-\\-version\n";
  out += ".SH DESCRIPTION\n" + roff(kDescription) + "\n";
  out += ".SH COMMANDS\n";
  for (const CLI::App* s : app.get_subcommands([](const CLI::App* s) { return !s->get_group().empty(); }))
    command(out, *s, "annals " + s->get_name());
  out += ".SH OPTIONS\n";
  options(out, app);
  out += ".SH EXIT STATUS\n";
  for (auto& [code, meaning] : kExitCodes) out += fmt::format(".TP\n.B {}\n{}\n", code, roff(meaning));
  out += ".SH FILES\n" + roff(kDataFiles) + "\n";
  out += fmt::format(".SH VERSION\nannals {} (git {})\n", project_version(), roff(git_description()));
  return out;
}

}  // namespace annals::cli
