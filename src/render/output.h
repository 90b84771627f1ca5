// render/output — writes a run's output files as one set.
//
// A format (render/formats.h) says which files it makes: each an OutputFile,
// a name and a writer that writes the file's bytes into an OutputSink
// (render/sink.h). write_outputs runs the writers one after the other, each
// straight into its file's temporary name in the output folder
// (".NAME.tmp-PID") through a 64 KiB buffer, so no file is ever held whole
// in memory; the size and FNV-1a hash of the manifest are counted on the
// way. Each temporary is flushed to the disk (fsync); only when all of them
// were written are they renamed into place (rename(2) is atomic within a
// folder). Around the renames:
//   - the folder is locked (flock(2) on OUT/.annals-lock) from before the
//     first writer runs, so two runs into one folder take turns and never
//     leave a mix of their files;
//   - OUT/.annals-outputs, the manifest ("SIZE FNV1A-64 NAME" per file), is
//     removed before the first rename and written after the last: when it is
//     there, the files it lists are one set. A run killed between renames
//     leaves no manifest (and the next run replaces the set);
//   - temporaries left by runs that were killed (their PID is gone) are
//     removed.
// A failed run (a writer that fails, a file that cannot be written) leaves
// the previous outputs untouched and no temporary files behind. The POSIX
// calls behind this are in core/files.h.
//
//   std::vector<OutputFile> files{{"notes.txt", [&](OutputSink& out) { out.write(text); return Status(); }}};
//   if (Status s = write_outputs("out", files); !s.ok()) ...   // "cannot write out/notes.txt: ..."
//
// render_outputs runs the same writers into strings, for tests and callers
// that want the bytes.
#pragma once

#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "core/status.h"
#include "render/sink.h"

namespace annals::render {

inline constexpr const char* kLockFile = ".annals-lock";
inline constexpr const char* kManifestFile = ".annals-outputs";

// Writes one file's bytes into `out`; a failure (a template error) stops
// the run, and is passed up as it is.
using OutputWriter = std::function<Status(OutputSink& out)>;

struct OutputFile {
  std::string name;  // file name inside the output folder
  OutputWriter write;
};

// Runs every writer into its file and puts the files in place as one set.
// Fails, having replaced nothing, when the folder cannot be created or
// locked, a name is taken by something that is not a file (checked before
// any writer runs), a writer fails (its Status, unchanged), or a file cannot
// be written (the message names it and gives the OS's reason).
//
// `retired(name)` says which files of an earlier run this run takes the place
// of: a file the previous manifest lists, that this run does not write and
// for which `retired` is true is removed after the renames (a paged HTML
// timeline that no longer has 2019 must not leave timeline-2019.html
// looking current). Files it does not claim are left as they are.
[[nodiscard]] Status write_outputs(const std::filesystem::path& dir, const std::vector<OutputFile>& files,
                                   const std::function<bool(const std::string& name)>& retired = {});

struct RenderedFile {
  std::string name;
  std::string content;
};

// The files' bytes, in order: each writer run into a StringSink. Fails with
// the first writer's failure.
[[nodiscard]] Result<std::vector<RenderedFile>> render_outputs(const std::vector<OutputFile>& files);

}  // namespace annals::render
