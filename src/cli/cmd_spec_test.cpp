// `ward spec-test DIR [--backend interp|aot|auto] [--differential]`: runs the WebAssembly spec
// testsuite; exit code 0 only when nothing failed.
#include <iostream>

#include "cli/commands.h"
#include "spectest/spectest.h"

namespace ward::cli {

int cmd_spec_test(const GlobalOptions&, const SpecTestOptions& o) {
  spectest::SpecOptions so;
  so.dir = o.dir;
  so.backend = o.backend;
  so.only = o.only;
  so.verbose = o.verbose;
  so.differential = o.differential;
  so.compile_threads = o.compile_threads;
  const spectest::SpecSummary s = spectest::run_spec_tests(so, std::cout);
  return s.failed == 0 ? 0 : 1;
}

}  // namespace ward::cli
