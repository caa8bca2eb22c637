// `ward transfer`, `ward balance`, `ward upgrade` and `ward destroy`: native
// value and the contract lifecycle against the local RocksDB state folder.
#include <CLI/CLI.hpp>

#include <cstdio>
#include <memory>
#include <stdexcept>

#include <nlohmann/json.hpp>

#include "chain/executor.h"
#include "cli/chain_access.h"
#include "cli/commands.h"
#include "cli/options.h"
#include "cli/output.h"
#include "state/rocksdb_store.h"

namespace ward::cli {
namespace {

struct TransferOptions {
  std::string to;
  uint64_t amount = 0;
  std::optional<uint64_t> gas;
  Target target;
};
struct BalanceOptions {
  std::string address;
  Target target;
};
struct UpgradeOptions {
  std::string address;
  std::string file;
  std::string migrate;
  std::optional<std::string> args;  ///< --args or --args-file
  std::optional<uint64_t> gas;
  std::string float_policy = "allow";
  Target target;
};
struct DestroyOptions {
  std::string address;
  std::string beneficiary;
  std::optional<uint64_t> gas;
  Target target;
};

/// Prints the outcome of a transaction whose receipt is a call-like one.
int print_sent(const GlobalOptions& g, const Target& t, const Submitted& s) {
  if (!s.receipt) {
    return print_pending(s.tx_hash, g.json);
  }
  print_debug(s.receipt->debug);
  Outcome out = outcome_of(*s.receipt);
  out.show_tx = !t.node.empty();
  return print_outcome(out, g.json);
}

int cmd_transfer(const GlobalOptions& g, const TransferOptions& o) {
  const chain::Address to = parse_address_arg(o.to, "TO");
  return print_sent(g, o.target, submit(o.target, chain::TransferAction{to, o.amount}, o.gas, /*create=*/false));
}

int cmd_balance(const GlobalOptions& g, const BalanceOptions& o) {
  const chain::Address addr = parse_address_arg(o.address, "ADDR");
  const nlohmann::json a = read_rpc(o.target, "ward_getAccount", nlohmann::json::array({chain::format_address(addr)}));
  const uint64_t balance = a.at("balance").get<uint64_t>();
  if (g.json) {
    nlohmann::ordered_json j = {{"address", chain::format_address(addr)}, {"balance", balance}};
    std::printf("%s\n", j.dump(2).c_str());
  } else {
    std::printf("%llu\n", static_cast<unsigned long long>(balance));
  }
  return 0;
}

int cmd_upgrade(const GlobalOptions& g, const UpgradeOptions& o) {
  const chain::Address addr = parse_address_arg(o.address, "ADDR");
  if (o.migrate.empty() && o.args) throw std::runtime_error("--args is for the migrate method: give --migrate METHOD too");
  chain::UpgradeAction a;
  a.contract = addr;
  a.code = read_file(o.file);
  if (!o.migrate.empty()) a.migrate_method = o.migrate;
  a.migrate_args = o.migrate.empty() ? std::string() : o.args.value_or("{}");
  if (o.float_policy == "deny") throw std::runtime_error("--float-policy deny is not supported by upgrade transactions yet");
  Submitted s = submit(o.target, a, o.gas, /*create=*/false);
  if (!s.receipt) {
    return print_pending(s.tx_hash, g.json);
  }
  print_debug(s.receipt->debug);
  chain::Receipt r = *s.receipt;
  if (!r.ok()) r.code_hash.reset();  // a failed upgrade changed nothing: no new code hash to show
  return print_deploy(r, g.json, !o.target.node.empty());
}

int cmd_destroy(const GlobalOptions& g, const DestroyOptions& o) {
  const chain::Address addr = parse_address_arg(o.address, "ADDR");
  const chain::Address beneficiary = parse_address_arg(o.beneficiary, "--beneficiary");
  return print_sent(g, o.target, submit(o.target, chain::DestroyAction{addr, beneficiary}, o.gas, /*create=*/false));
}

}  // namespace

chain::Address parse_address_arg(const std::string& text, const char* what) {
  auto a = chain::parse_address(text);
  if (!a) throw std::runtime_error(std::string(what) + " '" + text + "' is not an address (0x followed by 40 hex digits)");
  return *a;
}

chain::Address parse_address_arg(const std::optional<std::string>& text, const char* what) {
  return text ? parse_address_arg(*text, what) : chain::kDevAddress;
}

void open_genesis(chain::Executor& executor) {
  auto genesis = executor.ensure_genesis();
  if (!genesis) throw std::runtime_error(genesis.error().message);
}

std::function<std::optional<int>()> add_lifecycle_commands(CLI::App& app, GlobalOptions& g) {
  auto transfer = std::make_shared<TransferOptions>();
  auto* c_transfer = app.add_subcommand("transfer", "Move native value to any address (no code runs)");
  c_transfer->add_option("TO", transfer->to, "receiving address")->required();
  add_uint_option(c_transfer, "AMOUNT", transfer->amount, "amount of native value")->required()->default_str("");
  c_transfer->add_option("--from", transfer->target.from, "sending address on the local state (default: the development address)");
  add_gas_option(c_transfer, transfer->gas);
  add_target_options(c_transfer, transfer->target, true);
  c_transfer->add_flag("--json", g.json, "print JSON");

  auto balance = std::make_shared<BalanceOptions>();
  auto* c_balance = app.add_subcommand("balance", "Show the native balance of an address");
  c_balance->add_option("ADDR", balance->address, "address")->required();
  add_target_options(c_balance, balance->target, false);
  c_balance->add_flag("--json", g.json, "print JSON");

  auto upgrade = std::make_shared<UpgradeOptions>();
  auto* c_upgrade = app.add_subcommand("upgrade", "Replace a contract's code (admin only); state and balance stay");
  c_upgrade->add_option("ADDR", upgrade->address, "contract address")->required();
  c_upgrade->add_option("FILE", upgrade->file, "new contract .wasm (raw or gzip)")->required();
  c_upgrade->add_option("--migrate", upgrade->migrate, "method of the new code to run in the same step");
  auto* upgrade_args = c_upgrade->add_option("--args", upgrade->args, "JSON arguments of the migrate method");
  add_args_file_option(c_upgrade, upgrade->args, upgrade_args);
  c_upgrade->add_option("--from", upgrade->target.from, "admin address on the local state (default: the development address)");
  add_gas_option(c_upgrade, upgrade->gas);
  add_target_options(c_upgrade, upgrade->target, true);
  c_upgrade->add_option("--float-policy", upgrade->float_policy, "allow (NaNs canonicalised) or deny floats")
      ->capture_default_str()
      ->check(CLI::IsMember({"allow", "deny"}));
  c_upgrade->add_flag("--json", g.json, "print JSON");

  auto destroy = std::make_shared<DestroyOptions>();
  auto* c_destroy = app.add_subcommand("destroy", "Remove a contract (admin only); its balance goes to a beneficiary");
  c_destroy->add_option("ADDR", destroy->address, "contract address")->required();
  c_destroy->add_option("--beneficiary", destroy->beneficiary, "address receiving the contract's balance")->required();
  c_destroy->add_option("--from", destroy->target.from, "admin address on the local state (default: the development address)");
  add_gas_option(c_destroy, destroy->gas);
  add_target_options(c_destroy, destroy->target, true);
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
