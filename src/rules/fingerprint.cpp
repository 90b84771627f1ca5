#include "rules/fingerprint.h"

#include <filesystem>

#include <fmt/format.h>

#include "core/hash.h"

#ifndef ANNALS_VERSION
#error "ANNALS_VERSION must be defined by the build (CMakeLists.txt)"
#endif

namespace annals::rules {

std::string_view annals_version() { return ANNALS_VERSION; }

std::string pack_fingerprint(const std::vector<std::pair<std::string, std::string>>& files, std::string_view dir) {
  // Two FNV-1a lanes with different bases: 128 bits, so that no two packs a
  // user will ever have collide. Each field is preceded by its length, so
  // that moving bytes from one file (or name) to the next changes the value.
  std::uint64_t a = kFnv1aBasis, b = mix64(kFnv1aBasis);
  auto add = [&](std::string_view s) {
    std::string length = fmt::format("{}:", s.size());
    a = fnv1a(s, fnv1a(length, a));
    b = fnv1a(s, fnv1a(length, b));
  };
  for (auto& [path, bytes] : files) {
    std::string name = path;
    if (!dir.empty()) {
      auto relative = std::filesystem::path(path).lexically_relative(std::filesystem::path(dir));
      if (!relative.empty() && *relative.begin() != "..") name = relative.generic_string();
    }
    add(name);
    add(bytes);
  }
  return fmt::format("annals-{}+pack-{:016x}{:016x}", annals_version(), a, b);
}

}  // namespace annals::rules
