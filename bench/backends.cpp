// bench/backends.cpp — backend factories for the harness.
#include "backends.h"

#include <cstdlib>

#if defined(WARD_BENCH_HAVE_AOT)
#include "aot/aot.h"
#endif

namespace ward::bench {

std::vector<std::string> backend_names() {
  std::vector<std::string> names{"interp"};
#if defined(WARD_BENCH_HAVE_AOT)
  names.emplace_back("aot");
#endif
  return names;
}

std::unique_ptr<runtime::Backend> make_backend(std::string_view name, bool uncached) {
  if (name == "interp") return runtime::make_interp_backend();
#if defined(WARD_BENCH_HAVE_AOT)
  if (name == "aot") {
    aot::AotOptions o;
    const char* env = std::getenv("WARD_BENCH_AOT_CACHE");
    o.cache_dir = env != nullptr ? env : WARD_BENCH_WASM_DIR "/aot-cache";
    o.use_cache = !uncached;
    return aot::make_aot_backend(o);
  }
#else
  (void)uncached;
#endif
  return nullptr;
}

}  // namespace ward::bench
