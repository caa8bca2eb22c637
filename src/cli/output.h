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
};

/// Converts an executor receipt. A result that is not JSON stays a string.
Outcome outcome_of(const chain::CallReceipt& r);

/// Prints an outcome: with json, {"status", "result", "gas_used", "events",
/// "error"}; else readable lines. Returns the exit code: 0 for ok (or the
/// proc_exit code), 1 otherwise.
int print_outcome(const Outcome& o, bool json);

/// Prints a deploy receipt: with json, {"address", "gas_used"} plus status,
/// code hash, events and error; else readable lines. Returns the exit code.
int print_deploy(const chain::DeployReceipt& r, bool json);

/// Parses JSON text, or returns the text itself as a JSON string.
nlohmann::json json_or_string(const std::string& text);

}  // namespace ward::cli
