// The execution path shared by the fuzz targets (see harness.h).
#include "harness.h"

#include <algorithm>
#include <cstring>

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

/// splitmix64: the argument generator (RunOptions::arg_seed).
uint64_t next_random(uint64_t& state) {
  uint64_t z = (state += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

/// One argument of type t: a quarter small values, a quarter boundary
/// values (0, 1, -1, the minimum, the maximum), the rest random bits.
uint64_t random_arg(wasm::ValType t, uint64_t& state) {
  if (wasm::is_ref(t)) return 0;
  const uint64_t r = next_random(state);
  const uint64_t bits = next_random(state);
  const bool wide = t == wasm::ValType::I64 || t == wasm::ValType::F64;
  uint64_t v = bits;
  switch (r & 3) {
    case 0: v = bits % 64; break;
    case 1: {
      static const uint64_t k32[] = {0, 1, 0xFFFFFFFFull, 0x80000000ull, 0x7FFFFFFFull};
      static const uint64_t k64[] = {0, 1, ~uint64_t{0}, 0x8000000000000000ull, 0x7FFFFFFFFFFFFFFFull};
      v = (wide ? k64 : k32)[(r >> 2) % 5];
      break;
    }
    default: break;
  }
  if (t == wasm::ValType::F32 && (r & 3) == 0) {  // a small float rather than a denormal
    const float f = static_cast<float>(static_cast<int64_t>(bits % 200) - 100) / 4.0f;
    uint32_t u;
    std::memcpy(&u, &f, 4);
    v = u;
  } else if (t == wasm::ValType::F64 && (r & 3) == 0) {
    const double d = static_cast<double>(static_cast<int64_t>(bits % 200) - 100) / 4.0;
    std::memcpy(&v, &d, 8);
  }
  return wide ? v : (v & 0xFFFFFFFFull);
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

  return run_compiled(*module, **compiled, limits, options);
}

uint64_t memory_hash(const runtime::Memory* memory) {
  if (memory == nullptr) return 0;
  uint64_t h = 0xcbf29ce484222325ull;
  const uint8_t* p = memory->data();
  const uint64_t n = memory->size_bytes();
  for (uint64_t i = 0; i + 8 <= n; i += 8) {
    uint64_t w;
    std::memcpy(&w, p + i, 8);
    h = (h ^ w) * 0x100000001b3ull;
  }
  for (uint64_t i = n & ~uint64_t{7}; i < n; ++i) h = (h ^ p[i]) * 0x100000001b3ull;
  return (h ^ n) * 0x100000001b3ull;
}

RunOutcome run_compiled(std::shared_ptr<const wasm::Module> module, runtime::CompiledModule& compiled,
                        const runtime::Limits& limits, const RunOptions& options) {
  RunOutcome out;
  out.module = std::move(module);
  const wasm::Module& m = *out.module;
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
  runtime::InstantiateResult inst = compiled.instantiate(imports.externs(), ctx);
  out.start_gas_used = options.gas_per_call - std::min(ctx.gas_left, options.gas_per_call);
  if (inst.status != runtime::InstantiateResult::Status::Ok || !inst.instance) {
    out.message = inst.message;
    out.start_trap = inst.trap;
    out.resource_stop = is_resource_trap(inst.trap);
    return out;
  }

  out.stage = RunOutcome::Stage::Ran;
  // Every round calls every exported function in export order; the rounds
  // continue on the same instance.
  const uint32_t rounds = std::max<uint32_t>(options.rounds, 1);
  for (uint32_t round = 0; round < rounds && !out.resource_stop; ++round) {
    for (const wasm::Export& ex : m.exports) {
      if (ex.kind != wasm::ExternKind::Func) continue;
      runtime::FuncInst* func = inst.instance->function(ex.index);
      if (func == nullptr) continue;
      ExportCall call;
      call.name = ex.name;
      call.log_before = out.log.size();
      call.result_types = func->type.results;
      std::vector<Value> args(func->type.params.size());
      if (options.arg_seed != 0) {
        uint64_t state = options.arg_seed * 0x100000001B3ull + out.calls.size();
        for (size_t i = 0; i < args.size(); ++i) args[i] = Value{random_arg(func->type.params[i], state)};
      }
      call.args.reserve(args.size());
      for (const Value& a : args) call.args.push_back(a.bits);
      std::vector<Value> results(func->type.results.size());
      runtime::ExecContext cctx;
      cctx.limits = &limits;
      cctx.gas_left = options.gas_per_call;
      call.trap = inst.instance->invoke(*func, args, results, cctx);
      call.gas_used = options.gas_per_call - std::min(cctx.gas_left, options.gas_per_call);
      if (call.trap == TrapKind::None) {
        for (const Value& v : results) call.results.push_back(v.bits);
      }
      if (options.record_state) {
        call.memory_hash = memory_hash(inst.instance->memory());
        for (const wasm::Export& g : m.exports) {
          if (g.kind != wasm::ExternKind::Global) continue;
          Result<runtime::Extern> e = inst.instance->get_export(g.name);
          if (!e || !e->global) {
            call.globals.push_back(~uint64_t{0});
            continue;
          }
          const runtime::Global& gl = *e->global;
          call.globals.push_back(wasm::is_ref(gl.type.type) ? (gl.value.bits != 0 ? 1 : 0) : gl.value.bits);
        }
      }
      const bool stop = options.stop_on_resource_trap && is_resource_trap(call.trap);
      out.calls.push_back(std::move(call));
      if (stop) {
        out.resource_stop = true;
        break;
      }
    }
  }
  return out;
}

}  // namespace ward::fuzz
