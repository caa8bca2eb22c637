// ward/aot/glue.h — the C glue of an AOT module (see glue.cpp).
// Thread-safety: pure function.
#pragma once

#include <string>

#include "wasm/gas_schedule.h"
#include "wasm/module.h"

namespace ward::aot {

/// The C translation unit that includes wasm2c's "m.c" and adds import
/// module "W", per-type trampolines and the `ward_aot_module` descriptor
/// (rt/ward_aot_abi.h), for the instrumented form of `module`. `symbol`
/// names the descriptor: several modules linked into one shared object
/// (compile_aot_batch, aot.h) each get their own. The grow costs of `gas`
/// (memory.grow per page, table.grow per element) are compiled into the
/// object (WARD_GAS_GROW_PAGE, WARD_GAS_TABLE_ELEMENT, rt/ward_rt_module.h).
std::string generate_glue(const wasm::Module& module, const wasm::GasSchedule& gas,
                          const std::string& symbol = "ward_aot_module");

}  // namespace ward::aot
