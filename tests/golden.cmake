# Golden CLI tests: one CTest test per tests/golden/cases/*.golden.
if(TARGET ward)
  file(GLOB ward_golden_cases ${CMAKE_CURRENT_SOURCE_DIR}/golden/cases/*.golden)
  foreach(case ${ward_golden_cases})
    get_filename_component(name ${case} NAME_WE)
    add_test(NAME golden_${name}
      COMMAND ${CMAKE_CURRENT_SOURCE_DIR}/golden/run.sh $<TARGET_FILE:ward> ${case})
    set_tests_properties(golden_${name} PROPERTIES TIMEOUT 300)
  endforeach()
endif()
