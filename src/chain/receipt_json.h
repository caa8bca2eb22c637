// ward/chain/receipt_json.h — the one JSON codec of receipts, call traces,
// read/write sets and state keys, shared by the CLI (`--json`, `--trace`,
// `--rwset`) and the JSON-RPC server (docs/rpc.md "Receipts"). Contract
// JSON (results, event data) enters receipts only after the host checked
// its nesting (Limits::max_json_depth), and json_or_string() re-checks it,
// so nothing here recurses on untrusted depth.
// Thread-safety: pure functions.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "chain/receipt.h"
#include "util/result.h"

namespace ward::chain {

/// Parses contract JSON text for display: the value when it is JSON nested
/// at most 64 levels, else the text itself as a JSON string; null when empty.
nlohmann::json json_or_string(std::string_view text);

/// Compact JSON text that never throws: invalid UTF-8 in strings is
/// replaced by U+FFFD (the host rejects it before commit; this is the last guard).
std::string dump_json(const nlohmann::ordered_json& j, int indent = -1);
std::string dump_json(const nlohmann::json& j, int indent = -1);

/// Events as [{"contract", "name", "data"}].
nlohmann::ordered_json events_json(const std::vector<ReceiptEvent>& events);

/// The call tree: {"contract", "method", "value", "gas_limit", "gas_used",
/// "status", "error", "calls": [...]} (built without recursion).
nlohmann::ordered_json trace_json(const CallTrace& t);

/// Read and write sets: {"reads": [...], "writes": [...], "ranges": [[start, end|null], ...]},
/// keys shown by format_state_key.
nlohmann::ordered_json access_json(const state::AccessLog& a);

/// A state key made readable, following the layout (state/layout.h,
/// state/objects.h): "c/0x<addr>", "s/0x<addr>/<key>", "k/0x<hash>",
/// "o/0x<object id>", "f/0x<object id>/<field>", "i/0x<contract>/0x<owner>/0x<id>",
/// "b/0x<addr>"; key tails as text when printable, else 0x hex.
std::string format_state_key(std::string_view key);

/// The committed receipt as JSON (the RPC's and `--json`'s shape):
/// {"tx_hash", "height", "position", "from", "kind", "status", "result",
/// "gas_used", "gas_price", "fee", "events", "error", "contract", "code_hash",
/// "exit_code", "code_was_new"}; absent optional fields are null
/// (code_was_new: deploy and upgrade only, true when the code was not stored before).
nlohmann::ordered_json receipt_json(const Receipt& r);
/// Parses receipt_json's output back (the block store keeps receipts in that
/// form). Errors name the missing or malformed field.
Result<Receipt> receipt_from_json(std::string_view text);

}  // namespace ward::chain
