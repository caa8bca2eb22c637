// ward/wasm/prescan.h — internal to the wasm layer: the cheap, linear
// pre-scan that bounds a binary module against ward::Limits before libwabt
// reads it. Not part of the public interface (use load_module()).
// Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "ward/limits.h"
#include "util/result.h"
#include "wasm/opcodes.h"
#include "wasm/types.h"

namespace ward::wasm::detail {

/// One function body as found by the pre-scan.
struct PrescanFunction {
  uint32_t type_index = 0;
  std::vector<ValType> locals;  ///< declared locals, expanded
  uint32_t body_offset = 0;     ///< module offset of the first instruction
  uint32_t body_size = 0;       ///< instruction bytes, including the final `end`
};

/// Where the bytes of one data segment are in the module.
struct PrescanData {
  uint32_t data_offset = 0;
  uint32_t data_size = 0;
};

struct Prescan {
  uint32_t num_imported_funcs = 0;
  std::vector<PrescanFunction> functions;
  std::vector<PrescanData> datas;
  bool body_uses_floats = false;  ///< a float local, float instruction or `select` of floats
};

/// Walks the module once, without recursion: header, section bounds, counts
/// against limits, every function body's size, locals and block nesting,
/// br_table sizes, total data bytes. Errors name the limit and the value found.
Result<Prescan> prescan_module(std::span<const uint8_t> bytes, const ward::Limits& limits);

/// True for instructions that take or produce f32/f64 values.
bool is_float_op(Op op);

}  // namespace ward::wasm::detail
