# Contract languages (docs/languages.md): the generated host-ABI copies, and
# the same token scenario on the C++, Rust, AssemblyScript and Go tokens.

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

# The Go token and counter (tests/languages/go.sh): the token scenario
# compared with C++, deploy from source, `--backend auto`, the source checks.
# The interpreter only: the AOT compile of a Go module takes minutes, so
# `tests/languages/go.sh WARD aot` (both backends, identical gas) is a by-hand
# run (docs/languages.md). Needs Go 1.23 (scripts/deps/lang-go.sh) and
# wasm-objdump (wabt). Go's build cache lives in the build tree.
find_program(WARD_WASM_OBJDUMP wasm-objdump)
# The Go SDK's own tests (addresses, ids, event JSON) and the front end
# helper's (method extraction, ABI entries, signature errors), natively.
if(EXISTS /usr/lib/go-1.23/bin/go)
  foreach(dir ward cmd/ward-go-build)
    string(REPLACE "/" "_" name "sdk_go_${dir}")
    string(REPLACE "-" "_" name "${name}")
    add_test(NAME ${name} COMMAND /usr/lib/go-1.23/bin/go test -count=1 ./...
      WORKING_DIRECTORY ${CMAKE_SOURCE_DIR}/sdk/go/${dir})
    set_tests_properties(${name} PROPERTIES TIMEOUT 300 ENVIRONMENT
      "GOCACHE=${CMAKE_BINARY_DIR}/go-cache;GOPROXY=off;GOTOOLCHAIN=local;GOFLAGS=-mod=mod;GOPATH=${CMAKE_BINARY_DIR}/go-path;GOWORK=off")
  endforeach()
endif()
if(TARGET ward AND EXISTS /usr/lib/go-1.23/bin/go AND WARD_WASM_OBJDUMP)
  add_test(NAME languages_go
    COMMAND ${CMAKE_CURRENT_SOURCE_DIR}/languages/go.sh $<TARGET_FILE:ward>)
  set_tests_properties(languages_go PROPERTIES TIMEOUT 1200
    ENVIRONMENT "WARD_GO_CACHE=${CMAKE_BINARY_DIR}/go-cache")
elseif(TARGET ward)
  message(STATUS "languages_go not registered: run scripts/install-deps (Go 1.23: lang-go.sh)")
endif()
