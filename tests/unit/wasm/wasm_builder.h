// Test helper: builds small binary modules byte by byte.
#pragma once

#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

namespace ward::wasm::test {

using Bytes = std::vector<uint8_t>;

inline void leb(Bytes& out, uint64_t v) {
  do {
    uint8_t b = v & 0x7F;
    v >>= 7;
    if (v != 0) b |= 0x80;
    out.push_back(b);
  } while (v != 0);
}

inline void append(Bytes& out, const Bytes& more) { out.insert(out.end(), more.begin(), more.end()); }

inline void name(Bytes& out, const std::string& s) {
  leb(out, s.size());
  out.insert(out.end(), s.begin(), s.end());
}

constexpr uint8_t I32 = 0x7F, I64 = 0x7E, F32 = 0x7D, F64 = 0x7C;

struct TypeDef {
  Bytes params, results;
};
struct ImportDef {
  std::string module, field;
  uint32_t type_index;
};
struct LocalGroup {
  uint32_t count;
  uint8_t type;
};
struct FuncDef {
  uint32_t type_index = 0;
  std::vector<LocalGroup> locals;
  Bytes code;  ///< instructions including the final end (0x0B)
};
struct ExportDef {
  std::string name;
  uint8_t kind;
  uint32_t index;
};
struct DataDef {
  int32_t offset;
  Bytes bytes;
};

/// A module with sections in the canonical order. Only the sections used are
/// emitted.
struct ModuleBuilder {
  std::vector<TypeDef> types;
  std::vector<ImportDef> imports;
  std::vector<FuncDef> funcs;
  int memory_pages = -1;  ///< -1: no memory
  std::vector<ExportDef> exports;
  std::vector<DataDef> datas;

  static void section(Bytes& out, uint8_t id, const Bytes& content) {
    out.push_back(id);
    leb(out, content.size());
    append(out, content);
  }

  Bytes build() const {
    Bytes out = {0x00, 0x61, 0x73, 0x6D, 0x01, 0x00, 0x00, 0x00};
    if (!types.empty()) {
      Bytes s;
      leb(s, types.size());
      for (const auto& t : types) {
        s.push_back(0x60);
        leb(s, t.params.size());
        append(s, t.params);
        leb(s, t.results.size());
        append(s, t.results);
      }
      section(out, 1, s);
    }
    if (!imports.empty()) {
      Bytes s;
      leb(s, imports.size());
      for (const auto& i : imports) {
        name(s, i.module);
        name(s, i.field);
        s.push_back(0x00);
        leb(s, i.type_index);
      }
      section(out, 2, s);
    }
    if (!funcs.empty()) {
      Bytes s;
      leb(s, funcs.size());
      for (const auto& f : funcs) leb(s, f.type_index);
      section(out, 3, s);
    }
    if (memory_pages >= 0) {
      Bytes s = {0x01, 0x00};
      leb(s, static_cast<uint64_t>(memory_pages));
      section(out, 5, s);
    }
    if (!exports.empty()) {
      Bytes s;
      leb(s, exports.size());
      for (const auto& e : exports) {
        name(s, e.name);
        s.push_back(e.kind);
        leb(s, e.index);
      }
      section(out, 7, s);
    }
    if (!funcs.empty()) {
      Bytes s;
      leb(s, funcs.size());
      for (const auto& f : funcs) {
        Bytes body;
        leb(body, f.locals.size());
        for (const auto& g : f.locals) {
          leb(body, g.count);
          body.push_back(g.type);
        }
        append(body, f.code);
        leb(s, body.size());
        append(s, body);
      }
      section(out, 10, s);
    }
    if (!datas.empty()) {
      Bytes s;
      leb(s, datas.size());
      for (const auto& d : datas) {
        s.push_back(0x00);
        s.push_back(0x41);
        // signed LEB of the offset
        int64_t v = d.offset;
        bool more = true;
        while (more) {
          uint8_t b = v & 0x7F;
          v >>= 7;
          more = !((v == 0 && !(b & 0x40)) || (v == -1 && (b & 0x40)));
          if (more) b |= 0x80;
          s.push_back(b);
        }
        s.push_back(0x0B);
        leb(s, d.bytes.size());
        append(s, d.bytes);
      }
      section(out, 11, s);
    }
    return out;
  }
};

/// Position of the first occurrence of `needle` in `hay` (for computing offsets).
inline size_t find(const Bytes& hay, const Bytes& needle) {
  for (size_t i = 0; i + needle.size() <= hay.size(); ++i) {
    if (std::equal(needle.begin(), needle.end(), hay.begin() + i)) return i;
  }
  return SIZE_MAX;
}

}  // namespace ward::wasm::test
