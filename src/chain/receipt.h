// ward/chain/receipt.h — the receipt of a transaction in a block: what
// Executor::apply returns and what a block commits (docs/rpc.md,
// "Receipts"), plus the typed outcome of apply: a transaction is either
// included (with a receipt, ok or failed) or not applicable (invalid now:
// wrong nonce, unaffordable, expired), or the store failed.
// Thread-safety: plain value types.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "chain/executor.h"

namespace ward::chain {

/// The receipt of one included transaction.
struct Receipt {
  Hash tx_hash{};
  uint64_t height = 0;      ///< the block it is in
  uint32_t position = 0;    ///< its index in the block
  Address from{};           ///< the signer (local mode: --from)
  std::string kind;         ///< "transfer" | "deploy" | "call" | "upgrade" | "destroy"
  Status status = Status::Failed;
  std::string result;       ///< JSON text; empty when none
  uint64_t gas_used = 0;    ///< gas, <= the transaction's gas limit
  uint64_t gas_price = 0;   ///< native units per gas
  uint64_t fee = 0;         ///< gas_used * gas_price, paid by `from` to the producer
  std::vector<ReceiptEvent> events;  ///< empty unless ok
  std::string error;        ///< empty when ok
  std::optional<Address> contract;   ///< the target (deploy: the new contract's address)
  std::optional<Hash> code_hash;     ///< deploy, upgrade: sha256 of the module
  int32_t exit_code = 0;    ///< WASI proc_exit code when the contract called it
  bool code_was_new = false;  ///< deploy, upgrade: the code was not stored before (in receipt_json)
  // Diagnostics of the executing node only; not committed, not in receipt_json.
  bool compressed = false;
  std::vector<std::string> debug;
  CallTrace trace;
  state::AccessLog access;
  bool ok() const noexcept { return status == Status::Ok; }
};

/// Why apply() did not produce a receipt.
enum class ApplyFault : uint8_t {
  None,         ///< included: the receipt is valid
  Invalid,      ///< not applicable in this block (nonce, balance, expiry, chain id, gas rules); nothing changed
  StorageFault, ///< the store failed; the block must be abandoned and the node halts
};
/// "none", "invalid", "storage_fault".
const char* to_string(ApplyFault fault);

/// Outcome of Executor::apply.
struct Applied {
  ApplyFault fault = ApplyFault::None;
  std::string error;  ///< why, when fault != None
  Receipt receipt;    ///< when fault == None
};

/// True for the messages the executor gives a failed store read or write
/// ("storage error: ..."): the one place that maps them to StorageFault.
bool is_storage_error(std::string_view message);

}  // namespace ward::chain
