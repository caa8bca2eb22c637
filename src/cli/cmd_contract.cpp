// `ward deploy` and `ward call`: run against the local RocksDB state folder.
#include <cstdio>
#include <memory>
#include <stdexcept>

#include "chain/executor.h"
#include "cli/commands.h"
#include "cli/output.h"
#include "state/rocksdb_store.h"

namespace ward::cli {
namespace {

chain::Address address_or_dev(const std::string& text, const char* what) {
  if (text.empty()) return chain::kDevAddress;
  auto a = chain::parse_address(text);
  if (!a) throw std::runtime_error(std::string(what) + " '" + text + "' is not an address (0x followed by 40 hex digits)");
  return *a;
}

std::unique_ptr<state::RocksDbStore> open_state(const std::string& dir, state::OpenMode mode) {
  state::RocksDbOptions options;
  options.mode = mode;
  options.missing_hint = "create one with `ward deploy`, or check --state";
  auto store = state::RocksDbStore::open(dir, options);
  if (!store) throw std::runtime_error(store.error().message);
  return std::move(store.value());
}

void print_debug_line(std::string_view line) {
  std::fprintf(stderr, "%.*s\n", static_cast<int>(line.size()), line.data());
}

}  // namespace

int cmd_deploy(const GlobalOptions& g, const DeployOptions& o) {
  const chain::Address from = address_or_dev(o.from, "--from");
  const std::string code = read_file(o.file);
  auto store = open_state(o.state_dir, state::OpenMode::Create);
  auto backend = make_cli_backend(o.backend);
  chain::Executor executor(*store, *backend);
  executor.set_debug_sink(print_debug_line);
  open_genesis(executor);
  chain::DeployOptions options;
  if (!o.init.empty()) options.init_method = o.init;
  options.init_args_json = o.args;
  options.gas_limit = o.gas.value_or(0);
  options.floats = o.float_policy == "deny" ? wasm::FloatPolicy::Deny : wasm::FloatPolicy::Allow;
  options.immutable = o.immutable;
  auto receipt = executor.deploy({reinterpret_cast<const uint8_t*>(code.data()), code.size()}, from, options);
  if (!receipt) throw std::runtime_error(receipt.error().message);
  return print_deploy(receipt.value(), g.json);
}

int cmd_call(const GlobalOptions& g, const CallOptions& o) {
  const chain::Address from = address_or_dev(o.from, "--from");
  const chain::Address to = address_or_dev(o.address, "contract address");
  auto store = open_state(o.state_dir, state::OpenMode::MustExist);
  auto backend = make_cli_backend(o.backend);
  chain::Executor executor(*store, *backend);
  executor.set_debug_sink(print_debug_line);
  open_genesis(executor);
  const chain::CallReceipt r = executor.call(to, o.method, o.args, from, o.gas.value_or(0), o.value);
  Outcome out = outcome_of(r);
  if (o.trace) out.trace = r.trace;
  if (o.rwset) out.access = r.access;
  return print_outcome(out, g.json);
}

}  // namespace ward::cli
