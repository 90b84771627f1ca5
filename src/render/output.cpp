#include "render/output.h"

#include <fmt/format.h>
#include <unistd.h>

#include "core/files.h"

namespace annals::render {

namespace fs = std::filesystem;

Status write_outputs(const fs::path& dir, const std::vector<OutputFile>& files) {
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) return Status::os_error("cannot create output folder " + dir.string(), ec);
  std::vector<std::pair<fs::path, fs::path>> written;  // temp -> final
  auto cleanup = [&] {
    std::error_code ignored;
    for (auto& [tmp, final_] : written) fs::remove(tmp, ignored);
  };
  // A folder (or anything else) where a file must go would stop the renames
  // half-way, after some files were already replaced: refuse before writing.
  for (auto& f : files) {
    fs::path final_ = dir / f.name;
    auto st = fs::status(final_, ec);
    if (ec && ec != std::errc::no_such_file_or_directory) return Status::os_error("cannot write " + final_.string(), ec);
    if (fs::exists(st) && !fs::is_regular_file(st))
      return Status::error(fmt::format("{} exists and is not a file", final_.string()));
  }
  for (auto& f : files) {
    fs::path final_ = dir / f.name;
    fs::path tmp = dir / fmt::format(".{}.tmp-{}", f.name, ::getpid());
    written.emplace_back(tmp, final_);
    if (std::error_code write_ec = write_file(tmp, f.content)) {
      cleanup();
      return Status::os_error("cannot write " + final_.string(), write_ec);
    }
  }
  for (auto& [tmp, final_] : written) {
    fs::rename(tmp, final_, ec);
    if (ec) {
      cleanup();
      return Status::os_error("cannot move " + final_.string() + " into place", ec);
    }
  }
  return Status();
}

}  // namespace annals::render
