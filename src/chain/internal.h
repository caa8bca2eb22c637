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
