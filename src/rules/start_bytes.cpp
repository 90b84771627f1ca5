// Reading a pattern's start bytes (rules/start_bytes.h): a recursive descent
// over RE2's syntax that keeps, for each piece, whether it can match nothing,
// the bytes its matches begin with, the bytes that are a whole match, and the
// pairs its longer matches begin with.
#include "rules/start_bytes.h"

#include <cctype>
#include <memory>

#include "rules/pattern_text.h"

namespace annals::rules {
namespace {

using Bytes = std::bitset<256>;

Bytes high_bytes() { return ~Bytes{} << 0x80; }

// f(x) for each byte x of `b`, in order (libstdc++'s bitset scan).
template <typename F>
void for_each_byte(const Bytes& b, F&& f) {
  for (std::size_t x = b._Find_first(); x < b.size(); x = b._Find_next(x)) f(x);
}

struct Sets {
  bool nullable = false;
  Bytes first, single;
  // The rows of StartBytes::second: those of ASCII bytes (allocated when
  // one is not empty, `rows` saying which), and one for every byte >= 0x80
  // (what may follow any of them).
  std::unique_ptr<std::array<Bytes, 0x80>> second;
  Bytes rows, after_high;

  Bytes& row(std::size_t x) {
    if (!second) second = std::make_unique<std::array<Bytes, 0x80>>();
    rows.set(x);
    return (*second)[x];
  }
  void unite(const Sets& o) {
    nullable = nullable || o.nullable;
    first |= o.first;
    single |= o.single;
    add_rows(o);
  }
  // x then y for each x of `xs` and y of `ys`.
  void add_pairs(const Bytes& xs, const Bytes& ys) {
    if (ys.none() || xs.none()) return;
    Bytes high = high_bytes();
    for_each_byte(xs & ~high, [&](std::size_t x) { row(x) |= ys; });
    if ((xs & high).any()) after_high |= ys;
  }
  void add_rows(const Sets& o) {
    if (o.second) for_each_byte(o.rows, [&](std::size_t x) { row(x) |= (*o.second)[x]; });
    after_high |= o.after_high;
  }
};

Sets empty_match() {
  Sets s;
  s.nullable = true;
  return s;
}

// One character of a set of ASCII bytes, or of more than one byte (UTF-8)
// when `multibyte`: those begin with a byte >= 0x80, and so does the next.
Sets characters(const Bytes& ascii, bool multibyte) {
  Sets s;
  s.first = ascii;
  s.single = ascii;
  if (multibyte) {
    Bytes h = high_bytes();
    s.first |= h;
    s.add_pairs(h, h);
  }
  return s;
}

// Any character: every byte can begin it or be it.
Sets any_character() {
  Bytes all;
  all.set();
  Sets s = characters(all, true);
  s.single = all;
  return s;
}

// A code under the case flag: a letter stands for both cases and (folding
// to KELVIN SIGN, LONG S...) for characters outside ASCII. Those two are
// the only ones outside ASCII whose fold orbit in RE2 reaches it (k, s), so
// any code outside ASCII (0x80: one not decoded) may start at k, K, s, S.
void add_code(Bytes& ascii, bool& multibyte, unsigned code, bool ci) {
  if (code >= 0x80) {
    multibyte = true;
    if (ci)
      for (char folded : {'k', 'K', 's', 'S'}) ascii.set(static_cast<unsigned char>(folded));
    return;
  }
  ascii.set(code);
  if (ci && std::isalpha(static_cast<int>(code))) {
    ascii.set(static_cast<std::size_t>(std::tolower(static_cast<int>(code))));
    ascii.set(static_cast<std::size_t>(std::toupper(static_cast<int>(code))));
    multibyte = true;
  }
}

// The length of the UTF-8 sequence its lead byte opens (1 for ASCII or a
// byte that opens none).
std::size_t utf8_length(unsigned char lead) {
  if (lead >= 0xF0) return 4;
  if (lead >= 0xE0) return 3;
  if (lead >= 0xC0) return 2;
  return 1;
}

class Reader {
 public:
  explicit Reader(std::string_view s) : s_(s) {}

  std::optional<Sets> read() {
    bool ci = false;
    Sets all = alternation(ci);
    if (failed_ || i_ != s_.size()) return std::nullopt;
    return all;
  }

 private:
  bool at(char c) const { return i_ < s_.size() && s_[i_] == c; }
  bool at(std::string_view piece) const { return s_.substr(i_).starts_with(piece); }
  void fail() {
    failed_ = true;
    i_ = s_.size();
  }
  // Moves past the next `closing` (of "(?P<name>", "[:alpha:]"), or fails
  // when there is none; returns whether it was there.
  [[nodiscard]] bool skip_past(std::string_view closing) {
    auto close = s_.find(closing, i_);
    if (close == std::string_view::npos) {
      fail();
      return false;
    }
    i_ = close + closing.size();
    return true;
  }

  // Alternatives up to the closing ')' of the group or the pattern's end.
  // `ci` is the group's case flag: a bare (?i) inside turns it on for the
  // rest of the group.
  Sets alternation(bool& ci) {
    Sets out = concatenation(ci);
    while (!failed_ && at('|')) {
      ++i_;
      out.unite(concatenation(ci));
    }
    return out;
  }

  // Pieces one after another. Once what came before cannot match nothing
  // nor a single byte, later pieces change no set: they are skipped.
  Sets concatenation(bool& ci) {
    Sets acc = empty_match();
    while (!failed_ && i_ < s_.size() && !at('|') && !at(')')) {
      if (!acc.nullable && acc.single.none()) {
        skip_alternative(ci);
        break;
      }
      bool flags_only = false;
      Sets piece = atom(ci, flags_only);
      if (flags_only) continue;
      repetition(piece);
      Sets next;
      next.nullable = acc.nullable && piece.nullable;
      next.first = acc.first;
      if (acc.nullable) next.first |= piece.first;
      if (piece.nullable) next.single |= acc.single;
      if (acc.nullable) next.single |= piece.single;
      next.second = std::move(acc.second);
      next.rows = acc.rows;
      next.after_high = acc.after_high;
      next.add_pairs(acc.single, piece.first);
      if (acc.nullable) next.add_rows(piece);
      acc = std::move(next);
    }
    return acc;
  }

  // The flag letters of "(?flags)" or "(?flags:" from s_[i] on (just after
  // "(?"): where they end, and whether case folding is on after them, given
  // `ci` before them ("-" turns the letters after it off).
  struct FlagRun {
    std::size_t end;
    bool ci;
  };
  FlagRun read_flags(std::size_t i, bool ci) const {
    bool negate = false;
    for (; i < s_.size() && std::string_view("imsU-").find(s_[i]) != std::string_view::npos; ++i) {
      if (s_[i] == '-') negate = true;
      else if (s_[i] == 'i') ci = !negate;
    }
    return {i, ci};
  }

  // Moves to the '|' or ')' that ends the current alternative, past groups
  // and classes. A bare (?i) on the way still turns the flag on for the
  // group's later alternatives; syntax the reader does not know fails.
  void skip_alternative(bool& ci) {
    int depth = 0;
    while (!failed_ && i_ < s_.size()) {
      char c = s_[i_];
      if (c == '\\') {
        if (i_ + 1 < s_.size() && s_[i_ + 1] == 'Q') fail();
        i_ += 2;
      } else if (c == '[') {
        skip_class();
      } else if (c == '(') {
        if (depth == 0 && at("(?") && !at("(?:") && !at("(?P<")) {
          auto [j, inner] = read_flags(i_ + 2, ci);
          if (j < s_.size() && s_[j] == ')') {
            if (ci && !inner) fail();
            ci = ci || inner;
          }
        }
        ++depth;
        ++i_;
      } else if (c == ')') {
        if (depth == 0) return;
        --depth;
        ++i_;
      } else if (c == '|' && depth == 0) {
        return;
      } else {
        ++i_;
      }
    }
  }

  // Moves past a class "[...]" (rules/pattern_text.h).
  void skip_class() {
    std::size_t end = class_end(s_, i_);
    if (end == std::string_view::npos) fail();
    else i_ = end;
  }

  // Whether flags-only groups ("(?i)", "(?)") then a quantifier come next.
  // RE2 applies that quantifier to what precedes the groups ("a(?i)?" is
  // "a?" with flags, "a+(?)?" is "(?:a+)?"), which this reader does not
  // follow: fuzz_start_bytes found "}(?)?" and "\s+(?)?" read as required.
  bool quantifier_after_flags_group() const {
    for (std::size_t j = i_; s_.substr(j).starts_with("(?");) {
      std::size_t k = read_flags(j + 2, false).end;
      if (k >= s_.size() || s_[k] != ')') return false;
      j = k + 1;
      if (j < s_.size() && std::string_view("?*+{").find(s_[j]) != std::string_view::npos) return true;
    }
    return false;
  }

  // A quantifier after a piece: ?, *, +, {n}, {n,}, {n,m}, each perhaps
  // lazy. A '{' that opens no repetition is a literal, left for the next piece.
  void repetition(Sets& piece) {
    if (i_ >= s_.size()) return;
    if (quantifier_after_flags_group()) {
      fail();
      return;
    }
    char q = s_[i_];
    std::size_t min = 1, max = 1;
    bool unbounded = false;
    if (q == '?') {
      min = 0;
      ++i_;
    } else if (q == '*') {
      min = 0;
      unbounded = true;
      ++i_;
    } else if (q == '+') {
      unbounded = true;
      ++i_;
    } else if (q == '{') {
      std::size_t j = i_ + 1;
      auto number = [&](std::size_t& into) {
        std::size_t from = j;
        into = 0;
        while (j < s_.size() && std::isdigit(static_cast<unsigned char>(s_[j])) && j - from < 6) into = into * 10 + std::size_t(s_[j++] - '0');
        return j > from;
      };
      if (!number(min)) return;
      max = min;
      if (j < s_.size() && s_[j] == ',') {
        ++j;
        if (j < s_.size() && s_[j] == '}') unbounded = true;
        else if (!number(max)) return;
      }
      if (j >= s_.size() || s_[j] != '}') return;
      i_ = j + 1;
    } else {
      return;
    }
    if (at('?')) ++i_;  // lazy
    if (quantifier_after_flags_group()) {  // "a+(?i)?"
      fail();
      return;
    }
    if (!unbounded && max == 0) {
      piece = empty_match();
      return;
    }
    if (min == 0) piece.nullable = true;
    if (unbounded || max >= 2) piece.add_pairs(piece.single, piece.first);
  }

  Sets atom(bool& ci, bool& flags_only) {
    unsigned char c = static_cast<unsigned char>(s_[i_]);
    switch (c) {
      case '(': return group(ci, flags_only);
      case '[': return char_class(ci);
      case '\\': return escape(ci);
      case '.': ++i_; return any_character();
      case '^':
      case '$': ++i_; return empty_match();
      case '*':
      case '+':
      case '?': fail(); return {};  // a repetition of nothing: RE2 rejects it
      default: break;
    }
    ++i_;
    Bytes b;
    bool multibyte = false;
    if (c >= 0x80) {
      i_ += utf8_length(c) - 1;
      c = 0x80;
    }
    add_code(b, multibyte, c, ci);
    return characters(b, multibyte);
  }

  Sets group(bool& ci, bool& flags_only) {
    ++i_;  // '('
    bool inner = ci;
    if (at("?P<")) {
      if (!skip_past(">")) return {};
    } else if (at('?')) {
      FlagRun flags = read_flags(i_ + 1, inner);
      i_ = flags.end;
      inner = flags.ci;
      if (at(')')) {  // (?i): the rest of the enclosing group
        ++i_;
        flags_only = true;
        if (ci && !inner) fail();  // turning (?i) off midway: not read
        ci = ci || inner;
        return {};
      }
      if (!at(':')) {
        fail();
        return {};
      }
      ++i_;
    }
    // Groups nest by recursion: past kMaxNesting the pattern gets no
    // filter rather than a stack overflow (fuzz_start_bytes found ~800
    // nested '(' overflowing under ASan). RE2 itself allows 1000.
    if (++nesting_ > kMaxNesting) {
      fail();
      return {};
    }
    Sets body = alternation(inner);
    --nesting_;
    if (!at(')')) {
      fail();
      return {};
    }
    ++i_;
    return body;
  }

  // A code point written as an escape (\x27, \x{2019}, \n, \-), or -1 for
  // one that names a set, or -2 for one not read. Moves past it.
  long escaped_code() {
    char e = i_ + 1 < s_.size() ? s_[i_ + 1] : '\0';
    i_ += 2;
    switch (e) {
      case 'n': return '\n';
      case 't': return '\t';
      case 'r': return '\r';
      case 'f': return '\f';
      case 'v': return '\v';
      case 'a': return '\a';
      case 'x': {
        std::size_t end = i_;
        if (at('{')) {
          end = s_.find('}', i_);
          if (end == std::string_view::npos) return -2;
          ++i_;
        } else {
          end = std::min(s_.size(), i_ + 2);
        }
        long v = 0;
        if (i_ >= end) return -2;
        for (; i_ < end; ++i_) {
          int d = std::isxdigit(static_cast<unsigned char>(s_[i_])) ? (std::isdigit(static_cast<unsigned char>(s_[i_])) ? s_[i_] - '0' : std::tolower(s_[i_]) - 'a' + 10) : -1;
          if (d < 0 || v > 0x10FFFF) return -2;
          v = v * 16 + d;
        }
        if (at('}')) ++i_;
        return v;
      }
      default: break;
    }
    auto u = static_cast<unsigned char>(e);
    if (u >= 0x80) {  // an escaped character outside ASCII
      i_ += utf8_length(u) - 1;
      return 0x80;
    }
    if (e == '\0' || std::isalnum(u)) return -2;
    return e;  // punctuation stands for itself
  }

  // The set an escape like \d, \s, \w names (ascii, multibyte), or false.
  // Under the case flag \w holds k and s, so KELVIN SIGN and LONG S too.
  bool escaped_set(char e, Bytes& ascii, bool& multibyte, bool& any, bool ci) {
    switch (e) {
      case 'd':
        for (char d = '0'; d <= '9'; ++d) ascii.set(static_cast<unsigned char>(d));
        return true;
      case 's':
        for (char w : {' ', '\t', '\n', '\v', '\f', '\r'}) ascii.set(static_cast<unsigned char>(w));
        return true;
      case 'w':
        for (int x = 0; x < 128; ++x)
          if (std::isalnum(x) || x == '_') ascii.set(std::size_t(x));
        multibyte = multibyte || ci;
        return true;
      case 'D':
      case 'S':
      case 'W':
      case 'C':
        any = true;
        return true;
      case 'p':
      case 'P':
        any = true;
        multibyte = true;
        return true;
      default: return false;
    }
  }

  // Skips the name after \p or \P: one letter, or {Name}.
  void skip_property() {
    if (at('{')) {
      auto close = s_.find('}', i_);
      i_ = close == std::string_view::npos ? s_.size() : close + 1;
    } else if (i_ < s_.size()) {
      ++i_;
    }
  }

  Sets escape(bool ci) {
    char e = i_ + 1 < s_.size() ? s_[i_ + 1] : '\0';
    if (e == 'b' || e == 'B' || e == 'A' || e == 'z') {
      i_ += 2;
      return empty_match();
    }
    Bytes b;
    bool multibyte = false, any = false;
    if (escaped_set(e, b, multibyte, any, ci)) {
      i_ += 2;
      if (e == 'p' || e == 'P') skip_property();
      return any ? any_character() : characters(b, multibyte);
    }
    long code = escaped_code();
    if (code < 0) {
      fail();
      return {};
    }
    add_code(b, multibyte, static_cast<unsigned>(code), ci);
    return characters(b, multibyte);
  }

  // [...]: a negated class, one with a POSIX or Unicode class, stands for
  // any character.
  Sets char_class(bool ci) {
    ++i_;  // '['
    bool negated = at('^');
    if (negated) ++i_;
    Bytes b;
    bool multibyte = false, any = false, first = true;
    // One member as a code point, -1 when it named a set, -2 when unread.
    auto member = [&]() -> long {
      unsigned char c = static_cast<unsigned char>(s_[i_]);
      if (c == '\\') {
        char e = i_ + 1 < s_.size() ? s_[i_ + 1] : '\0';
        if (escaped_set(e, b, multibyte, any, ci)) {
          i_ += 2;
          if (e == 'p' || e == 'P') skip_property();
          return -1;
        }
        return escaped_code();
      }
      if (c >= 0x80) {
        i_ += utf8_length(c);
        return 0x80;
      }
      ++i_;
      return c;
    };
    while (true) {
      if (i_ >= s_.size()) {
        fail();
        return {};
      }
      if (at(']') && !first) break;
      first = false;
      if (at("[:")) {
        if (!skip_past(":]")) return {};
        any = true;
        continue;
      }
      long lo = member();
      if (lo == -2) {
        fail();
        return {};
      }
      if (lo == -1) continue;
      if (at('-') && i_ + 1 < s_.size() && s_[i_ + 1] != ']') {
        ++i_;
        long hi = member();
        if (hi < 0 || hi < lo) {
          fail();
          return {};
        }
        for (long x = lo; x <= std::min(hi, 0x7FL); ++x) add_code(b, multibyte, static_cast<unsigned>(x), ci);
        if (hi >= 0x80) add_code(b, multibyte, 0x80, ci);
        continue;
      }
      add_code(b, multibyte, static_cast<unsigned>(lo), ci);
    }
    ++i_;  // ']'
    if (negated || any) return any_character();
    return characters(b, multibyte);
  }

  static constexpr int kMaxNesting = 100;

  std::string_view s_;
  std::size_t i_ = 0;
  int nesting_ = 0;
  bool failed_ = false;
};

}  // namespace

std::optional<StartBytes> start_bytes_of(std::string_view pattern) {
  auto sets = Reader(pattern).read();
  if (!sets || sets->nullable) return std::nullopt;
  StartBytes out;
  out.first = sets->first;
  out.single = sets->single;
  if (sets->second) for_each_byte(sets->rows, [&](std::size_t x) { out.second[x] = (*sets->second)[x]; });
  for (int x = 0x80; x < 256; ++x) out.second[std::size_t(x)] = sets->after_high;
  return out;
}

}  // namespace annals::rules
