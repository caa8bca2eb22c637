# The embedding API (docs/embedding.md): the C example of examples/embed/
# built against this build's libward and run on both backends, and an
# install test: `cmake --install` into a temporary prefix, then the example
# compiled with `pkg-config --cflags --libs ward` against the installed files
# only, and run. The C++ unit tests are in tests/unit/embed/.
find_program(WARD_EMBED_WAT2WASM wat2wasm)
find_program(WARD_EMBED_PKG_CONFIG pkg-config)
if(TARGET ward_embed AND WARD_EMBED_WAT2WASM)
  set(embed_counter_wasm ${CMAKE_CURRENT_BINARY_DIR}/embed/counter.wasm)
  add_custom_command(OUTPUT ${embed_counter_wasm}
    COMMAND ${CMAKE_COMMAND} -E make_directory ${CMAKE_CURRENT_BINARY_DIR}/embed
    COMMAND ${WARD_EMBED_WAT2WASM} ${CMAKE_SOURCE_DIR}/examples/embed/counter.wat -o ${embed_counter_wasm}
    DEPENDS ${CMAKE_SOURCE_DIR}/examples/embed/counter.wat)
  add_custom_target(ward_embed_example_wasm ALL DEPENDS ${embed_counter_wasm})

  add_executable(ward_embed_example ${CMAKE_SOURCE_DIR}/examples/embed/main.c)
  set_target_properties(ward_embed_example PROPERTIES C_STANDARD 11 C_STANDARD_REQUIRED ON C_EXTENSIONS OFF)
  target_compile_options(ward_embed_example PRIVATE -pedantic -Werror)
  target_link_libraries(ward_embed_example PRIVATE ward_embed)
  add_dependencies(ward_embed_example ward_embed_example_wasm)

  foreach(backend interp aot)
    add_test(NAME embed_example_${backend}
      COMMAND ${CMAKE_CURRENT_SOURCE_DIR}/embed/run_example.sh $<TARGET_FILE:ward_embed_example>
              ${embed_counter_wasm} ${backend})
    set_tests_properties(embed_example_${backend} PROPERTIES
      TIMEOUT 300 ENVIRONMENT "WARD_AOT_CACHE=${CMAKE_BINARY_DIR}/aot-cache-embed")
  endforeach()

  if(WARD_EMBED_PKG_CONFIG)
    add_test(NAME embed_install
      COMMAND ${CMAKE_CURRENT_SOURCE_DIR}/embed/install_test.sh ${CMAKE_BINARY_DIR} ${CMAKE_SOURCE_DIR}
              ${embed_counter_wasm})
    set_tests_properties(embed_install PROPERTIES TIMEOUT 300)
  endif()
endif()
