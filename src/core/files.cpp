#include "core/files.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstdint>
#include <cstring>
#include <streambuf>
#include <utility>

#include <fmt/format.h>

namespace annals {
namespace {

std::error_code os_error(int err) { return std::error_code(err, std::generic_category()); }

}  // namespace

std::error_code read_file(const std::filesystem::path& path, std::string& bytes, std::size_t max_bytes) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return os_error(errno);
  struct stat st {};
  bytes.clear();
  if (::fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0) {
    if (std::uintmax_t(st.st_size) > max_bytes) {
      ::close(fd);
      return os_error(EFBIG);
    }
    bytes.resize(std::size_t(st.st_size));
  }
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
      return os_error(err);
    }
    if (n == 0) break;
    if (room) have += std::size_t(n);
    else bytes.append(more, std::size_t(n)), have = bytes.size();
    if (have > max_bytes) {
      ::close(fd);
      return os_error(EFBIG);
    }
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

namespace {

// Writes all of [data, data + size) to `fd`; the OS's error when it cannot.
std::error_code write_all(int fd, const char* data, std::size_t size) {
  for (std::size_t done = 0; done < size;) {
    ssize_t n = ::write(fd, data + done, size - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return os_error(errno);
    done += std::size_t(n);
  }
  return {};
}

std::error_code write_bytes(const std::filesystem::path& path, std::string_view bytes, bool sync) {
  FileWriter file;
  if (std::error_code ec = file.open(path)) return ec;
  file.write(bytes);
  return file.close(sync);
}

constexpr std::size_t kWriterBuffer = std::size_t(1) << 16;

// An ostream's buffer that writes to a file descriptor and keeps the OS's
// error of the first write that failed (std::ofstream keeps only that one
// did); after it, every write fails.
class DescriptorBuffer : public std::streambuf {
 public:
  explicit DescriptorBuffer(int fd) : fd_(fd) { setp(buffer_, buffer_ + sizeof buffer_); }
  std::error_code error() const { return error_; }

 protected:
  int_type overflow(int_type c) override {
    if (!drain()) return traits_type::eof();
    if (!traits_type::eq_int_type(c, traits_type::eof())) {
      *pptr() = traits_type::to_char_type(c);
      pbump(1);
    }
    return traits_type::not_eof(c);
  }
  int sync() override { return drain() ? 0 : -1; }

 private:
  bool drain() {
    if (!error_) error_ = write_all(fd_, pbase(), std::size_t(pptr() - pbase()));
    setp(buffer_, buffer_ + sizeof buffer_);
    return !error_;
  }

  int fd_;
  std::error_code error_;
  char buffer_[1 << 16];
};

}  // namespace

FileWriter::FileWriter() = default;

FileWriter::~FileWriter() {
  if (fd_ >= 0) ::close(fd_);
}

std::error_code FileWriter::open(const std::filesystem::path& path) {
  if (fd_ >= 0) ::close(fd_);
  fd_ = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
  used_ = 0;
  error_ = fd_ < 0 ? os_error(errno) : std::error_code();
  if (!buffer_) buffer_ = std::make_unique<char[]>(kWriterBuffer);
  return error_;
}

void FileWriter::drain() {
  if (!error_ && used_) error_ = write_all(fd_, buffer_.get(), used_);
  used_ = 0;
}

void FileWriter::write(std::string_view bytes) {
  if (error_ || fd_ < 0) return;
  if (used_ + bytes.size() <= kWriterBuffer) {
    std::memcpy(buffer_.get() + used_, bytes.data(), bytes.size());
    used_ += bytes.size();
    return;
  }
  drain();
  // What does not fit in the buffer goes straight to the file (one copy
  // fewer); the rest waits in it.
  if (bytes.size() >= kWriterBuffer) {
    if (!error_) error_ = write_all(fd_, bytes.data(), bytes.size());
    return;
  }
  std::memcpy(buffer_.get(), bytes.data(), bytes.size());
  used_ = bytes.size();
}

std::error_code FileWriter::close(bool sync) {
  if (fd_ < 0) return error_ ? error_ : std::make_error_code(std::errc::bad_file_descriptor);
  drain();
  if (!error_ && sync && ::fsync(fd_) != 0) error_ = os_error(errno);
  if (::close(fd_) != 0 && !error_) error_ = os_error(errno);  // NFS may say ENOSPC only here
  fd_ = -1;
  return error_;
}

std::error_code write_file(const std::filesystem::path& path, std::string_view bytes) { return write_bytes(path, bytes, false); }

std::error_code write_file_synced(const std::filesystem::path& path, std::string_view bytes) { return write_bytes(path, bytes, true); }

void sync_folder(const std::filesystem::path& dir) {
  int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return;
  ::fsync(fd);  // EINVAL: a file system with nothing to flush for a folder
  ::close(fd);
}

std::filesystem::path temporary_path(const std::filesystem::path& path) {
  return path.parent_path() / fmt::format(".{}.tmp-{}", path.filename().string(), ::getpid());
}

struct AtomicFile::Open {
  Open(std::filesystem::path final_path, std::filesystem::path temporary, int fd)
      : final_path(std::move(final_path)), temporary(std::move(temporary)), fd(fd), buffer(fd), out(&buffer) {}
  std::filesystem::path final_path, temporary;
  int fd;  // -1 once closed
  std::error_code failed;  // why the flush failed (the temporary is gone then)
  DescriptorBuffer buffer;
  std::ostream out;
};

AtomicFile::AtomicFile(std::unique_ptr<Open> open) : open_(std::move(open)) {}

AtomicFile::AtomicFile(AtomicFile&& other) noexcept = default;

AtomicFile::~AtomicFile() {
  if (!open_) return;  // committed, or moved from
  if (open_->fd >= 0) ::close(open_->fd);
  std::error_code ignored;
  std::filesystem::remove(open_->temporary, ignored);
}

Result<AtomicFile> AtomicFile::create(const std::filesystem::path& path) {
  std::filesystem::path temporary = temporary_path(path);
  int fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
  if (fd < 0) return Status::os_error("cannot write " + temporary.string(), os_error(errno));
  return AtomicFile(std::make_unique<Open>(path, std::move(temporary), fd));
}

std::ostream& AtomicFile::out() { return open_->out; }

const std::filesystem::path& AtomicFile::temporary() const { return open_->temporary; }

Status AtomicFile::flush() {
  Open& f = *open_;
  if (f.fd < 0) return f.failed ? Status::os_error("cannot write " + f.temporary.string(), f.failed) : Status();
  f.out.flush();
  std::error_code ec = f.buffer.error();
  if (!ec && ::fsync(f.fd) != 0) ec = os_error(errno);
  if (::close(f.fd) != 0 && !ec) ec = os_error(errno);  // NFS may say ENOSPC only here
  f.fd = -1;
  if (!ec) return Status();
  f.failed = ec;
  std::error_code ignored;
  std::filesystem::remove(f.temporary, ignored);
  return Status::os_error("cannot write " + f.temporary.string(), ec);
}

Status AtomicFile::commit() {
  if (Status s = flush(); !s.ok()) return s;
  Open& f = *open_;
  std::error_code ec;
  std::filesystem::rename(f.temporary, f.final_path, ec);
  if (ec) {
    std::error_code ignored;
    std::filesystem::remove(f.temporary, ignored);
    return Status::os_error("cannot rename " + f.temporary.string() + " to " + f.final_path.string(), ec);
  }
  std::filesystem::path folder = f.final_path.parent_path();
  sync_folder(folder.empty() ? "." : folder);
  open_.reset();
  return Status();
}

FolderLock::FolderLock(FolderLock&& o) noexcept : fd_(std::exchange(o.fd_, -1)) {}

FolderLock::~FolderLock() {
  if (fd_ >= 0) ::close(fd_);  // releases the lock
}

Result<FolderLock> FolderLock::acquire(const std::filesystem::path& file) {
  FolderLock lock;
  lock.fd_ = ::open(file.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0666);
  if (lock.fd_ < 0) return Status::os_error("cannot write " + file.string(), std::error_code(errno, std::generic_category()));
  while (::flock(lock.fd_, LOCK_EX) != 0)
    if (errno != EINTR) return Status::os_error("cannot lock " + file.string(), std::error_code(errno, std::generic_category()));
  return lock;
}

long temporary_owner(const std::string& name) {
  auto mark = name.rfind(".tmp-");
  if (mark == std::string::npos || mark == 0) return 0;
  long pid = 0;
  const char* first = name.data() + mark + 5;
  const char* last = name.data() + name.size();
  auto [end, ec] = std::from_chars(first, last, pid);
  return ec == std::errc() && end == last && pid > 0 ? pid : 0;
}

std::size_t remove_stale_temporaries(const std::filesystem::path& dir) {
  std::size_t removed = 0;
  std::error_code ec;
  for (auto& e : std::filesystem::directory_iterator(dir, ec)) {
    long pid = temporary_owner(e.path().filename().string());
    if (pid == 0 || pid == ::getpid()) continue;
    // kill(pid, 0) sends nothing: ESRCH says no such process (EPERM: one
    // that is alive but not ours, whose file stays).
    if (::kill(pid_t(pid), 0) != 0 && errno == ESRCH) {
      std::error_code ignored;
      if (e.is_regular_file(ignored) && std::filesystem::remove(e.path(), ignored)) ++removed;
    }
  }
  return removed;
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
    // The entry's type as the listing gave it, so a plain file costs no
    // stat (one per source, every build); a link is followed.
    std::error_code link_ec;
    bool regular = e.is_regular_file(link_ec);
    if (link_ec) {
      // A dangling link, a link loop: say so when it has a wanted name.
      if (wanted(e.path())) unreadable(e.path(), link_ec);
    } else if (regular) {
      if (wanted(e.path())) files.push_back(e.path());
    } else if (e.is_directory(link_ec) && !e.is_symlink(ec)) {
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
