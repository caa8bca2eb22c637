// ward/spectest/precompile.h — compiles the modules of one spec script
// ahead of its run, on several threads, for backends whose compile is slow
// (aot runs the C compiler once per module).
// Thread-safety: precompile_modules uses `backend` from several threads at
// once, so backend.compile must be thread-safe (runtime/backend.h).
#pragma once

#include <string>

#include <nlohmann/json_fwd.hpp>

#include "runtime/backend.h"
#include "runtime/limits.h"
#include "spectest/script.h"

namespace ward::spectest {

/// Compiles, with `threads` worker threads (at least 1), every distinct
/// module a command of `script` instantiates (`module`, `assert_unlinkable`,
/// `assert_uninstantiable`, `assert_trap` on a module), reading them from
/// `module_dir`. Modules that cannot be read or loaded are left out (the
/// runner reports them as usual); compile errors are kept, so that a module
/// is compiled at most once.
PrecompiledModules precompile_modules(const nlohmann::json& script, const std::string& module_dir,
                                      runtime::Backend& backend, const runtime::Limits& limits, unsigned threads);

}  // namespace ward::spectest
