# The explorer page in headless Chromium against a real `ward node --dev
# --explorer` (explorer/README.md): builds the page with Vite into
# <build>/explorer/dist, sends transactions with the ward CLI, checks the live
# blocks, the block, transaction and contract pages, the search box and a
# read-only call from a method form, and saves screenshots as
# <build>/explorer/explorer-*.png. Exit code 77 (skipped) only when Chromium
# is not installed.
if(TARGET ward)
  find_program(WARD_NODE_JS node)
  if(NOT WARD_NODE_JS)
    set(WARD_NODE_JS node)  # fails with a clear message: run scripts/install-deps
  endif()
  add_test(NAME explorer_browser
    COMMAND ${WARD_NODE_JS} ${CMAKE_SOURCE_DIR}/explorer/test/browser.test.mjs
            --ward $<TARGET_FILE:ward> --out ${CMAKE_BINARY_DIR}/explorer)
  # The test rebuilds sdk/js/dist when its sources are newer: never while the
  # SDK's own tests build or read it.
  set_tests_properties(explorer_browser PROPERTIES
    TIMEOUT 600 SKIP_RETURN_CODE 77 LABELS "explorer" RESOURCE_LOCK ward_sdk_js_dist)
  get_property(ward_tests_here DIRECTORY PROPERTY TESTS)
  foreach(t ${ward_tests_here})
    if(t MATCHES "^sdk_js")
      set_property(TEST ${t} APPEND PROPERTY RESOURCE_LOCK ward_sdk_js_dist)
    endif()
  endforeach()
endif()
