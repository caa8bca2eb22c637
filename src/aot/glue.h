// ward/aot/glue.h — the C glue of an AOT module (see glue.cpp).
// Thread-safety: pure function.
#pragma once

#include <string>

#include "wasm/module.h"

namespace ward::aot {

/// The C translation unit that includes wasm2c's "m.c" and adds import
/// module "W", per-type trampolines and the `ward_aot_module` descriptor
/// (rt/ward_aot_abi.h), for the instrumented form of `module`.
std::string generate_glue(const wasm::Module& module);

}  // namespace ward::aot
