// ward/wasm/module.h — a decoded and validated WebAssembly module as Ward sees
// it: a plain description (no libwabt types leak out of the wasm layer).
// Produced only by load_module(); immutable afterwards, so it may be shared
// between threads read-only.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "ward/limits.h"
#include "util/result.h"
#include "wasm/types.h"

namespace ward::wasm {

/// A constant expression (spec 3.3.10). Wasm 2.0 allows exactly one
/// instruction; `kind` names it.
struct ConstExpr {
  enum class Kind : uint8_t { I32Const, I64Const, F32Const, F64Const, GlobalGet, RefNull, RefFunc };
  Kind kind = Kind::I32Const;
  uint64_t bits = 0;              ///< I32Const (sign-extended), I64Const, F32/F64 raw bits
  uint32_t index = 0;             ///< GlobalGet: global index; RefFunc: function index
  ValType ref_type = ValType::FuncRef;  ///< RefNull
};

struct Import {
  std::string module;
  std::string field;
  ExternKind kind = ExternKind::Func;
  uint32_t type_index = 0;  ///< Func
  TableType table;          ///< Table
  MemoryType memory;        ///< Memory
  GlobalType global;        ///< Global
};

/// A function defined in the module (imports are in Module::imports).
struct Function {
  uint32_t type_index = 0;
  std::vector<ValType> locals;  ///< declared locals, expanded, not including params
  uint32_t body_offset = 0;     ///< module offset of the first instruction
  uint32_t body_size = 0;       ///< bytes of instructions, including the final `end`
};

struct Global {
  GlobalType type;
  ConstExpr init;
};

struct Export {
  std::string name;
  ExternKind kind = ExternKind::Func;
  uint32_t index = 0;
};

enum class SegmentMode : uint8_t { Active, Passive, Declarative };

struct ElemSegment {
  SegmentMode mode = SegmentMode::Active;
  uint32_t table_index = 0;       ///< Active
  ConstExpr offset;               ///< Active: i32 offset expression
  ValType type = ValType::FuncRef;
  std::vector<ConstExpr> init;    ///< each ref.func i, ref.null t, or global.get
};

struct DataSegment {
  SegmentMode mode = SegmentMode::Active;  ///< Active or Passive
  uint32_t memory_index = 0;
  ConstExpr offset;                        ///< Active: i32 offset expression
  uint32_t data_offset = 0;                ///< module offset of the bytes
  uint32_t data_size = 0;                  ///< length of the bytes
};

/// Which optional features a load accepts. Default: WebAssembly 2.0 core
/// without SIMD and threads (DESIGN.md section 4).
struct Features {
  bool simd = false;
  bool threads = false;
};

/// A decoded, validated module. Index spaces (functions, tables, memories,
/// globals) start with the imports, then the module's own definitions,
/// exactly as in spec 2.5.1.
struct Module {
  std::vector<uint8_t> bytes;  ///< the module's binary; offsets point into it
  std::vector<FuncType> types;
  std::vector<Import> imports;
  uint32_t num_imported_funcs = 0;
  uint32_t num_imported_tables = 0;
  uint32_t num_imported_memories = 0;
  uint32_t num_imported_globals = 0;
  std::vector<Function> functions;  ///< defined functions only
  std::vector<TableType> tables;    ///< defined tables only
  std::vector<MemoryType> memories; ///< defined memories only
  std::vector<Global> globals;      ///< defined globals only
  std::vector<Export> exports;
  std::optional<uint32_t> start;
  std::vector<ElemSegment> elems;
  std::vector<DataSegment> datas;
  /// Type index of every function in the function index space (imports first).
  std::vector<uint32_t> func_type_indices;
  /// True when some function body or global uses f32/f64 values or instructions.
  bool uses_floats = false;

  uint32_t num_funcs() const { return static_cast<uint32_t>(func_type_indices.size()); }
  const FuncType& func_type(uint32_t func_index) const { return types[func_type_indices[func_index]]; }
  /// The instruction bytes of defined function i (i counts defined functions only).
  std::span<const uint8_t> body(uint32_t i) const {
    return {bytes.data() + functions[i].body_offset, functions[i].body_size};
  }
  /// Finds an export by name and kind; nullptr when absent.
  const Export* find_export(std::string_view name, ExternKind kind) const;
};

/// Decodes and validates a binary module (spec 5, 3): a linear pre-scan
/// bounds size, counts and block nesting against `limits` before libwabt
/// reads anything; then libwabt decodes and validates with the 2.0 feature
/// set. Errors name the problem and its byte offset or function index, e.g.
/// "invalid module: function 3 at offset 0x4a: type mismatch in i32.add".
Result<std::shared_ptr<const Module>> load_module(std::span<const uint8_t> bytes,
                                                  const ward::Limits& limits,
                                                  Features features = {});

}  // namespace ward::wasm
