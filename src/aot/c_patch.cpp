// ward/aot/c_patch.cpp — see c_patch.h.
#include "aot/c_patch.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <initializer_list>
#include <string_view>
#include <vector>

namespace ward::aot {
namespace {

/// Replaces the first occurrence of `from` (between `after` and the end) by `to`.
bool replace_once(std::string& s, const std::string& from, const std::string& to, size_t after = 0) {
  const size_t p = s.find(from, after);
  if (p == std::string::npos) return false;
  s.replace(p, from.size(), to);
  return true;
}

/// Splits s at '\n' into lines (views into s).
std::vector<std::string_view> split_lines(std::string_view s) {
  std::vector<std::string_view> out;
  size_t b = 0;
  while (b < s.size()) {
    size_t e = s.find('\n', b);
    if (e == std::string_view::npos) e = s.size();
    out.push_back(s.substr(b, e - b));
    b = e + 1;
  }
  return out;
}

/// Parses "<ind><lhs> = <rhs>;" into lhs and rhs (rhs without the ';').
bool parse_assign(std::string_view line, std::string_view& ind, std::string_view& lhs, std::string_view& rhs) {
  const size_t a = line.find_first_not_of(' ');
  const size_t eq = line.find(" = ");
  if (a == std::string_view::npos || eq == std::string_view::npos || eq < a || line.back() != ';') return false;
  ind = line.substr(0, a);
  lhs = line.substr(a, eq - a);
  rhs = line.substr(eq + 3, line.size() - eq - 4);
  return lhs.find(' ') == std::string_view::npos;
}

/// True when s is the concatenation of parts.
bool is_concat(std::string_view s, std::initializer_list<std::string_view> parts) {
  for (std::string_view p : parts) {
    if (s.substr(0, p.size()) != p) return false;
    s.remove_prefix(p.size());
  }
  return s.empty();
}

/// Rewrites the NaN canonicalisation emitted by Walker (constant, three
/// gets, `!=`, select) into `x = v; if (UNLIKELY(x != x)) x = ward_nanNN();`
/// so that the C compiler emits a never-taken branch instead of a select on
/// the value's dependency chain. Same bits in every case.
std::string rewrite_nan_selects(const std::string& c) {
  static const std::string_view k64 = "f64_reinterpret_i64(0x7ff8000000000000) /* nan:0x8000000000000 */";
  static const std::string_view k32 = "f32_reinterpret_i32(0x7fc00000) /* nan:0x400000 */";
  const auto lines = split_lines(c);
  std::string out;
  out.reserve(c.size());
  for (size_t i = 0; i < lines.size(); ++i) {
    std::string_view ind, a, k;
    if (i + 5 < lines.size() && parse_assign(lines[i], ind, a, k) && (k == k64 || k == k32)) {
      std::string_view ind2, b, l, c2, l2, d, l3, iv, cmp, a2, sel;
      const bool ok = parse_assign(lines[i + 1], ind2, b, l) && parse_assign(lines[i + 2], ind2, c2, l2) &&
                      l2 == l && parse_assign(lines[i + 3], ind2, d, l3) && l3 == l &&
                      parse_assign(lines[i + 4], ind2, iv, cmp) &&
                      is_concat(cmp, {c2, " != ", d}) && parse_assign(lines[i + 5], ind2, a2, sel) &&
                      a2 == a && is_concat(sel, {iv, " ? ", a, " : ", b});
      if (ok) {
        out += fmt::format("{}{} = {};\n{}if (UNLIKELY({} != {})) {} = {}();\n", ind, a, l, ind, a, a, a,
                           k == k64 ? "ward_nan64" : "ward_nan32");
        i += 5;
        continue;
      }
    }
    out.append(lines[i]);
    out += '\n';
  }
  return out;
}

/// wasm2c's linear-memory access helpers (all take memory 0 as `mem, addr`).
constexpr std::string_view kAccessors[] = {
    "i32_load",     "i64_load",     "f32_load",     "f64_load",     "i32_load8_s",  "i64_load8_s",
    "i32_load8_u",  "i64_load8_u",  "i32_load16_s", "i64_load16_s", "i32_load16_u", "i64_load16_u",
    "i64_load32_s", "i64_load32_u", "i32_store",    "i64_store",    "f32_store",    "f64_store",
    "i32_store8",   "i32_store16",  "i64_store8",   "i64_store16",  "i64_store32"};

/// Ward's access helpers, inserted after wasm2c's: `ward_<name>(mem, md,
/// addr[, value])` with md = mem->data read once per function (a memory's
/// data never moves: runtime::Memory reserves its address space once).
/// Checked: the same range check as wasm2c's. Guard pages: no check; an
/// access past the size faults inside the reservation and the fault handler
/// (rt_support.c) raises the out-of-bounds trap; the empty asm keeps a load
/// whose value is unused, so that its trap is kept too, and a compiler
/// barrier on each side of a store keeps every access on its side of the
/// store: when an access faults, exactly the stores before it in the wasm
/// code have reached memory, as on the interpreter (docs/aot.md).
std::string access_helpers(bool guard_pages) {
  std::string s = fmt::format("\n/* Ward: linear-memory accesses ({}). */\n",
                              guard_pages ? "guard pages, no bounds checks" : "explicit bounds checks");
  s += guard_pages ? "#define WARD_MEMCHECK(mem, a, t)\n"
                   : "#define WARD_MEMCHECK(mem, a, t) RANGE_CHECK(mem, a, sizeof(t))\n";
  if (guard_pages) {
    s += "#if defined(__x86_64__) || defined(__i386__)\n#define WARD_KEEP_F \"x\"\n"
         "#elif defined(__aarch64__)\n#define WARD_KEEP_F \"w\"\n"
         "#else\n#error \"guard pages: unsupported target\"\n#endif\n"
         "#define WARD_KEEP_I \"r\"\n"
         "#define WARD_KEEP(k, r) __asm__(\"\" ::k(r))\n"
         "#define WARD_ORDER() __asm__ __volatile__(\"\" ::: \"memory\")\n";
  } else {
    s += "#define WARD_KEEP(k, r)\n#define WARD_ORDER()\n";
  }
  s += "#define WARD_DEFINE_LOAD(name, t1, t2, t3, k)                                        \\\n"
       "  static inline t3 ward_##name(wasm_rt_memory_t* mem, u8* md, u64 addr) {           \\\n"
       "    WARD_MEMCHECK(mem, addr, t1);                                                   \\\n"
       "    t1 result;                                                                      \\\n"
       "    wasm_rt_memcpy(&result, md + addr, sizeof(t1));                                 \\\n"
       "    WARD_KEEP(k, result);                                                           \\\n"
       "    return (t3)(t2)result;                                                          \\\n"
       "  }\n"
       "#define WARD_DEFINE_STORE(name, t1, t2)                                              \\\n"
       "  static inline void ward_##name(wasm_rt_memory_t* mem, u8* md, u64 addr, t2 value) { \\\n"
       "    WARD_MEMCHECK(mem, addr, t1);                                                   \\\n"
       "    t1 wrapped = (t1)value;                                                         \\\n"
       "    WARD_ORDER();                                                                   \\\n"
       "    wasm_rt_memcpy(md + addr, &wrapped, sizeof(t1));                                \\\n"
       "    WARD_ORDER();                                                                   \\\n"
       "  }\n";
  s += "WARD_DEFINE_LOAD(i32_load, u32, u32, u32, WARD_KEEP_I)\n"
       "WARD_DEFINE_LOAD(i64_load, u64, u64, u64, WARD_KEEP_I)\n"
       "WARD_DEFINE_LOAD(f32_load, f32, f32, f32, WARD_KEEP_F)\n"
       "WARD_DEFINE_LOAD(f64_load, f64, f64, f64, WARD_KEEP_F)\n"
       "WARD_DEFINE_LOAD(i32_load8_s, s8, s32, u32, WARD_KEEP_I)\n"
       "WARD_DEFINE_LOAD(i64_load8_s, s8, s64, u64, WARD_KEEP_I)\n"
       "WARD_DEFINE_LOAD(i32_load8_u, u8, u32, u32, WARD_KEEP_I)\n"
       "WARD_DEFINE_LOAD(i64_load8_u, u8, u64, u64, WARD_KEEP_I)\n"
       "WARD_DEFINE_LOAD(i32_load16_s, s16, s32, u32, WARD_KEEP_I)\n"
       "WARD_DEFINE_LOAD(i64_load16_s, s16, s64, u64, WARD_KEEP_I)\n"
       "WARD_DEFINE_LOAD(i32_load16_u, u16, u32, u32, WARD_KEEP_I)\n"
       "WARD_DEFINE_LOAD(i64_load16_u, u16, u64, u64, WARD_KEEP_I)\n"
       "WARD_DEFINE_LOAD(i64_load32_s, s32, s64, u64, WARD_KEEP_I)\n"
       "WARD_DEFINE_LOAD(i64_load32_u, u32, u64, u64, WARD_KEEP_I)\n"
       "WARD_DEFINE_STORE(i32_store, u32, u32)\n"
       "WARD_DEFINE_STORE(i64_store, u64, u64)\n"
       "WARD_DEFINE_STORE(f32_store, f32, f32)\n"
       "WARD_DEFINE_STORE(f64_store, f64, f64)\n"
       "WARD_DEFINE_STORE(i32_store8, u8, u32)\n"
       "WARD_DEFINE_STORE(i32_store16, u16, u32)\n"
       "WARD_DEFINE_STORE(i64_store8, u8, u64)\n"
       "WARD_DEFINE_STORE(i64_store16, u16, u64)\n"
       "WARD_DEFINE_STORE(i64_store32, u32, u64)\n\n";
  return s;
}

/// In a function body that uses memory 0 (`ward_Z_WZ_m0`, after
/// cache_import_pointers' renaming), routes its loads and stores to Ward's
/// helpers with the data pointer `ward_md`. Returns false when nothing used it.
bool route_accesses(std::string& body) {
  static const std::string_view kMem = "(ward_Z_WZ_m0, ";
  bool any = false;
  for (std::string_view name : kAccessors) {
    const std::string from = std::string(name) + std::string(kMem);
    const std::string to = "ward_" + std::string(name) + "(ward_Z_WZ_m0, ward_md, ";
    for (size_t p = 0; (p = body.find(from, p)) != std::string::npos;) {
      const bool word_start = p == 0 || !(std::isalnum(static_cast<unsigned char>(body[p - 1])) || body[p - 1] == '_');
      if (!word_start) {
        p += from.size();
        continue;
      }
      body.replace(p, from.size(), to);
      p += to.size();
      any = true;
    }
  }
  return any;
}

/// In every function body, reads each imported item's pointer
/// (`instance->Z_WZ_*`: memory, globals, tables, Ward's state) once into a
/// const local. They never change while code runs, but the C compiler cannot
/// know that and would reload them after every store to linear memory.
/// Memory 0's data pointer is read once too (route_accesses).
std::string cache_import_pointers(const std::string& c) {
  static const std::string_view kField = "instance->Z_WZ_";
  static const std::string_view kPro = "  FUNC_PROLOGUE;\n";
  std::string out;
  out.reserve(c.size() + c.size() / 8);
  size_t pos = 0;
  for (;;) {
    const size_t pro = c.find(kPro, pos);
    if (pro == std::string::npos) break;
    const size_t body = pro + kPro.size();
    size_t end = c.find("\n}\n", body);
    if (end == std::string::npos) break;
    end += 1;
    out.append(c, pos, body - pos);
    std::string_view b(c.data() + body, end - body);
    std::vector<std::string> names;
    std::string nb;
    bool ok = true;
    size_t q = 0;
    for (size_t f; (f = b.find(kField, q)) != std::string_view::npos;) {
      if (f > 0 && b[f - 1] == '&') ok = false;
      size_t e = f + kField.size();
      while (e < b.size() && (std::isalnum(static_cast<unsigned char>(b[e])) || b[e] == '_')) ++e;
      const std::string name(b.substr(f + 10, e - f - 10));  // "Z_WZ_..."
      if (std::find(names.begin(), names.end(), name) == names.end()) names.push_back(name);
      nb.append(b.substr(q, f - q));
      nb += "ward_" + name;
      q = e;
    }
    nb.append(b.substr(q));
    if (ok) {
      for (const auto& n : names) out += fmt::format("  __typeof__(instance->{0}) const ward_{0} = instance->{0};\n", n);
      if (std::find(names.begin(), names.end(), "Z_WZ_m0") != names.end() && route_accesses(nb)) {
        out += "  u8* const ward_md = ward_Z_WZ_m0->data;\n";
      }
      out += nb;
    } else {
      out.append(b);
    }
    pos = end;
  }
  out.append(c, pos, std::string::npos);
  return out;
}

/// Adjusts wasm2c's output: no empty asm after loads, distinct call_indirect traps, table (not memory)
/// out-of-bounds traps in the table helpers, and element segments applied
/// before data segments (spec 2.0 instantiation order).
Result<void> patch_c(std::string& c) {
  const size_t ci = c.find("#define CALL_INDIRECT(");
  const size_t ci_end = c.find("(__VA_ARGS__))\n", ci);
  if (ci == std::string::npos || ci_end == std::string::npos) return make_error("wasm2c output: no CALL_INDIRECT");
  c.replace(ci, ci_end + 15 - ci,
            "#define CALL_INDIRECT(table, t, ft, x, ...) \\\n"
            "  (ward_ci_check((table).size, (table).data, (x), func_types[ft]), \\\n"
            "   ((t)(table).data[x].func)(__VA_ARGS__))\n");
  const size_t tb = c.find("static inline void funcref_table_init(");
  const size_t te = c.find("static bool s_module_initialized");
  if (tb == std::string::npos || te == std::string::npos || te < tb) return make_error("wasm2c output: no table helpers");
  std::string mid = c.substr(tb, te - tb);
  for (size_t p = 0; (p = mid.find("TRAP(OOB)", p)) != std::string::npos; p += 15) mid.replace(p, 9, "TRAP(TABLE_OOB)");
  c.replace(tb, te - tb, mid);
  // Loads are bounds-checked explicitly, so they need not be forced to
  // happen (wasm2c's empty asm also moves every float load through an
  // integer register).
  replace_once(c, "#define wasm_asm __asm__\n", "#define wasm_asm(...)\n");
  replace_once(c, "  init_memories(instance);\n  init_tables(instance);\n",
               "  init_tables(instance);\n  init_memories(instance);\n", te);
  return {};
}

/// Every use of W.gas (`(*ward_Z_WZ_gas)`, after cache_import_pointers)
/// becomes WARD_GAS: the register reserved for it, or the thread state's
/// field where no register is (ward_rt_module.h).
std::string gas_in_register(std::string c) {
  static const std::string_view kFrom = "(*ward_Z_WZ_gas)";
  static const std::string_view kTo = "WARD_GAS";
  for (size_t p = 0; (p = c.find(kFrom, p)) != std::string::npos; p += kTo.size()) c.replace(p, kFrom.size(), kTo);
  return c;
}

/// The statements, besides linear-memory stores (access_helpers), that
/// change what an embedder can see after a trap: global.set of an imported
/// global (`(*ward_Z_WZ_g<i>) = ...;`, after cache_import_pointers) and
/// wasm2c's bulk memory and table helpers. Each gets a compiler barrier on
/// either side (WARD_ORDER: on the guard-page build only), so no access that
/// may fault crosses it. They are single lines of wasm2c's output.
std::string order_side_effects(const std::string& c) {
  static constexpr std::string_view kStarts[] = {
      "(*ward_Z_WZ_g",        "memory_fill(",          "memory_copy(",         "memory_init(",
      "funcref_table_init(",  "externref_table_init(", "funcref_table_copy(", "externref_table_copy(",
      "funcref_table_set(",   "externref_table_set(",  "funcref_table_fill(", "externref_table_fill("};
  std::string out;
  out.reserve(c.size() + c.size() / 16);
  size_t pos = 0;
  while (pos < c.size()) {
    size_t end = c.find('\n', pos);
    end = end == std::string::npos ? c.size() : end + 1;
    const std::string_view line(c.data() + pos, end - pos);
    const size_t ind = line.find_first_not_of(' ');
    bool wrap = ind != std::string_view::npos && ind > 0 && line.size() >= 2 && line.substr(line.size() - 2) == ";\n";
    if (wrap) {
      wrap = false;
      for (std::string_view k : kStarts) {
        // "(*ward_Z_WZ_g" needs a digit next: W.gas is no global of the module.
        wrap = wrap || (line.substr(ind, k.size()) == k &&
                        (k.back() == '(' || std::isdigit(static_cast<unsigned char>(line[ind + k.size()]))));
      }
    }
    if (wrap) {
      out.append(line.substr(0, ind));
      out += "WARD_ORDER(); ";
      out.append(line.substr(ind, line.size() - ind - 1));
      out += " WARD_ORDER();\n";
    } else {
      out.append(line);
    }
    pos = end;
  }
  return out;
}

}  // namespace

Result<void> patch_wasm2c_output(std::string& c, bool guard_pages) {
  auto r = patch_c(c);
  if (!r) return r;
  static const std::string kLast = "DEFINE_STORE(i64_store32, u32, u64)\n";
  const size_t last = c.find(kLast);
  if (last == std::string::npos) return make_error("wasm2c output: no memory accessors");
  c.insert(last + kLast.size(), access_helpers(guard_pages));
  c = gas_in_register(order_side_effects(cache_import_pointers(rewrite_nan_selects(c))));
  return {};
}

}  // namespace ward::aot
