// ward/embed/engine.cpp — ward::Engine, Module, Instance and Contract
// (include/ward/engine.h) over the runtime backends, the host table and
// chain::Executor.
#include <new>

#include "aot/aot.h"
#include "chain/address.h"
#include "chain/internal.h"
#include "embed/internal.h"
#include "host/host.h"
#include "runtime/watchdog.h"
#include "state/layout.h"
#include "wasm/module.h"

namespace ward {
namespace detail {

Outcome to_outcome(chain::CallReceipt&& r) {
  Outcome o;
  o.status = static_cast<CallStatus>(r.status);
  o.result = std::move(r.result);
  o.gas_used = r.gas_used;
  o.error = std::move(r.error);
  for (auto& e : r.events) o.events.push_back(Event{std::move(e.name), std::move(e.data)});
  o.debug = std::move(r.debug);
  return o;
}
static_assert(static_cast<int>(chain::Status::Ok) == static_cast<int>(CallStatus::Ok) &&
              static_cast<int>(chain::Status::Reverted) == static_cast<int>(CallStatus::Reverted) &&
              static_cast<int>(chain::Status::Trapped) == static_cast<int>(CallStatus::Trapped) &&
              static_cast<int>(chain::Status::Failed) == static_cast<int>(CallStatus::Failed));

/// A plain instance: its own in-memory state for host functions.
struct InstanceImpl {
  std::shared_ptr<ModuleImpl> mod;
  state::MemoryStore store;
  state::Overlay overlay{store};
  std::unique_ptr<runtime::Instance> instance;
  runtime::Watchdog watchdog;  ///< Limits::timeout_ms of each call (not consensus)
};

namespace {

ValType to_public(wasm::ValType t) {
  switch (t) {
    case wasm::ValType::I32: return ValType::I32;
    case wasm::ValType::I64: return ValType::I64;
    case wasm::ValType::F32: return ValType::F32;
    case wasm::ValType::F64: return ValType::F64;
    case wasm::ValType::FuncRef: return ValType::FuncRef;
    default: return ValType::ExternRef;
  }
}

Outcome failed(std::string error) {
  Outcome o;
  o.status = CallStatus::Failed;
  o.error = std::move(error);
  return o;
}

}  // namespace
}  // namespace detail

const char* to_string(CallStatus status) { return chain::to_string(static_cast<chain::Status>(status)); }

// --- Engine ---

Expected<std::shared_ptr<Engine>> Engine::create(std::string_view name, const EngineOptions& options) {
  auto impl = std::make_shared<detail::EngineImpl>();
  impl->name = std::string(name);
  if (name == "interp") {
    impl->backend = runtime::make_interp_backend();
  } else if (name == "aot" || name == "auto") {
    aot::AotOptions o;
    o.cache_dir = options.aot_cache_dir;
    o.interp_fallback = options.aot_interp_fallback;
    impl->backend = name == "aot" ? aot::make_aot_backend(o) : aot::make_tiered_backend(o);
  } else {
    return ApiError{ErrorCode::UnknownBackend,
                 "unknown backend '" + std::string(name) + "' (expected interp, aot or auto)"};
  }
  return std::shared_ptr<Engine>(new Engine(std::move(impl)));
}

Engine::~Engine() = default;

std::string_view Engine::name() const { return m_impl->name; }

Expected<std::shared_ptr<Module>> Engine::compile(std::span<const uint8_t> wasm, const Limits& limits) {
  auto impl = std::make_shared<detail::ModuleImpl>();
  impl->engine = m_impl;
  impl->limits = limits;
  impl->bytes.assign(reinterpret_cast<const char*>(wasm.data()), wasm.size());
  impl->code_hash = state::sha256(impl->bytes);
  auto loaded = wasm::load_module(wasm, impl->limits);
  if (!loaded) return ApiError{ErrorCode::InvalidModule, loaded.error().message};
  impl->module = loaded.value();
  const runtime::CompileOptions options;  // gas schedule revision 1, the executors' default
  auto compiled = m_impl->backend->compile(impl->module, impl->limits, options);
  if (!compiled) return ApiError{ErrorCode::Compile, compiled.error().message};
  impl->compiled = compiled.value();
  impl->cache = std::make_shared<chain::ModuleCache>();
  impl->cache->put(impl->code_hash, options.gas_revision, impl->compiled, impl->bytes.size());
  return std::shared_ptr<Module>(new Module(std::move(impl)));
}

// --- Module ---

Module::~Module() = default;

std::vector<ExportInfo> Module::exports() const {
  std::vector<ExportInfo> out;
  for (const wasm::Export& ex : m_impl->module->exports) {
    ExportInfo info;
    info.name = ex.name;
    info.is_function = ex.kind == wasm::ExternKind::Func;
    if (info.is_function) {
      const wasm::FuncType& t = m_impl->module->func_type(ex.index);
      for (auto p : t.params) info.params.push_back(detail::to_public(p));
      for (auto r : t.results) info.results.push_back(detail::to_public(r));
    }
    out.push_back(std::move(info));
  }
  return out;
}

Expected<std::unique_ptr<Instance>> Module::instantiate(uint64_t gas_limit) {
  auto impl = std::make_unique<detail::InstanceImpl>();
  impl->mod = m_impl;
  auto imports = host::resolve_imports(*m_impl->module);
  if (!imports) return ApiError{ErrorCode::Instantiate, imports.error().message};
  host::CallEnv env;
  env.state = &impl->overlay;
  runtime::ExecContext ctx;
  ctx.gas_left = gas_limit ? gas_limit : m_impl->limits.default_gas;
  ctx.limits = &m_impl->limits;
  ctx.host_env = &env;
  auto inst = m_impl->compiled->instantiate(imports.value(), ctx);
  using S = runtime::InstantiateResult::Status;
  if (inst.status == S::Trapped) {
    std::string why = inst.trap == runtime::TrapKind::Host || inst.trap == runtime::TrapKind::Revert
                          ? ctx.message
                          : std::string(runtime::trap_message(inst.trap));
    return ApiError{ErrorCode::Instantiate, "instantiation trapped: " + why};
  }
  if (inst.status != S::Ok) return ApiError{ErrorCode::Instantiate, "cannot instantiate: " + inst.message};
  impl->instance = std::move(inst.instance);
  impl->overlay.discard();  // the start function's writes do not persist (as on a node)
  return std::unique_ptr<Instance>(new Instance(std::move(impl)));
}

Expected<std::unique_ptr<Contract>> Module::contract(ContractStorage& storage, const ContractOptions& options) {
  auto impl = std::make_unique<detail::ContractImpl>();
  impl->mod = m_impl;
  impl->address = chain::contract_address(options.deployer, 0);
  impl->store = std::make_unique<detail::ContractStore>(storage, state::storage_prefix(impl->address));
  impl->executor = std::make_unique<chain::Executor>(*impl->store, *m_impl->engine->backend, m_impl->limits,
                                                     m_impl->cache);
  chain::DeployOptions d;
  d.gas_limit = options.deploy_gas ? options.deploy_gas : m_impl->limits.max_gas;
  const std::span<const uint8_t> code(reinterpret_cast<const uint8_t*>(m_impl->bytes.data()), m_impl->bytes.size());
  auto deployed = impl->executor->deploy(code, options.deployer, d);
  if (!deployed) return ApiError{ErrorCode::Storage, "storage error: " + deployed.error().message};
  if (!deployed->ok()) {
    return ApiError{impl->store->failed ? ErrorCode::Storage : ErrorCode::InvalidModule, deployed->error};
  }
  impl->address = deployed->address;
  return std::unique_ptr<Contract>(new Contract(std::move(impl)));
}

// --- Instance ---

Instance::Instance(std::unique_ptr<detail::InstanceImpl> impl) : m_impl(std::move(impl)) {}
Instance::~Instance() = default;

Outcome Instance::call(std::string_view name, std::span<const Value> args, uint64_t gas_limit) {
  const detail::ModuleImpl& mod = *m_impl->mod;
  const wasm::Export* ex = mod.module->find_export(name, wasm::ExternKind::Func);
  if (!ex) return detail::failed("the module exports no function '" + std::string(name) + "'");
  const wasm::FuncType& type = mod.module->func_type(ex->index);
  if (args.size() != type.params.size()) {
    return detail::failed("export '" + std::string(name) + "' has type " + wasm::to_string(type) + ": expected " +
                          std::to_string(type.params.size()) + " arguments, got " + std::to_string(args.size()));
  }
  std::vector<runtime::Value> in;
  for (size_t i = 0; i < args.size(); ++i) {
    if (args[i].type != detail::to_public(type.params[i])) {
      return detail::failed("argument " + std::to_string(i + 1) + " of export '" + std::string(name) +
                            "' must be of type " + wasm::to_string(type.params[i]));
    }
    in.push_back(runtime::Value{args[i].bits});
  }
  if (gas_limit == 0) gas_limit = mod.limits.default_gas;
  if (gas_limit > mod.limits.max_gas) {
    return detail::failed("gas limit " + std::to_string(gas_limit) + " exceeds max_gas (" +
                          std::to_string(mod.limits.max_gas) + ")");
  }
  host::CallEnv env;
  env.state = &m_impl->overlay;
  env.block_time = chain::kGenesisTime;
  env.method = std::string(name);
  runtime::ExecContext ctx;
  ctx.gas_left = gas_limit;
  ctx.limits = &mod.limits;
  ctx.host_env = &env;
  std::vector<runtime::Value> results(type.results.size());
  const state::SnapshotId snap = m_impl->overlay.snapshot();
  runtime::TrapKind trap = runtime::TrapKind::None;
  try {
    runtime::Watchdog::Scope timer(m_impl->watchdog, ctx, mod.limits.timeout_ms);
    trap = m_impl->instance->invoke(*m_impl->instance->function(ex->index), in, results, ctx);
  } catch (const std::bad_alloc&) {
    env.out_of_memory = true;
  }
  chain::CallReceipt r;
  if (env.out_of_memory) {
    r.status = chain::Status::Trapped;
    r.error = std::string(chain::detail::kOutOfMemory);
    r.gas_used = gas_limit - ctx.gas_left;
  } else {
    chain::detail::classify(r, trap, ctx, gas_limit);
  }
  env.debug_flush();
  r.debug = std::move(env.debug_lines);
  if (r.ok()) {
    r.result.clear();
    for (auto& e : env.events) r.events.push_back(chain::ReceiptEvent{{}, std::move(e.name), std::move(e.data)});
  } else {
    m_impl->overlay.revert_to(snap);
  }
  Outcome o = detail::to_outcome(std::move(r));
  if (o.ok()) {
    for (size_t i = 0; i < results.size(); ++i) o.values.push_back(Value{detail::to_public(type.results[i]), results[i].bits});
  }
  return o;
}

// --- Contract ---

Contract::Contract(std::unique_ptr<detail::ContractImpl> impl) : m_impl(std::move(impl)) {}
Contract::~Contract() = default;

const Address& Contract::address() const noexcept { return m_impl->address; }

Outcome Contract::call(std::string_view method, std::string_view args_json, uint64_t gas_limit, const CallInfo& info) {
  detail::ContractStore& store = *m_impl->store;
  store.failed = false;
  state::Overlay overlay(store);
  chain::BlockContext block;
  block.height = info.block_height;
  // Seconds to ms, saturating (block_seconds divides by 1000 again).
  constexpr int64_t kMaxSeconds = INT64_MAX / 1000;
  block.time_ms = (info.block_time > kMaxSeconds ? kMaxSeconds : info.block_time < -kMaxSeconds ? -kMaxSeconds
                                                                                               : info.block_time) *
                  1000;
  chain::CallReceipt r = m_impl->executor->view(overlay, block, m_impl->address, method,
                                                args_json.empty() ? std::string_view("{}") : args_json, info.sender,
                                                gas_limit, 0);
  if (r.ok()) {
    if (auto c = overlay.commit(); !c) {
      r.status = chain::Status::Failed;
      r.error = "storage error: " + c.error().message;
      r.result.clear();
      r.events.clear();
    }
  } else {
    overlay.discard();
  }
  Outcome o = detail::to_outcome(std::move(r));
  o.storage_failed = store.failed;
  return o;
}

}  // namespace ward
