# Java SDK (sdk/java/README.md): Maven, offline against Debian's repository,
# builds the SDK, builds the example token with this build's ward, generates
# its typed wrapper, and runs the JUnit 5 tests: the shared transaction
# vectors, the proof vectors, the wrapper generator, and the end-to-end suite
# against a `ward node --dev` it starts. Maven's output goes to
# <build>/sdk-java, so the source tree stays clean.
if(TARGET ward)
  find_program(WARD_MVN mvn)
  if(WARD_MVN)
    add_test(NAME sdk_java
      COMMAND ${WARD_MVN} -o -B -ntp
        -Dmaven.repo.local=/usr/share/maven-repo
        -f ${CMAKE_SOURCE_DIR}/sdk/java/pom.xml
        -Dward.bin=$<TARGET_FILE:ward>
        -Dward.buildDir=${CMAKE_BINARY_DIR}/sdk-java
        verify)
    set_tests_properties(sdk_java PROPERTIES
      ENVIRONMENT "WARD_BIN=$<TARGET_FILE:ward>"
      TIMEOUT 900 LABELS "sdk")
  else()
    add_test(NAME sdk_java COMMAND sh -c "echo 'sdk_java: mvn not found; run scripts/install-deps' >&2; exit 1")
    set_tests_properties(sdk_java PROPERTIES LABELS "sdk")
    message(WARNING "sdk_java: mvn not found; run scripts/install-deps (the test fails until Maven is installed)")
  endif()
endif()
