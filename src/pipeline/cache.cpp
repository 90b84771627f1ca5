#include "pipeline/cache.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <concepts>
#include <chrono>
#include <cstring>
#include <system_error>

#include <fmt/format.h>

#include "core/files.h"
#include "core/hash.h"

namespace annals::pipeline {
namespace {

namespace fs = std::filesystem;

// Bump when the record layout or what a record means changes.
constexpr std::string_view kMagic = "annals extraction cache 4\n";
constexpr const char* kFileName = "extractions";
// A file modified this close to when it was read may have changed again in
// the same clock tick: its record is not trusted on its stamp alone.
constexpr std::int64_t kRacyNs = 2'000'000'000;

// The types a record holds. When one of them changes (a field added), the
// size changes and this fails: add the new field to its fields() below and
// bump kMagic.
static_assert(sizeof(SourceInfo) == 264, "SourceInfo changed: update the cache record (pipeline/cache.cpp)");
static_assert(sizeof(Diagnostic) == 112, "Diagnostic changed: update the cache record (pipeline/cache.cpp)");
static_assert(sizeof(DateInterval) == 48, "DateInterval changed: update the cache record (pipeline/cache.cpp)");
static_assert(sizeof(DateMention) == 296, "DateMention changed: update the cache record (pipeline/cache.cpp)");
static_assert(sizeof(EventMention) == 664, "EventMention changed: update the cache record (pipeline/cache.cpp)");

// The records' types, each with one field list (fields() below) that the
// Writer puts, the Reader gets and the Hasher hashes, so the three cannot
// drift apart.
template <class T>
concept Record = std::same_as<T, SourceInfo> || std::same_as<T, DateInterval> || std::same_as<T, DateMention> ||
                 std::same_as<T, DateMention::Anchor> || std::same_as<T, EventMention>;
template <class Io> void fields(Io& io, SourceInfo& s);
template <class Io> void fields(Io& io, DateInterval& i);
template <class Io> void fields(Io& io, DateMention::Anchor& a);
template <class Io> void fields(Io& io, DateMention& d);
template <class Io> void fields(Io& io, EventMention& m);

// A hash that reads 8 bytes a step (FNV-1a's byte steps cost a multiply per
// byte, more than a cache hit saves on a large text); two lanes, 128 bits.
struct Hasher {
  std::uint64_t a = kFnv1aBasis, b = 0x9e3779b97f4a7c15ull;
  void add(std::string_view s) {
    word(s.size());
    std::size_t i = 0;
    for (; i + 8 <= s.size(); i += 8) {
      std::uint64_t w;
      std::memcpy(&w, s.data() + i, 8);
      word(w);
    }
    std::uint64_t tail = 0;
    std::memcpy(&tail, s.data() + i, s.size() - i);
    word(tail);
  }
  void word(std::uint64_t w) {
    a = (a ^ w) * 0x100000001b3ull;
    a ^= a >> 29;
    b = (b + w) * 0xff51afd7ed558ccdull;
    b ^= b >> 32;
  }
  TextKey done() const { return {mix64(a), mix64(b ^ a)}; }

  // Field visitors (fields() never writes through a const_cast reference).
  void operator()(const std::string& s) { add(s); }
  void operator()(date::sys_days d) { word(std::uint64_t(d.time_since_epoch().count())); }
  template <class T>
  void operator()(const std::optional<T>& o) {
    word(o.has_value());
    if (o) (*this)(*o);
  }
  template <Record T>
  void operator()(const T& x) { fields(*this, const_cast<T&>(x)); }
};

// ---- the record format: varints, length-prefixed strings ---------------

class Writer {
 public:
  std::string out;
  void u8(unsigned v) { out.push_back(char(v)); }
  void uv(std::uint64_t v) {
    while (v >= 0x80) {
      out.push_back(char(v | 0x80));
      v >>= 7;
    }
    out.push_back(char(v));
  }
  void sv(std::int64_t v) { uv((std::uint64_t(v) << 1) ^ std::uint64_t(v >> 63)); }
  void fixed(std::uint64_t v, int bytes) {
    for (int i = 0; i < bytes; ++i) out.push_back(char(v >> (8 * i)));
  }
  void str(std::string_view s) {
    uv(s.size());
    out.append(s);
  }
  void span(const Span& s) {
    uv(s.begin);
    uv(s.end);
  }
  void strs(const std::vector<std::string>& v) {
    uv(v.size());
    for (auto& s : v) str(s);
  }
  void day(date::sys_days d) { sv(d.time_since_epoch().count()); }

  // Field visitors (fields() never writes through a const_cast reference).
  void operator()(const std::string& s) { str(s); }
  void operator()(const std::vector<std::string>& v) { strs(v); }
  void operator()(const Span& s) { span(s); }
  void operator()(bool b) { u8(b); }
  void operator()(date::sys_days d) { day(d); }
  template <class E>
  void enumeration(E e, E /*last*/) { u8(unsigned(e)); }
  template <class T>
  void operator()(const std::optional<T>& o) {
    u8(o.has_value());
    if (o) (*this)(*o);
  }
  template <Record T>
  void operator()(const T& x) { fields(*this, const_cast<T&>(x)); }
};

class Reader {
 public:
  Reader(const char* p, const char* end) : p_(p), end_(end) {}
  bool ok() const { return ok_; }
  unsigned u8() {
    if (p_ >= end_) return fail(), 0;
    return static_cast<unsigned char>(*p_++);
  }
  std::uint64_t uv() {
    std::uint64_t v = 0;
    for (int shift = 0; shift < 64 && p_ < end_; shift += 7) {
      auto b = static_cast<unsigned char>(*p_++);
      v |= std::uint64_t(b & 0x7f) << shift;
      if (!(b & 0x80)) return v;
    }
    return fail(), 0;
  }
  std::int64_t sv() {
    std::uint64_t v = uv();
    return std::int64_t(v >> 1) ^ -std::int64_t(v & 1);
  }
  std::uint64_t fixed(int bytes) {
    if (end_ - p_ < bytes) return fail(), 0;
    std::uint64_t v = 0;
    for (int i = 0; i < bytes; ++i) v |= std::uint64_t(static_cast<unsigned char>(*p_++)) << (8 * i);
    return v;
  }
  std::string str() {
    std::uint64_t n = uv();
    if (!ok_ || std::uint64_t(end_ - p_) < n) return fail(), std::string();
    std::string s(p_, std::size_t(n));
    p_ += n;
    return s;
  }
  Span span() {
    Span s;
    s.begin = std::size_t(uv());
    s.end = std::size_t(uv());
    return s;
  }
  std::vector<std::string> strs() {
    std::vector<std::string> v(std::size_t(std::min<std::uint64_t>(uv(), std::uint64_t(end_ - p_))));
    for (auto& s : v) s = str();
    return v;
  }
  date::sys_days day() { return date::sys_days(date::days(sv())); }
  const char* at() const { return p_; }

  // Field visitors.
  void operator()(std::string& s) { s = str(); }
  void operator()(std::vector<std::string>& v) { v = strs(); }
  void operator()(Span& s) { s = span(); }
  void operator()(bool& b) { b = u8() != 0; }
  void operator()(date::sys_days& d) { d = day(); }
  template <class E>
  void enumeration(E& e, E last) { e = E(std::min(u8(), unsigned(last))); }
  template <class T>
  void operator()(std::optional<T>& o) {
    o.reset();
    if (!u8()) return;
    T v{};
    (*this)(v);
    o = std::move(v);
  }
  template <Record T>
  void operator()(T& x) { fields(*this, x); }

 private:
  void fail() {
    ok_ = false;
    p_ = end_;
  }
  const char* p_;
  const char* end_;
  bool ok_ = true;
};

template <class Io>
void fields(Io& io, SourceInfo& s) {
  io(s.title);
  io(s.outlet);
  io(s.url);
  io(s.image);
  io(s.published);
  io(s.published_from);
  io(s.doc_type);
  io(s.doc_type_from);
}

void put(Writer& w, const Diagnostic& d, const std::string& shown) {
  w.u8(unsigned(d.severity));
  bool own = d.file == shown;
  w.u8(own);
  if (!own) w.str(d.file);
  w.sv(d.line);
  w.sv(d.column);
  w.str(d.rule_id);
  w.str(d.message);
}

void get(Reader& r, Diagnostic& d, const std::string& shown) {
  d.severity = Severity(std::min(r.u8(), unsigned(Severity::Error)));
  d.file = r.u8() ? shown : r.str();
  d.line = int(r.sv());
  d.column = int(r.sv());
  d.rule_id = r.str();
  d.message = r.str();
}

template <class Io>
void fields(Io& io, DateInterval& i) {
  io(i.value);
  io.enumeration(i.granularity, Granularity::Day);
  io(i.first);
  io(i.last);
}

template <class Io>
void fields(Io& io, DateMention::Anchor& a) {
  io(a.span);
  io(a.text);
}

template <class Io>
void fields(Io& io, DateMention& d) {
  io(d.span);
  io(d.text);
  io(d.rule_id);
  io.enumeration(d.type, TimexType::Set);
  io(d.value);
  io(d.mod);
  io(d.interval);
  io(d.unresolved_reason);
  io(d.anchor);
}

// A mention without its source (the record's own, put back by decode).
template <class Io>
void fields(Io& io, EventMention& m) {
  io(m.rule_id);
  io(m.title);
  io(m.identity);
  io(m.terms);
  io(m.category);
  io(m.recurring);
  io(m.actors);
  io(m.tags);
  io(m.match);
  io(m.sentence);
  io(m.evidence);
  io(m.evidence_event);
  io(m.evidence_date);
  io(m.date);
  io(m.date_basis);
}

std::uint64_t checksum(std::string_view body) {
  Hasher h;
  h.add(body);
  return h.done().a;
}

// What identifies the annals binary: a rebuilt one may extract differently.
std::string binary_identity() {
  std::error_code ec;
  fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  struct stat st {};
  if (ec || ::stat(exe.c_str(), &st) != 0) return "unknown";
  return fmt::format("{}:{}.{:09}", st.st_size, st.st_mtim.tv_sec, st.st_mtim.tv_nsec);
}

std::int64_t now_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

// What a current file for the pack with `fingerprint` starts with.
std::string header_for(std::string_view fingerprint) {
  Writer header;
  header.out = kMagic;
  header.str(fingerprint);
  header.str(binary_identity());
  return std::move(header.out);
}

}  // namespace

TextKey text_key(const Document& doc) {
  Hasher h;
  h.add(doc.text);
  h(doc.info);
  return h.done();
}

std::uint64_t options_key(const std::optional<date::sys_days>& reference_date, std::string_view doc_type,
                          const SourceInfo* manifest_entry) {
  Hasher h;
  h.word(reference_date ? std::uint64_t(reference_date->time_since_epoch().count()) : ~std::uint64_t(0));
  h.add(doc_type);
  h.word(manifest_entry != nullptr);
  if (manifest_entry) h(*manifest_entry);
  return h.done().a;
}

ExtractionCache ExtractionCache::open(fs::path dir, std::string fingerprint) {
  ExtractionCache c;
  c.dir_ = std::move(dir);
  c.header_ = header_for(fingerprint);
  std::string bytes;
  if (read_file(c.dir_ / kFileName, bytes) || !bytes.starts_with(c.header_)) return c;  // absent or stale
  c.bytes_ = std::move(bytes);
  c.stale_ = false;
  const char* base = c.bytes_.data();
  std::size_t at = c.header_.size();
  while (at + 12 <= c.bytes_.size()) {
    Reader frame(base + at, base + c.bytes_.size());
    auto size = std::size_t(frame.fixed(4));
    std::uint64_t sum = frame.fixed(8);
    if (size > c.bytes_.size() - at - 12) break;
    std::string_view body(base + at + 12, size);
    if (checksum(body) == sum) {
      Reader r(body.data(), body.data() + body.size());
      Record rec;
      rec.offset = at;
      rec.size = 12 + size;
      rec.path = r.str();
      rec.stamp.size = r.uv();
      rec.stamp.mtime_ns = r.sv();
      rec.stamp.inode = r.uv();
      rec.stamp.ctime_ns = r.sv();
      rec.options = r.fixed(8);
      if (r.u8()) rec.key = TextKey{r.fixed(8), r.fixed(8)};
      rec.recorded_ns = r.sv();
      rec.payload = std::size_t(r.at() - base);
      if (r.ok()) {
        std::size_t index = c.records_.size();
        c.by_path_[rec.path] = index;
        if (rec.key) c.by_text_[*rec.key] = index;
        c.records_.push_back(std::move(rec));
      }
    }
    at += 12 + size;
  }
  if (at != c.bytes_.size()) c.stale_ = true;  // a torn record: the rest is lost, and the file rewritten
  return c;
}

bool ExtractionCache::vouches_for(const fs::path& dir, std::string_view fingerprint) {
  const std::string header = header_for(fingerprint);
  int fd = ::open((dir / kFileName).c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return false;
  std::string head(header.size(), '\0');
  ssize_t n = ::read(fd, head.data(), head.size());
  ::close(fd);
  return n == ssize_t(header.size()) && head == header;
}

std::optional<ExtractionCache::Hit> ExtractionCache::decode(std::size_t index, const std::string& shown) const {
  const Record& rec = records_[index];
  Reader r(bytes_.data() + rec.payload, bytes_.data() + rec.offset + rec.size);
  Hit hit{index, {}};
  hit.source.diagnostics.resize(std::size_t(std::min<std::uint64_t>(r.uv(), rec.size)));
  for (auto& d : hit.source.diagnostics) get(r, d, shown);
  if (r.u8()) {
    Extracted e;
    e.source.info.file = shown;
    r(e.source.info);
    e.source.signature.resize(std::size_t(std::min<std::uint64_t>(r.uv(), rec.size)));
    for (auto& v : e.source.signature) v = std::uint16_t(r.fixed(2));
    e.events.resize(std::size_t(std::min<std::uint64_t>(r.uv(), rec.size)));
    const SharedSource source = e.source.info;  // one copy for all its mentions
    for (auto& m : e.events) {
      r(m);
      m.source = source;
    }
    hit.source.extracted = std::move(e);
  }
  if (!r.ok()) return std::nullopt;
  return hit;
}

std::optional<ExtractionCache::Hit> ExtractionCache::find_file(const std::string& shown, const FileStamp& stamp,
                                                               std::uint64_t options) const {
  auto it = by_path_.find(shown);
  if (it == by_path_.end()) return std::nullopt;
  const Record& rec = records_[it->second];
  if (rec.stamp.size != stamp.size || rec.stamp.mtime_ns != stamp.mtime_ns || rec.stamp.inode != stamp.inode ||
      rec.stamp.ctime_ns != stamp.ctime_ns || rec.options != options ||
      rec.recorded_ns - rec.stamp.mtime_ns < kRacyNs)
    return std::nullopt;
  return decode(it->second, shown);
}

std::optional<ExtractionCache::Hit> ExtractionCache::find_text(const TextKey& key, const std::string& shown) const {
  auto it = by_text_.find(key);
  if (it == by_text_.end()) return std::nullopt;
  return decode(it->second, shown);
}

std::string ExtractionCache::make_record(const std::string& shown, const FileStamp& stamp, std::uint64_t options,
                                         const std::optional<TextKey>& key, const CachedSource& source) {
  Writer w;
  w.str(shown);
  w.uv(stamp.size);
  w.sv(stamp.mtime_ns);
  w.uv(stamp.inode);
  w.sv(stamp.ctime_ns);
  w.fixed(options, 8);
  w.u8(key.has_value());
  if (key) {
    w.fixed(key->a, 8);
    w.fixed(key->b, 8);
  }
  w.sv(now_ns());
  w.uv(source.diagnostics.size());
  for (auto& d : source.diagnostics) put(w, d, shown);
  w.u8(source.extracted.has_value());
  if (source.extracted) {
    w(source.extracted->source.info);
    w.uv(source.extracted->source.signature.size());
    for (auto v : source.extracted->source.signature) w.fixed(v, 2);
    w.uv(source.extracted->events.size());
    for (auto& m : source.extracted->events) w(m);
  }
  Writer frame;
  frame.fixed(w.out.size(), 4);
  frame.fixed(checksum(w.out), 8);
  return frame.out + w.out;
}

void ExtractionCache::keep(std::size_t record) { kept_.push_back(record); }

void ExtractionCache::add(std::string record) { added_.push_back(std::move(record)); }

Status ExtractionCache::save() {
  std::size_t live = kept_.size() + added_.size();
  bool rewrite = stale_ || records_.size() + added_.size() > 2 * live + 64;
  if (!rewrite && added_.empty()) return {};
  std::error_code ec;
  fs::create_directories(dir_, ec);
  if (ec) return Status::os_error("cannot create the cache folder " + dir_.string(), ec);
  remove_stale_temporaries(dir_);  // of builds killed while rewriting the file
  fs::path file = dir_ / kFileName;
  if (rewrite) {
    std::string out = header_;
    for (std::size_t r : kept_) out.append(bytes_, records_[r].offset, records_[r].size);
    for (auto& r : added_) out += r;
    fs::path tmp = dir_ / fmt::format("{}.tmp-{}", kFileName, ::getpid());
    if (std::error_code wec = write_file_synced(tmp, out)) {
      fs::remove(tmp, ec);
      return Status::os_error("cannot write " + tmp.string(), wec);
    }
    fs::rename(tmp, file, ec);
    if (ec) {
      fs::remove(tmp, ec);
      return Status::os_error("cannot replace " + file.string(), ec);
    }
    sync_folder(dir_);
  } else {
    std::string out;
    for (auto& r : added_) out += r;
    int fd = ::open(file.c_str(), O_WRONLY | O_APPEND | O_CLOEXEC);
    if (fd < 0) return Status::os_error("cannot append to " + file.string(), std::error_code(errno, std::generic_category()));
    // One write: records of concurrent runs never interleave byte by byte.
    ssize_t n = ::write(fd, out.data(), out.size());
    int write_errno = errno;
    ::close(fd);
    if (n != ssize_t(out.size()))
      return Status::os_error("cannot append to " + file.string(),
                              std::error_code(n < 0 ? write_errno : ENOSPC, std::generic_category()));
  }
  return {};
}

}  // namespace annals::pipeline
