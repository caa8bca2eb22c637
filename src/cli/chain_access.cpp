// ward/cli/chain_access.cpp — local and remote chain access of the CLI
// (chain_access.h).
#include "cli/chain_access.h"

#include <CLI/CLI.hpp>

#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <mutex>
#include <thread>

#include "chain/receipt_json.h"
#include "cli/commands.h"
#include "cli/options.h"
#include "node/service.h"
#include "rpc/client.h"
#include "rpc/node_methods.h"
#include "state/objects.h"
#include "state/rocksdb_store.h"

namespace ward::cli {
namespace {


/// The local state with the node's machinery.
struct LocalNode {
  LocalNode(const Target& t, state::OpenMode mode) {
    state::RocksDbOptions options;
    options.mode = mode;
    options.missing_hint = "create one with `ward deploy`, or check --state";
    store = unwrap(state::RocksDbStore::open(t.state_dir, options));
    if (!unwrap(node::Chain::exists(*store))) {
      if (mode == state::OpenMode::ReadOnly) {
        throw std::runtime_error("the state in '" + t.state_dir +
                                 "' holds no chain yet; any writing command (deploy, call, transfer) creates it");
      }
      bool empty = true;
      unwrap(store->scan_prefix("", [&](std::string_view, std::string_view) {
        empty = false;
        return false;
      }));
      node::Genesis g = node::local_genesis();
      if (!empty) g.balances.clear();  // a state from before blocks keeps its balances
      auto init = node::Chain::init(*store, g);
      if (!init) throw std::runtime_error(init.error().message);
    }
    backend = make_cli_backend(t.backend);
    cache = std::make_shared<chain::ModuleCache>();
    node::Chain::Options copts;
    copts.cache = cache;
    chain = unwrap(node::Chain::open(*store, *backend, copts));
  }
  std::unique_ptr<state::RocksDbStore> store;
  std::unique_ptr<runtime::Backend> backend;
  std::shared_ptr<chain::ModuleCache> cache;
  std::unique_ptr<node::Chain> chain;
};

/// Prints a progress line on stderr when `work` takes more than a second.
class Progress {
 public:
  explicit Progress(std::string line) : m_line(std::move(line)), m_thread([this] { run(); }) {}
  ~Progress() {
    {
      std::lock_guard lock(m_mutex);
      m_done = true;
    }
    m_cv.notify_all();
    m_thread.join();
  }

 private:
  void run() {
    std::unique_lock lock(m_mutex);
    if (!m_cv.wait_for(lock, std::chrono::seconds(1), [&] { return m_done; })) {
      std::fprintf(stderr, "%s\n", m_line.c_str());
      std::fflush(stderr);
    }
  }
  std::string m_line;
  std::mutex m_mutex;
  std::condition_variable m_cv;
  bool m_done = false;
  std::thread m_thread;
};

uint64_t default_gas(uint64_t block_gas_limit) {
  return std::min<uint64_t>(runtime::Limits{}.default_gas, block_gas_limit);
}

Submitted submit_local(const Target& t, const chain::Action& action, std::optional<uint64_t> gas, bool create) {
  const chain::Address from = parse_address_arg(t.from, "--from");
  LocalNode n(t, create ? state::OpenMode::Create : state::OpenMode::MustExist);
  const node::Head head = n.chain->head();
  state::Overlay overlay(*n.store);
  chain::Transaction tx;
  tx.chain_id = n.chain->genesis().chain_id;
  tx.nonce = unwrap(state::get_nonce(overlay, from));
  tx.expiry_height = head.height + 1;
  tx.gas_limit = gas.value_or(default_gas(n.chain->genesis().block_gas_limit));
  tx.gas_price = n.chain->genesis().min_gas_price;
  tx.action = action;
  node::TxInput in;
  in.tx = tx;
  in.sender = from;
  const std::string bytes = chain::encode(tx);
  in.hash = chain::tx_hash(bytes);
  in.stored = bytes + std::string(chain::kSignatureBytes, '\0');
  // Local block times advance by kBlockSeconds per block from the genesis time.
  const uint64_t time_ms = n.chain->genesis().genesis_time_ms + (head.height + 1) * chain::kBlockSeconds * 1000;
  auto produced = n.chain->produce({in}, time_ms);
  if (!produced) throw std::runtime_error(produced.error().message);
  if (!produced.value().committed) {
    if (!produced.value().dropped.empty()) throw std::runtime_error(produced.value().dropped.front().second);
    throw std::runtime_error("the transaction was not included");
  }
  Submitted s;
  s.tx_hash = in.hash;
  s.receipt = std::move(produced.value().receipts.front());
  return s;
}

Submitted submit_remote(const Target& t, const chain::Action& action, std::optional<uint64_t> gas) {
  if (t.key.empty()) throw std::runtime_error("--node needs --key NAME (the keystore key that signs)");
  rpc::Client client(t.node);
  const chain::KeyPair key = unwrap(load_key(t.keystore, t.key));
  const chain::Address from = chain::address_of(key.public_key);
  const nlohmann::json info = client.call("ward_chainInfo", nlohmann::json::array());
  auto u64 = [](const nlohmann::json& j) { return j.is_string() ? std::stoull(j.get<std::string>()) : j.get<uint64_t>(); };
  chain::Transaction tx;
  tx.chain_id = info.at("chain_id").get<std::string>();
  tx.expiry_height = u64(info.at("head_height")) + 600;
  tx.gas_limit = gas.value_or(default_gas(u64(info.at("block_gas_limit"))));
  tx.gas_price = t.gas_price.value_or(u64(info.at("min_gas_price")));
  tx.action = action;
  for (int attempt = 0;; ++attempt) {
    tx.nonce = u64(client.call("ward_getNonce", nlohmann::json::array({chain::format_address(from)})));
    const chain::SignedTransaction stx = chain::sign_transaction(tx, key);
    const std::string signed_bytes = chain::encode_signed(stx);
    const std::string hex = "0x" + state::hex_encode({reinterpret_cast<const uint8_t*>(signed_bytes.data()),
                                                      signed_bytes.size()});
    Submitted s;
    s.tx_hash = stx.hash;
    try {
      std::optional<Progress> progress;
      if (!t.no_wait) progress.emplace("waiting for inclusion of " + chain::format_hash(stx.hash) + " ...");
      const nlohmann::json res = client.call(
          "ward_sendTransaction", nlohmann::json::array({hex, t.no_wait ? "none" : "included"}));
      if (!t.no_wait) {
        s.receipt = unwrap(chain::receipt_from_json(res.at("receipt").dump()));
      }
      return s;
    } catch (const rpc::ClientError& e) {
      // Another client of the same key took the nonce: read it again, once.
      const bool nonce_race = e.error.data.is_object() && e.error.data.value("reason", "") == "nonce_too_low";
      if (nonce_race && attempt == 0) continue;
      std::string msg = e.error.message;
      if (e.error.data.is_object() && e.error.data.contains("txHash")) {
        msg += " (transaction " + e.error.data["txHash"].get<std::string>() + ")";
      }
      throw std::runtime_error(msg);
    }
  }
}

}  // namespace

Submitted submit(const Target& t, const chain::Action& action, std::optional<uint64_t> gas, bool create) {
  if (t.node.empty()) return submit_local(t, action, gas, create);
  if (t.from) throw std::runtime_error("--from is for the local state; with --node the sender is --key");
  return submit_remote(t, action, gas);
}

nlohmann::json read_rpc(const Target& t, const std::string& method, const nlohmann::json& params) {
  if (!t.node.empty()) {
    rpc::Client client(t.node);
    try {
      return client.call(method, params);
    } catch (const rpc::ClientError& e) {
      throw std::runtime_error(e.error.message);
    }
  }
  LocalNode n(t, state::OpenMode::ReadOnly);
  node::Mempool mempool(node::MempoolOptions{}, n.chain->genesis().chain_id,
                        [](const chain::Address&) -> Result<node::AccountView> { return node::AccountView{}; });
  node::NodeService service(*n.chain, mempool, node::ServiceOptions{}, nullptr, nullptr);
  rpc::Dispatcher dispatcher;
  rpc::NodeRpc nrpc;
  nrpc.service = &service;
  nrpc.backend = n.backend.get();
  nrpc.cache = n.cache;
  state::RocksDbStore* rocks = n.store.get();
  nrpc.snapshot = [rocks] { return rocks->snapshot(); };
  rpc::register_node_methods(dispatcher, nullptr, nrpc);
  const nlohmann::json req = {{"jsonrpc", "2.0"}, {"id", 1}, {"method", method}, {"params", params}};
  auto text = dispatcher.handle(req.dump(), rpc::CallContext{});
  auto res = nlohmann::json::parse(text.value_or("{}"), nullptr, false);
  if (res.is_discarded() || !res.is_object()) throw std::runtime_error("malformed answer");
  if (res.contains("error")) throw std::runtime_error(res["error"].value("message", std::string("error")));
  return res["result"];
}

void add_target_options(CLI::App* cmd, Target& t, bool writes) {
  cmd->add_option("--node", t.node, "node URL (http://HOST:PORT); default: the local state");
  cmd->add_option("--state", t.state_dir, "local state folder")->capture_default_str();
  if (!writes) return;
  cmd->add_option("--key", t.key, "keystore key that signs (with --node)");
  cmd->add_option("--keystore", t.keystore, "keystore folder (default ~/.ward/keys)");
  add_uint_option(cmd, "--gas-price", t.gas_price, "gas price (with --node; default: the chain's minimum)");
  cmd->add_flag("--no-wait", t.no_wait, "with --node: print the transaction hash, do not wait for the receipt");
  cmd->add_flag("--wait", [&t](int64_t) { t.no_wait = false; }, "with --node: wait for the receipt (the default)");
}

}  // namespace ward::cli
