# CI ratchet on the TimeBank gold corpus: runs `annals eval --timeml DIR --json`
# and fails when the DATE+TIME value F1 (relaxed, TempEval-3) falls below the
# figure recorded in timebank-ratchet.txt. Raise that figure as rules improve.
# A missing gold folder skips the test (ctest reads "SKIPPED:").
#   cmake -DANNALS=... -DGOLD=... -DRATCHET=... -P ratchet.cmake
if(NOT IS_DIRECTORY "${GOLD}")
  message("SKIPPED: gold folder ${GOLD} is absent")
  return()
endif()
file(STRINGS "${RATCHET}" lines REGEX "^[0-9.]+$")
list(GET lines 0 floor)
execute_process(COMMAND "${ANNALS}" eval --timeml "${GOLD}" --json
                OUTPUT_VARIABLE out RESULT_VARIABLE rc ERROR_VARIABLE err)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "annals eval failed (exit ${rc}): ${err}")
endif()
string(JSON f1 GET "${out}" date_time value f1)
string(JSON docs GET "${out}" documents)
# Compare in thousandths, as integers (CMake has no floating-point comparison).
function(to_milli number out)
  string(REGEX MATCH "^([0-9]*)\\.?([0-9]*)" _ "${number}")
  set(int "${CMAKE_MATCH_1}")
  string(SUBSTRING "${CMAKE_MATCH_2}000" 0 3 frac)
  if(int STREQUAL "")
    set(int 0)
  endif()
  math(EXPR milli "${int} * 1000 + 1${frac} - 1000")
  set(${out} ${milli} PARENT_SCOPE)
endfunction()
to_milli("${f1}" have)
to_milli("${floor}" need)
message("DATE+TIME value F1 on ${docs} documents: ${f1} (ratchet: ${floor})")
if(have LESS need)
  message(FATAL_ERROR "DATE+TIME value F1 fell below the ratchet: ${f1} < ${floor}; run `annals eval --timeml ${GOLD} --errors` to see what changed")
endif()
