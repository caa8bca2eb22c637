// ward/aot/glue.cpp — writes the C glue compiled with wasm2c's output: the
// functions of import module "W" (host and cross-instance calls go back to
// Ward; globals, memory, tables and the execution state are pointers Ward
// supplies), one trampoline per function type, and the exported
// ward_aot_module descriptor.
#include "aot/glue.h"

#include <fmt/format.h>

namespace ward::aot {
namespace {

using wasm::ValType;

const char* ctype(ValType t) {
  switch (t) {
    case ValType::I32: return "u32";
    case ValType::I64: return "u64";
    case ValType::F32: return "f32";
    case ValType::F64: return "f64";
    case ValType::FuncRef: return "wasm_rt_funcref_t";
    case ValType::ExternRef: return "wasm_rt_externref_t";
    default: return "u64";
  }
}

char mangle(ValType t) {
  switch (t) {
    case ValType::I32: return 'i';
    case ValType::I64: return 'j';
    case ValType::F32: return 'f';
    case ValType::F64: return 'd';
    case ValType::FuncRef: return 'r';
    case ValType::ExternRef: return 'e';
    default: return 'o';
  }
}

std::string result_type(const wasm::FuncType& ft) {
  if (ft.results.empty()) return "void";
  if (ft.results.size() == 1) return ctype(ft.results[0]);
  std::string s = "struct wasm_multi_";
  for (ValType t : ft.results) s += mangle(t);
  return s;
}

/// C expression converting 8-byte value `v` to type t.
std::string from_bits(ValType t, const std::string& v) {
  switch (t) {
    case ValType::I32: return fmt::format("(u32){}", v);
    case ValType::F32: return fmt::format("ward_f32({})", v);
    case ValType::F64: return fmt::format("ward_f64({})", v);
    case ValType::FuncRef: return fmt::format("g_ward_api->ref_to_funcref({})", v);
    case ValType::ExternRef: return fmt::format("(wasm_rt_externref_t)(uintptr_t){}", v);
    default: return v;
  }
}

/// C expression converting lvalue x of type t to 8 bytes.
std::string to_bits(ValType t, const std::string& x) {
  switch (t) {
    case ValType::I32: return fmt::format("(uint64_t){}", x);
    case ValType::F32: return fmt::format("ward_bits32({})", x);
    case ValType::F64: return fmt::format("ward_bits64({})", x);
    case ValType::FuncRef: return fmt::format("g_ward_api->funcref_to_ref(&{})", x);
    case ValType::ExternRef: return fmt::format("(uint64_t)(uintptr_t){}", x);
    default: return x;
  }
}

/// Member name of result i in a multi-value struct (wasm2c: type letter + index).
std::string multi_member(const wasm::FuncType& ft, size_t i) { return fmt::format("{}{}", mangle(ft.results[i]), i); }

}  // namespace

std::string generate_glue(const wasm::Module& M, const wasm::GasSchedule& gas, const std::string& symbol) {
  std::string s;
  s += fmt::format(
      "/* Ward AOT glue (generated). */\n"
      "/* Grow costs of gas schedule revision {}. */\n"
      "#define WARD_GAS_GROW_PAGE {}ull\n#define WARD_GAS_TABLE_ELEMENT {}ull\n"
      "#include \"ward_rt_module.h\"\n#include \"m.c\"\n\n",
      gas.revision, gas.grow_page, gas.table_element);
  s += "static inline f32 ward_f32(uint64_t b) { uint32_t v = (uint32_t)b; f32 f; memcpy(&f, &v, 4); return f; }\n"
       "static inline f64 ward_f64(uint64_t b) { f64 f; memcpy(&f, &b, 8); return f; }\n"
       "static inline uint64_t ward_bits32(f32 f) { uint32_t v; memcpy(&v, &f, 4); return v; }\n"
       "static inline uint64_t ward_bits64(f64 f) { uint64_t v; memcpy(&v, &f, 8); return v; }\n\n";
  // Function imports.
  uint32_t fi = 0, gi = 0, ti = 0;
  for (const wasm::Import& im : M.imports) {
    if (im.kind != wasm::ExternKind::Func) continue;
    const wasm::FuncType& ft = M.types[im.type_index];
    const std::string rt = result_type(ft);
    s += fmt::format("{} Z_WZ_f{}(struct Z_W_instance_t* w_", rt, fi);
    for (size_t i = 0; i < ft.params.size(); ++i) s += fmt::format(", {} a{}", ctype(ft.params[i]), i);
    s += ") {\n  struct Z_W_instance_t* w = ward_w(w_);\n";
    s += fmt::format("  uint64_t args[{}], res[{}];\n", ft.params.size() + 1, ft.results.size() + 1);
    for (size_t i = 0; i < ft.params.size(); ++i) {
      s += fmt::format("  args[{}] = {};\n", i, to_bits(ft.params[i], fmt::format("a{}", i)));
    }
    s += "  WARD_GAS_OUT(w->env);\n";
    s += fmt::format("  uint32_t t = g_ward_api->call_import(w, {}, args, res);\n", fi);
    s += "  if (t != 0) g_ward_api->trap_kind(t);\n";
    s += "  WARD_GAS_IN(w->env);\n";
    if (ft.results.size() == 1) {
      s += fmt::format("  return {};\n", from_bits(ft.results[0], "res[0]"));
    } else if (ft.results.size() > 1) {
      s += fmt::format("  {} r;\n", rt);
      for (size_t i = 0; i < ft.results.size(); ++i) {
        s += fmt::format("  r.{} = {};\n", multi_member(ft, i), from_bits(ft.results[i], fmt::format("res[{}]", i)));
      }
      s += "  return r;\n";
    }
    s += "}\n";
    ++fi;
  }
  // Globals, tables, memory: every one is imported (original imports first).
  auto global_accessor = [&](const wasm::GlobalType& g) {
    s += fmt::format("{}* Z_WZ_g{}(struct Z_W_instance_t* w) {{ return ({}*)w->globals[{}]; }}\n", ctype(g.type), gi,
                     ctype(g.type), gi);
    ++gi;
  };
  auto table_accessor = [&](ValType elem) {
    const char* tt = elem == ValType::FuncRef ? "wasm_rt_funcref_table_t" : "wasm_rt_externref_table_t";
    s += fmt::format("{}* Z_WZ_t{}(struct Z_W_instance_t* w) {{ return ({}*)w->tables[{}]; }}\n", tt, ti, tt, ti);
    ++ti;
  };
  bool has_memory = false;
  for (const wasm::Import& im : M.imports) {
    if (im.kind == wasm::ExternKind::Global) global_accessor(im.global);
    if (im.kind == wasm::ExternKind::Table) table_accessor(im.table.elem);
    if (im.kind == wasm::ExternKind::Memory) has_memory = true;
  }
  for (const wasm::Global& g : M.globals) global_accessor(g.type);
  for (const wasm::TableType& t : M.tables) table_accessor(t.elem);
  if (has_memory || !M.memories.empty()) {
    s += "wasm_rt_memory_t* Z_WZ_m0(struct Z_W_instance_t* w) { return w->memory; }\n";
  }
  s += "u64* Z_WZ_gas(struct Z_W_instance_t* w) { return (u64*)&w->env->gas; }\n"
       "u64* Z_WZ_stack(struct Z_W_instance_t* w) { return (u64*)&w->env->stack; }\n"
       "u32* Z_WZ_why(struct Z_W_instance_t* w) { return &w->env->why; }\n\n";
  // Trampolines, one per type index.
  for (size_t t = 0; t < M.types.size(); ++t) {
    const wasm::FuncType& ft = M.types[t];
    const std::string rt = result_type(ft);
    s += fmt::format("static void ward_tramp_{}(wasm_rt_function_ptr_t fn, void* mi, const uint64_t* a, uint64_t* r) {{\n",
                     t);
    // The caller's r15 is kept; the register holds the gas while the code runs.
    s += "  (void)a; (void)r;\n  WARD_GAS_ENTER(g_ward_api->thread_env());\n  ";
    std::string call = fmt::format("(({} (*)(void*", rt);
    for (ValType p : ft.params) call += fmt::format(", {}", ctype(p));
    call += "))fn)(mi";
    for (size_t i = 0; i < ft.params.size(); ++i) call += ", " + from_bits(ft.params[i], fmt::format("a[{}]", i));
    call += ")";
    if (ft.results.empty()) {
      s += call + ";\n";
    } else {
      s += fmt::format("{} x = {};\n", rt, call);
      if (ft.results.size() == 1) {
        s += fmt::format("  r[0] = {};\n", to_bits(ft.results[0], "x"));
      } else {
        for (size_t i = 0; i < ft.results.size(); ++i) {
          s += fmt::format("  {{ {} v = x.{}; r[{}] = {}; }}\n", ctype(ft.results[i]), multi_member(ft, i), i,
                           to_bits(ft.results[i], "v"));
        }
      }
    }
    s += "  WARD_GAS_LEAVE();\n}\n";
  }
  s += fmt::format("static const ward_aot_tramp ward_tramps[{}] = {{", M.types.size() + 1);
  for (size_t t = 0; t < M.types.size(); ++t) s += fmt::format("ward_tramp_{}, ", t);
  s += "NULL};\n\n";
  // Instantiation runs the start function: a way in, like the trampolines.
  s += "static void ward_instantiate(void* i, struct Z_W_instance_t* w) {\n  WARD_GAS_ENTER(w->env);\n"
       "  Z_m_instantiate((Z_m_instance_t*)i, w);\n  WARD_GAS_LEAVE();\n}\n"
       "static void ward_free(void* i) { Z_m_free((Z_m_instance_t*)i); }\n"
       "static wasm_rt_funcref_table_t* ward_functions(void* i) { return Z_mZ_wardall((Z_m_instance_t*)i); }\n"
       "static void ward_rebind(void* i, ward_aot_env* e) {\n"
       "  Z_m_instance_t* inst = (Z_m_instance_t*)i;\n"
       "  inst->Z_WZ_gas = (u64*)&e->gas;\n  inst->Z_WZ_stack = (u64*)&e->stack;\n"
       "  inst->Z_WZ_why = &e->why;\n}\n";
  s += fmt::format(
      "__attribute__((visibility(\"default\"))) const ward_aot_module_info {} = {{\n"
      "  WARD_AOT_ABI, (uint32_t)sizeof(Z_m_instance_t), ward_bind_api, Z_m_init_module, ward_instantiate,\n"
      "  ward_free, ward_rebind, ward_functions, {}, ward_tramps}};\n",
      symbol, M.types.size());
  return s;
}

}  // namespace ward::aot
