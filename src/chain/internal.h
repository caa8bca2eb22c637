// ward/chain/internal.h — what the executor's source files share and nobody
// else uses: the Session and Frame of a request's call tree, receipt helpers,
// and the state operations of balances and contract lifecycle.
// Thread-safety: none; one executing request.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "chain/executor.h"
#include "host/host.h"
#include "state/overlay.h"

namespace ward::chain {

/// Everything the calls of one request share (the outermost call, the
/// init method of a deploy, the migrate method of an upgrade).
struct Executor::Session {
  state::Overlay& overlay;
  Address origin{};      ///< the signer of the request
  uint64_t height = 0;
  int64_t time = 0;      ///< block time, seconds since the Unix epoch
  Hash tx_hash{};
  std::vector<Frame*> frames;        ///< the calls running, outermost first
  std::vector<ReceiptEvent> events;  ///< events of calls that ended ok so far, in emission order
  std::vector<std::string> debug;    ///< debug lines of every call so far
  /// overlay.held_bytes() when the request began: its calls' writes are
  /// bounded by Limits::max_tx_write_bytes beyond it (host::CallEnv::write_base).
  uint64_t write_base = overlay.held_bytes();
};

/// One running call of a session.
struct Executor::Frame {
  Address contract{};
  host::CallEnv* env = nullptr;
  runtime::ExecContext* ctx = nullptr;
  CallTrace* trace = nullptr;
  size_t events_mark = 0;     ///< Session::events size when the call began
  size_t events_flushed = 0;  ///< env->events already moved to the session
  size_t debug_flushed = 0;   ///< env->debug_lines already moved to the session
};

namespace detail {

/// Block time of a block context, seconds since the Unix epoch (floor).
inline int64_t block_seconds(const BlockContext& block) {
  return block.time_ms >= 0 ? block.time_ms / 1000 : -((-block.time_ms + 999) / 1000);
}

/// A receipt with status Failed and this error.
CallReceipt failed(std::string error);

/// Fills status/error/gas of `r` for a call that stopped with `trap` after
/// being given `gas`: "trapped: <trap>", "out of gas", "host error: ...",
/// "reverted: ...", "exit code N".
void classify(CallReceipt& r, runtime::TrapKind trap, const runtime::ExecContext& ctx, uint64_t gas);

/// The error of a call that ran out of memory (a std::bad_alloc caught by
/// the host table or the executor): the call is trapped, never committed.
inline constexpr std::string_view kOutOfMemory = "out of memory";

/// The store failure a message reports, from its "storage error: " on:
/// the executor's own ("storage error: ...") or a host function's
/// ("host error: <function>: storage error: ..."); empty when none
/// (apply.cpp).
std::string_view storage_failure(std::string_view message);

/// Checks a JSON call input (args of a call, of a deploy's init method, of
/// an upgrade's migrate method, of a nested call) after its size: nesting at
/// most limits.max_json_depth ("args nesting exceeds max_json_depth (64)",
/// measured by a linear scan before any parser runs), valid JSON ("invalid
/// args: not valid JSON"), no object with the same key twice ("invalid args:
/// duplicate key \"to\""). Empty when fine. One iterative pass (nlohmann's
/// SAX parser), no recursion.
std::string check_json_input(std::string_view text, const runtime::Limits& limits);

/// Empty when the method name is valid UTF-8 (it enters the receipt's call
/// trace and error texts), else "method name is not valid UTF-8".
std::string check_method_name(std::string_view method);

/// Native balance of `addr` (0 when never credited).
Result<uint64_t> balance_of(state::Overlay& overlay, const Address& addr);
/// Adds `amount` to the balance of `addr`; an error message on overflow.
Result<std::string> credit(state::Overlay& overlay, const Address& addr, uint64_t amount);
/// Moves `amount` from `from` to `to`: empty on success, else "insufficient
/// balance: 0x… has N, needs M" (and nothing moved). An Error when the store fails.
Result<std::string> move_value(state::Overlay& overlay, const Address& from, const Address& to, uint64_t amount);

/// Creates the default object of a new contract.
Result<void> create_default_object(state::Overlay& overlay, const Address& contract);
/// Deletes every storage key and object of the contract; returns how many
/// state keys were removed.
Result<uint64_t> remove_contract_state(state::Overlay& overlay, const Address& contract);
/// Number of state keys remove_contract_state would remove.
Result<uint64_t> count_contract_state(state::Overlay& overlay, const Address& contract);

/// One more contract uses the code: stores it when new; true when it was new.
Result<bool> retain_code(state::Overlay& overlay, const Hash& code_hash, std::string_view code);
/// One contract less uses the code: deletes it (and its count) at 0.
Result<void> release_code(state::Overlay& overlay, const Hash& code_hash);

}  // namespace detail
}  // namespace ward::chain
