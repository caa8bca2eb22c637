// ward/cli/chain_access.h — how CLI commands reach a chain: the embedded
// local state (a block of one unsigned transaction from --from, through the
// node's own node::Chain::produce) or a node over JSON-RPC (a transaction
// signed with --key, its nonce read from the node). Reads go through the
// node's RPC methods in both cases: over HTTP, or in-process on the local
// state, so local and remote answers have one shape.
// Thread-safety: one command, one thread.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "chain/receipt.h"
#include "chain/tx.h"

namespace CLI {
class App;
}

namespace ward::cli {

/// Where a command goes: --node URL (+ --key NAME, --keystore DIR,
/// --gas-price N, --no-wait) or the local --state folder.
struct Target {
  std::string node;              ///< node URL; empty: the local state
  std::string key;               ///< keystore key signing for --node
  std::string keystore;          ///< empty: ~/.ward/keys
  std::optional<uint64_t> gas_price;  ///< default: the chain's minimum
  bool no_wait = false;          ///< --node: print the hash, do not wait for the receipt
  std::string state_dir = ".ward-state";
  std::string backend = "auto";
  std::optional<std::string> from;  ///< local mode sender; omitted: the development address
};

/// What a write command got back.
struct Submitted {
  std::optional<chain::Receipt> receipt;  ///< none with --no-wait
  chain::Hash tx_hash{};
};

/// Sends `action` with gas limit `gas` (nullopt: the default gas of
/// runtime::Limits, capped by the block gas limit). Local: opens (or, when
/// `create`, creates) the state and commits a block of one transaction; a
/// transaction that is not applicable (insufficient balance, ...) throws
/// its message. Node: signs, sends with waitUntil "included" (unless
/// --no-wait), prints "waiting for inclusion of 0x…" on stderr after a second.
Submitted submit(const Target& t, const chain::Action& action, std::optional<uint64_t> gas, bool create);

/// Calls a JSON-RPC method on the node, or in-process on the local state
/// (opened read-only). Throws std::runtime_error with the error message.
nlohmann::json read_rpc(const Target& t, const std::string& method, const nlohmann::json& params);

/// Adds --node, --key, --keystore, --gas-price, --wait/--no-wait to `cmd`.
void add_target_options(CLI::App* cmd, Target& t, bool writes);

}  // namespace ward::cli
