#include "render/output.h"

#include <set>
#include <string_view>

#include <fmt/format.h>

#include "core/files.h"
#include "core/hash.h"

namespace annals::render {

namespace fs = std::filesystem;

namespace {

// The names the manifest at `path` lists ("SIZE HASH NAME" lines); none when it cannot be read.
std::set<std::string> manifest_names(const fs::path& path) {
  std::set<std::string> names;
  std::string text;
  if (read_file(path, text)) return names;
  for (std::size_t b = 0, e; b < text.size(); b = e + 1) {
    e = std::min(text.find('\n', b), text.size());
    std::string_view line(text.data() + b, e - b);
    std::size_t first = line.find(' '), second = first == line.npos ? line.npos : line.find(' ', first + 1);
    if (second != line.npos) names.emplace(line.substr(second + 1));
  }
  return names;
}

// A file's temporary, written through a buffer, counting what the manifest
// says of it while the bytes go by.
class TemporaryFileSink final : public OutputSink {
 public:
  [[nodiscard]] std::error_code open(const fs::path& path) { return file_.open(path); }
  void write(std::string_view text) override {
    size_ += text.size();
    hash_ = fnv1a(text, hash_);
    file_.write(text);
  }
  [[nodiscard]] std::error_code close() { return file_.close(/*sync=*/true); }
  std::uintmax_t size() const { return size_; }
  std::uint64_t hash() const { return hash_; }

 private:
  FileWriter file_;
  std::uintmax_t size_ = 0;
  std::uint64_t hash_ = kFnv1aBasis;
};

}  // namespace

Status write_outputs(const fs::path& dir, const std::vector<OutputFile>& files,
                     const std::function<bool(const std::string& name)>& retired) {
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) return Status::os_error("cannot create output folder " + dir.string(), ec);
  // One run at a time writes into a folder: two builds into one --out take
  // turns instead of mixing their files.
  auto lock = FolderLock::acquire(dir / kLockFile);
  if (!lock.ok()) return lock.status();
  remove_stale_temporaries(dir);

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
  std::string manifest;
  for (auto& f : files) {
    fs::path final_ = dir / f.name;
    fs::path tmp = temporary_path(final_);
    written.emplace_back(tmp, final_);
    TemporaryFileSink sink;
    if (std::error_code open_ec = sink.open(tmp)) {
      cleanup();
      return Status::os_error("cannot write " + final_.string(), open_ec);
    }
    Status made = f.write(sink);
    std::error_code write_ec = sink.close();
    if (!made.ok() || write_ec) {
      cleanup();
      return made.ok() ? Status::os_error("cannot write " + final_.string(), write_ec) : made;
    }
    manifest += fmt::format("{} {:016x} {}\n", sink.size(), sink.hash(), f.name);
  }
  // The switch: the old manifest goes first, so that no manifest ever lists
  // a file of another set; the new one comes after the last rename.
  fs::path manifest_path = dir / kManifestFile;
  std::set<std::string> previous = retired ? manifest_names(manifest_path) : std::set<std::string>{};
  fs::remove(manifest_path, ec);
  sync_folder(dir);
  for (auto& [tmp, final_] : written) {
    fs::rename(tmp, final_, ec);
    if (ec) {
      cleanup();
      return Status::os_error("cannot move " + final_.string() + " into place", ec);
    }
  }
  for (auto& f : files) previous.erase(f.name);
  for (auto& name : previous)
    // Only plain names: a manifest edited by hand cannot make us remove anything outside the folder.
    if (retired(name) && name.find('/') == std::string::npos && name != kManifestFile) fs::remove(dir / name, ec);
  fs::path manifest_tmp = temporary_path(manifest_path);
  std::error_code manifest_ec = write_file_synced(manifest_tmp, manifest);
  if (!manifest_ec) fs::rename(manifest_tmp, manifest_path, manifest_ec);
  if (manifest_ec) {
    fs::remove(manifest_tmp, ec);
    return Status::os_error("cannot write " + manifest_path.string() + " (the outputs were replaced)", manifest_ec);
  }
  sync_folder(dir);
  return Status();
}

Result<std::vector<RenderedFile>> render_outputs(const std::vector<OutputFile>& files) {
  std::vector<RenderedFile> rendered;
  for (auto& f : files) {
    StringSink sink;
    if (Status made = f.write(sink); !made.ok()) return made;
    rendered.push_back({f.name, std::move(sink.text())});
  }
  return rendered;
}

}  // namespace annals::render
