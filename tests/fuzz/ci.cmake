# Included by tests/CMakeLists.txt: builds the fuzz targets in a build of
# their own (build/fuzz: clang, -fsanitize=fuzzer-no-link,address,undefined
# on every library) and runs each for a short fixed time as a ctest entry.
# Needs clang++ and its libFuzzer runtime (Debian: clang, libclang-rt-14-dev,
# which scripts/setup installs); without them one test says so and skips.
option(ANNALS_FUZZ_TESTS "Build the libFuzzer targets and run each for ANNALS_FUZZ_SECONDS in ctest" ON)
set(ANNALS_FUZZ_SECONDS 20 CACHE STRING "How long ctest runs each fuzz target")
include(${CMAKE_CURRENT_LIST_DIR}/targets.cmake)  # the targets and their seed corpora

if(ANNALS_FUZZ_TESTS)
  find_program(ANNALS_FUZZ_CXX NAMES clang++-14 clang++)
  set(fuzz_runtime FALSE)
  if(ANNALS_FUZZ_CXX)
    set(probe ${CMAKE_BINARY_DIR}/fuzz-probe)
    file(WRITE ${probe}.cpp "#include <cstddef>\n#include <cstdint>\n"
                            "extern \"C\" int LLVMFuzzerTestOneInput(const std::uint8_t*, std::size_t) { return 0; }\n")
    execute_process(COMMAND ${ANNALS_FUZZ_CXX} -fsanitize=fuzzer,address,undefined ${probe}.cpp -o ${probe}
                    RESULT_VARIABLE probe_rc OUTPUT_QUIET ERROR_QUIET)
    if(probe_rc EQUAL 0)
      set(fuzz_runtime TRUE)
    endif()
  endif()
  if(fuzz_runtime)
    include(ExternalProject)
    # With a Makefile generator `cmake --build` runs a make outside the outer
    # make's job server, so the fuzz build (every library again) ran at -j1;
    # $(MAKE) joins the job server. Ninja has none: its own -j applies.
    if(CMAKE_GENERATOR MATCHES "Make")
      set(fuzz_build_command $(MAKE) -C <BINARY_DIR> annals_fuzz_targets)
    else()
      set(fuzz_build_command ${CMAKE_COMMAND} --build <BINARY_DIR> --target annals_fuzz_targets)
    endif()
    ExternalProject_Add(annals_fuzz
      SOURCE_DIR ${CMAKE_SOURCE_DIR}
      BINARY_DIR ${CMAKE_BINARY_DIR}/fuzz
      CMAKE_ARGS -DCMAKE_CXX_COMPILER=${ANNALS_FUZZ_CXX} -DANNALS_FUZZ=ON -DBUILD_TESTING=OFF
                 -DCMAKE_BUILD_TYPE=RelWithDebInfo
      BUILD_COMMAND ${fuzz_build_command}
      INSTALL_COMMAND ""
      BUILD_ALWAYS TRUE)
    foreach(t ${ANNALS_FUZZ_TARGETS})
      add_test(NAME "fuzz: ${t} for ${ANNALS_FUZZ_SECONDS} s, no crash, leak or timeout"
               COMMAND ${CMAKE_COMMAND} -DFUZZER=${CMAKE_BINARY_DIR}/fuzz/tests/fuzz/fuzz_${t}
                       -DWORK=${CMAKE_BINARY_DIR}/fuzz-work/${t} -DSECONDS=${ANNALS_FUZZ_SECONDS}
                       "-DSEEDS=${fuzz_seeds_${t}};tests/fuzz/regressions/${t}"
                       -P ${CMAKE_CURRENT_LIST_DIR}/run.cmake
               WORKING_DIRECTORY ${CMAKE_SOURCE_DIR})
      set_tests_properties("fuzz: ${t} for ${ANNALS_FUZZ_SECONDS} s, no crash, leak or timeout" PROPERTIES
                           TIMEOUT 600)
    endforeach()
  else()
    add_test(NAME "fuzz: libFuzzer targets"
             COMMAND ${CMAKE_COMMAND} -E echo "SKIPPED: no clang++ with the libFuzzer runtime (install clang and libclang-rt-14-dev: scripts/setup does)")
    set_tests_properties("fuzz: libFuzzer targets" PROPERTIES SKIP_REGULAR_EXPRESSION "SKIPPED:")
  endif()
endif()
