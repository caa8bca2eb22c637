// Test support: behaviour tests written once and run on every backend. A
// suite derives its fixture from BackendTest (or takes the backend name from
// GetParam()), writes TEST_P, and instantiates with
// WARD_INSTANTIATE_BACKENDS(Suite), so each test runs as .../interp and
// .../aot. The AOT backend compiles with the system C compiler; its on-disk
// cache (src/aot/cache.h) is shared by all test processes, so a module that
// one test (or an earlier run) compiled is loaded without compiling again.
#pragma once

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>

#include "aot/aot.h"
#include "runtime/backend.h"

namespace ward::test {

/// The AOT cache folder of the tests: $WARD_TEST_AOT_CACHE when set, else
/// <temp dir>/ward-aot-test-cache (created on first use). Shared by every
/// test process of a run and kept between runs.
inline std::string aot_test_cache_dir() {
  static const std::string dir = [] {
    const char* env = std::getenv("WARD_TEST_AOT_CACHE");
    std::filesystem::path p = env != nullptr && *env != '\0'
                                  ? std::filesystem::path(env)
                                  : std::filesystem::temp_directory_path() / "ward-aot-test-cache";
    std::filesystem::create_directories(p);
    return p.string();
  }();
  return dir;
}

/// A backend by name: "aot" (cache in aot_test_cache_dir()) or "interp".
/// Any other name fails the calling test and gives the interpreter.
inline std::unique_ptr<runtime::Backend> make_test_backend(const std::string& name) {
  if (name == "aot") {
    aot::AotOptions o;
    o.cache_dir = aot_test_cache_dir();
    return aot::make_aot_backend(o);
  }
  EXPECT_EQ(name, "interp") << "unknown backend";
  return runtime::make_interp_backend();
}

/// Fixture of a behaviour test run on every backend: `backend` is the one
/// named by the test parameter.
class BackendTest : public ::testing::TestWithParam<std::string> {
 protected:
  std::unique_ptr<runtime::Backend> backend = make_test_backend(GetParam());
};

/// Test-name suffix of a backend parameter ("interp", "aot").
inline std::string backend_param_name(const ::testing::TestParamInfo<std::string>& info) { return info.param; }

}  // namespace ward::test

/// Runs every TEST_P of `Suite` (a fixture taking the backend name as its
/// parameter) on the interpreter and on the AOT backend.
#define WARD_INSTANTIATE_BACKENDS(Suite)                                                          \
  INSTANTIATE_TEST_SUITE_P(Backends, Suite, ::testing::Values(std::string("interp"), std::string("aot")), \
                           ::ward::test::backend_param_name)
