// bench/backends.h — the backends the harness measures, by name: always the
// interpreter, and the AOT backend when the tree builds it.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "runtime/backend.h"

namespace ward::bench {

/// Names of the backends built into this harness ("interp", then "aot" if present).
std::vector<std::string> backend_names();

/// A new backend of that name, or null when it is not built in. The AOT
/// backend caches its shared objects in the harness's own folder
/// (WARD_BENCH_AOT_CACHE, default: next to the kernels' wasm files);
/// `uncached` makes every compile run the C compiler (to time compiling).
std::unique_ptr<runtime::Backend> make_backend(std::string_view name, bool uncached = false);

}  // namespace ward::bench
