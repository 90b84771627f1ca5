// render/output — writes a run's output files all-or-nothing.
//
// Every file is first written in full to a temporary name in the output
// folder; only when all of them were written are they renamed into place
// (rename(2) is atomic within a folder). A failed run leaves the previous
// outputs untouched and no temporary files behind.
#pragma once

#include <filesystem>
#include <string>
#include <utility>
#include <vector>

#include "core/status.h"

namespace annals::render {

struct OutputFile {
  std::string name;      // file name inside the output folder
  std::string content;
};

// Fails, having replaced nothing, when the folder cannot be created, a
// file cannot be written (the message names it and the OS's reason), or a
// name is taken by something that is not a file.
[[nodiscard]] Status write_outputs(const std::filesystem::path& dir, const std::vector<OutputFile>& files);

}  // namespace annals::render
