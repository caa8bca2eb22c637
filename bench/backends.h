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

/// A new backend of that name, or null when it is not built in.
std::unique_ptr<runtime::Backend> make_backend(std::string_view name);

}  // namespace ward::bench
