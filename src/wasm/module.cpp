// ward/wasm/module.cpp — load_module(): pre-scan, libwabt decode + validate,
// then translation of libwabt's IR into ward::wasm::Module. All libwabt use of
// Ward is confined to this file (and stays out of every header).
#include "wasm/module.h"

#include <algorithm>

#include <fmt/format.h>
#include <wabt/binary-reader-ir.h>
#include <wabt/binary-reader.h>
#include <wabt/cast.h>
#include <wabt/error.h>
#include <wabt/feature.h>
#include <wabt/ir.h>
#include <wabt/validator.h>

#include "wasm/prescan.h"

namespace ward::wasm {

const Export* Module::find_export(std::string_view name, ExternKind kind) const {
  for (const Export& e : exports) {
    if (e.kind == kind && e.name == name) return &e;
  }
  return nullptr;
}

namespace {

wabt::Features ward_features() {
  wabt::Features f;
  // Start from nothing, then enable exactly WebAssembly 2.0 without SIMD and
  // threads (DESIGN.md section 4).
#define WABT_FEATURE(variable, flag, default_, help) f.disable_##variable();
#include <wabt/feature.def>
#undef WABT_FEATURE
  f.enable_mutable_globals();
  f.enable_sat_float_to_int();
  f.enable_sign_extension();
  f.enable_multi_value();
  f.enable_bulk_memory();
  f.enable_reference_types();
  return f;
}

/// The function (index space numbering) whose body contains `offset`, if any.
std::optional<uint32_t> function_at(const detail::Prescan& scan, size_t offset) {
  for (size_t i = 0; i < scan.functions.size(); ++i) {
    const auto& fn = scan.functions[i];
    if (offset >= fn.body_offset && offset < size_t{fn.body_offset} + fn.body_size) {
      return scan.num_imported_funcs + static_cast<uint32_t>(i);
    }
  }
  return std::nullopt;
}

Error wabt_error(const char* what, const wabt::Errors& errors, const detail::Prescan& scan) {
  const wabt::Error* first = nullptr;
  for (const auto& e : errors) {
    if (e.error_level == wabt::ErrorLevel::Error) {
      first = &e;
      break;
    }
  }
  if (first == nullptr) return make_error(fmt::format("{} module", what));
  const size_t offset = first->loc.offset;
  if (auto fn = function_at(scan, offset)) {
    return make_error(fmt::format("{} module: function {} at offset {:#x}: {}", what, *fn, offset, first->message));
  }
  return make_error(fmt::format("{} module at offset {:#x}: {}", what, offset, first->message));
}

class Translator {
 public:
  Translator(const wabt::Module& in, Module& out) : m_in(in), m_out(out) {}

  Result<void> run(detail::Prescan& scan);

 private:
  Result<ValType> valtype(wabt::Type t, const char* where);
  Result<ConstExpr> const_expr(const wabt::ExprList& list, const char* where);
  SizeLimits limits(const wabt::Limits& l) { return SizeLimits{l.initial, l.has_max, l.max}; }
  void note(ValType t) {
    if (t == ValType::F32 || t == ValType::F64) m_out.uses_floats = true;
  }

  const wabt::Module& m_in;
  Module& m_out;
};

Result<ValType> Translator::valtype(wabt::Type t, const char* where) {
  switch (static_cast<wabt::Type::Enum>(t)) {
    case wabt::Type::I32: return ValType::I32;
    case wabt::Type::I64: return ValType::I64;
    case wabt::Type::F32: return ValType::F32;
    case wabt::Type::F64: return ValType::F64;
    case wabt::Type::FuncRef: return ValType::FuncRef;
    case wabt::Type::ExternRef: return ValType::ExternRef;
    case wabt::Type::V128: return make_error(fmt::format("unsupported value type v128 (SIMD) in {}", where));
    default: return make_error(fmt::format("unsupported value type {} in {}", t.GetName(), where));
  }
}

Result<ConstExpr> Translator::const_expr(const wabt::ExprList& list, const char* where) {
  if (list.size() != 1) {
    return make_error(fmt::format("unsupported constant expression in {}: {} instructions (expected 1)", where,
                                  list.size()));
  }
  const wabt::Expr& e = list.front();
  ConstExpr out;
  if (const auto* c = wabt::dyn_cast<wabt::ConstExpr>(&e)) {
    switch (static_cast<wabt::Type::Enum>(c->const_.type())) {
      case wabt::Type::I32:
        out.kind = ConstExpr::Kind::I32Const;
        out.bits = static_cast<uint64_t>(static_cast<int64_t>(static_cast<int32_t>(c->const_.u32())));
        return out;
      case wabt::Type::I64:
        out.kind = ConstExpr::Kind::I64Const;
        out.bits = c->const_.u64();
        return out;
      case wabt::Type::F32:
        out.kind = ConstExpr::Kind::F32Const;
        out.bits = c->const_.f32_bits();
        return out;
      case wabt::Type::F64:
        out.kind = ConstExpr::Kind::F64Const;
        out.bits = c->const_.f64_bits();
        return out;
      default:
        return make_error(fmt::format("unsupported constant in {}", where));
    }
  }
  if (const auto* g = wabt::dyn_cast<wabt::GlobalGetExpr>(&e)) {
    out.kind = ConstExpr::Kind::GlobalGet;
    out.index = g->var.index();
    return out;
  }
  if (const auto* r = wabt::dyn_cast<wabt::RefNullExpr>(&e)) {
    auto t = valtype(r->type, where);
    if (!t) return t.error();
    out.kind = ConstExpr::Kind::RefNull;
    out.ref_type = *t;
    return out;
  }
  if (const auto* f = wabt::dyn_cast<wabt::RefFuncExpr>(&e)) {
    out.kind = ConstExpr::Kind::RefFunc;
    out.index = f->var.index();
    return out;
  }
  return make_error(fmt::format("unsupported constant expression in {}", where));
}

Result<void> Translator::run(detail::Prescan& scan) {
  for (const wabt::TypeEntry* entry : m_in.types) {
    const auto* ft = wabt::dyn_cast<wabt::FuncType>(entry);
    if (ft == nullptr) return make_error("unsupported non-function type in the type section");
    FuncType t;
    for (wabt::Type p : ft->sig.param_types) {
      auto v = valtype(p, "a function type");
      if (!v) return v.error();
      note(*v);
      t.params.push_back(*v);
    }
    for (wabt::Type r : ft->sig.result_types) {
      auto v = valtype(r, "a function type");
      if (!v) return v.error();
      note(*v);
      t.results.push_back(*v);
    }
    m_out.types.push_back(std::move(t));
  }

  for (const wabt::Import* imp : m_in.imports) {
    Import out;
    out.module = imp->module_name;
    out.field = imp->field_name;
    if (const auto* f = wabt::dyn_cast<wabt::FuncImport>(imp)) {
      out.kind = ExternKind::Func;
      out.type_index = m_in.GetFuncTypeIndex(f->func.decl);
      m_out.func_type_indices.push_back(out.type_index);
      ++m_out.num_imported_funcs;
    } else if (const auto* t = wabt::dyn_cast<wabt::TableImport>(imp)) {
      auto v = valtype(t->table.elem_type, "a table import");
      if (!v) return v.error();
      out.kind = ExternKind::Table;
      out.table = TableType{*v, limits(t->table.elem_limits)};
      ++m_out.num_imported_tables;
    } else if (const auto* m = wabt::dyn_cast<wabt::MemoryImport>(imp)) {
      out.kind = ExternKind::Memory;
      out.memory = MemoryType{limits(m->memory.page_limits)};
      ++m_out.num_imported_memories;
    } else if (const auto* g = wabt::dyn_cast<wabt::GlobalImport>(imp)) {
      auto v = valtype(g->global.type, "a global import");
      if (!v) return v.error();
      note(*v);
      out.kind = ExternKind::Global;
      out.global = GlobalType{*v, g->global.mutable_};
      ++m_out.num_imported_globals;
    } else {
      return make_error(fmt::format("unsupported import kind for \"{}\".\"{}\"", imp->module_name, imp->field_name));
    }
    m_out.imports.push_back(std::move(out));
  }

  const size_t num_defined = m_in.funcs.size() - m_out.num_imported_funcs;
  if (num_defined != scan.functions.size()) {
    return make_error(fmt::format("internal error: pre-scan found {} function bodies, the decoder {}",
                                  scan.functions.size(), num_defined));
  }
  for (size_t i = 0; i < num_defined; ++i) {
    const wabt::Func* f = m_in.funcs[m_out.num_imported_funcs + i];
    detail::PrescanFunction& pf = scan.functions[i];
    Function fn;
    fn.type_index = m_in.GetFuncTypeIndex(f->decl);
    fn.locals = std::move(pf.locals);
    fn.body_offset = pf.body_offset;
    fn.body_size = pf.body_size;
    m_out.func_type_indices.push_back(fn.type_index);
    m_out.functions.push_back(std::move(fn));
  }

  for (size_t i = m_out.num_imported_tables; i < m_in.tables.size(); ++i) {
    const wabt::Table* t = m_in.tables[i];
    auto v = valtype(t->elem_type, "a table");
    if (!v) return v.error();
    m_out.tables.push_back(TableType{*v, limits(t->elem_limits)});
  }
  for (size_t i = m_out.num_imported_memories; i < m_in.memories.size(); ++i) {
    m_out.memories.push_back(MemoryType{limits(m_in.memories[i]->page_limits)});
  }
  for (size_t i = m_out.num_imported_globals; i < m_in.globals.size(); ++i) {
    const wabt::Global* g = m_in.globals[i];
    auto v = valtype(g->type, "a global");
    if (!v) return v.error();
    note(*v);
    auto init = const_expr(g->init_expr, "a global initializer");
    if (!init) return init.error();
    m_out.globals.push_back(Global{GlobalType{*v, g->mutable_}, *init});
  }

  for (const wabt::Export* e : m_in.exports) {
    Export out;
    out.name = e->name;
    out.index = e->var.index();
    switch (e->kind) {
      case wabt::ExternalKind::Func: out.kind = ExternKind::Func; break;
      case wabt::ExternalKind::Table: out.kind = ExternKind::Table; break;
      case wabt::ExternalKind::Memory: out.kind = ExternKind::Memory; break;
      case wabt::ExternalKind::Global: out.kind = ExternKind::Global; break;
      default: return make_error(fmt::format("unsupported export kind for \"{}\"", e->name));
    }
    m_out.exports.push_back(std::move(out));
  }
  if (!m_in.starts.empty()) m_out.start = m_in.starts.front()->index();

  for (const wabt::ElemSegment* s : m_in.elem_segments) {
    ElemSegment out;
    switch (s->kind) {
      case wabt::SegmentKind::Active: out.mode = SegmentMode::Active; break;
      case wabt::SegmentKind::Passive: out.mode = SegmentMode::Passive; break;
      case wabt::SegmentKind::Declared: out.mode = SegmentMode::Declarative; break;
    }
    auto t = valtype(s->elem_type, "an element segment");
    if (!t) return t.error();
    out.type = *t;
    if (out.mode == SegmentMode::Active) {
      out.table_index = s->table_var.index();
      auto off = const_expr(s->offset, "an element segment offset");
      if (!off) return off.error();
      out.offset = *off;
    }
    out.init.reserve(s->elem_exprs.size());
    for (const wabt::ExprList& item : s->elem_exprs) {
      auto c = const_expr(item, "an element segment item");
      if (!c) return c.error();
      out.init.push_back(*c);
    }
    m_out.elems.push_back(std::move(out));
  }

  if (m_in.data_segments.size() != scan.datas.size()) {
    return make_error(fmt::format("internal error: pre-scan found {} data segments, the decoder {}",
                                  scan.datas.size(), m_in.data_segments.size()));
  }
  for (size_t i = 0; i < scan.datas.size(); ++i) {
    const wabt::DataSegment* s = m_in.data_segments[i];
    DataSegment out;
    out.mode = s->kind == wabt::SegmentKind::Passive ? SegmentMode::Passive : SegmentMode::Active;
    out.data_offset = scan.datas[i].data_offset;
    out.data_size = scan.datas[i].data_size;
    if (out.mode == SegmentMode::Active) {
      out.memory_index = s->memory_var.index();
      auto off = const_expr(s->offset, "a data segment offset");
      if (!off) return off.error();
      out.offset = *off;
    }
    m_out.datas.push_back(out);
  }
  if (scan.body_uses_floats) m_out.uses_floats = true;
  return {};
}

}  // namespace

Result<std::shared_ptr<const Module>> load_module(std::span<const uint8_t> bytes, const ward::Limits& limits,
                                                  Features features) {
  if (features.simd) return make_error("the SIMD feature is not supported by this version of Ward");
  if (features.threads) return make_error("the threads feature is not supported by this version of Ward");

  // (a) Bound everything before libwabt reads a byte.
  auto scan = detail::prescan_module(bytes, limits);
  if (!scan) return scan.error();

  // (b) Decode and validate with libwabt.
  const wabt::Features wf = ward_features();
  wabt::Module ir;
  wabt::Errors errors;
  const wabt::ReadBinaryOptions options(wf, nullptr, /*read_debug_names=*/false, /*stop_on_first_error=*/true,
                                        /*fail_on_custom_section_error=*/false);
  if (wabt::Failed(wabt::ReadBinaryIr("contract.wasm", bytes.data(), bytes.size(), options, &errors, &ir))) {
    return wabt_error("malformed", errors, *scan);
  }
  if (wabt::Failed(wabt::ValidateModule(&ir, &errors, wabt::ValidateOptions(wf)))) {
    return wabt_error("invalid", errors, *scan);
  }

  // (c) Translate.
  auto out = std::make_shared<Module>();
  out->bytes.assign(bytes.begin(), bytes.end());
  Translator tr(ir, *out);
  if (auto r = tr.run(*scan); !r) return r.error();
  return std::shared_ptr<const Module>(std::move(out));
}

}  // namespace ward::wasm
