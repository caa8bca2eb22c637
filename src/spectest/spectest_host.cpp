// The "spectest" host module (see spectest_host.h).
#include "spectest/spectest_host.h"

namespace ward::spectest {

namespace {

using wasm::ValType;

/// The print functions: the testsuite only needs them to exist.
runtime::TrapKind print_nothing(runtime::HostCall&, const runtime::Value*, runtime::Value*) {
  return runtime::TrapKind::None;
}

}  // namespace

SpectestHost::SpectestHost() {
  add_func("print", {});
  add_func("print_i32", {ValType::I32});
  add_func("print_i64", {ValType::I64});
  add_func("print_f32", {ValType::F32});
  add_func("print_f64", {ValType::F64});
  add_func("print_i32_f32", {ValType::I32, ValType::F32});
  add_func("print_f64_f64", {ValType::F64, ValType::F64});

  add_global("global_i32", ValType::I32, runtime::Value::i32(666));
  add_global("global_i64", ValType::I64, runtime::Value::i64(666));
  add_global("global_f32", ValType::F32, runtime::Value::f32(666.6f));
  add_global("global_f64", ValType::F64, runtime::Value::f64(666.6));

  auto table = std::make_shared<runtime::Table>();
  table->elem = ValType::FuncRef;
  table->elems.assign(10, 0);
  table->max = 20;
  runtime::Extern t;
  t.kind = wasm::ExternKind::Table;
  t.table = std::move(table);
  m_exports.emplace("table", std::move(t));

  // A memory that cannot be allocated is simply absent: imports of it then
  // fail to link, which the run reports.
  if (std::shared_ptr<runtime::Memory> memory = runtime::Memory::create(1, 2)) {
    runtime::Extern m;
    m.kind = wasm::ExternKind::Memory;
    m.memory = std::move(memory);
    m_exports.emplace("memory", std::move(m));
  }
}

void SpectestHost::add_func(const std::string& field, std::vector<wasm::ValType> params) {
  auto f = std::make_unique<runtime::FuncInst>();
  f->type.params = std::move(params);
  f->type_id = runtime::canonical_type_id(f->type);
  f->host = &print_nothing;
  f->name = "spectest." + field;
  runtime::Extern e;
  e.kind = wasm::ExternKind::Func;
  e.func = f.get();
  m_funcs.push_back(std::move(f));
  m_exports.emplace(field, std::move(e));
}

void SpectestHost::add_global(const std::string& field, wasm::ValType type, runtime::Value value) {
  auto g = std::make_shared<runtime::Global>();
  g->type.type = type;
  g->type.mut = false;
  g->value = value;
  runtime::Extern e;
  e.kind = wasm::ExternKind::Global;
  e.global = std::move(g);
  m_exports.emplace(field, std::move(e));
}

std::optional<runtime::Extern> SpectestHost::lookup(std::string_view field) const {
  auto it = m_exports.find(field);
  if (it == m_exports.end()) return std::nullopt;
  return it->second;
}

}  // namespace ward::spectest
