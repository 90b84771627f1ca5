// core/files — reading a whole file, with the OS's reason when it fails.
//
//   Result<std::string> text = read_file("templates/timeline.html.mustache");
//   if (!text.ok()) return text.status();
//     // "cannot read templates/timeline.html.mustache: Permission denied"
//
// One read of the file's size and one read of its bytes (what cannot
// report a size, a pipe or /proc file, is read to its end in blocks).
// Thread-safe.
#pragma once

#include <filesystem>
#include <string>
#include <system_error>

#include "core/status.h"

namespace annals {

// The bytes of `path`; an error names the path as given and the reason
// (a folder is "Is a directory").
[[nodiscard]] Result<std::string> read_file(const std::filesystem::path& path);

// The same in the style of std::filesystem's error_code overloads, for
// callers that report the reason in a Diagnostic naming the file itself:
// fills `bytes` and returns the OS's error (bytes then unspecified).
[[nodiscard]] std::error_code read_file(const std::filesystem::path& path, std::string& bytes);

}  // namespace annals
