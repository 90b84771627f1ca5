// render/display: how sources are named on the page.
#include <doctest/doctest.h>

#include "render/display.h"

using namespace annals::render;

TEST_CASE("a source's file name is the part of its path after the last slash") {
  CHECK(file_name_view("archive/wire/a.txt") == "a.txt");
  CHECK(file_name_view("a.txt") == "a.txt");
  CHECK(file_name_view("/a") == "a");
  CHECK(file_name("archive/b.txt") == "b.txt");
  // As std::filesystem::path::filename() leaves them.
  CHECK(file_name_view("") == "");
  CHECK(file_name_view("archive/") == "archive/");
}

TEST_CASE("a name list joins names with commas and counts those past its limit") {
  NameList names(2);
  CHECK(names.text() == "");
  names.add("a.txt");
  CHECK(names.text() == "a.txt");
  names.add(std::string{"Outlet B"});
  CHECK(names.full());
  names.add("c.txt");
  names.add_unshown();
  CHECK(names.text() == "a.txt, Outlet B and 2 more");
}
