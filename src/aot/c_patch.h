// ward/aot/c_patch.h — textual adjustments of wasm2c's C output (wabt
// 1.0.32): Ward's trap kinds, instantiation order, and code-quality rewrites
// that keep every result, trap and gas charge identical.
#pragma once

#include <string>

#include "util/result.h"

namespace ward::aot {

/// Rewrites wasm2c's output `c` in place: distinct call_indirect and table
/// traps, element segments before data segments, no empty asm after loads,
/// NaN canonicalisation as never-taken branches, and the imported items'
/// pointers read once per function; linear-memory loads and stores go
/// through Ward's helpers on a data pointer read once per function (the
/// memory never moves), bounds-checked, or, with `guard_pages`, unchecked
/// (the memory lives in a guarded reservation: runtime::Memory::guarded).
/// Fails when wasm2c's output does not have the expected shape.
Result<void> patch_wasm2c_output(std::string& c, bool guard_pages = false);

}  // namespace ward::aot
