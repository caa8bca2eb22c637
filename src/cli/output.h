// ward/cli/output.h — how `ward` prints the outcome of a call or deploy:
// readable lines by default, one JSON object with --json.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "chain/receipt_json.h"

#include "chain/executor.h"
#include "chain/receipt.h"

namespace ward::cli {

/// The outcome of `call`, `run` (contract or plain export) in one shape.
struct Outcome {
  std::string status;                   ///< "ok" | "reverted" | "trapped" | "failed"
  nlohmann::json result;                ///< null when none
  uint64_t gas_used = 0;
  std::vector<chain::ReceiptEvent> events;
  std::string error;                    ///< empty when ok
  std::optional<int32_t> exit_code;     ///< WASI proc_exit code, when called
  std::optional<chain::CallTrace> trace;   ///< printed when set (`ward call --trace`)
  std::optional<state::AccessLog> access;  ///< read/write sets, printed when set (`ward call --rwset`)
  /// Where the transaction landed: with --json, "tx_hash", "height", "fee"
  /// are added; human output adds "tx:" and "block:" lines when `show_tx`.
  std::optional<chain::Hash> tx_hash;
  uint64_t height = 0;
  uint64_t fee = 0;
  bool show_tx = false;
};

/// Converts an executor receipt. A result that is not JSON stays a string.
Outcome outcome_of(const chain::CallReceipt& r);
/// Converts a block receipt (call, transfer, destroy), with its tx hash, height and fee.
Outcome outcome_of(const chain::Receipt& r);

/// Prints an outcome: with json, {"status", "result", "gas_used", "events",
/// "error"} (plus "trace" and "rwset" when set); else readable lines. Returns the exit code: 0 for ok (or the
/// proc_exit code), 1 otherwise.
int print_outcome(const Outcome& o, bool json);

/// Prints a deploy receipt: with json, {"address", "gas_used"} plus status,
/// code hash, events and error; else readable lines. Returns the exit code.
int print_deploy(const chain::DeployReceipt& r, bool json);
/// The same for a block receipt of a deploy or upgrade; adds "tx_hash",
/// "height", "fee" to the JSON, and "tx:"/"block:" lines when `show_tx`.
int print_deploy(const chain::Receipt& r, bool json, bool show_tx);
/// Prints a transaction sent without waiting (--no-wait): its hash, as
/// {"status": "pending", "tx_hash"} with json. Returns 0.
int print_pending(const chain::Hash& tx_hash, bool json);
/// Prints the debug lines of a receipt on stderr.
void print_debug(const std::vector<std::string>& lines);

/// Parses JSON text, or returns the text itself as a JSON string.
nlohmann::json json_or_string(const std::string& text);

using chain::access_json;
using chain::format_state_key;
using chain::trace_json;

}  // namespace ward::cli
