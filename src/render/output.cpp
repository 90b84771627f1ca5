#include "render/output.h"

#include <cstdio>
#include <fstream>

#include <fmt/format.h>
#include <unistd.h>

namespace annals::render {

namespace fs = std::filesystem;

std::string write_outputs(const fs::path& dir, const std::vector<OutputFile>& files) {
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) return fmt::format("cannot create output folder {}: {}", dir.string(), ec.message());
  std::vector<std::pair<fs::path, fs::path>> written;  // temp -> final
  auto cleanup = [&] {
    for (auto& [tmp, final_] : written) fs::remove(tmp, ec);
  };
  // A folder (or anything else) where a file must go would stop the renames
  // half-way, after some files were already replaced: refuse before writing.
  for (auto& f : files) {
    fs::path final_ = dir / f.name;
    if (fs::exists(final_, ec) && !fs::is_regular_file(final_, ec))
      return fmt::format("{} exists and is not a file", final_.string());
  }
  for (auto& f : files) {
    fs::path final_ = dir / f.name;
    fs::path tmp = dir / fmt::format(".{}.tmp-{}", f.name, ::getpid());
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (out) out.write(f.content.data(), std::streamsize(f.content.size()));
    out.close();
    written.emplace_back(tmp, final_);
    if (!out) {
      cleanup();
      return fmt::format("cannot write {}", final_.string());
    }
  }
  for (auto& [tmp, final_] : written) {
    fs::rename(tmp, final_, ec);
    if (ec) {
      cleanup();
      return fmt::format("cannot move {} into place: {}", final_.string(), ec.message());
    }
  }
  return "";
}

}  // namespace annals::render
