// ward/chain/value.cpp — native balances: the genesis balance of the
// development address, plain value transfers, balance queries, and the
// balance moves of calls.
#include <nlohmann/json.hpp>

#include "chain/internal.h"
#include "state/objects.h"

namespace ward::chain {
namespace detail {

Result<uint64_t> balance_of(state::Overlay& overlay, const Address& addr) { return state::balance(overlay, addr); }

Result<std::string> credit(state::Overlay& overlay, const Address& addr, uint64_t amount) {
  auto ok = state::credit(overlay, addr, amount);
  if (!ok) return ok.error();
  if (!ok.value()) return std::string("balance of " + format_address(addr) + " would overflow");
  return std::string();
}

Result<std::string> move_value(state::Overlay& overlay, const Address& from, const Address& to, uint64_t amount) {
  auto have = state::balance(overlay, from);
  if (!have) return have.error();
  if (have.value() < amount) {
    return "insufficient balance: " + format_address(from) + " has " + std::to_string(have.value()) + ", needs " +
           std::to_string(amount);
  }
  auto moved = state::transfer(overlay, from, to, amount);
  if (!moved) return moved.error();
  if (!moved.value()) return std::string("balance of " + format_address(to) + " would overflow");
  return std::string();
}

}  // namespace detail

Result<bool> Executor::ensure_genesis() {
  bool empty = true;
  auto scanned = m_store.scan_prefix("", [&](std::string_view, std::string_view) {
    empty = false;
    return false;
  });
  if (!scanned) return scanned.error();
  if (!empty) return false;
  state::Overlay overlay(m_store);
  auto credited = detail::credit(overlay, kDevAddress, kDevStartingBalance);
  if (!credited) return credited.error();
  if (auto c = overlay.commit(); !c) return c.error();
  return true;
}

Result<uint64_t> Executor::balance(const Address& addr) {
  state::Overlay overlay(m_store);
  return detail::balance_of(overlay, addr);
}

CallReceipt Executor::transfer(const Address& from, const Address& to, uint64_t amount) {
  state::Overlay overlay(m_store);
  auto height = state::get_height(overlay);
  if (!height) return detail::failed("storage error: " + height.error().message);
  CallReceipt r = transfer_in(overlay, local_block(height.value()), from, to, amount);
  if (!r.ok()) return r;
  state::put_height(overlay, height.value() + 1);
  if (auto c = overlay.commit(); !c) {
    r.status = Status::Failed;
    r.error = "storage error: " + c.error().message;
    r.gas_used = 0;
    r.result.clear();
  }
  return r;
}

CallReceipt Executor::transfer_in(state::Overlay& overlay, const BlockContext& block, const Address& from,
                                  const Address& to, uint64_t amount) {
  CallReceipt r;
  r.height = block.height;
  r.trace.contract = to;
  r.trace.value = amount;
  const uint64_t gas = gas_schedule_at(block.height).transfer;
  r.trace.gas_limit = gas;
  r.gas_used = gas;
  auto finish = [&](Status status, std::string error) {
    r.status = status;
    r.error = std::move(error);
    if (status != Status::Ok) r.gas_used = 0;  // nothing ran
    r.trace.status = r.status;
    r.trace.error = r.error;
    r.trace.gas_used = r.gas_used;
    return r;
  };
  overlay.set_access_log(&r.access);
  auto moved = detail::move_value(overlay, from, to, amount);
  overlay.set_access_log(nullptr);
  if (!moved) return finish(Status::Failed, "storage error: " + moved.error().message);
  if (!moved.value().empty()) return finish(Status::Failed, moved.value());
  r.result = nlohmann::json{{"from", format_address(from)}, {"to", format_address(to)}, {"amount", amount}}.dump();
  return finish(Status::Ok, {});
}

}  // namespace ward::chain
