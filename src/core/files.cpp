#include "core/files.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>

namespace annals {

std::error_code read_file(const std::filesystem::path& path, std::string& bytes) {
  auto failed = [](int err) { return std::error_code(err, std::generic_category()); };
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return failed(errno);
  struct stat st {};
  bytes.clear();
  if (::fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0) bytes.resize(std::size_t(st.st_size));
  // Into the string while it has room, then (a file that grew, or one with
  // no size) through a small buffer until read() says the end.
  std::size_t have = 0;
  char more[16384];
  for (;;) {
    bool room = have < bytes.size();
    ssize_t n = room ? ::read(fd, bytes.data() + have, bytes.size() - have) : ::read(fd, more, sizeof more);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      int err = errno;
      ::close(fd);
      return failed(err);
    }
    if (n == 0) break;
    if (room) have += std::size_t(n);
    else bytes.append(more, std::size_t(n)), have = bytes.size();
  }
  ::close(fd);
  bytes.resize(have);
  return {};
}

Result<std::string> read_file(const std::filesystem::path& path) {
  std::string bytes;
  if (std::error_code ec = read_file(path, bytes)) return Status::os_error("cannot read " + path.string(), ec);
  return bytes;
}

std::error_code write_file(const std::filesystem::path& path, std::string_view bytes) {
  auto failed = [](int err) { return std::error_code(err, std::generic_category()); };
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
  if (fd < 0) return failed(errno);
  for (std::size_t done = 0; done < bytes.size();) {
    ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      int err = errno;
      ::close(fd);
      return failed(err);
    }
    done += std::size_t(n);
  }
  if (::close(fd) != 0) return failed(errno);
  return {};
}

namespace {

// A folder's entries are sorted by their path strings, which compares their
// names since they share the folder's prefix, and each subfolder is listed
// in its place: that is path order, and sorting all the files by
// path::compare at the end cost about twice as much.
void list_folder(const std::filesystem::path& folder, const PathFilter& wanted, const FolderError& unreadable,
                 std::vector<std::filesystem::path>& files) {
  namespace fs = std::filesystem;
  std::error_code ec;
  std::vector<fs::directory_entry> entries;
  for (fs::directory_iterator it(folder, ec), end; !ec && it != end; it.increment(ec)) entries.push_back(*it);
  if (ec) {
    unreadable(folder, ec);
    return;
  }
  std::sort(entries.begin(), entries.end(),
            [](const fs::directory_entry& a, const fs::directory_entry& b) { return a.path().native() < b.path().native(); });
  for (auto& e : entries) {
    std::error_code link_ec;
    fs::file_status target = e.status(link_ec);  // follows a link
    if (link_ec) {
      // A dangling link, a link loop: say so when it has a wanted name.
      if (wanted(e.path())) unreadable(e.path(), link_ec);
    } else if (fs::is_regular_file(target)) {
      if (wanted(e.path())) files.push_back(e.path());
    } else if (fs::is_directory(target) && !e.is_symlink(ec)) {
      if (wanted(e.path())) unreadable(e.path(), std::make_error_code(std::errc::is_a_directory));
      list_folder(e.path(), wanted, unreadable, files);
    }
  }
}

}  // namespace

std::vector<std::filesystem::path> list_files(const std::filesystem::path& folder, const PathFilter& wanted,
                                              const FolderError& unreadable) {
  std::vector<std::filesystem::path> files;
  list_folder(folder, wanted, unreadable, files);
  return files;
}

}  // namespace annals
