# JavaScript/TypeScript SDK (sdk/js, sdk/js/README.md): tsc, then `node --test`
# on the shared transaction vectors, offline unit tests and the end-to-end
# suite against a `ward node --dev` run from the ward binary of this build.
# sdk/js/node_modules comes from `npm ci` (scripts/install-deps).
if(TARGET ward)
  add_test(NAME sdk_js
    COMMAND ${CMAKE_SOURCE_DIR}/sdk/js/scripts/ctest.sh $<TARGET_FILE:ward>)
  set_tests_properties(sdk_js PROPERTIES TIMEOUT 600 LABELS "sdk;rpc")
endif()
