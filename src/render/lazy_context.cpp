#include "render/lazy_context.h"

#include <algorithm>
#include <charconv>
#include <functional>

namespace annals::render {
namespace {


// A list of `count` placeholders, the items kainjow will push.
MustacheData placeholder_list(std::size_t count) {
  return MustacheData{kainjow::mustache::basic_list<std::string>(count, MustacheData{true})};
}

bool within(const MustacheData* d, const MustacheData* begin, const MustacheData* end) {
  return std::less_equal<const MustacheData*>{}(begin, d) && std::less<const MustacheData*>{}(d, end);
}

}  // namespace

LazyItem LazyList::item(std::size_t i) const {
  auto at = [&](std::size_t k) { return picks.empty() ? first + k : picks[k]; };
  return {kind, owner, sub, at(i), i == 0 ? 0 : at(i - 1), i};
}

void Reply::text(std::string_view value) {
  // The slot is ours: only kainjow's accessor is const.
  if (slot_.is_string()) const_cast<std::string&>(slot_.string_value()).assign(value);
  else slot_ = MustacheData{std::string{value}};
  value_ = &slot_;
}

void Reply::number(std::size_t n) {
  char digits[24];
  auto end = std::to_chars(digits, digits + sizeof digits, n).ptr;
  text({digits, std::size_t(end - digits)});
}

void Reply::flag(bool value) { value_ = value ? &yes_ : &no_; }

void Reply::list(LazyList list) {
  slot_ = placeholder_list(list.count);
  value_ = &slot_;
  list_ = std::move(list);
}

LazyContext::NameTable::NameTable(std::span<const std::string_view> names) : names_(names) {
  unsigned bits = 6;
  while ((std::size_t{1} << bits) < 4 * names.size()) ++bits;
  shift_ = 32 - bits;
  slots_.resize(std::size_t{1} << bits);
  std::size_t mask = slots_.size() - 1;
  for (std::size_t i = 0; i < names.size(); ++i) {
    std::uint32_t t = tag(names[i]);
    std::size_t h = index(t);
    while (slots_[h].name >= 0) h = (h + 1) & mask;
    slots_[h] = {std::int32_t(i), t};
  }
}

std::uint32_t LazyContext::NameTable::tag(std::string_view name) {
  if (name.empty()) return 0;
  auto c = [&](std::size_t i) { return std::uint32_t(static_cast<unsigned char>(name[i])); };
  return std::uint32_t(name.size() & 0xff) | c(0) << 8 | c(name.size() / 2) << 16 | c(name.size() - 1) << 24;
}

std::optional<std::uint16_t> LazyContext::NameTable::find(std::string_view name) const {
  std::uint32_t t = tag(name);
  std::size_t mask = slots_.size() - 1;
  for (std::size_t h = index(t); slots_[h].name >= 0; h = (h + 1) & mask)
    if (slots_[h].tag == t && names_[std::size_t(slots_[h].name)] == name) return std::uint16_t(slots_[h].name);
  return std::nullopt;
}

LazyContext::LazyContext(const ItemSource& source, MustacheData root, std::vector<std::pair<std::string, LazyList>> lists)
    : source_(source), names_(source.names()), root_(std::move(root)) {
  Frame& f = open_frame();
  f.data = &root_;
  for (auto& [name, list] : lists) {
    const MustacheData& slot = root_[name] = placeholder_list(list.count);
    const MustacheData* begin = slot.list_value().data();
    f.lists.push_back({std::move(list), begin, begin + slot.list_value().size()});
  }
}

LazyContext::Frame& LazyContext::open_frame() {
  if (depth_ == frames_.size()) frames_.emplace_back();
  return frames_[depth_++];
}

void LazyContext::push(const MustacheData* data) {
  for (std::size_t i = depth_; i-- > 0;)
    for (const Placeholders& p : frames_[i].lists)
      if (within(data, p.begin, p.end)) {
        LazyItem item = p.list.item(std::size_t(data - p.begin));
        Frame& f = open_frame();
        f.item = item;
        std::size_t names = source_.names().size();
        if (f.values.size() < names) {
          f.values.reserve(names);
          while (f.values.size() < names) f.values.emplace_back(MustacheData::type::string);
        }
        f.answers.assign(names, nullptr);
        return;
      }
  open_frame().data = data;
}

void LazyContext::pop() {
  Frame& f = frames_[--depth_];
  f.data = nullptr;
  f.item.reset();
  f.used = 0;
  f.lists.clear();
}

const MustacheData* LazyContext::answer(Frame& f, std::uint16_t id) const {
  const MustacheData*& known = f.answers[id];
  if (!known) {
    Reply reply(f.values[f.used], yes_, no_);
    source_.answer(*f.item, id, reply);
    known = reply.value_ ? reply.value_ : &absent_;
    if (known == &f.values[f.used]) ++f.used;
    if (reply.list_) {
      const MustacheData* begin = known->list_value().data();
      f.lists.push_back({std::move(*reply.list_), begin, begin + known->list_value().size()});
    }
  }
  return known == &absent_ ? nullptr : known;
}

const MustacheData* LazyContext::lookup(Frame& f, const std::string& name, std::optional<std::uint16_t> id) const {
  if (f.item) return id ? answer(f, *id) : nullptr;
  return f.data->get(name);
}

const MustacheData* LazyContext::get(const std::string& name) const {
  if (name == ".") {
    const Frame& top = frames_[depth_ - 1];
    // An item has no value of its own: as an object it prints nothing and
    // is true, and a section on it sees the item's names through the frame below.
    return top.item ? &empty_object_ : top.data;
  }
  if (name.find('.') == std::string::npos) {
    std::optional<std::uint16_t> id = names_.find(name);
    for (std::size_t i = depth_; i-- > 0;)
      if (const MustacheData* v = lookup(frames_[i], name, id)) return v;
    return source_.fallback(name);
  }
  std::vector<std::string> parts;
  for (std::size_t b = 0, e; b <= name.size(); b = e + 1) {
    e = std::min(name.find('.', b), name.size());
    parts.push_back(name.substr(b, e - b));
  }
  std::optional<std::uint16_t> id = names_.find(parts.front());
  for (std::size_t i = depth_; i-- > 0;) {
    const MustacheData* v = lookup(frames_[i], parts.front(), id);
    for (std::size_t p = 1; v && p < parts.size(); ++p) v = v->get(parts[p]);
    if (v) return v;
  }
  return nullptr;
}

const MustacheData* LazyContext::get_partial(const std::string& name) const {
  std::optional<std::uint16_t> id = names_.find(name);
  for (std::size_t i = depth_; i-- > 0;)
    if (const MustacheData* v = lookup(frames_[i], name, id)) return v;
  return nullptr;
}

}  // namespace annals::render
