// core/files — reading a whole file, with the OS's reason when it fails.
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
// fills `bytes` and returns the OS's error (bytes then unspecified).
[[nodiscard]] std::error_code read_file(const std::filesystem::path& path, std::string& bytes);

// Creates or truncates `path` and writes `bytes` to it; the OS's error when
// it could not be opened, written in full, or closed ("No space left on
// device" may only show at close).
[[nodiscard]] std::error_code write_file(const std::filesystem::path& path, std::string_view bytes);

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
