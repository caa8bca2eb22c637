// ward/wasm/instr_reader.cpp — table-driven decoder of instruction sequences
// (spec 5.4). The opcode tables below are generated from opcodes.def.
#include "wasm/instr_reader.h"

#include <array>
#include <cstring>

#include <fmt/format.h>

namespace ward::wasm {
namespace {

constexpr uint16_t kNoOp = 0xFFFF;
constexpr uint32_t kMaxFcSubOp = 32;  // every 0xFC sub-opcode of the table is below this

struct OpTables {
  std::array<uint16_t, 256> single{};
  std::array<uint16_t, kMaxFcSubOp> fc{};
};

constexpr OpTables make_tables() {
  OpTables t{};
  for (auto& v : t.single) v = kNoOp;
  for (auto& v : t.fc) v = kNoOp;
  for (uint32_t i = 0; i < kOpCount; ++i) {
    const OpInfo& info = kOpInfo[i];
    if (info.prefix == 0x00) {
      t.single[info.code] = static_cast<uint16_t>(i);
    } else {
      t.fc[info.code] = static_cast<uint16_t>(i);
    }
  }
  return t;
}

constexpr OpTables kTables = make_tables();

static_assert(kTables.single[0x6A] == static_cast<uint16_t>(Op::I32Add));
static_assert(kTables.fc[7] == static_cast<uint16_t>(Op::I64TruncSatF64U));
static_assert(kTables.single[0xFC] == kNoOp, "0xFC is a prefix, not an opcode");

/// Proposals whose opcodes are known but not supported, for error messages.
const char* unsupported_feature(uint8_t byte) {
  switch (byte) {
    case 0xFD: return "SIMD";
    case 0xFE: return "threads";
    case 0x06: case 0x07: case 0x08: case 0x09: case 0x18: case 0x19: return "exceptions";
    case 0x12: case 0x13: return "tail calls";
    default: return nullptr;
  }
}

bool is_value_type_byte(uint8_t b) {
  switch (b) {
    case 0x7F: case 0x7E: case 0x7D: case 0x7C: case 0x7B: case 0x70: case 0x6F: return true;
    default: return false;
  }
}

bool decode_u32(std::span<const uint8_t> data, size_t& pos, uint32_t& out) {
  uint32_t result = 0;
  for (unsigned i = 0; i < 5; ++i) {
    if (pos >= data.size()) return false;
    const uint8_t b = data[pos++];
    if (i == 4 && (b & 0xF0) != 0) return false;  // continuation or bits beyond 32
    result |= static_cast<uint32_t>(b & 0x7F) << (7 * i);
    if ((b & 0x80) == 0) {
      out = result;
      return true;
    }
  }
  return false;
}

/// Signed LEB128 of at most `bits` bits; unused bits of the last byte must be
/// copies of the sign bit (spec 5.2.2).
bool decode_signed(std::span<const uint8_t> data, size_t& pos, unsigned bits, int64_t& out) {
  const unsigned max_bytes = (bits + 6) / 7;
  uint64_t result = 0;
  unsigned shift = 0;
  for (unsigned i = 0; i < max_bytes; ++i) {
    if (pos >= data.size()) return false;
    const uint8_t b = data[pos++];
    if (i == max_bytes - 1) {
      if (b & 0x80) return false;
      const unsigned used = bits - 7 * (max_bytes - 1);  // value bits in this byte
      const uint8_t high_mask = static_cast<uint8_t>(0x7F & ~((1u << (used - 1)) - 1));
      const uint8_t high = b & high_mask;
      if (high != 0 && high != high_mask) return false;
    }
    result |= static_cast<uint64_t>(b & 0x7F) << shift;
    shift += 7;
    if ((b & 0x80) == 0) {
      if (shift < 64 && (b & 0x40)) result |= ~uint64_t{0} << shift;
      out = static_cast<int64_t>(result);
      return true;
    }
  }
  return false;
}

}  // namespace

bool read_leb_u32(std::span<const uint8_t> data, size_t& pos, uint32_t& out) {
  return decode_u32(data, pos, out);
}

bool InstrReader::fail(const std::string& what) {
  m_error = what;
  return false;
}

bool InstrReader::read_byte(uint8_t& v) {
  if (m_pos >= m_data.size()) {
    return fail(fmt::format("unexpected end of function body at offset {:#x}", offset()));
  }
  v = m_data[m_pos++];
  return true;
}

bool InstrReader::read_u32(uint32_t& v) {
  const uint32_t at = offset();
  if (!decode_u32(m_data, m_pos, v)) {
    return fail(fmt::format("malformed or truncated LEB128 u32 at offset {:#x}", at));
  }
  return true;
}

bool InstrReader::read_s32(int32_t& v) {
  const uint32_t at = offset();
  int64_t wide = 0;
  if (!decode_signed(m_data, m_pos, 32, wide)) {
    return fail(fmt::format("malformed or truncated LEB128 s32 at offset {:#x}", at));
  }
  v = static_cast<int32_t>(wide);
  return true;
}

bool InstrReader::read_s33(int64_t& v) {
  const uint32_t at = offset();
  if (!decode_signed(m_data, m_pos, 33, v)) {
    return fail(fmt::format("malformed or truncated LEB128 s33 at offset {:#x}", at));
  }
  return true;
}

bool InstrReader::read_s64(int64_t& v) {
  const uint32_t at = offset();
  if (!decode_signed(m_data, m_pos, 64, v)) {
    return fail(fmt::format("malformed or truncated LEB128 s64 at offset {:#x}", at));
  }
  return true;
}

bool InstrReader::next(Instr& out) {
  const uint32_t at = offset();
  out.offset = at;
  out.a = 0;
  out.b = 0;
  out.bits = 0;
  out.block = BlockType{};
  out.ref_type = ValType::FuncRef;
  out.targets.clear();

  uint8_t byte = 0;
  if (!read_byte(byte)) return false;
  uint16_t index = kNoOp;
  if (byte == 0xFC) {
    uint32_t sub = 0;
    if (!read_u32(sub)) return false;
    if (sub < kMaxFcSubOp) index = kTables.fc[sub];
    if (index == kNoOp) {
      return fail(fmt::format("unknown opcode 0xfc {} at offset {:#x}", sub, at));
    }
  } else {
    index = kTables.single[byte];
    if (index == kNoOp) {
      if (const char* feature = unsupported_feature(byte)) {
        return fail(fmt::format("unsupported opcode {:#04x} ({}) at offset {:#x}", byte, feature, at));
      }
      return fail(fmt::format("unknown opcode {:#04x} at offset {:#x}", byte, at));
    }
  }
  out.op = static_cast<Op>(index);
  const OpInfo& info = kOpInfo[index];

  switch (info.imm) {
    case ImmKind::None:
      return true;
    case ImmKind::BlockType: {
      if (m_pos >= m_data.size()) return read_byte(byte);  // reports truncation
      const uint8_t first = m_data[m_pos];
      if (first == 0x40) {
        ++m_pos;
        out.block.kind = BlockType::Kind::Empty;
        return true;
      }
      if (is_value_type_byte(first)) {
        ++m_pos;
        if (first == static_cast<uint8_t>(ValType::V128)) {
          return fail(fmt::format("unsupported value type v128 (SIMD) at offset {:#x}", offset() - 1));
        }
        out.block.kind = BlockType::Kind::Value;
        out.block.value = static_cast<ValType>(first);
        return true;
      }
      const uint32_t type_at = offset();
      int64_t idx = 0;
      if (!read_s33(idx)) return false;
      if (idx < 0) return fail(fmt::format("malformed block type at offset {:#x}", type_at));
      out.block.kind = BlockType::Kind::TypeIndex;
      out.block.type_index = static_cast<uint32_t>(idx);
      return true;
    }
    case ImmKind::LabelIdx:
    case ImmKind::FuncIdx:
    case ImmKind::LocalIdx:
    case ImmKind::GlobalIdx:
    case ImmKind::TableIdx:
    case ImmKind::MemIdx:
    case ImmKind::DataIdx:
    case ImmKind::ElemIdx:
      return read_u32(out.a);
    case ImmKind::CallIndirect:
    case ImmKind::MemArg:
    case ImmKind::MemoryInit:
    case ImmKind::MemoryCopy:
    case ImmKind::TableInit:
    case ImmKind::TableCopy:
      return read_u32(out.a) && read_u32(out.b);
    case ImmKind::BrTable: {
      uint32_t count = 0;
      if (!read_u32(count)) return false;
      // Each label takes at least one byte: bounds the loop by the input size.
      if (count > m_data.size() - m_pos) {
        return fail(fmt::format("br_table at offset {:#x} declares {} targets but the body ends first", at, count));
      }
      for (uint32_t i = 0; i <= count; ++i) {  // targets, then the default
        uint32_t label = 0;
        if (!read_u32(label)) return false;
        out.targets.push_back(label);
      }
      return true;
    }
    case ImmKind::I32: {
      int32_t v = 0;
      if (!read_s32(v)) return false;
      out.bits = static_cast<uint64_t>(static_cast<int64_t>(v));
      return true;
    }
    case ImmKind::I64: {
      int64_t v = 0;
      if (!read_s64(v)) return false;
      out.bits = static_cast<uint64_t>(v);
      return true;
    }
    case ImmKind::F32:
    case ImmKind::F64: {
      const size_t n = info.imm == ImmKind::F32 ? 4 : 8;
      if (m_data.size() - m_pos < n) {
        return fail(fmt::format("truncated {} immediate at offset {:#x}", info.text, offset()));
      }
      uint64_t bits = 0;
      for (size_t i = 0; i < n; ++i) bits |= static_cast<uint64_t>(m_data[m_pos + i]) << (8 * i);
      m_pos += n;
      out.bits = bits;
      return true;
    }
    case ImmKind::SelectT: {
      uint32_t count = 0;
      if (!read_u32(count)) return false;
      if (count > m_data.size() - m_pos) {
        return fail(fmt::format("select at offset {:#x} declares {} types but the body ends first", at, count));
      }
      for (uint32_t i = 0; i < count; ++i) {
        const uint32_t type_at = offset();
        uint8_t t = 0;
        if (!read_byte(t)) return false;
        if (t == static_cast<uint8_t>(ValType::V128)) {
          return fail(fmt::format("unsupported value type v128 (SIMD) at offset {:#x}", type_at));
        }
        if (!is_value_type_byte(t)) {
          return fail(fmt::format("malformed value type {:#04x} at offset {:#x}", t, type_at));
        }
        if (i == 0) out.ref_type = static_cast<ValType>(t);
      }
      return true;
    }
    case ImmKind::RefType: {
      const uint32_t type_at = offset();
      uint8_t t = 0;
      if (!read_byte(t)) return false;
      if (t != static_cast<uint8_t>(ValType::FuncRef) && t != static_cast<uint8_t>(ValType::ExternRef)) {
        return fail(fmt::format("malformed reference type {:#04x} at offset {:#x}", t, type_at));
      }
      out.ref_type = static_cast<ValType>(t);
      return true;
    }
  }
  return fail(fmt::format("internal error: unhandled immediate kind at offset {:#x}", at));
}

}  // namespace ward::wasm
