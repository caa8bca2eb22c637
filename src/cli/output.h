// ward/cli/output.h — how `ward` prints the outcome of a call or deploy:
// readable lines by default, one JSON object with --json.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "chain/executor.h"

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
};

/// The call tree as JSON: {"contract", "method", "value", "gas_limit",
/// "gas_used", "status", "error", "calls": [...]}.
nlohmann::ordered_json trace_json(const chain::CallTrace& t);
/// Read and write sets as JSON: {"reads": [...], "writes": [...], "ranges": [[start, end], ...]}
/// with keys shown by format_state_key.
nlohmann::ordered_json access_json(const state::AccessLog& a);
/// A state key made readable: the tag, addresses and hashes as 0x hex, the
/// rest as text when printable, else 0x hex ("s/0x…/count", "b/0x…").
std::string format_state_key(std::string_view key);

/// Converts an executor receipt. A result that is not JSON stays a string.
Outcome outcome_of(const chain::CallReceipt& r);

/// Prints an outcome: with json, {"status", "result", "gas_used", "events",
/// "error"} (plus "trace" and "rwset" when set); else readable lines. Returns the exit code: 0 for ok (or the
/// proc_exit code), 1 otherwise.
int print_outcome(const Outcome& o, bool json);

/// Prints a deploy receipt: with json, {"address", "gas_used"} plus status,
/// code hash, events and error; else readable lines. Returns the exit code.
int print_deploy(const chain::DeployReceipt& r, bool json);

/// Parses JSON text, or returns the text itself as a JSON string.
nlohmann::json json_or_string(const std::string& text);

}  // namespace ward::cli
