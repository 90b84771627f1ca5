#include "cli/watch.h"

#include <cstdio>
#include <map>
#include <thread>

#include "cli/commands.h"

namespace annals::cli {
namespace {

namespace fs = std::filesystem;

struct Stamp {
  fs::file_time_type mtime;
  std::uintmax_t size = 0;
  friend bool operator==(const Stamp&, const Stamp&) = default;
};
using Snapshot = std::map<std::string, Stamp>;

bool ignored(const fs::path& p, const std::vector<fs::path>& ignore) {
  std::error_code ec;
  for (auto& i : ignore) {
    auto rel = fs::relative(p, i, ec);
    if (!ec && !rel.empty() && *rel.begin() != "..") return true;
  }
  return false;
}

void add(Snapshot& s, const fs::path& p) {
  std::error_code ec;
  Stamp st{fs::last_write_time(p, ec), fs::file_size(p, ec)};
  if (!ec) s[p.string()] = st;
}

Snapshot take(const WatchTargets& t) {
  Snapshot s;
  std::error_code ec;
  for (auto& root : t.paths) {
    if (fs::is_regular_file(root, ec)) {
      add(s, root);
      continue;
    }
    if (!fs::is_directory(root, ec)) continue;
    for (auto it = fs::recursive_directory_iterator(root, fs::directory_options::skip_permission_denied, ec);
         it != fs::recursive_directory_iterator(); it.increment(ec)) {
      if (ec) break;
      if (it->is_directory(ec) && ignored(it->path(), t.ignore)) {
        it.disable_recursion_pending();
        continue;
      }
      if (it->is_regular_file(ec)) add(s, it->path());
    }
  }
  return s;
}

// The first path that differs between two snapshots, for the message.
std::string first_change(const Snapshot& a, const Snapshot& b) {
  for (auto& [p, st] : b)
    if (auto it = a.find(p); it == a.end() || !(it->second == st)) return p;
  for (auto& [p, st] : a)
    if (!b.count(p)) return p + " (removed)";
  return "?";
}

}  // namespace

WatchTargets watch_targets(const std::vector<std::string>& sources, const std::string& rules_dir,
                           const std::string& templates_dir, const std::string& out_dir) {
  WatchTargets t;
  for (auto& s : sources) t.paths.emplace_back(s);
  t.paths.push_back(rules_dir.empty() ? default_data_path("rules") : fs::path(rules_dir));
  t.paths.push_back(templates_dir.empty() ? default_data_path("templates") : fs::path(templates_dir));
  t.ignore.emplace_back(out_dir);
  return t;
}

int watch_and_rebuild(const WatchTargets& targets, const std::function<int()>& build) {
  Snapshot seen = take(targets);
  if (seen.empty()) {
    std::fprintf(stderr, "annals: --watch: nothing to watch (no readable file under the given paths)\n");
    return kUsageError;
  }
  for (;;) {
    int rc = build();
    if (rc == kUsageError)
      std::fprintf(stderr, "annals: --watch: build failed; the previous output is kept. Waiting for changes...\n");
    else
      std::fprintf(stderr, "annals: --watch: watching %zu files; waiting for changes (Ctrl-C to stop)\n", seen.size());
    Snapshot now;
    do {
      std::this_thread::sleep_for(targets.poll);
      now = take(targets);
    } while (now == seen);
    // Debounce: wait until the files stop changing.
    for (Snapshot settled;; now = settled) {
      std::this_thread::sleep_for(targets.debounce);
      settled = take(targets);
      if (settled == now) break;
    }
    std::fprintf(stderr, "annals: --watch: %s changed; rebuilding\n", first_change(seen, now).c_str());
    seen = std::move(now);
  }
}

}  // namespace annals::cli
