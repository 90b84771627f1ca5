// merge — the mentions merge takes in, as a queue that frees their storage
// as merge takes them out.
//
// merge_identities moves every mention into its entry's vector. Out of a
// std::vector, the input's storage (664 bytes a mention, 1.3 GB of 2M
// mentions) is freed only whole, after the last move, so at that point
// every mention was held twice. Out of a std::deque, each mention is a
// node of its own among the strings read with it, and a freed node is a
// hole too small for an entry's vector of two mentions, so the memory was
// not used again either. Here the mentions are kept in blocks of kBlock:
// merge puts them in entry order in place, takes them off the front, and a
// block is freed whole, in one piece, when its last mention has been taken.
#pragma once

#include <cstddef>
#include <deque>
#include <initializer_list>
#include <iterator>
#include <vector>

#include "core/types.h"

namespace annals::merge {

class MentionQueue {
 public:
  static constexpr std::size_t kBlock = 1024;  // mentions a block holds: 680 KB
  using value_type = EventMention;

  MentionQueue() = default;
  MentionQueue(std::initializer_list<EventMention> mentions) {
    for (auto& m : mentions) push_back(m);
  }
  template <typename It>
  MentionQueue(It first, It last) {
    for (; first != last; ++first) push_back(*first);
  }

  std::size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  EventMention& operator[](std::size_t i) { return at(first_ + i); }
  const EventMention& operator[](std::size_t i) const { return at(first_ + i); }
  EventMention& front() { return (*this)[0]; }

  // The first block grows as a vector does (a small merge, one source's
  // explain or a fuzz input, does not reserve 680 KB); later ones are
  // reserved whole, so none of them leaves holes as it fills.
  void push_back(EventMention m) {
    if (blocks_.empty()) blocks_.emplace_back();
    else if (blocks_.back().size() == kBlock) blocks_.emplace_back().reserve(kBlock);
    blocks_.back().push_back(std::move(m));
    ++size_;
  }
  void pop_back() {
    blocks_.back().pop_back();
    --size_;
    if (blocks_.back().size() == (blocks_.size() == 1 ? first_ : 0)) drop_block(blocks_.size() == 1);
  }
  // Takes the first mention off; frees its block when it was the block's last.
  void pop_front() {
    ++first_;
    --size_;
    if (first_ == blocks_.front().size()) drop_block(true);
  }

  // Iterates in order (for range-for and algorithms that read once).
  template <typename Queue, typename Mention>
  class Iterator {
   public:
    using iterator_category = std::forward_iterator_tag;
    using value_type = EventMention;
    using difference_type = std::ptrdiff_t;
    using pointer = Mention*;
    using reference = Mention&;
    Iterator() = default;
    Iterator(Queue* q, std::size_t i) : q_(q), i_(i) {}
    reference operator*() const { return (*q_)[i_]; }
    pointer operator->() const { return &(*q_)[i_]; }
    Iterator& operator++() {
      ++i_;
      return *this;
    }
    Iterator operator++(int) {
      Iterator was = *this;
      ++i_;
      return was;
    }
    friend bool operator==(const Iterator& a, const Iterator& b) { return a.i_ == b.i_; }

   private:
    Queue* q_ = nullptr;
    std::size_t i_ = 0;
  };
  using iterator = Iterator<MentionQueue, EventMention>;
  using const_iterator = Iterator<const MentionQueue, const EventMention>;
  iterator begin() { return {this, 0}; }
  iterator end() { return {this, size_}; }
  const_iterator begin() const { return {this, 0}; }
  const_iterator end() const { return {this, size_}; }

 private:
  EventMention& at(std::size_t k) { return blocks_[k / kBlock][k % kBlock]; }
  const EventMention& at(std::size_t k) const { return blocks_[k / kBlock][k % kBlock]; }
  void drop_block(bool front) {
    if (front) blocks_.pop_front();
    else blocks_.pop_back();
    if (front || blocks_.empty()) first_ = 0;
  }

  std::deque<std::vector<EventMention>> blocks_;  // each but the last full (kBlock)
  std::size_t first_ = 0;                         // mentions taken off the first block
  std::size_t size_ = 0;
};

}  // namespace annals::merge
