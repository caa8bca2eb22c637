// Value parsing and comparison for spec scripts (see values.h).
#include "spectest/values.h"

#include <charconv>
#include <cstdio>

namespace ward::spectest {

namespace {

using wasm::ValType;

constexpr uint32_t kF32Exponent = 0x7f800000u;
constexpr uint32_t kF32Quiet = 0x00400000u;
constexpr uint64_t kF64Exponent = 0x7ff0000000000000ull;
constexpr uint64_t kF64Quiet = 0x0008000000000000ull;

/// Parses a whole decimal unsigned number no larger than `max`.
Result<uint64_t> parse_unsigned(std::string_view text, uint64_t max) {
  uint64_t v = 0;
  const char* end = text.data() + text.size();
  auto [p, ec] = std::from_chars(text.data(), end, v, 10);
  if (text.empty() || ec != std::errc{} || p != end || v > max) {
    return make_error("bad number \"" + std::string(text) + "\"");
  }
  return v;
}

bool is_float(ValType t) { return t == ValType::F32 || t == ValType::F64; }

}  // namespace

Result<wasm::ValType> parse_type(std::string_view name) {
  if (name == "i32") return ValType::I32;
  if (name == "i64") return ValType::I64;
  if (name == "f32") return ValType::F32;
  if (name == "f64") return ValType::F64;
  if (name == "v128") return ValType::V128;
  if (name == "funcref") return ValType::FuncRef;
  if (name == "externref") return ValType::ExternRef;
  return make_error("unknown value type \"" + std::string(name) + "\"");
}

Result<SpecValue> parse_value(std::string_view type, std::string_view text, bool expected) {
  Result<ValType> t = parse_type(type);
  if (!t) return t.error();
  SpecValue v;
  v.type = *t;
  if (v.type == ValType::V128) return make_error("v128 values are not supported");
  if (is_float(v.type) && (text == "nan:canonical" || text == "nan:arithmetic")) {
    if (!expected) return make_error("a NaN pattern is not a valid argument");
    v.match = text == "nan:canonical" ? Match::NanCanonical : Match::NanArithmetic;
    return v;
  }
  if (wasm::is_ref(v.type)) {
    if (text == "null") return v;
    Result<uint64_t> n = parse_unsigned(text, UINT32_MAX);
    if (!n) return n.error();
    if (v.type == ValType::ExternRef) {
      v.bits = extern_token(*n);
      return v;
    }
    // A funcref's number names no function a script could pass in.
    if (!expected) return make_error("a non-null funcref argument is not supported");
    v.match = Match::AnyNonNull;
    return v;
  }
  const uint64_t max = (v.type == ValType::I32 || v.type == ValType::F32) ? UINT32_MAX : UINT64_MAX;
  Result<uint64_t> n = parse_unsigned(text, max);
  if (!n) return n.error();
  v.bits = *n;
  return v;
}

bool matches(const SpecValue& expected, runtime::Value actual) {
  const bool f32 = expected.type == ValType::F32;
  switch (expected.match) {
    case Match::Exact:
      // 32-bit values compare their low 32 bits (the high half is not part of the value).
      if (expected.type == ValType::I32 || f32) return actual.as_i32() == expected.bits;
      return actual.bits == expected.bits;
    case Match::NanCanonical:
      if (f32) return (actual.as_i32() & ~0x80000000u) == (kF32Exponent | kF32Quiet);
      return (actual.bits & ~(uint64_t{1} << 63)) == (kF64Exponent | kF64Quiet);
    case Match::NanArithmetic:
      if (f32) return (actual.as_i32() & (kF32Exponent | kF32Quiet)) == (kF32Exponent | kF32Quiet);
      return (actual.bits & (kF64Exponent | kF64Quiet)) == (kF64Exponent | kF64Quiet);
    case Match::AnyNonNull:
      return actual.bits != 0;
  }
  return false;
}

std::string describe(wasm::ValType type, runtime::Value value) {
  char buf[96];
  switch (type) {
    case ValType::I32:
      std::snprintf(buf, sizeof buf, "i32:%u", value.as_i32());
      break;
    case ValType::I64:
      std::snprintf(buf, sizeof buf, "i64:%llu", static_cast<unsigned long long>(value.as_i64()));
      break;
    case ValType::F32:
      std::snprintf(buf, sizeof buf, "f32:0x%08x (%.9g)", value.as_i32(), static_cast<double>(value.as_f32()));
      break;
    case ValType::F64:
      std::snprintf(buf, sizeof buf, "f64:0x%016llx (%.17g)", static_cast<unsigned long long>(value.bits),
                    value.as_f64());
      break;
    case ValType::FuncRef:
    case ValType::ExternRef:
      if (value.bits == 0) {
        std::snprintf(buf, sizeof buf, "%s:null", wasm::to_string(type));
      } else {
        std::snprintf(buf, sizeof buf, "%s:0x%llx", wasm::to_string(type),
                      static_cast<unsigned long long>(value.bits));
      }
      break;
    default:
      std::snprintf(buf, sizeof buf, "%s:?", wasm::to_string(type));
      break;
  }
  return buf;
}

std::string describe(const SpecValue& value) {
  switch (value.match) {
    case Match::NanCanonical: return std::string(wasm::to_string(value.type)) + ":nan:canonical";
    case Match::NanArithmetic: return std::string(wasm::to_string(value.type)) + ":nan:arithmetic";
    case Match::AnyNonNull: return std::string(wasm::to_string(value.type)) + ":non-null";
    case Match::Exact: break;
  }
  return describe(value.type, runtime::Value{value.bits});
}

}  // namespace ward::spectest
