// The execution path shared by the fuzz targets (see harness.h).
#include "harness.h"

#include <algorithm>

#include "wasm/module.h"

namespace ward::fuzz {

using runtime::TrapKind;
using runtime::Value;

runtime::Limits fuzz_limits() {
  runtime::Limits limits;
  limits.timeout_ms = 2'000;
  return limits;
}

bool is_resource_trap(TrapKind trap) {
  return trap == TrapKind::OutOfGas || trap == TrapKind::CallStackExhausted || trap == TrapKind::Timeout;
}

namespace {

/// Every dummy import function: records its arguments, returns zeros.
TrapKind dummy_host(runtime::HostCall& call, const Value* args, Value* results) {
  const runtime::FuncInst& f = call.func;
  if (f.host_data != nullptr) {
    const auto* data = static_cast<const DummyFuncData*>(f.host_data);
    if (data->log != nullptr) {
      ImportCall c;
      c.import_index = data->import_index;
      c.types = f.type.params;
      for (size_t i = 0; i < f.type.params.size(); ++i) c.args.push_back(args[i].bits);
      data->log->push_back(std::move(c));
    }
  }
  for (size_t i = 0; i < f.type.results.size(); ++i) results[i] = Value{0};
  return TrapKind::None;
}

}  // namespace

DummyImports::DummyImports(const wasm::Module& module, const runtime::Limits& limits,
                           std::vector<ImportCall>* log) {
  for (uint32_t i = 0; i < module.imports.size(); ++i) {
    const wasm::Import& imp = module.imports[i];
    runtime::Extern e;
    e.kind = imp.kind;
    switch (imp.kind) {
      case wasm::ExternKind::Func: {
        auto f = std::make_unique<runtime::FuncInst>();
        f->type = module.types[imp.type_index];
        f->type_id = runtime::canonical_type_id(f->type);
        f->host = &dummy_host;
        auto data = std::make_unique<DummyFuncData>();
        data->log = log;
        data->import_index = i;
        f->host_data = data.get();
        f->name = imp.module + "." + imp.field;
        e.func = f.get();
        m_funcs.push_back(std::move(f));
        m_data.push_back(std::move(data));
        break;
      }
      case wasm::ExternKind::Table: {
        const wasm::SizeLimits& l = imp.table.limits;
        if (l.min > limits.max_table_elements) { m_ok = false; break; }
        auto t = std::make_shared<runtime::Table>();
        t->elem = imp.table.elem;
        t->max = l.has_max ? std::min<uint64_t>(l.max, limits.max_table_elements) : limits.max_table_elements;
        t->elems.assign(l.min, 0);
        e.table = std::move(t);
        break;
      }
      case wasm::ExternKind::Memory: {
        const wasm::SizeLimits& l = imp.memory.limits;
        if (l.min > limits.max_memory_pages) { m_ok = false; break; }
        const uint64_t max = l.has_max ? std::min<uint64_t>(l.max, limits.max_memory_pages) : limits.max_memory_pages;
        e.memory = runtime::Memory::create(static_cast<uint32_t>(l.min), static_cast<uint32_t>(max));
        if (!e.memory) m_ok = false;
        break;
      }
      case wasm::ExternKind::Global: {
        auto g = std::make_shared<runtime::Global>();
        g->type = imp.global;
        e.global = std::move(g);
        break;
      }
    }
    m_externs.push_back(std::move(e));
  }
}

RunOutcome run_module(std::span<const uint8_t> bytes, const runtime::Limits& limits, const RunOptions& options) {
  RunOutcome out;
  out.stage = RunOutcome::Stage::Load;
  Result<std::shared_ptr<const wasm::Module>> module = wasm::load_module(bytes, limits);
  if (!module) {
    out.message = module.error().message;
    return out;
  }
  out.module = *module;
  const wasm::Module& m = **module;

  out.stage = RunOutcome::Stage::Compile;
  std::unique_ptr<runtime::Backend> backend = runtime::make_interp_backend();
  Result<std::shared_ptr<runtime::CompiledModule>> compiled = backend->compile(*module, limits, {});
  if (!compiled) {
    out.message = compiled.error().message;
    return out;
  }

  out.stage = RunOutcome::Stage::Link;
  DummyImports imports(m, limits, options.record_imports ? &out.log : nullptr);
  if (!imports.ok()) {
    out.message = "an import exceeds the limits";
    return out;
  }

  out.stage = RunOutcome::Stage::Instantiate;
  runtime::ExecContext ctx;
  ctx.limits = &limits;
  ctx.gas_left = options.gas_per_call;
  runtime::InstantiateResult inst = (*compiled)->instantiate(imports.externs(), ctx);
  if (inst.status != runtime::InstantiateResult::Status::Ok || !inst.instance) {
    out.message = inst.message;
    out.start_trap = inst.trap;
    out.resource_stop = is_resource_trap(inst.trap);
    return out;
  }

  out.stage = RunOutcome::Stage::Ran;
  for (const wasm::Export& ex : m.exports) {
    if (ex.kind != wasm::ExternKind::Func) continue;
    runtime::FuncInst* func = inst.instance->function(ex.index);
    if (func == nullptr) continue;
    ExportCall call;
    call.name = ex.name;
    call.log_before = out.log.size();
    call.result_types = func->type.results;
    std::vector<Value> args(func->type.params.size());
    std::vector<Value> results(func->type.results.size());
    runtime::ExecContext cctx;
    cctx.limits = &limits;
    cctx.gas_left = options.gas_per_call;
    call.trap = inst.instance->invoke(*func, args, results, cctx);
    if (call.trap == TrapKind::None) {
      for (const Value& v : results) call.results.push_back(v.bits);
    }
    const bool stop = options.stop_on_resource_trap && is_resource_trap(call.trap);
    out.calls.push_back(std::move(call));
    if (stop) {
      out.resource_stop = true;
      break;
    }
  }
  return out;
}

}  // namespace ward::fuzz
