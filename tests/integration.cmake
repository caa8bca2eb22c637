# Whole-program test: the WebAssembly spec testsuite through `ward spec-test`.
# WARD_SPEC_DIR points at the testsuite checkout (the *.wast scripts); it
# needs wabt's wast2json in PATH (and cc for aot). The runs take minutes:
# generous timeouts.
set(WARD_SPEC_DIR "${CMAKE_SOURCE_DIR}/../shared/wasm-testsuite" CACHE PATH
    "Folder of the WebAssembly spec testsuite (*.wast) run by the spec_testsuite test")

if(TARGET ward)
  add_test(NAME spec_testsuite
           COMMAND $<TARGET_FILE:ward> spec-test ${WARD_SPEC_DIR} --backend interp)
  set_tests_properties(spec_testsuite PROPERTIES
    PASS_REGULAR_EXPRESSION "spec: [0-9]+ passed, 0 failed"
    TIMEOUT 1200
    LABELS "spec;slow")
  # The same scripts on interp and aot side by side (`--differential`): the
  # spec expectations on both backends, and every call's result bits, trap
  # kind and gas compared between them. It replaces a plain aot run (it
  # checks the same expectations), so the suite does not grow. Every module
  # is compiled by cc, two at a time; the first run fills the cache folder
  # below, later runs reuse it.
  add_test(NAME spec_differential
           COMMAND $<TARGET_FILE:ward> spec-test ${WARD_SPEC_DIR} --differential)
  set_tests_properties(spec_differential PROPERTIES
    ENVIRONMENT "WARD_AOT_CACHE=${CMAKE_BINARY_DIR}/aot-cache-differential"
    PASS_REGULAR_EXPRESSION "spec: [0-9]+ passed, 0 failed, [0-9]+ skipped[\r\n]+differential: [0-9]+ invokes compared, 0 differences"
    TIMEOUT 1800
    LABELS "spec;slow")
endif()
