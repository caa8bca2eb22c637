// ward/chain/executor.cpp — Executor: deploy and call.
#include "chain/executor.h"

#include <nlohmann/json.hpp>

#include "host/host.h"
#include "state/overlay.h"
#include "wasm/policy.h"

namespace ward::chain {
namespace {

using runtime::TrapKind;

bool is_void_method(const wasm::FuncType& t) { return t.params.empty() && t.results.empty(); }

bool valid_json(std::string_view text) {
  try {
    return nlohmann::json::accept(text.begin(), text.end());
  } catch (...) {
    return false;
  }
}

int64_t block_time_at(uint64_t height) { return kGenesisTime + static_cast<int64_t>(height) * kBlockSeconds; }

/// Fills status/error/gas of `r` for a call that stopped with `trap`.
void classify(CallReceipt& r, TrapKind trap, const runtime::ExecContext& ctx, uint64_t gas) {
  r.gas_used = gas - ctx.gas_left;
  switch (trap) {
    case TrapKind::None:
      r.status = Status::Ok;
      return;
    case TrapKind::Exit:
      r.exit_code = ctx.exit_code;
      if (ctx.exit_code == 0) {
        r.status = Status::Ok;
      } else {
        r.status = Status::Trapped;
        r.error = "exit code " + std::to_string(ctx.exit_code);
      }
      return;
    case TrapKind::Revert:
      r.status = Status::Reverted;
      r.error = "reverted: " + ctx.message;
      return;
    case TrapKind::OutOfGas:
      r.status = Status::Trapped;
      r.error = "out of gas";
      r.gas_used = gas;
      return;
    case TrapKind::Host:
      r.status = Status::Trapped;
      r.error = "host error: " + ctx.message;
      return;
    default:
      r.status = Status::Trapped;
      r.error = std::string("trapped: ") + runtime::trap_message(trap);
      if (!ctx.message.empty()) r.error += " (" + ctx.message + ")";
      return;
  }
}

CallReceipt failed(std::string error) {
  CallReceipt r;
  r.status = Status::Failed;
  r.error = std::move(error);
  return r;
}

}  // namespace

const char* to_string(Status status) {
  switch (status) {
    case Status::Ok: return "ok";
    case Status::Reverted: return "reverted";
    case Status::Trapped: return "trapped";
    case Status::Failed: return "failed";
  }
  return "unknown";
}

Executor::Executor(state::KvStore& store, runtime::Backend& backend, runtime::Limits limits)
    : m_store(store), m_backend(backend), m_limits(limits) {}

Result<std::optional<state::ContractRecord>> Executor::contract(const Address& addr) {
  state::Overlay overlay(m_store);
  return state::get_contract(overlay, addr);
}

Result<uint64_t> Executor::height() {
  state::Overlay overlay(m_store);
  return state::get_height(overlay);
}

std::string Executor::check_request(uint64_t& gas_limit, std::string_view& args_json) const {
  if (gas_limit == 0) gas_limit = m_limits.default_gas;
  if (gas_limit > m_limits.max_gas) {
    return "gas limit " + std::to_string(gas_limit) + " exceeds max_gas (" + std::to_string(m_limits.max_gas) + ")";
  }
  if (args_json.empty()) args_json = "{}";
  if (args_json.size() > m_limits.max_host_arg_bytes) {
    return "args of " + std::to_string(args_json.size()) + " bytes exceeds max_host_arg_bytes (" +
           std::to_string(m_limits.max_host_arg_bytes) + ")";
  }
  if (!valid_json(args_json)) return "invalid args: not valid JSON";
  return {};
}

Result<std::shared_ptr<runtime::CompiledModule>> Executor::compiled(state::Overlay& overlay, const Hash& code_hash) {
  auto it = m_cache.find(code_hash);
  if (it != m_cache.end()) return it->second;
  auto code = state::get_code(overlay, code_hash);
  if (!code) return make_error("storage error: " + code.error().message);
  if (!code.value()) return make_error("code " + format_hash(code_hash) + " is missing from the state");
  const std::string& bytes = *code.value();
  auto module = wasm::load_module(
      std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size()), m_limits);
  if (!module) return module.error();
  auto c = m_backend.compile(module.value(), m_limits, runtime::CompileOptions{});
  if (!c) return c.error();
  m_cache.emplace(code_hash, c.value());
  return c.value();
}

CallReceipt Executor::run(state::Overlay& overlay, const Address& contract, const state::ContractRecord& record,
                          std::string_view method, std::string input, const Address& sender, uint64_t gas,
                          uint64_t height, const Hash& tx_hash) {
  auto cm = compiled(overlay, record.code_hash);
  if (!cm) return failed(cm.error().message);
  const wasm::Module& module = cm.value()->module();
  if (method == "_initialize" || method == "_start") {
    return failed("method '" + std::string(method) + "' is reserved");
  }
  const wasm::Export* exp = module.find_export(method, wasm::ExternKind::Func);
  if (exp == nullptr) {
    return failed("unknown method '" + std::string(method) + "' of contract " + format_address(contract));
  }
  if (!is_void_method(module.func_type(exp->index))) {
    return failed("method '" + std::string(method) + "' has type " + wasm::to_string(module.func_type(exp->index)) +
                  "; a method takes no parameters and returns nothing");
  }
  auto imports = host::resolve_imports(module);
  if (!imports) return failed(imports.error().message);

  host::CallEnv env;
  env.input = std::move(input);
  env.sender = sender;
  env.self = contract;
  env.block_height = height;
  env.block_time = block_time_at(height);
  env.tx_hash = tx_hash;
  env.state = &overlay;
  env.debug_sink = m_debug_sink;

  runtime::ExecContext ctx;
  ctx.gas_left = gas;
  ctx.limits = &m_limits;
  ctx.host_env = &env;

  CallReceipt r;
  r.height = height;
  state::SnapshotId snap = overlay.snapshot();
  TrapKind trap = TrapKind::None;
  runtime::Watchdog::Scope watchdog(m_watchdog, ctx, m_limits.timeout_ms);
  auto inst = cm.value()->instantiate(imports.value(), ctx);
  using S = runtime::InstantiateResult::Status;
  if (inst.status == S::Unlinkable || inst.status == S::Failed) {
    overlay.revert_to(snap);
    CallReceipt f = failed("cannot instantiate: " + inst.message);
    f.gas_used = gas - ctx.gas_left;
    return f;
  }
  if (inst.status == S::Trapped) {
    trap = inst.trap;
  } else {
    runtime::Instance& instance = *inst.instance;
    const wasm::Export* init = module.find_export("_initialize", wasm::ExternKind::Func);
    if (init != nullptr && is_void_method(module.func_type(init->index))) {
      trap = instance.invoke(*instance.function(init->index), {}, {}, ctx);
    }
    if (trap == TrapKind::None) trap = instance.invoke(*instance.function(exp->index), {}, {}, ctx);
  }
  classify(r, trap, ctx, gas);
  env.debug_flush();
  r.debug = std::move(env.debug_lines);
  if (r.ok()) {
    if (env.has_result) r.result = std::move(env.result);
    for (auto& e : env.events) r.events.push_back(ReceiptEvent{contract, std::move(e.name), std::move(e.data)});
  } else {
    overlay.revert_to(snap);
  }
  return r;
}

CallReceipt Executor::call(const Address& contract, std::string_view method, std::string_view args_json,
                           const Address& sender, uint64_t gas_limit) {
  return call_impl(contract, method, args_json, sender, gas_limit, true);
}

CallReceipt Executor::query(const Address& contract, std::string_view method, std::string_view args_json,
                            const Address& sender, uint64_t gas_limit) {
  return call_impl(contract, method, args_json, sender, gas_limit, false);
}

CallReceipt Executor::call_impl(const Address& contract, std::string_view method, std::string_view args_json,
                                const Address& sender, uint64_t gas_limit, bool commit) {
  if (std::string err = check_request(gas_limit, args_json); !err.empty()) return failed(err);
  state::Overlay overlay(m_store);
  auto height = state::get_height(overlay);
  if (!height) return failed("storage error: " + height.error().message);
  auto record = state::get_contract(overlay, contract);
  if (!record) return failed("storage error: " + record.error().message);
  if (!record.value()) return failed("unknown contract " + format_address(contract));

  std::string seed = "ward-call" + state::encode_u64(height.value()) + state::as_string(sender) +
                     state::as_string(contract) + std::string(method) + std::string(1, '\0') + std::string(args_json);
  CallReceipt r = run(overlay, contract, *record.value(), method, std::string(args_json), sender, gas_limit,
                      height.value(), state::sha256(seed));
  if (!r.ok() || !commit) return r;
  state::put_height(overlay, height.value() + 1);
  if (auto c = overlay.commit(); !c) {
    r.status = Status::Failed;
    r.error = "storage error: " + c.error().message;
    r.result.clear();
    r.events.clear();
  }
  return r;
}

Result<DeployReceipt> Executor::deploy(std::span<const uint8_t> code, const Address& deployer,
                                       std::optional<std::string_view> init_method, std::string_view init_args_json,
                                       uint64_t gas_limit, wasm::FloatPolicy floats) {
  DeployReceipt d;
  d.code_hash = state::sha256(code);
  auto fail = [&](std::string error) -> Result<DeployReceipt> {
    d.status = Status::Failed;
    d.error = std::move(error);
    return d;
  };
  if (std::string err = check_request(gas_limit, init_args_json); !err.empty()) return fail(err);

  state::Overlay overlay(m_store);
  auto height = state::get_height(overlay);
  if (!height) return height.error();
  d.height = height.value();
  auto nonce = state::get_nonce(overlay, deployer);
  if (!nonce) return nonce.error();
  d.address = contract_address(deployer, nonce.value());

  // Deploy cost first: a module too large for the gas limit is not even decoded.
  uint64_t deploy_gas = code.size() > (UINT64_MAX - kDeployBaseGas) / kDeployGasPerByte
                            ? UINT64_MAX
                            : kDeployBaseGas + kDeployGasPerByte * code.size();
  if (deploy_gas > gas_limit) {
    d.status = Status::Trapped;
    d.error = "out of gas";
    d.gas_used = gas_limit;
    return d;
  }
  d.gas_used = deploy_gas;

  auto module = wasm::load_module(code, m_limits);
  if (!module) return fail(module.error().message);
  if (auto limits = wasm::check_resource_limits(*module.value(), m_limits); !limits) {
    return fail("rejected by resource limits: " + limits.error().message);
  }
  auto policy = wasm::check_policy(*module.value(), host::host_import_specs(), floats);
  if (!policy) return fail("rejected by deploy policy: " + policy.error().message);
  if (!m_cache.count(d.code_hash)) {
    auto compiled = m_backend.compile(module.value(), m_limits, runtime::CompileOptions{});
    if (!compiled) return fail(compiled.error().message);
    m_cache.emplace(d.code_hash, compiled.value());
  }

  auto existing = state::get_contract(overlay, d.address);
  if (!existing) return existing.error();
  if (existing.value()) return fail("address " + format_address(d.address) + " is already in use");
  auto is_new = state::put_code(overlay, d.code_hash, state::as_string(code));
  if (!is_new) return is_new.error();
  d.code_was_new = is_new.value();
  state::put_nonce(overlay, deployer, nonce.value() + 1);
  state::ContractRecord record;
  record.code_hash = d.code_hash;
  record.deployer = deployer;
  record.created_at = d.height;
  record.created_time = block_time_at(d.height);
  state::put_contract(overlay, d.address, record);

  if (init_method) {
    std::string seed = "ward-deploy" + state::encode_u64(d.height) + state::as_string(deployer) +
                       state::encode_u64(nonce.value()) + state::as_string(d.code_hash);
    CallReceipt r = run(overlay, d.address, record, *init_method, std::string(init_args_json), deployer,
                        gas_limit - deploy_gas, d.height, state::sha256(seed));
    d.gas_used += r.gas_used;
    d.debug = std::move(r.debug);
    if (!r.ok()) {
      d.status = r.status;
      d.error = "init method '" + std::string(*init_method) + "': " + r.error;
      return d;
    }
    d.result = std::move(r.result);
    d.events = std::move(r.events);
  }
  state::put_height(overlay, d.height + 1);
  if (auto c = overlay.commit(); !c) return c.error();
  d.status = Status::Ok;
  return d;
}

}  // namespace ward::chain
