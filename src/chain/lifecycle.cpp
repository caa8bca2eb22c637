// ward/chain/lifecycle.cpp — the life of a contract: deploy (raw or gzip
// wasm), upgrade (admin replaces the code, optional migrate method), destroy
// (admin removes it, leaving a tombstone), and the reference-counted code
// store they share (DESIGN.md section 2, docs/host-abi.md "Lifecycle").
#include <zlib.h>

#include <algorithm>
#include <new>
#include <nlohmann/json.hpp>

#include "chain/internal.h"
#include "host/host.h"
#include "state/objects.h"
#include "wasm/policy.h"

namespace ward::chain {
namespace {

/// Gas of storing a module of `bytes` bytes (deploy, upgrade) under `gas`.
uint64_t code_gas(const wasm::GasSchedule& gas, uint64_t bytes) {
  if (gas.deploy_per_byte != 0 && bytes > (UINT64_MAX - gas.deploy_base) / gas.deploy_per_byte) return UINT64_MAX;
  return gas.deploy_base + gas.deploy_per_byte * bytes;
}

std::span<const uint8_t> bytes_of(std::string_view s) {
  return {reinterpret_cast<const uint8_t*>(s.data()), s.size()};
}

/// True when the module exports a function a call can run: of type () -> ()
/// and not one of the reserved names `_initialize` and `_start`.
bool has_method(const wasm::Module& module) {
  for (const wasm::Export& e : module.exports) {
    if (e.kind != wasm::ExternKind::Func || e.name == "_initialize" || e.name == "_start") continue;
    if (e.index >= module.num_funcs()) continue;
    const wasm::FuncType& t = module.func_type(e.index);
    if (t.params.empty() && t.results.empty()) return true;
  }
  return false;
}

}  // namespace

bool is_gzip(std::span<const uint8_t> data) { return data.size() >= 2 && data[0] == 0x1f && data[1] == 0x8b; }

Result<std::string> gunzip(std::span<const uint8_t> data, uint64_t max_bytes) {
  z_stream z{};
  // 16 + MAX_WBITS: a gzip wrapper only (no raw deflate, no zlib header).
  if (inflateInit2(&z, 16 + MAX_WBITS) != Z_OK) return make_error("gzip: cannot initialise the decompressor");
  std::string out;
  unsigned char buf[65536];
  const uint8_t* next = data.data();
  size_t left = data.size();
  int rc = Z_OK;
  while (rc != Z_STREAM_END) {
    if (z.avail_in == 0 && left > 0) {
      const size_t chunk = std::min<size_t>(left, 1u << 30);
      z.next_in = const_cast<Bytef*>(next);
      z.avail_in = static_cast<uInt>(chunk);
      next += chunk;
      left -= chunk;
    }
    z.next_out = buf;
    z.avail_out = sizeof buf;
    rc = inflate(&z, Z_NO_FLUSH);
    if (rc != Z_OK && rc != Z_STREAM_END) {
      std::string why = rc == Z_BUF_ERROR ? "truncated data" : (z.msg ? z.msg : "corrupt data");
      inflateEnd(&z);
      return make_error("gzip: " + why);
    }
    const size_t produced = sizeof buf - z.avail_out;
    if (out.size() + produced > max_bytes) {
      inflateEnd(&z);
      return make_error("gzip: decompressed module exceeds max_module_bytes (" + std::to_string(max_bytes) + ")");
    }
    out.append(reinterpret_cast<const char*>(buf), produced);
    if (rc == Z_OK && produced == 0 && z.avail_in == 0 && left == 0) {
      inflateEnd(&z);
      return make_error("gzip: truncated data");
    }
  }
  const bool trailing = z.avail_in > 0 || left > 0;
  inflateEnd(&z);
  if (trailing) return make_error("gzip: data after the end of the compressed module");
  return out;
}

namespace detail {

Result<bool> retain_code(state::Overlay& overlay, const Hash& code_hash, std::string_view code) {
  auto refs = state::get_code_refs(overlay, code_hash);
  if (!refs) return refs.error();
  auto is_new = state::put_code(overlay, code_hash, code);
  if (!is_new) return is_new.error();
  state::put_code_refs(overlay, code_hash, refs.value() + 1);
  return is_new.value();
}

Result<void> release_code(state::Overlay& overlay, const Hash& code_hash) {
  auto refs = state::get_code_refs(overlay, code_hash);
  if (!refs) return refs.error();
  if (refs.value() <= 1) {
    state::put_code_refs(overlay, code_hash, 0);
    overlay.del(state::code_key(code_hash));
  } else {
    state::put_code_refs(overlay, code_hash, refs.value() - 1);
  }
  return {};
}

Result<void> create_default_object(state::Overlay& overlay, const Address& contract) {
  auto id = state::create_default_object(overlay, contract);
  if (!id) return id.error();
  return {};
}

namespace {

/// The ids of every object of the contract (from the owner index "i/<contract>/").
Result<std::vector<state::ObjectId>> objects_of(state::Overlay& overlay, const Address& contract) {
  std::vector<state::ObjectId> ids;
  const std::string prefix = "i/" + state::as_string(contract) + "/";
  auto r = overlay.scan_prefix(prefix, [&](std::string_view k, std::string_view) {
    state::ObjectId id{};
    if (k.size() == prefix.size() + 21 + id.size()) {
      std::copy(k.end() - id.size(), k.end(), id.begin());
      ids.push_back(id);
    }
    return true;
  });
  if (!r) return r.error();
  return ids;
}

Result<std::vector<std::string>> storage_keys_of(state::Overlay& overlay, const Address& contract) {
  std::vector<std::string> keys;
  auto r = overlay.scan_prefix(state::storage_prefix(contract), [&](std::string_view k, std::string_view) {
    keys.emplace_back(k);
    return true;
  });
  if (!r) return r.error();
  return keys;
}

}  // namespace

Result<uint64_t> count_contract_state(state::Overlay& overlay, const Address& contract) {
  auto keys = storage_keys_of(overlay, contract);
  if (!keys) return keys.error();
  auto ids = objects_of(overlay, contract);
  if (!ids) return ids.error();
  return static_cast<uint64_t>(keys.value().size() + ids.value().size());
}

Result<uint64_t> remove_contract_state(state::Overlay& overlay, const Address& contract) {
  auto keys = storage_keys_of(overlay, contract);
  if (!keys) return keys.error();
  for (const auto& k : keys.value()) overlay.del(k);
  auto ids = objects_of(overlay, contract);
  if (!ids) return ids.error();
  for (const auto& id : ids.value()) {
    auto record = state::get_object(overlay, id);
    if (!record) return record.error();
    if (!record.value()) continue;
    if (auto del = state::delete_object(overlay, id, *record.value()); !del) return del.error();
  }
  overlay.del(state::object_counter_key(contract));
  return static_cast<uint64_t>(keys.value().size() + ids.value().size());
}

}  // namespace detail

std::string Executor::prepare_code(std::string_view module_bytes, const Hash& code_hash, wasm::FloatPolicy floats,
                                   const wasm::GasSchedule& gas,
                                   std::shared_ptr<runtime::CompiledModule>* compiled_out) {
  auto module = wasm::load_module(bytes_of(module_bytes), m_limits);
  if (!module) return module.error().message;
  if (auto limits = wasm::check_resource_limits(*module.value(), m_limits); !limits) {
    return "rejected by resource limits: " + limits.error().message;
  }
  auto policy = wasm::check_policy(*module.value(), host::host_import_specs(), floats);
  if (!policy) return "rejected by deploy policy: " + policy.error().message;
  if (!has_method(*module.value())) return "module exports no method (a method is an exported function () -> ())";
  std::shared_ptr<runtime::CompiledModule> cm = m_cache->find(code_hash, gas.revision);
  if (!cm) {
    runtime::CompileOptions options;
    options.gas_revision = gas.revision;
    auto compiled = m_backend.compile(module.value(), m_limits, options);
    if (!compiled) return compiled.error().message;
    cm = compiled.value();
    m_cache->put(code_hash, gas.revision, cm, module_bytes.size());
  }
  if (compiled_out) *compiled_out = std::move(cm);
  return {};
}

Result<std::string> Executor::run_start(state::Overlay& overlay, const BlockContext& block, const Hash& seed,
                                        const Address& contract, const Address& sender,
                                        runtime::CompiledModule& cm, uint64_t gas, uint64_t& gas_used,
                                        std::vector<std::string>& debug) {
  gas_used = 0;
  auto imports = host::resolve_imports(cm.module());
  if (!imports) return "cannot instantiate: " + imports.error().message;

  host::CallEnv env;
  env.input = "{}";
  env.sender = sender;
  env.self = contract;
  env.block_height = block.height;
  env.block_time = detail::block_seconds(block);
  env.tx_hash = seed;
  env.state = &overlay;
  env.debug_sink = m_debug_sink;
  env.origin = sender;
  env.write_base = overlay.held_bytes();
  env.gas = &gas_schedule_at(block.height);

  runtime::ExecContext ctx;
  ctx.gas_left = gas;
  ctx.limits = &m_limits;
  ctx.host_env = &env;

  const state::SnapshotId snap = overlay.snapshot();
  state::AccessLog* old_log = overlay.set_access_log(nullptr);
  runtime::TrapKind trap = runtime::TrapKind::None;
  std::string failure;
  std::string trap_where;  // the backend's message: "data segment 0: ...", "start function: ..."
  {
    runtime::Watchdog::Scope watchdog(m_watchdog, ctx, m_limits.timeout_ms);
    try {
      // Allocates the memories and tables, applies the segments, runs the
      // start function; the instance is dropped right away.
      auto inst = cm.instantiate(imports.value(), ctx);
      using S = runtime::InstantiateResult::Status;
      if (inst.status == S::Unlinkable || inst.status == S::Failed) {
        failure = "cannot instantiate: " + inst.message;
      } else if (inst.status == S::Trapped) {
        trap = inst.trap;
        trap_where = inst.message;
      }
    } catch (const std::bad_alloc&) {
      env.out_of_memory = true;
    }
  }
  // Whatever the start function wrote is undone: it runs again at every call.
  overlay.revert_to(snap);
  overlay.set_access_log(old_log);
  gas_used = gas - ctx.gas_left;
  env.debug_flush();
  for (auto& line : env.debug_lines) debug.push_back(std::move(line));
  if (env.out_of_memory) return std::string(detail::kOutOfMemory);
  if (!failure.empty()) return failure;
  if (trap == runtime::TrapKind::None) return std::string();
  if (trap_where.rfind("data segment", 0) == 0 || trap_where.rfind("element segment", 0) == 0) {
    return "instantiation trapped: " + trap_where;
  }
  CallReceipt r;
  detail::classify(r, trap, ctx, gas);
  gas_used = r.gas_used;
  if (const std::string_view f = detail::storage_failure(r.error); !f.empty()) return make_error(std::string(f));
  if (r.ok()) {  // proc_exit(0) in the start function: every call would end before its method ran
    return std::string("start function trapped: exit code 0");
  }
  std::string why = r.error;
  constexpr std::string_view kTrapped = "trapped: ";
  if (why.rfind(kTrapped, 0) == 0) why.erase(0, kTrapped.size());
  return "start function trapped: " + why;
}

namespace {

/// Decompresses gzip input (bounded by max_module_bytes) into `out`; fills
/// d.compressed and d.code_hash. An error message or empty.
std::string unpack(std::span<const uint8_t> code, const runtime::Limits& limits, DeployReceipt& d, std::string& out) {
  d.compressed = is_gzip(code);
  if (d.compressed) {
    if (code.size() > limits.max_module_bytes) {
      return "compressed module of " + std::to_string(code.size()) + " bytes exceeds max_module_bytes (" +
             std::to_string(limits.max_module_bytes) + ")";
    }
    auto raw = gunzip(code, limits.max_module_bytes);
    if (!raw) return raw.error().message;
    out = std::move(raw.value());
  } else {
    out = state::as_string(code);
  }
  d.code_hash = state::sha256(out);
  return {};
}

}  // namespace

Result<DeployReceipt> Executor::deploy(std::span<const uint8_t> code, const Address& deployer,
                                       std::optional<std::string_view> init_method, std::string_view init_args_json,
                                       uint64_t gas_limit, wasm::FloatPolicy floats) {
  DeployOptions o;
  o.init_method = init_method;
  o.init_args_json = init_args_json;
  o.gas_limit = gas_limit;
  o.floats = floats;
  return deploy(code, deployer, o);
}

Result<DeployReceipt> Executor::deploy(std::span<const uint8_t> code, const Address& deployer,
                                       const DeployOptions& o) {
  state::Overlay overlay(m_store);
  auto height = state::get_height(overlay);
  if (!height) return height.error();
  auto d = deploy_in(overlay, local_block(height.value()), std::nullopt, code, deployer, o, std::nullopt);
  if (!d || !d.value().ok()) return d;
  state::put_height(overlay, height.value() + 1);
  if (auto c = overlay.commit(); !c) return c.error();
  return d;
}

Result<DeployReceipt> Executor::deploy_in(state::Overlay& overlay, const BlockContext& block,
                                          const std::optional<Hash>& tx_hash, std::span<const uint8_t> code,
                                          const Address& deployer, const DeployOptions& o,
                                          std::optional<uint64_t> address_nonce) {
  DeployReceipt d;
  d.height = block.height;
  auto fail = [&](std::string error) -> Result<DeployReceipt> {
    d.status = Status::Failed;
    d.error = std::move(error);
    return d;
  };
  uint64_t gas_limit = o.gas_limit;
  std::string_view init_args_json = o.init_args_json;
  if (std::string err = check_request(gas_limit, init_args_json); !err.empty()) return fail(err);
  if (o.init_method) {
    if (std::string err = detail::check_method_name(*o.init_method); !err.empty()) return fail("init " + err);
  }
  std::string module_bytes;
  if (std::string err = unpack(code, m_limits, d, module_bytes); !err.empty()) return fail(err);

  uint64_t nonce = 0;
  if (address_nonce) {
    nonce = *address_nonce;
  } else {
    auto stored = state::get_nonce(overlay, deployer);
    if (!stored) return stored.error();
    nonce = stored.value();
  }
  d.address = contract_address(deployer, nonce);

  // Deploy cost first: a module too large for the gas limit is not even decoded.
  const wasm::GasSchedule& gas = gas_schedule_at(block.height);
  const uint64_t deploy_gas = code_gas(gas, module_bytes.size());
  if (deploy_gas > gas_limit) {
    d.status = Status::Trapped;
    d.error = "out of gas";
    d.gas_used = gas_limit;
    return d;
  }
  d.gas_used = deploy_gas;
  std::shared_ptr<runtime::CompiledModule> cm;
  if (std::string err = prepare_code(module_bytes, d.code_hash, o.floats, gas, &cm); !err.empty()) return fail(err);

  auto existing = state::get_contract(overlay, d.address);
  if (!existing) return existing.error();
  if (existing.value()) {
    if (existing.value()->destroyed) {
      return fail("address " + format_address(d.address) + " belonged to a destroyed contract and cannot be reused");
    }
    return fail("address " + format_address(d.address) + " is already in use");
  }
  auto is_new = detail::retain_code(overlay, d.code_hash, module_bytes);
  if (!is_new) return is_new.error();
  d.code_was_new = is_new.value();
  if (!address_nonce) state::put_nonce(overlay, deployer, nonce + 1);
  state::ContractRecord record;
  record.code_hash = d.code_hash;
  record.deployer = deployer;
  record.created_at = d.height;
  record.created_time = detail::block_seconds(block);
  if (!o.immutable) record.admin = deployer;
  state::put_contract(overlay, d.address, record);
  if (auto obj = detail::create_default_object(overlay, d.address); !obj) return obj.error();

  Hash seed_hash;
  if (tx_hash) {
    seed_hash = *tx_hash;
  } else {
    std::string seed = "ward-deploy" + state::encode_u64(d.height) + state::as_string(deployer) +
                       state::encode_u64(nonce) + state::as_string(d.code_hash);
    seed_hash = state::sha256(seed);
  }
  Session s{overlay, deployer, d.height, detail::block_seconds(block), seed_hash, {}, {}, {}};
  // The module must instantiate: a start function that traps (or a segment
  // that does not fit) would fail every call, so the deploy fails instead.
  uint64_t start_gas = 0;
  auto started = run_start(overlay, block, seed_hash, d.address, deployer, *cm, gas_limit - d.gas_used, start_gas,
                           s.debug);
  if (!started) return started.error();
  d.gas_used += start_gas;
  if (!started.value().empty()) {
    d.debug = std::move(s.debug);
    d.status = started.value().rfind("cannot instantiate: ", 0) == 0 ? Status::Failed : Status::Trapped;
    d.error = std::move(started.value());
    return d;
  }

  if (o.init_method) {
    CallReceipt r = run(s, d.address, record, *o.init_method, std::string(init_args_json), deployer, 0,
                        gas_limit - d.gas_used, d.trace);
    d.gas_used += r.gas_used;
    d.debug = std::move(s.debug);
    if (!r.ok()) {
      d.status = r.status;
      d.error = "init method '" + std::string(*o.init_method) + "': " + r.error;
      return d;
    }
    d.result = std::move(r.result);
    d.events = std::move(s.events);
  } else {
    d.debug = std::move(s.debug);
  }
  d.status = Status::Ok;
  return d;
}

Result<DeployReceipt> Executor::upgrade(const Address& contract, std::span<const uint8_t> code, const Address& sender,
                                        std::optional<std::string_view> migrate, std::string_view migrate_args_json,
                                        uint64_t gas_limit, wasm::FloatPolicy floats) {
  state::Overlay overlay(m_store);
  auto height = state::get_height(overlay);
  if (!height) return height.error();
  auto d = upgrade_in(overlay, local_block(height.value()), std::nullopt, contract, code, sender, migrate,
                      migrate_args_json, gas_limit, floats);
  if (!d || !d.value().ok()) return d;
  state::put_height(overlay, height.value() + 1);
  if (auto c = overlay.commit(); !c) return c.error();
  return d;
}

Result<DeployReceipt> Executor::upgrade_in(state::Overlay& overlay, const BlockContext& block,
                                           const std::optional<Hash>& tx_hash, const Address& contract,
                                           std::span<const uint8_t> code, const Address& sender,
                                           std::optional<std::string_view> migrate,
                                           std::string_view migrate_args_json, uint64_t gas_limit,
                                           wasm::FloatPolicy floats) {
  DeployReceipt d;
  d.address = contract;
  auto fail = [&](std::string error) -> Result<DeployReceipt> {
    d.status = Status::Failed;
    d.error = std::move(error);
    return d;
  };
  if (std::string err = check_request(gas_limit, migrate_args_json); !err.empty()) return fail(err);
  if (migrate) {
    if (std::string err = detail::check_method_name(*migrate); !err.empty()) return fail("migrate " + err);
  }
  d.height = block.height;
  auto found = state::get_contract(overlay, contract);
  if (!found) return found.error();
  if (!found.value()) return fail("unknown contract " + format_address(contract));
  state::ContractRecord record = *found.value();
  if (record.destroyed) return fail("contract destroyed: " + format_address(contract));
  if (!record.admin) return fail("contract " + format_address(contract) + " is immutable");
  if (*record.admin != sender) {
    return fail("only the admin " + format_address(*record.admin) + " may upgrade contract " + format_address(contract));
  }

  std::string module_bytes;
  if (std::string err = unpack(code, m_limits, d, module_bytes); !err.empty()) return fail(err);
  const wasm::GasSchedule& gas = gas_schedule_at(block.height);
  const uint64_t upgrade_gas = code_gas(gas, module_bytes.size());
  if (upgrade_gas > gas_limit) {
    d.status = Status::Trapped;
    d.error = "out of gas";
    d.gas_used = gas_limit;
    return d;
  }
  d.gas_used = upgrade_gas;
  std::shared_ptr<runtime::CompiledModule> cm;
  if (std::string err = prepare_code(module_bytes, d.code_hash, floats, gas, &cm); !err.empty()) return fail(err);

  if (d.code_hash != record.code_hash) {
    auto is_new = detail::retain_code(overlay, d.code_hash, module_bytes);
    if (!is_new) return is_new.error();
    d.code_was_new = is_new.value();
    if (auto rel = detail::release_code(overlay, record.code_hash); !rel) return rel.error();
    record.code_hash = d.code_hash;
    state::put_contract(overlay, contract, record);
  }

  Hash seed_hash;
  if (tx_hash) {
    seed_hash = *tx_hash;
  } else {
    std::string seed = "ward-upgrade" + state::encode_u64(d.height) + state::as_string(sender) +
                       state::as_string(contract) + state::as_string(d.code_hash);
    seed_hash = state::sha256(seed);
  }
  Session s{overlay, sender, d.height, detail::block_seconds(block), seed_hash, {}, {}, {}};
  // As at deploy: the new module must instantiate.
  uint64_t start_gas = 0;
  auto started =
      run_start(overlay, block, seed_hash, contract, sender, *cm, gas_limit - d.gas_used, start_gas, s.debug);
  if (!started) return started.error();
  d.gas_used += start_gas;
  if (!started.value().empty()) {
    d.debug = std::move(s.debug);
    d.status = started.value().rfind("cannot instantiate: ", 0) == 0 ? Status::Failed : Status::Trapped;
    d.error = std::move(started.value());
    return d;
  }

  if (migrate) {
    CallReceipt r = run(s, contract, record, *migrate, std::string(migrate_args_json), sender, 0,
                        gas_limit - d.gas_used, d.trace);
    d.gas_used += r.gas_used;
    d.debug = std::move(s.debug);
    if (!r.ok()) {
      d.status = r.status;
      d.error = "migrate method '" + std::string(*migrate) + "': " + r.error;
      return d;
    }
    d.result = std::move(r.result);
    d.events = std::move(s.events);
  } else {
    d.debug = std::move(s.debug);
  }
  d.status = Status::Ok;
  return d;
}

CallReceipt Executor::destroy(const Address& contract, const Address& beneficiary, const Address& sender,
                              uint64_t gas_limit) {
  state::Overlay overlay(m_store);
  auto height = state::get_height(overlay);
  if (!height) return detail::failed("storage error: " + height.error().message);
  CallReceipt r = destroy_in(overlay, local_block(height.value()), contract, beneficiary, sender, gas_limit);
  if (!r.ok()) return r;
  state::put_height(overlay, height.value() + 1);
  if (auto c = overlay.commit(); !c) {
    r.status = Status::Failed;
    r.error = "storage error: " + c.error().message;
    r.result.clear();
    r.trace.status = r.status;
    r.trace.error = r.error;
  }
  return r;
}

CallReceipt Executor::destroy_in(state::Overlay& overlay, const BlockContext& block, const Address& contract,
                                 const Address& beneficiary, const Address& sender, uint64_t gas_limit) {
  std::string_view no_args;
  if (std::string err = check_request(gas_limit, no_args); !err.empty()) return detail::failed(err);
  CallReceipt r;
  r.height = block.height;
  r.trace.contract = contract;
  r.trace.gas_limit = gas_limit;
  auto finish = [&](Status status, std::string error) {
    r.status = status;
    r.error = std::move(error);
    r.trace.status = r.status;
    r.trace.error = r.error;
    r.trace.gas_used = r.gas_used;
    return r;
  };
  auto storage = [&](const Error& e) { return finish(Status::Failed, "storage error: " + e.message); };

  auto found = state::get_contract(overlay, contract);
  if (!found) return storage(found.error());
  if (!found.value()) return finish(Status::Failed, "unknown contract " + format_address(contract));
  state::ContractRecord record = *found.value();
  if (record.destroyed) return finish(Status::Failed, "contract destroyed: " + format_address(contract));
  if (!record.admin) return finish(Status::Failed, "contract " + format_address(contract) + " is immutable");
  if (*record.admin != sender) {
    return finish(Status::Failed, "only the admin " + format_address(*record.admin) + " may destroy contract " +
                                      format_address(contract));
  }
  if (beneficiary == contract) return finish(Status::Failed, "the beneficiary cannot be the contract itself");

  overlay.set_access_log(&r.access);
  auto keys = detail::count_contract_state(overlay, contract);
  if (!keys) return storage(keys.error());
  const wasm::GasSchedule& sched = gas_schedule_at(block.height);
  const uint64_t gas = sched.destroy_base + sched.destroy_per_key * keys.value();
  if (gas > gas_limit) {
    r.gas_used = gas_limit;
    overlay.set_access_log(nullptr);
    return finish(Status::Trapped, "out of gas");
  }
  r.gas_used = gas;
  auto removed = detail::remove_contract_state(overlay, contract);
  if (!removed) return storage(removed.error());
  auto amount = detail::balance_of(overlay, contract);
  if (!amount) return storage(amount.error());
  auto moved = detail::move_value(overlay, contract, beneficiary, amount.value());
  if (!moved) return storage(moved.error());
  if (!moved.value().empty()) return finish(Status::Failed, moved.value());
  if (auto rel = detail::release_code(overlay, record.code_hash); !rel) return storage(rel.error());
  record.destroyed = true;
  state::put_contract(overlay, contract, record);
  overlay.set_access_log(nullptr);
  r.result = nlohmann::json{{"beneficiary", format_address(beneficiary)},
                            {"balance_moved", amount.value()},
                            {"keys_removed", removed.value()}}
                 .dump();
  return finish(Status::Ok, {});
}

}  // namespace ward::chain
