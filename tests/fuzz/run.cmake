# Runs one fuzz target for SECONDS over its seed corpora (ctest: tests/fuzz/ci.cmake).
# New inputs go to WORK/corpus (kept between runs, outside the source tree);
# a crash, leak, timeout or out-of-memory input is saved in WORK as
# crash-*, leak-*, timeout-*, oom-* and fails the test.
file(MAKE_DIRECTORY ${WORK}/corpus)
set(dirs ${WORK}/corpus)
foreach(d ${SEEDS})
  if(IS_DIRECTORY ${d})
    list(APPEND dirs ${d})
  endif()
endforeach()
execute_process(COMMAND ${FUZZER} -max_total_time=${SECONDS} -timeout=10 -rss_limit_mb=2560 -max_len=65536
                        -print_final_stats=1 -artifact_prefix=${WORK}/ ${dirs}
                RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "${FUZZER} failed (${rc}); the input that failed is in ${WORK}/")
endif()
