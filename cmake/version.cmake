# Writes OUT from IN with the project version and the `git describe` of the
# source tree, run at every build (the annals_version target) so that
# `annals --version` names the commit it was built from. OUT is rewritten
# only when the text changes, so an unchanged tree recompiles nothing.
#   cmake -DSOURCE_DIR=... -DIN=version.cpp.in -DOUT=.../version.cpp -DVERSION=0.1.0 -P version.cmake
set(GIT_DESCRIBE "")
find_program(GIT git)
if(GIT AND EXISTS "${SOURCE_DIR}/.git")
  execute_process(COMMAND "${GIT}" -C "${SOURCE_DIR}" describe --always --dirty --tags
                  OUTPUT_VARIABLE GIT_DESCRIBE OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    set(GIT_DESCRIBE "")
  endif()
endif()
if(GIT_DESCRIBE STREQUAL "")
  set(GIT_DESCRIBE "unknown: not built from a git checkout")
endif()
configure_file("${IN}" "${OUT}" @ONLY)
