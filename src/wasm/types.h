// ward/wasm/types.h — WebAssembly types (spec 2.3) as Ward represents them.
// Thread-safety: plain value types.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace ward::wasm {

/// Value types, encoded with their binary-format byte (spec 5.3.1-5.3.3).
enum class ValType : uint8_t {
  I32 = 0x7F,
  I64 = 0x7E,
  F32 = 0x7D,
  F64 = 0x7C,
  V128 = 0x7B,  ///< decoded only so that SIMD can be rejected by name
  FuncRef = 0x70,
  ExternRef = 0x6F,
};

/// "i32", "f64", "funcref", ...
const char* to_string(ValType t);

inline bool is_ref(ValType t) { return t == ValType::FuncRef || t == ValType::ExternRef; }

/// A function type (spec 2.3.5): parameter and result types.
struct FuncType {
  std::vector<ValType> params;
  std::vector<ValType> results;
  bool operator==(const FuncType&) const = default;
};

/// "(i32, i64) -> (f32)"
std::string to_string(const FuncType& t);

/// Size limits of a memory (in 64 KiB pages) or a table (in elements), spec 2.3.7.
struct SizeLimits {
  uint64_t min = 0;
  bool has_max = false;
  uint64_t max = 0;
};

struct TableType {
  ValType elem = ValType::FuncRef;
  SizeLimits limits;
};

struct MemoryType {
  SizeLimits limits;  ///< in pages of 65,536 bytes
};

struct GlobalType {
  ValType type = ValType::I32;
  bool mut = false;
};

/// External kinds (spec 2.5.10), with their binary-format byte.
enum class ExternKind : uint8_t { Func = 0, Table = 1, Memory = 2, Global = 3 };

const char* to_string(ExternKind k);

inline constexpr uint64_t kPageSize = 65536;  ///< bytes in one linear-memory page

}  // namespace ward::wasm
