# Runs one fuzz target for SECONDS over its seed corpora (ctest: tests/fuzz/ci.cmake).
# New inputs go to WORK/corpus (kept between runs, outside the source tree);
# a crash, leak, timeout or out-of-memory input is saved in WORK as
# crash-*, leak-*, timeout-*, oom-* and fails the test.
# TIMEOUT: seconds for one input before it counts as a hang. libFuzzer
# measures wall time, so it is generous: on a loaded 2-core machine one
# legitimately slow input (RE2 refusing a program over its memory budget:
# ~5 CPU-s under ASan) took more than 25 s.
if(NOT TIMEOUT)
  set(TIMEOUT 60)
endif()
file(MAKE_DIRECTORY ${WORK}/corpus)
set(dirs ${WORK}/corpus)
foreach(d ${SEEDS})
  if(IS_DIRECTORY ${d})
    list(APPEND dirs ${d})
  endif()
endforeach()
execute_process(COMMAND ${FUZZER} -max_total_time=${SECONDS} -timeout=${TIMEOUT} -rss_limit_mb=2560 -max_len=65536
                        -print_final_stats=1 -artifact_prefix=${WORK}/ ${dirs}
                RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "${FUZZER} failed (${rc}); the input that failed is in ${WORK}/")
endif()
