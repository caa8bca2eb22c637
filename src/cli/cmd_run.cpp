// `ward run FILE.wasm METHOD [ARGS_JSON]`: runs on a throw-away state.
// A contract method (an export of type () -> ()) runs through the executor
// exactly as a deployed contract would; any other export runs as a plain
// function with wasm arguments from a JSON array; `_start` runs a WASI command.
#include <cmath>
#include <cstdio>
#include <limits>
#include <optional>
#include <stdexcept>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "chain/executor.h"
#include "cli/commands.h"
#include "cli/output.h"
#include "host/host.h"
#include "state/kv_store.h"
#include "state/overlay.h"

namespace ward::cli {
namespace {

using nlohmann::json;
using runtime::Value;
using wasm::ValType;

void print_debug_line(std::string_view line) {
  std::fprintf(stderr, "%.*s\n", static_cast<int>(line.size()), line.data());
}

/// Parses a JSON string holding a decimal integer: an optional '-' then
/// digits only (no '+', spaces, hex or octal; leading zeros are decimal).
/// Gives the two's-complement bits when it lies from -neg_max to pos_max.
std::optional<uint64_t> decimal_integer(const std::string& s, uint64_t neg_max, uint64_t pos_max) {
  const bool neg = !s.empty() && s[0] == '-';
  const std::string digits = s.substr(neg ? 1 : 0);
  if (digits.empty() || digits.find_first_not_of("0123456789") != std::string::npos) return std::nullopt;
  uint64_t v = 0;
  for (char c : digits) {
    const uint64_t d = static_cast<uint64_t>(c - '0');
    if (v > (UINT64_MAX - d) / 10) return std::nullopt;
    v = v * 10 + d;
  }
  if (neg) return v <= neg_max ? std::optional<uint64_t>(0 - v) : std::nullopt;
  return v <= pos_max ? std::optional<uint64_t>(v) : std::nullopt;
}

/// Converts argument number `pos` (1-based) to a wasm value of type t;
/// throws naming the argument, the type and the accepted range.
Value to_value(const json& j, ValType t, size_t pos) {
  const bool wide = t == ValType::I64;
  const uint64_t neg_max = wide ? (uint64_t{1} << 63) : (uint64_t{1} << 31);
  const uint64_t pos_max = wide ? UINT64_MAX : UINT32_MAX;
  auto bad = [&]() {
    std::string range;
    switch (t) {
      case ValType::I32:
      case ValType::I64:
        range = fmt::format("an integer from -{} to {} (JSON number or decimal string)", neg_max, pos_max);
        break;
      case ValType::F32:
        range = "a number from -3.4028234663852886e38 to 3.4028234663852886e38, or \"nan\", \"inf\", \"-inf\"";
        break;
      default:
        range = "a number, or \"nan\", \"inf\", \"-inf\"";
        break;
    }
    return std::runtime_error(
        fmt::format("argument {} ({}) must be {} for its type {}", pos, j.dump(), range, wasm::to_string(t)));
  };
  auto integer = [&]() -> uint64_t {
    if (j.is_number_unsigned()) {
      const uint64_t v = j.get<uint64_t>();
      if (v > pos_max) throw bad();
      return v;
    }
    if (j.is_number_integer()) {
      const int64_t v = j.get<int64_t>();
      if (v < 0 && static_cast<uint64_t>(-(v + 1)) + 1 > neg_max) throw bad();
      if (v > 0 && static_cast<uint64_t>(v) > pos_max) throw bad();
      return static_cast<uint64_t>(v);
    }
    if (j.is_string()) {
      if (auto v = decimal_integer(j.get<std::string>(), neg_max, pos_max)) return *v;
    }
    throw bad();
  };
  auto real = [&](double max) -> double {
    if (j.is_number()) {
      const double v = j.get<double>();
      if (!(std::fabs(v) <= max)) throw bad();  // beyond the type: not silently infinity
      return v;
    }
    if (j.is_string()) {
      const std::string s = j.get<std::string>();
      if (s == "nan") return std::numeric_limits<double>::quiet_NaN();
      if (s == "inf") return std::numeric_limits<double>::infinity();
      if (s == "-inf") return -std::numeric_limits<double>::infinity();
    }
    throw bad();
  };
  switch (t) {
    case ValType::I32: return Value::i32(static_cast<uint32_t>(integer()));
    case ValType::I64: return Value::i64(integer());
    case ValType::F32: return Value::f32(static_cast<float>(real(std::numeric_limits<float>::max())));
    case ValType::F64: return Value::f64(real(std::numeric_limits<double>::max()));
    default:
      if (j.is_null()) return Value{};
      throw std::runtime_error(fmt::format("argument {}: only null can be passed as a {}", pos, wasm::to_string(t)));
  }
}

json float_json(double v) {
  if (std::isnan(v)) return "nan";
  if (std::isinf(v)) return v > 0 ? "inf" : "-inf";
  return v;
}

json to_json(Value v, ValType t) {
  switch (t) {
    case ValType::I32: return static_cast<int32_t>(v.as_i32());
    case ValType::I64: return static_cast<int64_t>(v.as_i64());
    case ValType::F32: return float_json(v.as_f32());
    case ValType::F64: return float_json(v.as_f64());
    default: return v.is_null_ref() ? json(nullptr) : json("ref");
  }
}

Outcome fail(std::string status, std::string error) {
  Outcome o;
  o.status = std::move(status);
  o.error = std::move(error);
  return o;
}

/// Runs a plain export (or _start) of a module directly on the backend.
Outcome run_plain(std::shared_ptr<const wasm::Module> module, const wasm::Export& ex, const RunOptions& o,
                  const runtime::Limits& limits) {
  const wasm::FuncType& type = module->func_type(ex.index);
  json args = json::array();
  if (!o.args.empty()) {
    args = json::parse(o.args, nullptr, false);
    if (args.is_discarded()) throw std::runtime_error("ARGS_JSON is not valid JSON: " + o.args);
    if (!args.is_array()) throw std::runtime_error("ARGS_JSON of a plain export must be a JSON array of its " +
                                                   std::to_string(type.params.size()) + " wasm arguments");
  }
  if (args.size() != type.params.size())
    throw std::runtime_error(fmt::format("export '{}' has type {}: expected {} arguments, got {}", ex.name,
                                         wasm::to_string(type), type.params.size(), args.size()));
  std::vector<Value> in;
  for (size_t i = 0; i < args.size(); ++i) in.push_back(to_value(args[i], type.params[i], i + 1));

  if (o.float_policy == "deny") {
    auto policy = wasm::check_policy(*module, host::host_import_specs(), wasm::FloatPolicy::Deny);
    if (!policy) return fail("failed", "rejected by deploy policy: " + policy.error().message);
  }
  auto imports = host::resolve_imports(*module);
  if (!imports) return fail("failed", imports.error().message);
  auto backend = make_cli_backend(o.backend);
  auto compiled = backend->compile(module, limits, {});
  if (!compiled) return fail("failed", compiled.error().message);

  state::MemoryStore store;
  state::Overlay overlay(store);
  host::CallEnv env;
  env.sender = parse_address_arg(o.from, "--from");
  env.block_time = chain::kGenesisTime;
  env.state = &overlay;
  env.debug_sink = print_debug_line;
  env.method = ex.name;

  const uint64_t gas_limit = o.gas.value_or(limits.default_gas);
  runtime::ExecContext ctx;
  ctx.gas_left = gas_limit;
  ctx.limits = &limits;
  ctx.host_env = &env;

  Outcome out;
  auto finish = [&](runtime::TrapKind trap) {
    env.debug_flush();
    out.gas_used = trap == runtime::TrapKind::OutOfGas ? gas_limit : gas_limit - ctx.gas_left;
    switch (trap) {
      case runtime::TrapKind::None: out.status = "ok"; break;
      case runtime::TrapKind::Exit: out.status = "ok"; out.exit_code = ctx.exit_code; break;
      case runtime::TrapKind::Revert: out.status = "reverted"; out.error = "reverted: " + ctx.message; break;
      case runtime::TrapKind::Host: out.status = "trapped"; out.error = "host error: " + ctx.message; break;
      case runtime::TrapKind::OutOfGas: out.status = "trapped"; out.error = "out of gas"; break;
      default: out.status = "trapped"; out.error = std::string("trapped: ") + runtime::trap_message(trap); break;
    }
    return out;
  };

  auto inst = compiled.value()->instantiate(imports.value(), ctx);
  if (inst.status == runtime::InstantiateResult::Status::Trapped) return finish(inst.trap);
  if (inst.status != runtime::InstantiateResult::Status::Ok) return fail("failed", inst.message);
  runtime::FuncInst* f = inst.instance->function(ex.index);
  std::vector<Value> results(type.results.size());
  const runtime::TrapKind trap = inst.instance->invoke(*f, in, results, ctx);
  finish(trap);
  if (trap == runtime::TrapKind::None) {
    if (type.results.size() == 1) {
      out.result = to_json(results[0], type.results[0]);
    } else if (!type.results.empty()) {
      out.result = json::array();
      for (size_t i = 0; i < results.size(); ++i) out.result.push_back(to_json(results[i], type.results[i]));
    }
  }
  return out;
}

}  // namespace

int cmd_run(const GlobalOptions& g, const RunOptions& o) {
  const chain::Address from = parse_address_arg(o.from, "--from");
  const std::string code = read_file(o.file);
  const std::span<const uint8_t> bytes{reinterpret_cast<const uint8_t*>(code.data()), code.size()};
  runtime::Limits limits;
  if (o.gas && *o.gas > limits.max_gas)
    throw std::runtime_error(fmt::format("--gas {} exceeds max_gas ({})", *o.gas, limits.max_gas));
  auto loaded = wasm::load_module(bytes, limits);
  if (!loaded) return print_outcome(fail("failed", loaded.error().message), g.json);
  std::shared_ptr<const wasm::Module> module = loaded.value();
  const wasm::Export* ex = module->find_export(o.method, wasm::ExternKind::Func);
  if (!ex) return print_outcome(fail("failed", "the module exports no function '" + o.method + "'"), g.json);
  const wasm::FuncType& type = module->func_type(ex->index);

  const bool contract_method = o.method != "_start" && type.params.empty() && type.results.empty();
  if (!contract_method) return print_outcome(run_plain(module, *ex, o, limits), g.json);

  // A contract method: deploy into a throw-away state, then call it.
  state::MemoryStore store;
  auto backend = make_cli_backend(o.backend);
  chain::Executor executor(store, *backend, limits);
  executor.set_debug_sink(print_debug_line);
  auto deployed = executor.deploy(bytes, from, std::nullopt, "", 0,
                                  o.float_policy == "deny" ? wasm::FloatPolicy::Deny : wasm::FloatPolicy::Allow);
  if (!deployed) throw std::runtime_error(deployed.error().message);
  if (!deployed->ok()) return print_outcome(fail(chain::to_string(deployed->status), deployed->error), g.json);
  const chain::CallReceipt r = executor.call(deployed->address, o.method, o.args.empty() ? "{}" : o.args, from,
                                             o.gas.value_or(limits.default_gas));
  return print_outcome(outcome_of(r), g.json);
}

}  // namespace ward::cli
