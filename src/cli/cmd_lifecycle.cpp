// `ward transfer`, `ward balance`, `ward upgrade` and `ward destroy`: native
// value and the contract lifecycle against the local RocksDB state folder.
#include <CLI/CLI.hpp>

#include <cstdio>
#include <memory>
#include <stdexcept>

#include <nlohmann/json.hpp>

#include "chain/executor.h"
#include "cli/commands.h"
#include "cli/output.h"
#include "state/rocksdb_store.h"

namespace ward::cli {
namespace {

struct TransferOptions {
  std::string to;
  uint64_t amount = 0;
  std::string from;
  std::string state_dir = ".ward-state";
};
struct BalanceOptions {
  std::string address;
  std::string state_dir = ".ward-state";
};
struct UpgradeOptions {
  std::string address;
  std::string file;
  std::string migrate;
  std::string args = "{}";
  std::string from;
  std::string state_dir = ".ward-state";
  std::optional<uint64_t> gas;
  std::string float_policy = "allow";
};
struct DestroyOptions {
  std::string address;
  std::string beneficiary;
  std::string from;
  std::string state_dir = ".ward-state";
  std::optional<uint64_t> gas;
};

void print_debug_line(std::string_view line) {
  std::fprintf(stderr, "%.*s\n", static_cast<int>(line.size()), line.data());
}

/// A local state folder with its executor (genesis applied to a fresh state).
/// Only `ward deploy` creates a state; queries open it read-only.
struct LocalChain {
  LocalChain(const std::string& dir, state::OpenMode mode) {
    state::RocksDbOptions options;
    options.mode = mode;
    options.missing_hint = "create one with `ward deploy`, or check --state";
    auto opened = state::RocksDbStore::open(dir, options);
    if (!opened) throw std::runtime_error(opened.error().message);
    store = std::move(opened.value());
    backend = runtime::make_interp_backend();
    executor = std::make_unique<chain::Executor>(*store, *backend);
    executor->set_debug_sink(print_debug_line);
    open_genesis(*executor);
  }
  std::unique_ptr<state::RocksDbStore> store;
  std::unique_ptr<runtime::Backend> backend;
  std::unique_ptr<chain::Executor> executor;
};

int cmd_transfer(const GlobalOptions& g, const TransferOptions& o) {
  const chain::Address from = parse_address_arg(o.from, "--from");
  const chain::Address to = parse_address_arg(o.to, "TO");
  LocalChain local(o.state_dir, state::OpenMode::MustExist);
  return print_outcome(outcome_of(local.executor->transfer(from, to, o.amount)), g.json);
}

int cmd_balance(const GlobalOptions& g, const BalanceOptions& o) {
  const chain::Address addr = parse_address_arg(o.address, "ADDR");
  LocalChain local(o.state_dir, state::OpenMode::ReadOnly);
  auto balance = local.executor->balance(addr);
  if (!balance) throw std::runtime_error(balance.error().message);
  if (g.json) {
    nlohmann::ordered_json j = {{"address", chain::format_address(addr)}, {"balance", balance.value()}};
    std::printf("%s\n", j.dump(2).c_str());
  } else {
    std::printf("%llu\n", static_cast<unsigned long long>(balance.value()));
  }
  return 0;
}

int cmd_upgrade(const GlobalOptions& g, const UpgradeOptions& o) {
  const chain::Address from = parse_address_arg(o.from, "--from");
  const chain::Address addr = parse_address_arg(o.address, "ADDR");
  const std::string code = read_file(o.file);
  LocalChain local(o.state_dir, state::OpenMode::MustExist);
  std::optional<std::string_view> migrate;
  if (!o.migrate.empty()) migrate = o.migrate;
  auto r = local.executor->upgrade(addr, {reinterpret_cast<const uint8_t*>(code.data()), code.size()}, from, migrate,
                                   o.args, o.gas.value_or(0),
                                   o.float_policy == "deny" ? wasm::FloatPolicy::Deny : wasm::FloatPolicy::Allow);
  if (!r) throw std::runtime_error(r.error().message);
  return print_deploy(r.value(), g.json);
}

int cmd_destroy(const GlobalOptions& g, const DestroyOptions& o) {
  const chain::Address from = parse_address_arg(o.from, "--from");
  const chain::Address addr = parse_address_arg(o.address, "ADDR");
  const chain::Address beneficiary = parse_address_arg(o.beneficiary, "--beneficiary");
  LocalChain local(o.state_dir, state::OpenMode::MustExist);
  return print_outcome(outcome_of(local.executor->destroy(addr, beneficiary, from, o.gas.value_or(0))), g.json);
}

}  // namespace

chain::Address parse_address_arg(const std::string& text, const char* what) {
  if (text.empty()) return chain::kDevAddress;
  auto a = chain::parse_address(text);
  if (!a) throw std::runtime_error(std::string(what) + " '" + text + "' is not an address (0x followed by 40 hex digits)");
  return *a;
}

void open_genesis(chain::Executor& executor) {
  auto genesis = executor.ensure_genesis();
  if (!genesis) throw std::runtime_error(genesis.error().message);
}

std::function<std::optional<int>()> add_lifecycle_commands(CLI::App& app, GlobalOptions& g) {
  auto transfer = std::make_shared<TransferOptions>();
  auto* c_transfer = app.add_subcommand("transfer", "Move native value to any address (no code runs)");
  c_transfer->add_option("TO", transfer->to, "receiving address")->required();
  c_transfer->add_option("AMOUNT", transfer->amount, "amount of native value")->required();
  c_transfer->add_option("--from", transfer->from, "sending address (default: the development address)");
  c_transfer->add_option("--state", transfer->state_dir, "state folder");
  c_transfer->add_flag("--json", g.json, "print JSON");

  auto balance = std::make_shared<BalanceOptions>();
  auto* c_balance = app.add_subcommand("balance", "Show the native balance of an address");
  c_balance->add_option("ADDR", balance->address, "address")->required();
  c_balance->add_option("--state", balance->state_dir, "state folder");
  c_balance->add_flag("--json", g.json, "print JSON");

  auto upgrade = std::make_shared<UpgradeOptions>();
  auto* c_upgrade = app.add_subcommand("upgrade", "Replace a contract's code (admin only); state and balance stay");
  c_upgrade->add_option("ADDR", upgrade->address, "contract address")->required();
  c_upgrade->add_option("FILE", upgrade->file, "new contract .wasm (raw or gzip)")->required();
  c_upgrade->add_option("--migrate", upgrade->migrate, "method of the new code to run in the same step");
  c_upgrade->add_option("--args", upgrade->args, "JSON arguments of the migrate method");
  c_upgrade->add_option("--from", upgrade->from, "admin address (default: the development address)");
  c_upgrade->add_option("--gas", upgrade->gas, "gas limit");
  c_upgrade->add_option("--state", upgrade->state_dir, "state folder");
  c_upgrade->add_option("--float-policy", upgrade->float_policy, "allow (NaNs canonicalised) or deny floats")
      ->check(CLI::IsMember({"allow", "deny"}));
  c_upgrade->add_flag("--json", g.json, "print JSON");

  auto destroy = std::make_shared<DestroyOptions>();
  auto* c_destroy = app.add_subcommand("destroy", "Remove a contract (admin only); its balance goes to a beneficiary");
  c_destroy->add_option("ADDR", destroy->address, "contract address")->required();
  c_destroy->add_option("--beneficiary", destroy->beneficiary, "address receiving the contract's balance")->required();
  c_destroy->add_option("--from", destroy->from, "admin address (default: the development address)");
  c_destroy->add_option("--gas", destroy->gas, "gas limit");
  c_destroy->add_option("--state", destroy->state_dir, "state folder");
  c_destroy->add_flag("--json", g.json, "print JSON");

  return [=, &g]() -> std::optional<int> {
    if (*c_transfer) return cmd_transfer(g, *transfer);
    if (*c_balance) return cmd_balance(g, *balance);
    if (*c_upgrade) return cmd_upgrade(g, *upgrade);
    if (*c_destroy) return cmd_destroy(g, *destroy);
    return std::nullopt;
  };
}

}  // namespace ward::cli
