// render/lazy_context — a kainjow context over items that are not data
// trees. An item (an entry, a mention, a source ...) answers a name only
// when the template asks for it, and only that value is made: building each
// item's whole Data object (~30 values, most of them strings in a hash map)
// was half the cost of the 8x corpus's page, and a template shows only part
// of them.
//
// Lists are lazy as well: a list is a row of placeholders, one per item, and
// entering a placeholder (kainjow pushes it) makes the item's frame; leaving
// it frees the frame's values. Names are looked up from the innermost frame
// outwards, as kainjow's own context does, "." and dotted names ("a.b")
// included, so a template cannot tell this context from a data tree.
//
//   LazyContext context(items, std::move(root), {{"entries", LazyList{...}}});
//   mustache.render(context, stream);
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include <kainjow/mustache.hpp>

namespace annals::render {

using MustacheData = kainjow::mustache::data;

// An item of a lazy list, as the ItemSource that made the list knows it.
struct LazyItem {
  int kind = 0;
  std::size_t owner = 0, sub = 0;  // what the list belongs to (e.g. an entry, and a mention of it)
  std::size_t n = 0;               // which item
  std::size_t prev = 0;            // the n of the item before it in the list; 0 for the first
  std::size_t position = 0;        // its place in the list
};

// `count` items of `kind`: item i is number picks[i], or first + i when
// there are no picks.
struct LazyList {
  int kind = 0;
  std::size_t owner = 0, sub = 0, first = 0, count = 0;
  std::vector<std::size_t> picks;
  LazyItem item(std::size_t i) const;
};

class LazyContext;

// What an item says to a name: at most one call of text, number, flag or
// list; no call, and the name is looked up in the frames further out.
// Text is written into storage the frame keeps from item to item, so that
// answering allocates nothing once the first items are through.
class Reply {
 public:
  void text(std::string_view value);
  void number(std::size_t n);
  void flag(bool value);
  void list(LazyList list);

 private:
  friend class LazyContext;
  Reply(MustacheData& slot, const MustacheData& yes, const MustacheData& no) : slot_(slot), yes_(yes), no_(no) {}
  MustacheData& slot_;  // for text and lists
  const MustacheData& yes_;
  const MustacheData& no_;
  const MustacheData* value_ = nullptr;
  std::optional<LazyList> list_;
};

// Answers names for the items of lazy lists. The names items may answer
// are numbered by their place in names(), and an item is asked each at
// most once per frame, by number.
class ItemSource {
 public:
  virtual ~ItemSource() = default;
  virtual std::span<const std::string_view> names() const = 0;
  virtual void answer(const LazyItem& item, std::uint16_t name, Reply& reply) const = 0;
  // The value of an undotted name that no frame has, if any.
  virtual const MustacheData* fallback(const std::string& name) const = 0;
};

class LazyContext final : public kainjow::mustache::basic_context<std::string> {
 public:
  // `root`: the outermost values, an object; `lists`: lazy lists added to it by name.
  LazyContext(const ItemSource& source, MustacheData root, std::vector<std::pair<std::string, LazyList>> lists);

  void push(const MustacheData* data) override;
  void pop() override;
  const MustacheData* get(const std::string& name) const override;
  const MustacheData* get_partial(const std::string& name) const override;

 private:
  struct Placeholders {
    LazyList list;
    const MustacheData* begin;
    const MustacheData* end;
  };
  struct Frame {
    const MustacheData* data = nullptr;  // a plain frame: what kainjow pushed
    std::optional<LazyItem> item;        // an item frame
    // Storage for the item's texts and lists: one per name, each name is
    // answered once, and it never reallocates (kainjow holds pointers into
    // it); kept for the next item of this depth.
    std::vector<MustacheData> values;
    std::size_t used = 0;
    std::vector<const MustacheData*> answers;  // by name: nullptr when not asked yet, &absent_ when absent
    std::vector<Placeholders> lists;           // the placeholder lists of its values
  };
  // Names to their numbers: a small open-addressing table, cheaper than
  // hashing each name kainjow looks up (several per line of the page).
  class NameTable {
   public:
    explicit NameTable(std::span<const std::string_view> names);
    std::optional<std::uint16_t> find(std::string_view name) const;

   private:
    // A name's length and three of its characters: most names differ in
    // it, so a lookup compares one word before it compares the name.
    static std::uint32_t tag(std::string_view name);
    struct Slot {
      std::int32_t name = -1;  // -1: empty
      std::uint32_t tag = 0;
    };
    std::size_t index(std::uint32_t tag) const { return std::size_t((tag * 0x9E3779B1u) >> shift_); }
    std::span<const std::string_view> names_;
    std::vector<Slot> slots_;
    unsigned shift_ = 0;
  };

  Frame& open_frame();
  // What frame `f` says to `name` (its number `id`, if it has one).
  const MustacheData* lookup(Frame& f, const std::string& name, std::optional<std::uint16_t> id) const;
  const MustacheData* answer(Frame& f, std::uint16_t id) const;

  const ItemSource& source_;
  NameTable names_;
  MustacheData root_;
  MustacheData empty_object_;  // "." in an item frame: an object with no names of its own
  const MustacheData yes_{true}, no_{false}, absent_{false};
  // frames_[0, depth_) are the template's; the ones above keep their
  // storage for the next item. A deque: a new frame moves no other.
  mutable std::deque<Frame> frames_;
  std::size_t depth_ = 0;
};

}  // namespace annals::render
