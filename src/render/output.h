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

namespace annals::render {

struct OutputFile {
  std::string name;      // file name inside the output folder
  std::string content;
};

// Returns "" on success, else a message saying what failed.
std::string write_outputs(const std::filesystem::path& dir, const std::vector<OutputFile>& files);

}  // namespace annals::render
