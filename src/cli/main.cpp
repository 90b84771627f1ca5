// annals — command-line entry point. Parses arguments and dispatches to the
// subcommands (see commands.h for the exit-code policy).
#include <cxxabi.h>

#include <cstdio>
#include <exception>
#include <filesystem>
#include <new>
#include <system_error>

#include "cli/commands.h"

namespace {

// The last resort: every failure a user can cause is reported where it
// happens (core/status.h); what reaches here is a bug or the machine
// running out of something. It still ends in one "annals: " line and the
// configuration-error exit code, never in std::terminate.
int report_uncaught() {
  try {
    throw;
  } catch (const std::bad_alloc&) {
    std::fprintf(stderr, "annals: out of memory\n");
  } catch (const std::filesystem::filesystem_error& e) {
    std::fprintf(stderr, "annals: %s%s%s\n", e.path1().empty() ? "" : e.path1().c_str(), e.path1().empty() ? "" : ": ",
                 e.code().message().c_str());
  } catch (const std::system_error& e) {
    std::fprintf(stderr, "annals: %s\n", e.code().message().c_str());
  } catch (...) {
    // The type, not what(): an internal exception's text is not a message for users.
    const std::type_info* type = abi::__cxa_current_exception_type();
    int status = 0;
    char* name = type ? abi::__cxa_demangle(type->name(), nullptr, nullptr, &status) : nullptr;
    std::fprintf(stderr, "annals: internal error (unexpected %s); please report it with the command that caused it\n",
                 name ? name : "exception");
    std::free(name);
  }
  return annals::cli::kUsageError;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    CLI::App app;
    int exit_code = annals::cli::kOk;
    annals::cli::build_app(app, exit_code);
    try {
      app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
      int rc = app.exit(e);  // prints the help, the version or the usage error
      return rc == 0 ? annals::cli::kOk : annals::cli::kUsageError;
    }
    return exit_code;
  } catch (...) {
    return report_uncaught();
  }
}
