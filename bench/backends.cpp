// bench/backends.cpp — backend factories for the harness.
#include "backends.h"

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

std::unique_ptr<runtime::Backend> make_backend(std::string_view name) {
  if (name == "interp") return runtime::make_interp_backend();
#if defined(WARD_BENCH_HAVE_AOT)
  if (name == "aot") return aot::make_aot_backend();
#endif
  return nullptr;
}

}  // namespace ward::bench
