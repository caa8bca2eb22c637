// ward/interp/numeric.h — numeric helpers with the exact semantics of the
// WebAssembly spec (4.3): float min/max, conversions, saturating truncation.
// Thread-safety: pure functions.
#pragma once

#include <bit>
#include <cmath>
#include <cstdint>
#include <limits>
#include <type_traits>

namespace ward::interp::detail {

/// fmin per spec: NaN if either is NaN; -0 < +0.
template <class F>
inline F wasm_min(F a, F b) noexcept {
  if (std::isnan(a) || std::isnan(b)) return a + b;  // propagates a quiet NaN
  if (a == b) return std::signbit(a) ? a : b;        // min(-0, +0) = -0
  return a < b ? a : b;
}

/// fmax per spec: NaN if either is NaN; +0 > -0.
template <class F>
inline F wasm_max(F a, F b) noexcept {
  if (std::isnan(a) || std::isnan(b)) return a + b;
  if (a == b) return std::signbit(a) ? b : a;
  return a > b ? a : b;
}

/// Lower bound (inclusive, after truncation) and upper bound (exclusive) of
/// the floats that truncate into integer type I.
template <class I, class F>
constexpr F trunc_lo() noexcept {
  if constexpr (std::is_signed_v<I>) {
    return -static_cast<F>(uint64_t{1} << (sizeof(I) * 8 - 1));
  } else {
    return F(0);
  }
}
template <class I, class F>
constexpr F trunc_hi() noexcept {
  if constexpr (std::is_signed_v<I>) {
    return static_cast<F>(uint64_t{1} << (sizeof(I) * 8 - 1));
  } else {
    return static_cast<F>(2) * static_cast<F>(uint64_t{1} << (sizeof(I) * 8 - 1));
  }
}

/// 0: ok (out set), 1: NaN, 2: out of range.
template <class I, class F>
inline int trunc_checked(F x, I& out) noexcept {
  if (std::isnan(x)) return 1;
  F t = std::trunc(x);
  if (!(t >= trunc_lo<I, F>() && x < trunc_hi<I, F>())) return 2;
  out = static_cast<I>(t);
  return 0;
}

/// Saturating truncation (spec 4.3.3 trunc_sat).
template <class I, class F>
inline I trunc_sat(F x) noexcept {
  if (std::isnan(x)) return 0;
  F t = std::trunc(x);
  if (t < trunc_lo<I, F>()) return std::numeric_limits<I>::min();
  if (x >= trunc_hi<I, F>()) return std::numeric_limits<I>::max();
  return static_cast<I>(t);
}

/// Rounding operations quiet a signalling NaN operand (spec: NaN results
/// are arithmetic NaNs); libm returns it unchanged.
template <class F, class Fn>
inline F round_op(F x, Fn fn) noexcept {
  if (std::isnan(x)) return x + x;
  return fn(x);
}

/// The canonical quiet NaN of each width (spec 4.3.3: nan:canonical).
inline constexpr uint32_t kCanonicalNanF32 = 0x7FC00000u;
inline constexpr uint64_t kCanonicalNanF64 = 0x7FF8000000000000ull;

/// The bits of x, with every NaN replaced by the canonical quiet NaN. Used
/// for the results of float arithmetic so that NaN payloads and signs, which
/// differ between CPUs, never reach the program (docs/determinism.md).
inline uint32_t canonical_f32(float x) noexcept {
  return x != x ? kCanonicalNanF32 : std::bit_cast<uint32_t>(x);
}
inline uint64_t canonical_f64(double x) noexcept {
  return x != x ? kCanonicalNanF64 : std::bit_cast<uint64_t>(x);
}

inline float f32_copysign(float a, float b) noexcept {
  uint32_t r = (std::bit_cast<uint32_t>(a) & 0x7FFFFFFFu) | (std::bit_cast<uint32_t>(b) & 0x80000000u);
  return std::bit_cast<float>(r);
}
inline double f64_copysign(double a, double b) noexcept {
  uint64_t r = (std::bit_cast<uint64_t>(a) & 0x7FFFFFFFFFFFFFFFull) |
               (std::bit_cast<uint64_t>(b) & 0x8000000000000000ull);
  return std::bit_cast<double>(r);
}

}  // namespace ward::interp::detail
