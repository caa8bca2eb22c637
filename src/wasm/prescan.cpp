// ward/wasm/prescan.cpp — the linear pre-scan run before libwabt sees a
// module (DESIGN.md section 8: libwabt's reader recurses on block nesting).
// Every loop here is bounded by the input size; nothing recurses.
#include "wasm/prescan.h"

#include <array>
#include <string>

#include <fmt/format.h>

#include "wasm/instr_reader.h"

namespace ward::wasm::detail {
namespace {

constexpr std::array<bool, kOpCount> make_float_table() {
  std::array<bool, kOpCount> t{};
  for (uint32_t i = 0; i < kOpCount; ++i) {
    const std::string_view text = kOpInfo[i].text;
    t[i] = text.find("f32") != std::string_view::npos || text.find("f64") != std::string_view::npos;
  }
  return t;
}
constexpr std::array<bool, kOpCount> kFloatOps = make_float_table();
static_assert(kFloatOps[static_cast<uint32_t>(Op::F32Add)] && kFloatOps[static_cast<uint32_t>(Op::I32TruncSatF64U)]);
static_assert(!kFloatOps[static_cast<uint32_t>(Op::I64Add)]);

bool is_float(ValType t) { return t == ValType::F32 || t == ValType::F64; }

/// A bounded reader over the module bytes; every failure records an error
/// naming the offset.
class Cursor {
 public:
  Cursor(std::span<const uint8_t> data, size_t pos, size_t end) : m_data(data), m_pos(pos), m_end(end) {}

  size_t pos() const { return m_pos; }
  size_t end() const { return m_end; }
  size_t remaining() const { return m_end - m_pos; }
  void seek(size_t pos) { m_pos = pos; }

  bool byte(uint8_t& v, const char* what) {
    if (m_pos >= m_end) return fail_truncated(what);
    v = m_data[m_pos++];
    return true;
  }
  bool u32(uint32_t& v, const char* what) {
    const size_t at = m_pos;
    if (!read_leb_u32(m_data.first(m_end), m_pos, v)) {
      m_error = fmt::format("malformed module: bad or truncated {} at offset {:#x}", what, at);
      return false;
    }
    return true;
  }
  bool skip(uint32_t n, const char* what) {
    if (n > remaining()) return fail_truncated(what);
    m_pos += n;
    return true;
  }
  bool valtype(ValType& t, const char* what) {
    const size_t at = m_pos;
    uint8_t b = 0;
    if (!byte(b, what)) return false;
    switch (b) {
      case 0x7F: case 0x7E: case 0x7D: case 0x7C: case 0x70: case 0x6F:
        t = static_cast<ValType>(b);
        return true;
      case 0x7B:
        return fail(fmt::format("unsupported value type v128 (SIMD) at offset {:#x}", at));
      default:
        return fail(fmt::format("malformed module: bad value type {:#04x} at offset {:#x}", b, at));
    }
  }
  bool limits(const char* what) {
    const size_t at = m_pos;
    uint8_t flags = 0;
    uint32_t v = 0;
    if (!byte(flags, what)) return false;
    if (flags > 1) {
      return fail(fmt::format("malformed or unsupported {} limits flags {:#04x} at offset {:#x}", what, flags, at));
    }
    if (!u32(v, what)) return false;
    return flags == 0 || u32(v, what);
  }
  bool fail(std::string msg) {
    m_error = std::move(msg);
    return false;
  }
  bool fail_truncated(const char* what) {
    return fail(fmt::format("malformed module: unexpected end of {} at offset {:#x}", what, m_pos));
  }
  const std::string& error() const { return m_error; }

 private:
  std::span<const uint8_t> m_data;
  size_t m_pos;
  size_t m_end;
  std::string m_error;
};

/// Strict UTF-8 (spec 5.2.4): no overlong forms, no surrogates, at most U+10FFFF.
bool valid_utf8(std::span<const uint8_t> s) {
  size_t i = 0;
  while (i < s.size()) {
    const uint8_t b = s[i];
    size_t n = 0;
    uint32_t cp = 0;
    uint32_t min = 0;
    if (b < 0x80) {
      ++i;
      continue;
    } else if ((b & 0xE0) == 0xC0) {
      n = 1, cp = b & 0x1F, min = 0x80;
    } else if ((b & 0xF0) == 0xE0) {
      n = 2, cp = b & 0x0F, min = 0x800;
    } else if ((b & 0xF8) == 0xF0) {
      n = 3, cp = b & 0x07, min = 0x10000;
    } else {
      return false;
    }
    if (s.size() - i - 1 < n) return false;
    for (size_t k = 1; k <= n; ++k) {
      if ((s[i + k] & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (s[i + k] & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return false;
    i += n + 1;
  }
  return true;
}

Error limit_error(uint64_t found, const char* what, const char* limit_name, uint64_t limit) {
  return make_error(fmt::format("{} {} exceeds {} ({})", what, found, limit_name, limit));
}

/// The instructions a constant expression may hold (Wasm 2.0, spec 3.3.10).
bool is_const_instr(Op op) {
  switch (op) {
    case Op::I32Const: case Op::I64Const: case Op::F32Const: case Op::F64Const:
    case Op::RefNull: case Op::RefFunc: case Op::GlobalGet:
      return true;
    default:
      return false;
  }
}

/// Skips a constant expression (up to and including its final `end`) at the
/// cursor. Any other instruction is rejected here: libwabt's reader aborts
/// on some (e.g. `if ... end` in a global initialiser).
bool skip_const_expr(std::span<const uint8_t> bytes, Cursor& c, const ward::Limits& limits) {
  InstrReader reader(bytes.subspan(c.pos(), c.end() - c.pos()), static_cast<uint32_t>(c.pos()));
  Instr in;
  while (!reader.done()) {
    if (!reader.next(in)) return c.fail("malformed module: " + reader.error());
    if (in.op == Op::End) {
      c.seek(reader.offset());
      return true;
    }
    if (!is_const_instr(in.op)) {
      return c.fail(fmt::format("invalid module: constant expression required, found {} at offset {:#x}",
                                kOpInfo[static_cast<uint32_t>(in.op)].text, in.offset));
    }
  }
  return c.fail_truncated("constant expression");
}

struct TypeInfo {
  uint32_t num_params = 0;
};

class Prescanner {
 public:
  Prescanner(std::span<const uint8_t> bytes, const ward::Limits& limits) : m_bytes(bytes), m_limits(limits) {}

  Result<Prescan> run();

 private:
  Result<void> types(Cursor& c);
  Result<void> imports(Cursor& c);
  Result<void> functions(Cursor& c);
  Result<void> code(Cursor& c);
  Result<void> body(uint32_t index, size_t start, size_t end);
  Result<void> data(Cursor& c);
  Result<void> globals(Cursor& c);
  Result<void> elems(Cursor& c);
  Result<void> count(Cursor& c, const char* what, const char* limit_name, uint32_t limit, uint32_t& out);

  std::span<const uint8_t> m_bytes;
  const ward::Limits& m_limits;
  Prescan m_out;
  std::vector<TypeInfo> m_types;
  std::vector<uint32_t> m_func_types;  // function section: type index per defined function
};

Result<void> Prescanner::count(Cursor& c, const char* what, const char* limit_name, uint32_t limit,
                               uint32_t& out) {
  if (!c.u32(out, what)) return make_error(c.error());
  if (out > limit) return limit_error(out, what, limit_name, limit);
  // Every entry takes at least one byte: a count larger than the section is malformed.
  if (out > c.remaining()) {
    return make_error(fmt::format("malformed module: {} {} is larger than its section", what, out));
  }
  return {};
}

Result<Prescan> Prescanner::run() {
  const uint64_t size = m_bytes.size();
  if (size > m_limits.max_module_bytes) {
    return make_error(
        fmt::format("module size {} bytes exceeds max_module_bytes ({})", size, m_limits.max_module_bytes));
  }
  if (size > UINT32_MAX) return make_error("module size exceeds 4 GiB");
  static constexpr uint8_t kHeader[8] = {0x00, 0x61, 0x73, 0x6D, 0x01, 0x00, 0x00, 0x00};
  if (size < 4 || m_bytes[0] != 0x00 || m_bytes[1] != 0x61 || m_bytes[2] != 0x73 || m_bytes[3] != 0x6D) {
    return make_error("malformed module: bad magic number at offset 0x0 (not a WebAssembly binary)");
  }
  if (size < 8 || !std::equal(kHeader + 4, kHeader + 8, m_bytes.begin() + 4)) {
    return make_error("malformed module: unknown binary version at offset 0x4 (expected 1)");
  }
  Cursor c(m_bytes, 8, size);
  while (c.remaining() > 0) {
    const size_t id_at = c.pos();
    uint8_t id = 0;
    uint32_t sec_size = 0;
    if (!c.byte(id, "section id") || !c.u32(sec_size, "section size")) return make_error(c.error());
    if (id > 12) return make_error(fmt::format("malformed module: unknown section id {} at offset {:#x}", id, id_at));
    if (sec_size > c.remaining()) {
      return make_error(fmt::format("malformed module: section {} at offset {:#x} has size {} but only {} bytes remain",
                                    id, id_at, sec_size, c.remaining()));
    }
    Cursor sec(m_bytes, c.pos(), c.pos() + sec_size);
    Result<void> r;
    uint32_t n = 0;
    switch (id) {
      case 1: r = types(sec); break;
      case 2: r = imports(sec); break;
      case 3: r = functions(sec); break;
      case 4: r = count(sec, "table count", "max_tables", m_limits.max_tables, n); break;
      case 6: r = globals(sec); break;
      case 7: r = count(sec, "export count", "max_exports", m_limits.max_exports, n); break;
      case 9: r = elems(sec); break;
      case 10: r = code(sec); break;
      case 11: r = data(sec); break;
      case 0: {  // custom: only its name is checked (spec 5.5.3)
        uint32_t len = 0;
        if (!sec.u32(len, "custom section name")) return make_error(sec.error());
        if (len > sec.remaining()) {
          sec.fail_truncated("custom section name");
          return make_error(sec.error());
        }
        if (!valid_utf8(m_bytes.subspan(sec.pos(), len))) {
          return make_error(fmt::format("malformed module: custom section name at offset {:#x} is not valid UTF-8",
                                        sec.pos()));
        }
        break;
      }
      default: break;  // table, memory, start, data count: nothing to bound
    }
    if (!r) return r.error();
    c.seek(c.pos() + sec_size);
  }
  return std::move(m_out);
}

Result<void> Prescanner::types(Cursor& c) {
  uint32_t n = 0;
  if (auto r = count(c, "type count", "max_types", m_limits.max_types, n); !r) return r;
  m_types.reserve(n);
  for (uint32_t i = 0; i < n; ++i) {
    const size_t at = c.pos();
    uint8_t form = 0;
    if (!c.byte(form, "type")) return make_error(c.error());
    if (form != 0x60) return make_error(fmt::format("malformed module: bad type form {:#04x} at offset {:#x}", form, at));
    TypeInfo info;
    for (int list = 0; list < 2; ++list) {
      uint32_t len = 0;
      if (!c.u32(len, "type")) return make_error(c.error());
      if (len > c.remaining()) {
        c.fail_truncated("type");
        return make_error(c.error());
      }
      for (uint32_t k = 0; k < len; ++k) {
        ValType t;
        if (!c.valtype(t, "type")) return make_error(c.error());
      }
      if (list == 0) info.num_params = len;
    }
    m_types.push_back(info);
  }
  return {};
}

Result<void> Prescanner::imports(Cursor& c) {
  uint32_t n = 0;
  if (auto r = count(c, "import count", "max_imports", m_limits.max_imports, n); !r) return r;
  for (uint32_t i = 0; i < n; ++i) {
    uint32_t len = 0;
    if (!c.u32(len, "import name") || !c.skip(len, "import name") || !c.u32(len, "import name") ||
        !c.skip(len, "import name")) {
      return make_error(c.error());
    }
    const size_t kind_at = c.pos();
    uint8_t kind = 0;
    uint32_t idx = 0;
    ValType t;
    uint8_t mut = 0;
    if (!c.byte(kind, "import")) return make_error(c.error());
    bool ok = true;
    switch (kind) {
      case 0:
        ok = c.u32(idx, "import type index");
        ++m_out.num_imported_funcs;
        break;
      case 1: ok = c.valtype(t, "table import") && c.limits("table"); break;
      case 2: ok = c.limits("memory"); break;
      case 3: ok = c.valtype(t, "global import") && c.byte(mut, "global import"); break;
      default:
        return make_error(fmt::format("malformed module: bad import kind {:#04x} at offset {:#x}", kind, kind_at));
    }
    if (!ok) return make_error(c.error());
  }
  return {};
}

Result<void> Prescanner::functions(Cursor& c) {
  uint32_t n = 0;
  if (!c.u32(n, "function count")) return make_error(c.error());
  const uint64_t total = uint64_t{n} + m_out.num_imported_funcs;
  if (total > m_limits.max_functions) {
    return limit_error(total, "function count (imported + defined)", "max_functions", m_limits.max_functions);
  }
  if (n > c.remaining()) return make_error("malformed module: function count is larger than its section");
  m_func_types.resize(n);
  for (uint32_t i = 0; i < n; ++i) {
    if (!c.u32(m_func_types[i], "function type index")) return make_error(c.error());
  }
  return {};
}

Result<void> Prescanner::code(Cursor& c) {
  uint32_t n = 0;
  if (!c.u32(n, "code count")) return make_error(c.error());
  if (n != m_func_types.size()) {
    return make_error(fmt::format("malformed module: code section has {} bodies but the function section declares {}",
                                  n, m_func_types.size()));
  }
  m_out.functions.reserve(n);
  for (uint32_t i = 0; i < n; ++i) {
    const uint32_t index = m_out.num_imported_funcs + i;
    uint32_t size = 0;
    if (!c.u32(size, "function body size")) return make_error(c.error());
    if (size > m_limits.max_function_body_bytes) {
      return make_error(fmt::format("function {}: body size {} bytes exceeds max_function_body_bytes ({})", index,
                                    size, m_limits.max_function_body_bytes));
    }
    if (size > c.remaining()) {
      return make_error(fmt::format("malformed module: function {} body at offset {:#x} runs past its section",
                                    index, c.pos()));
    }
    const size_t start = c.pos();
    if (auto r = body(i, start, start + size); !r) return r;
    c.seek(start + size);
  }
  return {};
}

Result<void> Prescanner::body(uint32_t i, size_t start, size_t end) {
  const uint32_t index = m_out.num_imported_funcs + i;
  PrescanFunction fn;
  fn.type_index = m_func_types[i];
  const uint64_t params = fn.type_index < m_types.size() ? m_types[fn.type_index].num_params : 0;
  Cursor c(m_bytes, start, end);
  uint32_t groups = 0;
  if (!c.u32(groups, "local declarations")) return make_error(c.error());
  if (groups > c.remaining()) return make_error(fmt::format("malformed module: function {}: too many local groups", index));
  uint64_t total = params;  // u64: the sum of u32 group counts cannot overflow it
  const size_t decl_at = c.pos();
  for (uint32_t g = 0; g < groups; ++g) {
    uint32_t n = 0;
    ValType t;
    if (!c.u32(n, "local declarations") || !c.valtype(t, "local declarations")) return make_error(c.error());
    total += n;
    if (total > m_limits.max_locals_per_function) {
      return make_error(fmt::format("function {}: {} locals (params + declared) exceeds max_locals_per_function ({})",
                                    index, total, m_limits.max_locals_per_function));
    }
    if (is_float(t) && n > 0) m_out.body_uses_floats = true;
  }
  // Second pass over the (now bounded) declarations to expand them.
  c.seek(decl_at);
  fn.locals.reserve(static_cast<size_t>(total - params));
  for (uint32_t g = 0; g < groups; ++g) {
    uint32_t n = 0;
    ValType t;
    (void)c.u32(n, "local declarations");
    (void)c.valtype(t, "local declarations");
    fn.locals.insert(fn.locals.end(), n, t);
  }
  fn.body_offset = static_cast<uint32_t>(c.pos());
  fn.body_size = static_cast<uint32_t>(end - c.pos());

  InstrReader reader(m_bytes.subspan(fn.body_offset, fn.body_size), fn.body_offset);
  Instr in;
  uint32_t depth = 0;
  while (!reader.done()) {
    if (!reader.next(in)) return make_error(fmt::format("function {}: {}", index, reader.error()));
    if (kFloatOps[static_cast<uint32_t>(in.op)]) m_out.body_uses_floats = true;
    switch (in.op) {
      case Op::Block:
      case Op::Loop:
      case Op::If:
        if (++depth > m_limits.max_block_depth) {
          return make_error(fmt::format("function {}: block nesting depth {} exceeds max_block_depth ({})", index,
                                        depth, m_limits.max_block_depth));
        }
        if (in.block.kind == BlockType::Kind::Value && is_float(in.block.value)) m_out.body_uses_floats = true;
        break;
      case Op::End:
        if (depth > 0) --depth;
        break;
      case Op::BrTable:
        if (in.targets.size() - 1 > m_limits.max_br_table_targets) {
          return make_error(fmt::format("function {}: br_table at offset {:#x} has {} targets, exceeds "
                                        "max_br_table_targets ({})",
                                        index, in.offset, in.targets.size() - 1, m_limits.max_br_table_targets));
        }
        break;
      case Op::SelectT:
        if (is_float(in.ref_type)) m_out.body_uses_floats = true;
        break;
      default:
        break;
    }
  }
  m_out.functions.push_back(std::move(fn));
  return {};
}

Result<void> Prescanner::data(Cursor& c) {
  uint32_t n = 0;
  if (auto r = count(c, "data segment count", "max_data_segments", m_limits.max_data_segments, n); !r) return r;
  uint64_t total = 0;
  m_out.datas.reserve(n);
  for (uint32_t i = 0; i < n; ++i) {
    const size_t at = c.pos();
    uint32_t flags = 0;
    uint32_t mem = 0;
    if (!c.u32(flags, "data segment")) return make_error(c.error());
    bool ok = true;
    switch (flags) {
      case 0: ok = skip_const_expr(m_bytes, c, m_limits); break;
      case 1: break;
      case 2: ok = c.u32(mem, "data segment memory index") && skip_const_expr(m_bytes, c, m_limits); break;
      default:
        return make_error(fmt::format("malformed module: bad data segment flags {} at offset {:#x}", flags, at));
    }
    uint32_t len = 0;
    if (!ok || !c.u32(len, "data segment size")) return make_error(c.error());
    PrescanData d{static_cast<uint32_t>(c.pos()), len};
    if (!c.skip(len, "data segment")) return make_error(c.error());
    total += len;
    if (total > m_limits.max_data_bytes) {
      return limit_error(total, "total data segment size (bytes)", "max_data_bytes", m_limits.max_data_bytes);
    }
    m_out.datas.push_back(d);
  }
  return {};
}

Result<void> Prescanner::globals(Cursor& c) {
  uint32_t n = 0;
  if (auto r = count(c, "global count", "max_globals", m_limits.max_globals, n); !r) return r;
  for (uint32_t i = 0; i < n; ++i) {
    ValType t;
    uint8_t mut = 0;
    if (!c.valtype(t, "global type") || !c.byte(mut, "global mutability") ||
        !skip_const_expr(m_bytes, c, m_limits)) {
      return make_error(c.error());
    }
  }
  return {};
}

Result<void> Prescanner::elems(Cursor& c) {
  uint32_t n = 0;
  if (auto r = count(c, "element segment count", "max_elem_segments", m_limits.max_elem_segments, n); !r) return r;
  for (uint32_t i = 0; i < n; ++i) {
    const size_t at = c.pos();
    uint32_t flags = 0;
    if (!c.u32(flags, "element segment")) return make_error(c.error());
    if (flags > 7) {
      return make_error(fmt::format("malformed module: bad element segment flags {} at offset {:#x}", flags, at));
    }
    // Spec 5.5.12: bit 0 passive/declarative, bit 1 explicit table index
    // (active) or declarative (passive), bit 2 expressions instead of indices.
    const bool passive = flags & 1;
    const bool explicit_table = flags & 2;
    const bool exprs = flags & 4;
    uint32_t v = 0;
    uint8_t kind = 0;
    bool ok = true;
    if (!passive && explicit_table) ok = c.u32(v, "element segment table index");
    if (ok && !passive) ok = skip_const_expr(m_bytes, c, m_limits);
    if (ok && (passive || explicit_table)) ok = c.byte(kind, "element kind");
    uint32_t count = 0;
    if (ok) ok = c.u32(count, "element count");
    if (ok && count > c.remaining()) {
      return make_error(fmt::format("malformed module: element count {} is larger than its section", count));
    }
    for (uint32_t k = 0; ok && k < count; ++k) {
      ok = exprs ? skip_const_expr(m_bytes, c, m_limits) : c.u32(v, "element function index");
    }
    if (!ok) return make_error(c.error());
  }
  return {};
}

}  // namespace

bool is_float_op(Op op) { return kFloatOps[static_cast<uint32_t>(op)]; }

Result<Prescan> prescan_module(std::span<const uint8_t> bytes, const ward::Limits& limits) {
  return Prescanner(bytes, limits).run();
}

}  // namespace ward::wasm::detail
