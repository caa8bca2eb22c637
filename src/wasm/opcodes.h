// ward/wasm/opcodes.h — the opcode enumeration and its traits, generated from
// opcodes.def (the one opcode table). Thread-safety: constant data only.
#pragma once

#include <cstdint>
#include <string_view>

namespace ward::wasm {

/// Kind of immediate that follows an opcode (spec 5.4).
enum class ImmKind : uint8_t {
  None,
  BlockType,     ///< blocktype: 0x40, a value type, or a type index (s33)
  LabelIdx,      ///< br, br_if: label depth
  BrTable,       ///< br_table: vec(labelidx) then default labelidx
  FuncIdx,       ///< call, ref.func
  CallIndirect,  ///< typeidx then tableidx
  LocalIdx,
  GlobalIdx,
  TableIdx,
  MemIdx,        ///< memory.size / memory.grow / memory.fill: one memory index
  MemArg,        ///< align (u32) then offset (u32)
  I32,           ///< s32
  I64,           ///< s64
  F32,           ///< 4 raw bytes
  F64,           ///< 8 raw bytes
  SelectT,       ///< vec(valtype)
  RefType,       ///< one reftype byte
  DataIdx,
  ElemIdx,
  MemoryInit,    ///< dataidx then memory index
  MemoryCopy,    ///< dst memory index then src memory index
  TableInit,     ///< elemidx then tableidx
  TableCopy,     ///< dst tableidx then src tableidx
};

/// Every supported instruction, in opcodes.def order (dense, starts at 0).
enum class Op : uint16_t {
#define WARD_OP(Name, text, prefix, code, Imm, gas) Name,
#include "wasm/opcodes.def"
#undef WARD_OP
  Count_
};

inline constexpr uint32_t kOpCount = static_cast<uint32_t>(Op::Count_);

/// Static traits of one opcode, straight from opcodes.def.
struct OpInfo {
  std::string_view text;  ///< text-format name
  uint8_t prefix;         ///< 0x00 or 0xFC
  uint32_t code;          ///< opcode byte or 0xFC sub-opcode
  ImmKind imm;            ///< immediate kind
  uint32_t gas;           ///< static gas cost (docs/gas.md)
};

inline constexpr OpInfo kOpInfo[kOpCount] = {
#define WARD_OP(Name, text, prefix, code, Imm, gas) {text, prefix, code, ImmKind::Imm, gas},
#include "wasm/opcodes.def"
#undef WARD_OP
};

constexpr const OpInfo& op_info(Op op) { return kOpInfo[static_cast<uint32_t>(op)]; }

/// Static gas cost of an instruction (docs/gas.md, "Instruction costs").
constexpr uint32_t op_gas(Op op) { return op_info(op).gas; }

static_assert(op_info(Op::I32Add).code == 0x6A, "opcode table out of order");
static_assert(op_info(Op::I64TruncSatF64U).prefix == 0xFC && op_info(Op::I64TruncSatF64U).code == 7);

}  // namespace ward::wasm
