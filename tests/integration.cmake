# Whole-program test: the WebAssembly spec testsuite through `ward spec-test`.
# WARD_SPEC_DIR points at the testsuite checkout (the *.wast scripts); it
# needs wabt's wast2json in PATH. The run takes minutes: generous timeout.
set(WARD_SPEC_DIR "${CMAKE_SOURCE_DIR}/../shared/wasm-testsuite" CACHE PATH
    "Folder of the WebAssembly spec testsuite (*.wast) run by the spec_testsuite test")

if(TARGET ward)
  add_test(NAME spec_testsuite
           COMMAND $<TARGET_FILE:ward> spec-test ${WARD_SPEC_DIR} --backend interp)
  set_tests_properties(spec_testsuite PROPERTIES
    PASS_REGULAR_EXPRESSION "spec: [0-9]+ passed, 0 failed"
    TIMEOUT 1200
    LABELS "spec;slow")
  # The same scripts on the AOT backend (every module compiled by cc; the
  # first run fills the cache in the build folder, later runs reuse it).
  add_test(NAME spec_testsuite_aot
           COMMAND $<TARGET_FILE:ward> spec-test ${WARD_SPEC_DIR} --backend aot)
  set_tests_properties(spec_testsuite_aot PROPERTIES
    ENVIRONMENT "WARD_AOT_CACHE=${CMAKE_BINARY_DIR}/aot-cache"
    PASS_REGULAR_EXPRESSION "spec: [0-9]+ passed, 0 failed"
    TIMEOUT 1800
    LABELS "spec;slow")
endif()
