// render/output — writes a run's output files as one set.
//
// Every file is first written in full to a temporary name in the output
// folder (".NAME.tmp-PID") and flushed to the disk (fsync); only when all of
// them were written are they renamed into place (rename(2) is atomic within
// a folder). Around the renames:
//   - the folder is locked (flock(2) on OUT/.annals-lock), so two runs into
//     one folder take turns and never leave a mix of their files;
//   - OUT/.annals-outputs, the manifest ("SIZE FNV1A-64 NAME" per file), is
//     removed before the first rename and written after the last: when it is
//     there, the files it lists are one set. A run killed between renames
//     leaves no manifest (and the next run replaces the set);
//   - temporaries left by runs that were killed (their PID is gone) are
//     removed.
// A failed run leaves the previous outputs untouched and no temporary files
// behind. The POSIX calls behind this are in core/files.h.
#pragma once

#include <filesystem>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "core/status.h"

namespace annals::render {

inline constexpr const char* kLockFile = ".annals-lock";
inline constexpr const char* kManifestFile = ".annals-outputs";

struct OutputFile {
  std::string name;      // file name inside the output folder
  std::string content;
};

// Fails, having replaced nothing, when the folder cannot be created, a
// file cannot be written (the message names it and the OS's reason), or a
// name is taken by something that is not a file.
//
// `retired(name)` says which files of an earlier run this run takes the place
// of: a file the previous manifest lists, that this run does not write and
// for which `retired` is true is removed after the renames (a paged HTML
// timeline that no longer has 2019 must not leave timeline-2019.html
// looking current). Files it does not claim are left as they are.
[[nodiscard]] Status write_outputs(const std::filesystem::path& dir, const std::vector<OutputFile>& files,
                                   const std::function<bool(const std::string& name)>& retired = {});

}  // namespace annals::render
