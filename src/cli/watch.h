// cli/watch — `annals build --watch`: runs a build, then re-runs it whenever
// a watched file changes, until the process is stopped (Ctrl-C).
//
//   auto targets = watch_targets(sources, rules_dir, templates_dir, out_dir);
//   return watch_and_rebuild(targets, [&] { return run_build(args); });
//
// Changes are found by polling modification times and sizes (portable, no
// inotify needed) every `poll`; a burst of changes (an editor writing a file
// in several steps, a `git checkout`) triggers one rebuild once nothing has
// changed for `debounce`. The build itself keeps the last good output when
// the rules have errors (it writes nothing then); this loop prints that it
// keeps waiting. Files, added, removed or changed, anywhere under the
// watched paths count, except under `ignore` (the output folder).
#pragma once

#include <chrono>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

namespace annals::cli {

struct WatchTargets {
  std::vector<std::filesystem::path> paths;   // files or folders (recursive)
  std::vector<std::filesystem::path> ignore;  // folders whose changes do not count
  std::chrono::milliseconds poll{100};
  std::chrono::milliseconds debounce{300};
};

// What `build --watch` watches: the sources, the rule pack and the templates
// (resolved like build does), ignoring the output folder.
WatchTargets watch_targets(const std::vector<std::string>& sources, const std::string& rules_dir,
                           const std::string& templates_dir, const std::string& out_dir);

// Runs `build` now and after every change. Returns only if the watched
// paths cannot be read at all (exit code 2); otherwise runs until killed.
int watch_and_rebuild(const WatchTargets& targets, const std::function<int()>& build);

}  // namespace annals::cli
