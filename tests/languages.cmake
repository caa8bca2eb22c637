# Contract languages (docs/languages.md): the generated host-ABI copies, and
# the same token scenario on the C++, Rust and AssemblyScript tokens.

# Every file scripts/gen-host-abi writes must equal what src/host/abi_v1.def
# generates.
find_program(WARD_PYTHON3 python3)
if(WARD_PYTHON3)
  add_test(NAME host_abi_generated
    COMMAND ${WARD_PYTHON3} ${CMAKE_SOURCE_DIR}/scripts/gen-host-abi --check --root ${CMAKE_SOURCE_DIR})
endif()

# The token scenario on the C++, Rust and AssemblyScript tokens, both
# backends, plus the front ends' source errors (tests/languages/run.sh). Needs
# Debian's Rust (scripts/deps/lang-rust.list) and asc (scripts/deps/lang-as.sh,
# npm ci); cargo's build cache lives in the build tree.
if(TARGET ward AND EXISTS /usr/bin/cargo AND EXISTS /usr/lib/rustlib/wasm32-unknown-unknown
   AND EXISTS ${CMAKE_SOURCE_DIR}/sdk/as/node_modules/assemblyscript/bin/asc.js)
  add_test(NAME languages_token
    COMMAND ${CMAKE_CURRENT_SOURCE_DIR}/languages/run.sh $<TARGET_FILE:ward>)
  set_tests_properties(languages_token PROPERTIES TIMEOUT 1500
    ENVIRONMENT "WARD_CARGO_TARGET_DIR=${CMAKE_BINARY_DIR}/cargo-target")
elseif(TARGET ward)
  message(STATUS "languages_token not registered: run scripts/install-deps (Rust: lang-rust.list, AssemblyScript: lang-as.sh)")
endif()
