// ward/chain/executor.cpp — Executor: calls (the outermost one and, through
// run(), every nested one), queries, and what they share. Deploy, upgrade
// and destroy are in lifecycle.cpp, balances in value.cpp, cross-contract
// calls in calls.cpp.
#include "chain/executor.h"

#include <new>
#include <optional>
#include <set>

#include <nlohmann/json.hpp>

#include "chain/internal.h"
#include "host/host.h"
#include "state/overlay.h"
#include "util/json_depth.h"
#include "util/utf8.h"
#include "wasm/policy.h"

namespace ward::chain {
namespace {

using runtime::TrapKind;

bool is_void_method(const wasm::FuncType& t) { return t.params.empty() && t.results.empty(); }

/// ", available: a, b" — the methods a caller may name (exports of type
/// () -> () but the reserved _initialize and _start), for "unknown method".
std::string available_methods(const wasm::Module& module) {
  constexpr size_t kMaxListed = 20;
  std::string list;
  size_t n = 0;
  for (const wasm::Export& e : module.exports) {
    if (e.kind != wasm::ExternKind::Func || e.name == "_initialize" || e.name == "_start") continue;
    if (!is_void_method(module.func_type(e.index))) continue;
    if (n++ < kMaxListed) list += (list.empty() ? "" : ", ") + e.name;
  }
  if (n == 0) return ", available: none";
  if (n > kMaxListed) list += ", ... (" + std::to_string(n - kMaxListed) + " more)";
  return ", available: " + list;
}

/// SAX handler of check_json_input: accepts any valid JSON and stops at the
/// first key that repeats within its object. The open objects' keys are kept
/// on a heap stack (no recursion); the parser itself is iterative.
struct DuplicateKeyFinder {
  using json = nlohmann::json;
  std::vector<std::set<std::string, std::less<>>> objects;
  std::optional<std::string> duplicate;
  bool null() { return true; }
  bool boolean(bool) { return true; }
  bool number_integer(json::number_integer_t) { return true; }
  bool number_unsigned(json::number_unsigned_t) { return true; }
  bool number_float(json::number_float_t, const json::string_t&) { return true; }
  bool string(json::string_t&) { return true; }
  bool binary(json::binary_t&) { return true; }
  bool start_object(std::size_t) {
    objects.emplace_back();
    return true;
  }
  bool key(json::string_t& k) {
    if (objects.empty()) return true;  // not reached: keys occur inside objects
    if (!objects.back().insert(k).second) {
      duplicate = k;
      return false;
    }
    return true;
  }
  bool end_object() {
    if (!objects.empty()) objects.pop_back();
    return true;
  }
  bool start_array(std::size_t) { return true; }
  bool end_array() { return true; }
  bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception&) { return false; }
};

/// A key for an error message: JSON-quoted, cut to 64 bytes (at a UTF-8
/// boundary: the key is valid UTF-8, the parser checked it).
std::string quoted_key(std::string_view key) {
  constexpr size_t kMax = 64;
  std::string k(key);
  bool cut = false;
  if (k.size() > kMax) {
    size_t n = kMax;
    while (n > 0 && (static_cast<unsigned char>(k[n]) & 0xC0) == 0x80) --n;
    k.resize(n);
    cut = true;
  }
  return nlohmann::json(k).dump() + (cut ? "..." : "");
}

/// Attaches a log to the overlay for the lifetime of the guard.
class AccessScope {
 public:
  AccessScope(state::Overlay& overlay, state::AccessLog* log) : m_overlay(overlay), m_old(overlay.set_access_log(log)) {}
  ~AccessScope() { m_overlay.set_access_log(m_old); }
  AccessScope(const AccessScope&) = delete;
  AccessScope& operator=(const AccessScope&) = delete;

 private:
  state::Overlay& m_overlay;
  state::AccessLog* m_old;
};

}  // namespace

namespace detail {

CallReceipt failed(std::string error) {
  CallReceipt r;
  r.status = Status::Failed;
  r.error = std::move(error);
  return r;
}

std::string check_json_input(std::string_view text, const runtime::Limits& limits) {
  if (json_depth(text) > limits.max_json_depth) {
    return "args nesting exceeds max_json_depth (" + std::to_string(limits.max_json_depth) + ")";
  }
  DuplicateKeyFinder finder;
  bool ok = false;
  try {
    ok = nlohmann::json::sax_parse(text.begin(), text.end(), &finder);
  } catch (const std::bad_alloc&) {
    throw;
  } catch (...) {
    ok = false;
  }
  if (finder.duplicate) return "invalid args: duplicate key " + quoted_key(*finder.duplicate);
  if (!ok) return "invalid args: not valid JSON";
  return {};
}

std::string check_method_name(std::string_view method) {
  if (valid_utf8(method)) return {};
  return "method name is not valid UTF-8";
}

void classify(CallReceipt& r, TrapKind trap, const runtime::ExecContext& ctx, uint64_t gas) {
  r.gas_used = gas - ctx.gas_left;  // a trap left none (runtime::settle_gas)
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

}  // namespace detail

const char* to_string(Status status) {
  switch (status) {
    case Status::Ok: return "ok";
    case Status::Reverted: return "reverted";
    case Status::Trapped: return "trapped";
    case Status::Failed: return "failed";
  }
  return "unknown";
}

Executor::Executor(state::KvStore& store, runtime::Backend& backend, runtime::Limits limits,
                   std::shared_ptr<ModuleCache> cache)
    : m_store(store), m_backend(backend), m_limits(limits),
      m_cache(cache ? std::move(cache) : std::make_shared<ModuleCache>()) {}

Result<std::vector<const wasm::GasSchedule*>> check_gas_schedule(const std::vector<GasScheduleStep>& steps) {
  if (steps.empty()) return make_error("gas schedule: no step (revision 1 from height 0 is the default)");
  std::vector<const wasm::GasSchedule*> by_step;
  for (size_t i = 0; i < steps.size(); ++i) {
    if (i == 0 && steps[i].from_height != 0) {
      return make_error("gas schedule: the first step must start at height 0, not " +
                        std::to_string(steps[i].from_height));
    }
    if (i > 0 && steps[i].from_height <= steps[i - 1].from_height) {
      return make_error("gas schedule: step " + std::to_string(i) + " (height " + std::to_string(steps[i].from_height) +
                        ") does not come after height " + std::to_string(steps[i - 1].from_height));
    }
    auto s = wasm::gas_schedule(steps[i].revision);
    if (!s) return make_error("gas schedule: step " + std::to_string(i) + ": " + s.error().message);
    by_step.push_back(s.value());
  }
  return by_step;
}

Result<void> Executor::set_gas_schedule(std::vector<GasScheduleStep> steps) {
  auto by_step = check_gas_schedule(steps);
  if (!by_step) return by_step.error();
  m_gas_steps = std::move(steps);
  m_gas_by_step = std::move(by_step.value());
  return {};
}

const wasm::GasSchedule& Executor::gas_schedule_at(uint64_t height) const {
  size_t i = m_gas_steps.size() - 1;
  while (i > 0 && m_gas_steps[i].from_height > height) --i;
  return *m_gas_by_step[i];
}

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
  return detail::check_json_input(args_json, m_limits);
}

Result<std::shared_ptr<runtime::CompiledModule>> Executor::compiled(state::Overlay& overlay, const Hash& code_hash,
                                                                    uint64_t height) {
  const wasm::GasSchedule& gas = gas_schedule_at(height);
  if (auto hit = m_cache->find(code_hash, gas.revision)) return hit;
  auto code = state::get_code(overlay, code_hash);
  if (!code) return make_error("storage error: " + code.error().message);
  if (!code.value()) return make_error("code " + format_hash(code_hash) + " is missing from the state");
  const std::string& bytes = *code.value();
  auto module = wasm::load_module(
      std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size()), m_limits);
  if (!module) return module.error();
  runtime::CompileOptions options;
  options.gas_revision = gas.revision;
  auto c = m_backend.compile(module.value(), m_limits, options);
  if (!c) return c.error();
  m_cache->put(code_hash, gas.revision, c.value(), bytes.size());
  return c.value();
}

CallReceipt Executor::run(Session& s, const Address& contract, const state::ContractRecord& record,
                          std::string_view method, std::string input, const Address& sender, uint64_t value,
                          uint64_t gas, CallTrace& trace) {
  trace.contract = contract;
  trace.method = std::string(method);
  trace.value = value;
  trace.gas_limit = gas;
  auto done = [&](CallReceipt r) {
    trace.gas_used = r.gas_used;
    trace.status = r.status;
    trace.error = r.error;
    r.height = s.height;
    return r;
  };
  if (std::string err = detail::check_method_name(method); !err.empty()) {
    trace.method = ascii_only(method);  // the trace enters the receipt: keep it UTF-8
    return done(detail::failed(std::move(err)));
  }
  if (record.destroyed) return done(detail::failed("contract destroyed: " + format_address(contract)));
  auto cm = compiled(s.overlay, record.code_hash, s.height);
  if (!cm) return done(detail::failed(cm.error().message));
  const wasm::Module& module = cm.value()->module();
  if (method == "_initialize" || method == "_start") {
    return done(detail::failed("method '" + std::string(method) + "' is reserved"));
  }
  const wasm::Export* exp = module.find_export(method, wasm::ExternKind::Func);
  if (exp == nullptr) {
    return done(detail::failed("unknown method '" + std::string(method) + "' of contract " + format_address(contract) +
                               available_methods(module)));
  }
  if (!is_void_method(module.func_type(exp->index))) {
    return done(detail::failed("method '" + std::string(method) + "' has type " +
                               wasm::to_string(module.func_type(exp->index)) +
                               "; a method takes no parameters and returns nothing"));
  }
  auto imports = host::resolve_imports(module);
  if (!imports) return done(detail::failed(imports.error().message));

  host::CallEnv env;
  env.input = std::move(input);
  env.method = std::string(method);
  env.sender = sender;
  env.self = contract;
  env.block_height = s.height;
  env.block_time = s.time;
  env.tx_hash = s.tx_hash;
  env.state = &s.overlay;
  env.debug_sink = m_debug_sink;
  env.origin = s.origin;
  env.value = value;
  env.write_base = s.write_base;
  env.gas = &gas_schedule_at(s.height);

  runtime::ExecContext ctx;
  ctx.gas_left = gas;
  ctx.limits = &m_limits;
  ctx.host_env = &env;

  Frame frame;
  frame.contract = contract;
  frame.env = &env;
  frame.ctx = &ctx;
  frame.trace = &trace;
  frame.events_mark = s.events.size();
  wire_calls(s, frame, env);

  const state::SnapshotId snap = s.overlay.snapshot();
  std::optional<AccessScope> access(std::in_place, s.overlay, &env.access);
  // Value first: the callee sees it credited (call_value). Undone with the call.
  if (value > 0) {
    auto moved = detail::move_value(s.overlay, sender, contract, value);
    if (!moved || !moved.value().empty()) {
      access.reset();
      s.overlay.revert_to(snap);
      CallReceipt f = detail::failed(moved ? moved.value() : "storage error: " + moved.error().message);
      f.access = std::move(env.access);
      return done(std::move(f));
    }
  }

  CallReceipt r;
  TrapKind trap = TrapKind::None;
  // The wall-clock safety net is armed once per request; nested calls share its flag.
  std::optional<runtime::Watchdog::Scope> watchdog;
  if (s.frames.empty()) {
    watchdog.emplace(m_watchdog, ctx, m_limits.timeout_ms);
  } else {
    ctx.interrupt = s.frames.front()->ctx->interrupt;
  }
  s.frames.push_back(&frame);
  // A std::bad_alloc (the host table catches those of host functions; this
  // catches the backend's own) ends the call as trapped: "out of memory".
  try {
    auto inst = cm.value()->instantiate(imports.value(), ctx);
    using S = runtime::InstantiateResult::Status;
    if (inst.status == S::Unlinkable || inst.status == S::Failed) {
      s.frames.pop_back();
      access.reset();
      s.overlay.revert_to(snap);
      CallReceipt f = detail::failed("cannot instantiate: " + inst.message);
      f.gas_used = gas - ctx.gas_left;
      f.access = std::move(env.access);
      return done(std::move(f));
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
  } catch (const std::bad_alloc&) {
    env.out_of_memory = true;
    trap = TrapKind::Host;
  }
  s.frames.pop_back();
  access.reset();
  if (env.out_of_memory) {
    // Free what the call holds first: the error text below must not fail.
    s.overlay.revert_to(snap);
    s.events.resize(frame.events_mark);
    env.events.clear();
    env.result.clear();
    r.status = Status::Trapped;
    r.error = std::string(detail::kOutOfMemory);
    r.gas_used = gas - ctx.gas_left;
    r.access = std::move(env.access);
    return done(std::move(r));
  }
  detail::classify(r, trap, ctx, gas);
  env.debug_flush();
  for (size_t i = frame.debug_flushed; i < env.debug_lines.size(); ++i) s.debug.push_back(std::move(env.debug_lines[i]));
  if (r.ok()) {
    if (env.has_result) r.result = std::move(env.result);
    for (size_t i = frame.events_flushed; i < env.events.size(); ++i) {
      s.events.push_back(ReceiptEvent{contract, std::move(env.events[i].name), std::move(env.events[i].data)});
    }
  } else {
    s.events.resize(frame.events_mark);
    s.overlay.revert_to(snap);
  }
  r.access = std::move(env.access);
  return done(std::move(r));
}

CallReceipt Executor::call(const Address& contract, std::string_view method, std::string_view args_json,
                           const Address& sender, uint64_t gas_limit, uint64_t value) {
  return call_impl(contract, method, args_json, sender, gas_limit, value, true);
}

CallReceipt Executor::query(const Address& contract, std::string_view method, std::string_view args_json,
                            const Address& sender, uint64_t gas_limit) {
  return call_impl(contract, method, args_json, sender, gas_limit, 0, false);
}

CallReceipt Executor::call_impl(const Address& contract, std::string_view method, std::string_view args_json,
                                const Address& sender, uint64_t gas_limit, uint64_t value, bool commit) {
  state::Overlay overlay(m_store);
  auto height = state::get_height(overlay);
  if (!height) return detail::failed("storage error: " + height.error().message);
  CallReceipt r = call_in(overlay, local_block(height.value()), std::nullopt, contract, method, args_json, sender,
                          gas_limit, value);
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

CallReceipt Executor::call_in(state::Overlay& overlay, const BlockContext& block, const std::optional<Hash>& tx_hash,
                              const Address& contract, std::string_view method, std::string_view args_json,
                              const Address& sender, uint64_t gas_limit, uint64_t value) {
  if (std::string err = check_request(gas_limit, args_json); !err.empty()) return detail::failed(err);
  if (std::string err = detail::check_method_name(method); !err.empty()) return detail::failed(err);
  auto record = state::get_contract(overlay, contract);
  if (!record) return detail::failed("storage error: " + record.error().message);
  if (!record.value()) return detail::failed("unknown contract " + format_address(contract));

  Hash seed_hash;
  if (tx_hash) {
    seed_hash = *tx_hash;
  } else {
    std::string seed = "ward-call" + state::encode_u64(block.height) + state::as_string(sender) +
                       state::as_string(contract) + std::string(method) + std::string(1, '\0') +
                       std::string(args_json);
    seed_hash = state::sha256(seed);
  }
  Session s{overlay, sender, block.height, detail::block_seconds(block), seed_hash, {}, {}, {}};
  CallTrace trace;
  CallReceipt r;
  try {
    r = run(s, contract, *record.value(), method, std::string(args_json), sender, value, gas_limit, trace);
  } catch (const std::bad_alloc&) {  // outside a running call (run() catches those inside)
    trace = CallTrace{};
    s.events.clear();
    s.debug.clear();
    r = CallReceipt{};
    r.status = Status::Trapped;
    r.error = std::string(detail::kOutOfMemory);
    r.gas_used = gas_limit;
  }
  r.trace = std::move(trace);
  r.debug = std::move(s.debug);
  if (r.ok()) r.events = std::move(s.events);
  return r;
}

BlockContext local_block(uint64_t height) {
  BlockContext b;
  b.height = height;
  b.time_ms = (kGenesisTime + static_cast<int64_t>(height) * kBlockSeconds) * 1000;
  return b;
}

}  // namespace ward::chain
