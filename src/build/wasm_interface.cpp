// ward/build/wasm_interface.cpp — see wasm_interface.h.
#include "build/wasm_interface.h"

#include <optional>

#include "build/wasm_reader.h"

namespace ward::build {
namespace {

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

namespace ward::build {
namespace {

void put_u32(std::string& out, uint32_t v) {
  do {
    uint8_t b = v & 0x7f;
    v >>= 7;
    if (v) b |= 0x80;
    out += static_cast<char>(b);
  } while (v);
}

}  // namespace

Result<SplitModule> split_custom_section(std::span<const uint8_t> bytes, std::string_view section) {
  if (bytes.size() < 8 || bytes[0] != 0 || bytes[1] != 'a' || bytes[2] != 's' || bytes[3] != 'm') {
    return make_error("not a wasm module (bad magic)");
  }
  SplitModule out;
  out.module.assign(reinterpret_cast<const char*>(bytes.data()), 8);
  size_t pos = 8;
  while (pos < bytes.size()) {
    const size_t start = pos;
    Reader r(bytes, pos, bytes.size());
    uint8_t id = r.byte();
    uint32_t size = r.u32();
    if (r.failed() || size > bytes.size() - r.pos()) {
      return make_error("malformed section header at offset " + std::to_string(start));
    }
    const size_t body = r.pos();
    const size_t end = body + size;
    pos = end;
    if (id == 0) {
      Reader n(bytes, body, end);
      std::string name = n.name();
      if (n.failed()) return make_error("malformed custom section name at offset " + std::to_string(body));
      if (name == section) {
        out.found = true;
        out.section.append(reinterpret_cast<const char*>(bytes.data() + n.pos()), end - n.pos());
        continue;
      }
    } else if (id == 7) {  // exports: drop the linker's data globals
      Reader e(bytes, body, end);
      uint32_t count = e.count();
      std::string entries;
      uint32_t kept = 0;
      for (uint32_t i = 0; i < count && !e.failed(); ++i) {
        std::string name = e.name();
        uint8_t kind = e.byte();
        uint32_t index = e.u32();
        if (kind == 3 && (name == "__data_end" || name == "__heap_base")) continue;
        put_u32(entries, static_cast<uint32_t>(name.size()));
        entries += name;
        entries += static_cast<char>(kind);
        put_u32(entries, index);
        ++kept;
      }
      if (e.failed() || e.pos() != end) return make_error("malformed export section at offset " + std::to_string(body));
      std::string content;
      put_u32(content, kept);
      content += entries;
      out.module += static_cast<char>(7);
      put_u32(out.module, static_cast<uint32_t>(content.size()));
      out.module += content;
      continue;
    }
    out.module.append(reinterpret_cast<const char*>(bytes.data() + start), end - start);
  }
  return out;
}

}  // namespace ward::build
