// core/files — reading and writing whole files, with the OS's reason when it
// fails, where the POSIX file calls live (open/read/write, fsync, flock,
// kill(pid, 0) to ask whether a temporary's owner is alive).
//
//   Result<std::string> text = read_file("templates/timeline.html.mustache");
//   if (!text.ok()) return text.status();
//     // "cannot read templates/timeline.html.mustache: Permission denied"
//
//   auto files = list_files("rules", [](auto& p) { return p.extension() == ".toml"; },
//                           [&](auto& folder, std::error_code why) { /* report it */ });
//
// read_file: one read of the file's size and one read of its bytes (what
// cannot report a size, a pipe or /proc file, is read to its end in blocks).
// Thread-safe.
#pragma once

#include <filesystem>
#include <functional>
#include <memory>
#include <ostream>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

#include "core/status.h"

namespace annals {

// The bytes of `path`; an error names the path as given and the reason
// (a folder is "Is a directory").
[[nodiscard]] Result<std::string> read_file(const std::filesystem::path& path);

// The same in the style of std::filesystem's error_code overloads, for
// callers that report the reason in a Diagnostic naming the file itself:
// fills `bytes` and returns the OS's error (bytes then unspecified). More
// than `max_bytes` is errc::file_too_large, found from the size alone when
// the file has one, else after reading max_bytes + 1 bytes (so /dev/zero
// ends too).
[[nodiscard]] std::error_code read_file(const std::filesystem::path& path, std::string& bytes,
                                        std::size_t max_bytes = std::string::npos);

// Creates or truncates `path` and writes `bytes` to it; the OS's error when
// it could not be opened, written in full, or closed ("No space left on
// device" may only show at close).
[[nodiscard]] std::error_code write_file(const std::filesystem::path& path, std::string_view bytes);

// The same, then flushed to the disk (fsync) before it is closed: a rename
// of it afterwards never points at bytes the disk has not got.
[[nodiscard]] std::error_code write_file_synced(const std::filesystem::path& path, std::string_view bytes);

// A file written a piece at a time through a buffer of its own (64 KiB),
// for output too big to be held whole before it is written:
//
//   FileWriter file;
//   if (std::error_code ec = file.open(path)) return Status::os_error("cannot write " + path.string(), ec);
//   file.write(header);
//   for (auto& row : rows) file.write(row);
//   if (std::error_code ec = file.close(/*sync=*/true)) return Status::os_error("cannot write " + path.string(), ec);
//
// The first write that fails is kept and every later one is dropped, so a
// writer can go on and be told once, by close() (or error() on the way). A
// writer destroyed unclosed closes its file and leaves what was written:
// removing a half-written file is the caller's. Not thread-safe.
class FileWriter {
 public:
  FileWriter();
  FileWriter(const FileWriter&) = delete;
  FileWriter& operator=(const FileWriter&) = delete;
  ~FileWriter();

  // Creates or truncates `path`; the OS's error when it cannot.
  [[nodiscard]] std::error_code open(const std::filesystem::path& path);
  void write(std::string_view bytes);
  // The first write's error so far (none before open).
  std::error_code error() const { return error_; }
  // Writes what is buffered, flushes the file to the disk when `sync`
  // (fsync), closes it, and returns the first error of all that ("No space
  // left on device" may only show at close).
  [[nodiscard]] std::error_code close(bool sync);

 private:
  void drain();
  int fd_ = -1;
  std::unique_ptr<char[]> buffer_;
  std::size_t used_ = 0;
  std::error_code error_;
};

// Flushes a folder's entries (the renames done in it) to the disk; a file
// system that cannot is left alone.
void sync_folder(const std::filesystem::path& dir);

// The name a file is written under until it is complete: ".NAME.tmp-PID"
// in the folder of `path` (hidden, and in the same file system, so that the
// rename into place is atomic). temporary_owner() reads the PID back.
std::filesystem::path temporary_path(const std::filesystem::path& path);

// One file replaced whole: written to temporary_path(path), then on commit
// flushed to the disk (fsync), renamed to `path` and the folder flushed.
// Readers of `path` see the previous file or the complete new one, never a
// part, and a retry replaces its own output.
//
//   auto file = AtomicFile::create("parts/part-3.jsonl");
//   if (!file.ok()) return file.status();  // "cannot write parts/.part-3.jsonl.tmp-77: Permission denied"
//   file->out() << records;
//   if (Status s = file->commit(); !s.ok()) return s;  // "cannot write ...: No space left on device"
//
// The stream writes through a buffer of its own straight to the file, so a
// failure keeps the OS's reason. Destroyed before commit (an error on the
// way), it removes its temporary. Removing the temporaries of killed
// writers is the caller's (remove_stale_temporaries).
class AtomicFile {
 public:
  [[nodiscard]] static Result<AtomicFile> create(const std::filesystem::path& path);
  AtomicFile(AtomicFile&& other) noexcept;
  AtomicFile& operator=(AtomicFile&&) = delete;
  ~AtomicFile();

  std::ostream& out();
  const std::filesystem::path& temporary() const;
  // Writes what is buffered, flushes the temporary to the disk (fsync) and
  // closes it, leaving it unrenamed: a writer of several files flushes them
  // all before it commits any. Fails, with the temporary removed, when a
  // write or the flush failed.
  [[nodiscard]] Status flush();
  // Flushes (unless flush() did) and renames the temporary to `path`. Fails,
  // with the temporary removed and `path` as it was, when a write, the flush
  // or the rename failed.
  [[nodiscard]] Status commit();

 private:
  struct Open;
  explicit AtomicFile(std::unique_ptr<Open> open);
  std::unique_ptr<Open> open_;
};

// An exclusive lock on a folder, through flock(2) on `file` inside it
// (created when missing): other processes that ask wait until it is
// released, when the lock goes or its process ends, however it ends.
class FolderLock {
 public:
  [[nodiscard]] static Result<FolderLock> acquire(const std::filesystem::path& file);
  FolderLock(FolderLock&& other) noexcept;
  FolderLock& operator=(FolderLock&&) = delete;
  ~FolderLock();

 private:
  FolderLock() = default;
  int fd_ = -1;
};

// The process id in the name of a temporary file "NAME.tmp-PID" (or
// ".NAME.tmp-PID"), or 0 for any other name.
long temporary_owner(const std::string& name);

// Removes the temporary files in `dir` (not below it) whose process is gone:
// what runs killed before their rename left behind. Returns how many.
std::size_t remove_stale_temporaries(const std::filesystem::path& dir);

// Every regular file below `folder` (recursively) for which `wanted` holds,
// in path order (path::operator<): name order within a folder, a
// subfolder's files taking the subfolder's place ("a/z.txt" before
// "a-b.txt"). Symbolic links to files are listed, links to folders are not
// followed. A folder that cannot be listed (`folder` itself included) is
// passed to `unreadable` with the OS's reason, and the walk goes on; so is
// an entry with a wanted name that is a dangling link or a link loop, and a
// folder with a wanted name (errc::is_a_directory; its files are listed).
using PathFilter = std::function<bool(const std::filesystem::path&)>;
using FolderError = std::function<void(const std::filesystem::path& folder, std::error_code why)>;
std::vector<std::filesystem::path> list_files(const std::filesystem::path& folder, const PathFilter& wanted,
                                              const FolderError& unreadable);

}  // namespace annals
