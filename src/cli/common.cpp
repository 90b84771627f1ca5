#include "cli/commands.h"

namespace annals::cli {

std::filesystem::path default_data_path(const std::string& name) {
  std::error_code ec;
  if (std::filesystem::exists(name, ec)) return name;
  std::filesystem::path built_from = std::filesystem::path(ANNALS_SOURCE_DIR) / name;
  if (std::filesystem::exists(built_from, ec)) return built_from;
  return name;
}

}  // namespace annals::cli
