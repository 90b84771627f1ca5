// cli/version — what `annals --version` and the man page say: the project
// version (CMakeLists.txt) and the `git describe` of the tree it was built
// from, written into a generated file at every build (cmake/version.cmake).
#pragma once

namespace annals::cli {

const char* project_version();   // "0.1.0"
const char* git_description();   // "v0.1.0-12-gabc1234-dirty", or why there is none

}  // namespace annals::cli
