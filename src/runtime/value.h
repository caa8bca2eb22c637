// ward/runtime/value.h — a WebAssembly value as the runtime passes it: 8
// untyped bytes; the type is known statically from the function type.
// Thread-safety: plain value type.
#pragma once

#include <bit>
#include <cstdint>

namespace ward::runtime {

/// One wasm value (spec 4.2.1). i32 is stored zero-extended; f32/f64 as
/// their raw bits; references as a pointer-sized token, 0 meaning null
/// (funcref: a FuncInst*, externref: a host-chosen non-zero token).
struct Value {
  uint64_t bits = 0;

  static Value i32(uint32_t v) { return {v}; }
  static Value i64(uint64_t v) { return {v}; }
  static Value f32(float v) { return {std::bit_cast<uint32_t>(v)}; }
  static Value f64(double v) { return {std::bit_cast<uint64_t>(v)}; }
  static Value f32_bits(uint32_t v) { return {v}; }
  static Value f64_bits(uint64_t v) { return {v}; }

  uint32_t as_i32() const { return static_cast<uint32_t>(bits); }
  uint64_t as_i64() const { return bits; }
  float as_f32() const { return std::bit_cast<float>(static_cast<uint32_t>(bits)); }
  double as_f64() const { return std::bit_cast<double>(bits); }
  bool is_null_ref() const { return bits == 0; }
};

}  // namespace ward::runtime
