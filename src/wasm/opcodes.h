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
#define WARD_OP(Name, text, prefix, code, Imm, gas, pop, push, nan) Name,
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
  uint8_t pop;            ///< operands taken (control, calls: the fixed ones only)
  uint8_t push;           ///< results left (control, calls: the fixed ones only)
  uint8_t nan;            ///< 32/64: a NaN result becomes the canonical NaN of that width; 0: bits kept
};

inline constexpr OpInfo kOpInfo[kOpCount] = {
#define WARD_OP(Name, text, prefix, code, Imm, gas, pop, push, nan) \
  {text, prefix, code, ImmKind::Imm, gas, pop, push, nan},
#include "wasm/opcodes.def"
#undef WARD_OP
};

constexpr const OpInfo& op_info(Op op) { return kOpInfo[static_cast<uint32_t>(op)]; }

/// Static gas cost of an instruction (docs/gas.md, "Instruction costs").
constexpr uint32_t op_gas(Op op) { return op_info(op).gas; }

/// Width (32 or 64) of the canonical quiet NaN that replaces a NaN result
/// of `op`, or 0 when `op` keeps its result's bits (docs/determinism.md,
/// "NaN canonicalisation"). Every backend canonicalises exactly these.
constexpr uint32_t op_nan_width(Op op) { return op_info(op).nan; }

/// Stack effect of an instruction whose operands and results are all fixed
/// (not block, loop, if, else, end, a branch, return or a call): results
/// left minus operands taken, e.g. -1 for i32.add, +1 for i32.const.
constexpr int32_t op_stack_delta(Op op) {
  return static_cast<int32_t>(op_info(op).push) - static_cast<int32_t>(op_info(op).pop);
}

static_assert(op_info(Op::I32Add).code == 0x6A, "opcode table out of order");
static_assert(op_info(Op::I64TruncSatF64U).prefix == 0xFC && op_info(Op::I64TruncSatF64U).code == 7);
static_assert(op_stack_delta(Op::I32Add) == -1 && op_stack_delta(Op::I64Store) == -2 &&
              op_stack_delta(Op::MemoryFill) == -3 && op_stack_delta(Op::F64Const) == 1, "stack column");
static_assert(op_nan_width(Op::F32DemoteF64) == 32 && op_nan_width(Op::F64PromoteF32) == 64 &&
              op_nan_width(Op::F32Abs) == 0, "nan column");

}  // namespace ward::wasm
