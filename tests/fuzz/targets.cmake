# The fuzz targets, in one place: each NAME is tests/fuzz/fuzz_NAME.cpp,
# linked with fuzz_libraries_NAME (tests/fuzz/CMakeLists.txt, the fuzz
# build) and run by ctest over fuzz_seeds_NAME (tests/fuzz/ci.cmake; folders
# are read recursively, those missing are left out, and
# tests/fuzz/regressions/NAME is added). A new target is one more line in
# each of the three lists below.
set(ANNALS_FUZZ_TARGETS rules tagger ingest jsonl timeml start_bytes capture_groups)

set(fuzz_libraries_rules annals_extract)
set(fuzz_libraries_tagger annals_extract annals_merge)
set(fuzz_libraries_ingest annals_ingest)
set(fuzz_libraries_jsonl annals_interchange annals_render)
set(fuzz_libraries_timeml annals_eval)
set(fuzz_libraries_start_bytes annals_rules)
set(fuzz_libraries_capture_groups annals_rules)

set(fuzz_seeds_rules rules tests/fixtures/rules-broken tests/fixtures/csv/rules tests/fuzz/seeds/rules)
set(fuzz_seeds_tagger sources tests/fixtures/merge tests/fixtures/hostile tests/fixtures/csv/sources tests/fuzz/seeds/tagger)
set(fuzz_seeds_ingest sources tests/fixtures/merge tests/fixtures/hostile tests/fixtures/csv/sources tests/fuzz/seeds/ingest)
set(fuzz_seeds_jsonl tests/fuzz/seeds/jsonl)
set(fuzz_seeds_timeml tests/fuzz/seeds/timeml)
set(fuzz_seeds_start_bytes tests/fuzz/seeds/start_bytes)
set(fuzz_seeds_capture_groups tests/fuzz/seeds/capture_groups)
