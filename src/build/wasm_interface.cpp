// ward/build/wasm_interface.cpp — see wasm_interface.h.
#include "build/wasm_interface.h"

#include <optional>

namespace ward::build {
namespace {

/// A bounds-checked cursor over the module bytes.
class Reader {
 public:
  Reader(std::span<const uint8_t> bytes, size_t pos, size_t end) : m_bytes(bytes), m_pos(pos), m_end(end) {}

  size_t pos() const { return m_pos; }
  bool failed() const { return m_failed; }
  bool at_end() const { return m_pos >= m_end; }

  uint8_t byte() {
    if (m_pos >= m_end) return fail(), 0;
    return m_bytes[m_pos++];
  }

  uint32_t u32() {
    uint64_t v = 0;
    for (unsigned shift = 0; shift < 35; shift += 7) {
      uint8_t b = byte();
      if (m_failed) return 0;
      v |= uint64_t{b & 0x7fu} << shift;
      if ((b & 0x80) == 0) {
        if (v > UINT32_MAX) fail();
        return static_cast<uint32_t>(v);
      }
    }
    fail();
    return 0;
  }

  std::string name() {
    uint32_t n = u32();
    if (m_failed || n > m_end - m_pos) return fail(), std::string();
    std::string s(reinterpret_cast<const char*>(m_bytes.data() + m_pos), n);
    m_pos += n;
    return s;
  }

  /// A count that cannot exceed the bytes left (each item is at least one byte).
  uint32_t count() {
    uint32_t n = u32();
    if (!m_failed && n > m_end - m_pos) fail();
    return m_failed ? 0 : n;
  }

  void skip_limits() {
    uint8_t flags = byte();
    u32();
    if (flags & 1) u32();
  }

  void fail() { m_failed = true; }

 private:
  std::span<const uint8_t> m_bytes;
  size_t m_pos;
  size_t m_end;
  bool m_failed = false;
};

Error section_error(const char* section, size_t offset) {
  return make_error(std::string("malformed wasm: ") + section + " section near byte offset " +
                    std::to_string(offset));
}

const char* type_name(uint8_t code) {
  switch (code) {
    case 0x7f: return "i32";
    case 0x7e: return "i64";
    case 0x7d: return "f32";
    case 0x7c: return "f64";
    case 0x7b: return "v128";
    case 0x70: return "funcref";
    case 0x6f: return "externref";
    default: return "?";
  }
}

}  // namespace

const FuncSig* ModuleInterface::func_sig(uint32_t func_index) const {
  if (func_index >= func_types.size()) return nullptr;
  uint32_t t = func_types[func_index];
  return t < types.size() ? &types[t] : nullptr;
}

std::string sig_to_string(const FuncSig& sig) {
  auto list = [](const std::vector<uint8_t>& v) {
    std::string s = "(";
    for (size_t i = 0; i < v.size(); ++i) {
      if (i) s += ", ";
      s += type_name(v[i]);
    }
    return s + ")";
  };
  return list(sig.params) + " -> " + list(sig.results);
}

Result<ModuleInterface> read_module_interface(std::span<const uint8_t> bytes) {
  static constexpr uint8_t k_header[8] = {0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00};
  if (bytes.size() < 8) return make_error("not a wasm module: shorter than the 8-byte header");
  for (size_t i = 0; i < 8; ++i) {
    if (bytes[i] != k_header[i]) {
      return make_error(i < 4 ? "not a wasm module: missing the \\0asm magic"
                              : "unsupported wasm binary version (expected 1)");
    }
  }
  ModuleInterface mi;
  Reader top(bytes, 8, bytes.size());
  while (!top.at_end()) {
    size_t section_start = top.pos();
    uint8_t id = top.byte();
    uint32_t size = top.u32();
    if (top.failed() || size > bytes.size() - top.pos()) return section_error("a", section_start);
    size_t body = top.pos();
    Reader r(bytes, body, body + size);
    switch (id) {
      case 1: {  // type
        uint32_t n = r.count();
        for (uint32_t i = 0; i < n && !r.failed(); ++i) {
          if (r.byte() != 0x60) r.fail();
          FuncSig sig;
          uint32_t np = r.count();
          for (uint32_t k = 0; k < np && !r.failed(); ++k) sig.params.push_back(r.byte());
          uint32_t nr = r.count();
          for (uint32_t k = 0; k < nr && !r.failed(); ++k) sig.results.push_back(r.byte());
          mi.types.push_back(std::move(sig));
        }
        if (r.failed()) return section_error("type", r.pos());
        break;
      }
      case 2: {  // import
        uint32_t n = r.count();
        for (uint32_t i = 0; i < n && !r.failed(); ++i) {
          InterfaceImport imp;
          imp.module = r.name();
          imp.name = r.name();
          imp.kind = r.byte();
          switch (imp.kind) {
            case 0:
              imp.type_index = r.u32();
              mi.func_types.push_back(imp.type_index);
              break;
            case 1: r.byte(); r.skip_limits(); break;
            case 2: r.skip_limits(); break;
            case 3: r.byte(); r.byte(); break;
            default: r.fail();
          }
          mi.imports.push_back(std::move(imp));
        }
        if (r.failed()) return section_error("import", r.pos());
        break;
      }
      case 3: {  // function
        uint32_t n = r.count();
        for (uint32_t i = 0; i < n && !r.failed(); ++i) mi.func_types.push_back(r.u32());
        if (r.failed()) return section_error("function", r.pos());
        break;
      }
      case 7: {  // export
        uint32_t n = r.count();
        for (uint32_t i = 0; i < n && !r.failed(); ++i) {
          InterfaceExport ex;
          ex.name = r.name();
          ex.kind = r.byte();
          ex.index = r.u32();
          mi.exports.push_back(std::move(ex));
        }
        if (r.failed()) return section_error("export", r.pos());
        break;
      }
      default: break;  // other sections are not needed here
    }
    top = Reader(bytes, body + size, bytes.size());
  }
  return mi;
}

}  // namespace ward::build
