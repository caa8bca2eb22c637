// ward/wasm/instr_reader.h — a linear, non-recursive decoder of one function
// body's instruction sequence (spec 5.4), driven by opcodes.def. Used by the
// pre-scan, the metering analysis and the interpreter's translator.
// Thread-safety: one reader per thread; readers share nothing.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "wasm/opcodes.h"
#include "wasm/types.h"

namespace ward::wasm {

/// A block type (spec 5.4.1): empty, one value type, or a type index.
struct BlockType {
  enum class Kind : uint8_t { Empty, Value, TypeIndex } kind = Kind::Empty;
  ValType value = ValType::I32;  ///< when kind == Value
  uint32_t type_index = 0;       ///< when kind == TypeIndex
};

/// One decoded instruction. Which fields are meaningful depends on
/// op_info(op).imm; the others are zero.
struct Instr {
  Op op = Op::Nop;
  uint32_t offset = 0;  ///< byte offset of the opcode in the module
  uint32_t a = 0;       ///< first index immediate (label, func, local, global,
                        ///< table, type, data, elem, memarg align, memidx)
  uint32_t b = 0;       ///< second index immediate (call_indirect table,
                        ///< memarg offset, table.init/copy second index, memory.copy src)
  uint64_t bits = 0;    ///< i32/i64 const (sign-extended to 64 bits), f32/f64 raw bits
  BlockType block;      ///< block/loop/if
  ValType ref_type = ValType::FuncRef;  ///< ref.null; select t (first type)
  /// br_table: the targets followed by the default target (size >= 1).
  /// select t: unused (see ref_type). Storage is reused between next() calls.
  std::vector<uint32_t> targets;
};

/// Decodes instructions from a function body, one at a time.
class InstrReader {
 public:
  /// body: the bytes of the expression (after the locals), ending with the
  /// function's final `end`. base_offset: module offset of body[0].
  InstrReader(std::span<const uint8_t> body, uint32_t base_offset) noexcept
      : m_data(body), m_base(base_offset) {}

  /// True when every byte has been consumed.
  bool done() const noexcept { return m_pos >= m_data.size(); }

  /// Module offset of the next instruction.
  uint32_t offset() const noexcept { return m_base + static_cast<uint32_t>(m_pos); }

  /// Decodes the next instruction into out. Returns false on malformed or
  /// unsupported input (SIMD, threads, unknown opcode, truncated immediate);
  /// error() then names the problem and its byte offset.
  [[nodiscard]] bool next(Instr& out);

  const std::string& error() const noexcept { return m_error; }

 private:
  bool read_u32(uint32_t& v);
  bool read_s32(int32_t& v);
  bool read_s33(int64_t& v);
  bool read_s64(int64_t& v);
  bool read_byte(uint8_t& v);
  bool fail(const std::string& what);

  std::span<const uint8_t> m_data;
  size_t m_pos = 0;
  uint32_t m_base = 0;
  std::string m_error;
};

/// Reads an unsigned LEB128 u32 from data at pos (advancing pos).
/// Returns false when truncated or longer than 5 bytes / out of range.
bool read_leb_u32(std::span<const uint8_t> data, size_t& pos, uint32_t& out);

}  // namespace ward::wasm
