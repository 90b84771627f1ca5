// Unit tests of core/types: the data that crosses stages.
#include <doctest/doctest.h>

#include "core/types.h"

using namespace annals;

TEST_CASE("a source's mentions share one copy of its metadata, and an edit of one mention's copies it first") {
  EventMention a;
  CHECK(a.source->file.empty());  // never null
  a.source = SourceInfo{.file = "a.txt", .title = "Launch"};
  EventMention b = a;
  CHECK(&*b.source == &*a.source);  // shared, not copied
  b.source.edit().title = "Edited";
  CHECK(a.source->title == "Launch");
  CHECK(b.source->title == "Edited");
  CHECK(b.source->file == "a.txt");
  EventMention c;
  c.source.edit().file = "c.txt";  // the shared empty one is never edited in place
  CHECK(EventMention{}.source->file.empty());
}
