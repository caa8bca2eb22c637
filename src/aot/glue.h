// ward/aot/glue.h — the C glue of an AOT module (see glue.cpp).
// Thread-safety: pure function.
#pragma once

#include <string>

#include "wasm/module.h"

namespace ward::aot {

/// The C translation unit that includes wasm2c's "m.c" and adds import
/// module "W", per-type trampolines and the `ward_aot_module` descriptor
/// (rt/ward_aot_abi.h), for the instrumented form of `module`. `symbol`
/// names the descriptor: several modules linked into one shared object
/// (compile_aot_batch, aot.h) each get their own.
std::string generate_glue(const wasm::Module& module, const std::string& symbol = "ward_aot_module");

}  // namespace ward::aot
