#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "merge/mention_queue.h"

using namespace annals;

namespace {
EventMention numbered(std::size_t n) {
  EventMention m;
  m.identity = std::to_string(n);
  return m;
}

std::vector<std::string> identities(const merge::MentionQueue& q) {
  std::vector<std::string> out;
  for (auto& m : q) out.push_back(m.identity);
  return out;
}
}  // namespace

TEST_CASE("mention queue: keeps push order across blocks, and indexing agrees with iteration") {
  const std::size_t n = 2 * merge::MentionQueue::kBlock + 5;
  merge::MentionQueue q;
  for (std::size_t i = 0; i < n; ++i) q.push_back(numbered(i));
  REQUIRE(q.size() == n);
  std::size_t i = 0;
  for (auto& m : q) {
    CHECK(m.identity == std::to_string(i));
    CHECK(q[i].identity == m.identity);
    ++i;
  }
  CHECK(i == n);
}

TEST_CASE("mention queue: taking off the front past a block boundary keeps the rest in order") {
  const std::size_t block = merge::MentionQueue::kBlock;
  merge::MentionQueue q;
  for (std::size_t i = 0; i < block + 3; ++i) q.push_back(numbered(i));
  for (std::size_t i = 0; i < block + 1; ++i) {
    CHECK(q.front().identity == std::to_string(i));
    q.pop_front();
  }
  CHECK(identities(q) == std::vector<std::string>{std::to_string(block + 1), std::to_string(block + 2)});
  q.push_back(numbered(7));  // the queue is usable again after a freed block
  CHECK(identities(q) == std::vector<std::string>{std::to_string(block + 1), std::to_string(block + 2), "7"});
}

TEST_CASE("mention queue: front and back taken until empty, then filled again") {
  merge::MentionQueue q{numbered(0), numbered(1), numbered(2)};
  q.pop_front();
  q.pop_back();
  CHECK(identities(q) == std::vector<std::string>{"1"});
  q.pop_back();  // the last one: the block goes, and so does the count of taken ones
  CHECK(q.empty());
  q.push_back(numbered(9));
  REQUIRE(q.size() == 1);
  CHECK(q.front().identity == "9");
  // Back across a block boundary: the emptied last block is dropped, the
  // full one before it stays whole.
  merge::MentionQueue big;
  for (std::size_t i = 0; i < merge::MentionQueue::kBlock + 1; ++i) big.push_back(numbered(i));
  big.pop_back();
  big.push_back(numbered(42));
  CHECK(big.size() == merge::MentionQueue::kBlock + 1);
  CHECK(big[merge::MentionQueue::kBlock].identity == "42");
  CHECK(big[0].identity == "0");
}
