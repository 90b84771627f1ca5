// Helpers for end-to-end tests: run the real annals binary in a temporary
// folder and read what it wrote.
#pragma once

#include <array>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include <doctest/doctest.h>
#include <sys/wait.h>
#include <unistd.h>

namespace annals::e2e {

namespace fs = std::filesystem;

struct Run {
  std::string command;  // as given to the shell, after `cd FOLDER &&`
  std::string folder;   // where it ran
  int exit_code = -1;   // -1: killed by a signal
  std::string output;   // stdout and stderr together

  // Fails the test case (fatally: what follows would only read outputs that
  // are not there) unless the command exited with `code`; the failure names
  // the command, its folder and everything it printed.
  void expect_exit(int code) const {
    INFO("command: " << command << "\nin: " << folder << "\noutput:\n" << output);
    REQUIRE_MESSAGE(exit_code == code, "exit code " << exit_code << ", expected " << code);
  }
};

// Runs COMMAND through the shell in `folder`. Stderr (and stdout, unless
// `stdout_to` names a file to send it to) is captured.
inline Run run_in(const std::string& folder, const std::string& command, const std::string& stdout_to = "") {
  Run r;
  r.command = command;
  r.folder = folder;
  std::string cmd = "cd '" + folder + "' && " + command + " 2>&1";
  if (!stdout_to.empty()) cmd += " > '" + stdout_to + "'";
  FILE* p = popen(cmd.c_str(), "r");
  REQUIRE(p != nullptr);
  std::array<char, 4096> buf;
  std::size_t n;
  while ((n = fread(buf.data(), 1, buf.size(), p)) > 0) r.output.append(buf.data(), n);
  int status = pclose(p);
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return r;
}

// Runs `annals ARGS` from the project root.
inline Run run_annals(const std::string& args, const std::string& stdout_to = "") {
  return run_in(ANNALS_SOURCE_DIR, "'" ANNALS_BINARY "' " + args, stdout_to);
}

// Runs `annals ARGS` in `folder` as an unprivileged user, so that file
// permissions apply: as nobody through setpriv(1) when the tests run as
// root (CI does), else as the user running the tests. The files it reads
// must be readable by others (TempDir::open_to_all).
inline Run run_annals_unprivileged(const std::string& folder, const std::string& args) {
  std::string as = geteuid() == 0 ? "setpriv --reuid=65534 --regid=65534 --clear-groups " : "";
  return run_in(folder, as + "'" ANNALS_BINARY "' " + args);
}

// A fresh temporary folder, removed at the end of the test.
struct TempDir {
  fs::path path;
  TempDir() {
    std::string tmpl = (fs::temp_directory_path() / "annals-e2e-XXXXXX").string();
    REQUIRE(mkdtemp(tmpl.data()) != nullptr);
    path = tmpl;
  }
  // mkdtemp makes it private to its owner: opened, another user (the
  // unprivileged runs) may read and write in it.
  void open_to_all() const { fs::permissions(path, fs::perms::all); }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
  std::string str() const { return path.string(); }
};

inline std::string read_file(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

inline void write_file(const fs::path& p, const std::string& content) {
  fs::create_directories(p.parent_path());
  std::ofstream(p, std::ios::binary) << content;
}

// A minimal RFC 4180 reader: rows of fields.
// A process id that is surely gone: that of a child that has exited and
// been reaped (for the temporaries of "killed" runs, .NAME.tmp-PID).
inline pid_t gone_pid() {
  pid_t child = fork();
  if (child == 0) _exit(0);
  REQUIRE(child > 0);
  int status = 0;
  REQUIRE(waitpid(child, &status, 0) == child);
  return child;
}

inline std::vector<std::vector<std::string>> parse_csv(const std::string& s) {
  std::vector<std::vector<std::string>> rows;
  std::vector<std::string> row;
  std::string field;
  bool quoted = false, any = false;
  for (std::size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (quoted) {
      if (c == '"' && i + 1 < s.size() && s[i + 1] == '"') field += '"', ++i;
      else if (c == '"') quoted = false;
      else field += c;
    } else if (c == '"') {
      quoted = true, any = true;
    } else if (c == ',') {
      row.push_back(field), field.clear(), any = true;
    } else if (c == '\n' || c == '\r') {
      if (c == '\r' && i + 1 < s.size() && s[i + 1] == '\n') ++i;
      row.push_back(field), field.clear();
      rows.push_back(row), row.clear();
      any = false;
    } else {
      field += c, any = true;
    }
  }
  if (any || !field.empty()) row.push_back(field), rows.push_back(row);
  return rows;
}

// CSV rows as maps from header to value.
inline std::vector<std::map<std::string, std::string>> csv_records(const std::string& s) {
  auto rows = parse_csv(s);
  std::vector<std::map<std::string, std::string>> out;
  if (rows.empty()) return out;
  for (std::size_t r = 1; r < rows.size(); ++r) {
    std::map<std::string, std::string> rec;
    for (std::size_t c = 0; c < rows[0].size() && c < rows[r].size(); ++c) rec[rows[0][c]] = rows[r][c];
    out.push_back(rec);
  }
  return out;
}

}  // namespace annals::e2e
