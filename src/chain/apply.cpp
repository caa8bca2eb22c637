// ward/chain/apply.cpp — Executor::apply: one transaction of a block on the
// block's overlay, no commit (executor.h, docs/tx-format.md "Execution").
#include <limits>
#include <new>
#include <string_view>
#include <vector>

#include "chain/internal.h"
#include "chain/receipt.h"
#include "chain/tx.h"

namespace ward::chain {
namespace {

std::string u(uint64_t v) { return std::to_string(v); }

/// a * b, nullopt on overflow.
std::optional<uint64_t> mul(uint64_t a, uint64_t b) {
  if (a != 0 && b > std::numeric_limits<uint64_t>::max() / a) return std::nullopt;
  return a * b;
}

std::span<const uint8_t> bytes_of(const std::string& s) {
  return {reinterpret_cast<const uint8_t*>(s.data()), s.size()};
}

void take_call(Receipt& r, CallReceipt&& c) {
  r.status = c.status;
  r.result = std::move(c.result);
  r.gas_used = c.gas_used;
  r.events = std::move(c.events);
  r.error = std::move(c.error);
  r.exit_code = c.exit_code;
  r.debug = std::move(c.debug);
  r.trace = std::move(c.trace);
  r.access = std::move(c.access);
}

void take_deploy(Receipt& r, DeployReceipt&& d) {
  r.status = d.status;
  r.result = std::move(d.result);
  r.gas_used = d.gas_used;
  r.events = std::move(d.events);
  r.error = std::move(d.error);
  r.contract = d.address;
  if (d.code_hash != Hash{}) r.code_hash = d.code_hash;
  r.code_was_new = d.code_was_new;
  r.compressed = d.compressed;
  r.debug = std::move(d.debug);
  r.trace = std::move(d.trace);
}

/// The first store failure anywhere in the receipt: its error, or the error
/// of any call of its call tree (a nested call's storage error makes its
/// caller trap, calls.cpp; the tree is searched all the same, so that no
/// path can hide one).
std::string_view storage_failure_in(const Receipt& r) {
  if (auto f = detail::storage_failure(r.error); !f.empty()) return f;
  std::vector<const CallTrace*> stack{&r.trace};
  while (!stack.empty()) {
    const CallTrace* t = stack.back();
    stack.pop_back();
    if (auto f = detail::storage_failure(t->error); !f.empty()) return f;
    for (const auto& c : t->calls) stack.push_back(&c);
  }
  return {};
}

}  // namespace

namespace detail {

/// Host functions build their messages from fixed text, never from contract
/// input, so a contract cannot forge one (a revert reason is "reverted: ...").
std::string_view storage_failure(std::string_view m) {
  if (is_storage_error(m)) return m;
  constexpr std::string_view kHost = "host error: ";
  if (m.rfind(kHost, 0) != 0) return {};
  size_t i = kHost.size();
  while (i < m.size() && ((m[i] >= 'a' && m[i] <= 'z') || (m[i] >= '0' && m[i] <= '9') || m[i] == '_')) ++i;
  if (i == kHost.size() || m.substr(i, 2) != ": " || !is_storage_error(m.substr(i + 2))) return {};
  return m.substr(i + 2);
}

}  // namespace detail

std::string abi_key(const Address& contract) { return "a/" + state::as_string(contract); }

Applied Executor::apply(const Transaction& tx, const Address& sender, const Hash& tx_hash, const BlockContext& block,
                        state::Overlay& overlay, const ChainRules& rules) {
  Applied out;
  auto invalid = [&](std::string message) {
    out.fault = ApplyFault::Invalid;
    out.error = std::move(message);
    return out;
  };
  auto storage = [&](const std::string& message) {
    out.fault = ApplyFault::StorageFault;
    out.error = is_storage_error(message) ? message : "storage error: " + message;
    return out;
  };
  if (!rules.chain_id.empty() && tx.chain_id != rules.chain_id) {
    return invalid("wrong chain id '" + tx.chain_id + "' (this chain is '" + rules.chain_id + "')");
  }
  if (tx.expiry_height < block.height) {
    return invalid("expired: expiry height " + u(tx.expiry_height) + " is below block height " + u(block.height));
  }
  if (tx.gas_limit == 0) return invalid("gas limit must be greater than 0");
  if (tx.gas_limit > rules.block_gas_limit) {
    return invalid("gas limit " + u(tx.gas_limit) + " exceeds the block gas limit (" + u(rules.block_gas_limit) + ")");
  }
  if (tx.gas_limit > m_limits.max_gas) {
    return invalid("gas limit " + u(tx.gas_limit) + " exceeds max_gas (" + u(m_limits.max_gas) + ")");
  }
  if (tx.gas_price < rules.min_gas_price) {
    return invalid("gas price " + u(tx.gas_price) + " is below the minimum gas price (" + u(rules.min_gas_price) + ")");
  }
  auto nonce = state::get_nonce(overlay, sender);
  if (!nonce) return storage(nonce.error().message);
  if (tx.nonce != nonce.value()) {
    return invalid((tx.nonce < nonce.value() ? "nonce too low: " : "nonce too high: ") + u(tx.nonce) +
                   " (the account's next nonce is " + u(nonce.value()) + ")");
  }
  const auto max_fee = mul(tx.gas_limit, tx.gas_price);
  const uint64_t value = value_of(tx.action);
  if (!max_fee || *max_fee > std::numeric_limits<uint64_t>::max() - value) {
    return invalid("gas limit x gas price + value overflows a u64");
  }
  const uint64_t need = *max_fee + value;
  auto balance = detail::balance_of(overlay, sender);
  if (!balance) return storage(balance.error().message);
  if (balance.value() < need) {
    return invalid("insufficient balance: " + format_address(sender) + " has " + u(balance.value()) + ", needs " +
                   u(need) + " (gas limit x gas price " + u(*max_fee) + " + value " + u(value) + ")");
  }

  const state::SnapshotId before_nonce = overlay.snapshot();
  state::put_nonce(overlay, sender, nonce.value() + 1);
  const state::SnapshotId before_action = overlay.snapshot();

  Receipt& r = out.receipt;
  r.tx_hash = tx_hash;
  r.height = block.height;
  r.from = sender;
  r.kind = action_name(tx.action);
  r.gas_price = tx.gas_price;

  // No std::bad_alloc leaves apply(): a transaction that exhausts the
  // node's memory (the host table and Executor::run catch most of them
  // sooner) is included as trapped, "out of memory", using its whole gas
  // limit, and changes nothing but the nonce and the fee.
  try {
    if (const auto* t = std::get_if<TransferAction>(&tx.action)) {
      r.contract = t->to;
      if (tx.gas_limit < gas_schedule_at(block.height).transfer) {
        r.status = Status::Trapped;
        r.error = "out of gas";
        r.gas_used = tx.gas_limit;
      } else {
        take_call(r, transfer_in(overlay, block, sender, t->to, t->amount));
      }
    } else if (const auto* d = std::get_if<DeployAction>(&tx.action)) {
      const Address addr = contract_address(sender, tx.nonce);
      std::string moved;
      if (d->value > 0) {
        auto m = detail::move_value(overlay, sender, addr, d->value);
        if (!m) return (overlay.revert_to(before_nonce), storage(m.error().message));
        moved = m.value();
      }
      if (!moved.empty()) {
        r.status = Status::Failed;
        r.error = moved;
        r.contract = addr;
      } else {
        DeployOptions o;
        if (d->init_method) o.init_method = *d->init_method;
        o.init_args_json = d->init_args;
        o.gas_limit = tx.gas_limit;
        o.floats = d->float_policy;
        o.immutable = d->immutable;
        auto dr = deploy_in(overlay, block, tx_hash, bytes_of(d->code), sender, o, tx.nonce);
        if (!dr) return (overlay.revert_to(before_nonce), storage(dr.error().message));
        take_deploy(r, std::move(dr.value()));
        if (r.ok() && d->abi) overlay.put(abi_key(addr), *d->abi);
      }
    } else if (const auto* c = std::get_if<CallAction>(&tx.action)) {
      r.contract = c->contract;
      take_call(r, call_in(overlay, block, tx_hash, c->contract, c->method, c->args, sender, tx.gas_limit, c->value));
    } else if (const auto* up = std::get_if<UpgradeAction>(&tx.action)) {
      std::optional<std::string_view> migrate;
      if (up->migrate_method) migrate = *up->migrate_method;
      auto ur = upgrade_in(overlay, block, tx_hash, up->contract, bytes_of(up->code), sender, migrate, up->migrate_args,
                           tx.gas_limit, wasm::FloatPolicy::Allow);
      if (!ur) return (overlay.revert_to(before_nonce), storage(ur.error().message));
      take_deploy(r, std::move(ur.value()));
      r.contract = up->contract;
    } else if (const auto* de = std::get_if<DestroyAction>(&tx.action)) {
      r.contract = de->contract;
      take_call(r, destroy_in(overlay, block, de->contract, de->beneficiary, sender, tx.gas_limit));
    }
  } catch (const std::bad_alloc&) {
    overlay.revert_to(before_action);
    r.events.clear();
    r.result.clear();
    r.debug.clear();
    r.trace = CallTrace{};
    r.access = state::AccessLog{};
    r.status = Status::Trapped;
    r.error = std::string(detail::kOutOfMemory);
    r.gas_used = tx.gas_limit;
  }
  if (const std::string_view failure = storage_failure_in(r); !failure.empty()) {
    const std::string message(failure);
    overlay.revert_to(before_nonce);
    return storage(message);
  }
  if (!r.ok()) {
    overlay.revert_to(before_action);
    r.events.clear();
    r.result.clear();
  }
  if (r.gas_used > tx.gas_limit) r.gas_used = tx.gas_limit;
  r.fee = r.gas_used * tx.gas_price;  // <= max_fee: no overflow
  if (r.fee > 0) {
    auto paid = detail::move_value(overlay, sender, block.producer, r.fee);
    if (!paid) return (overlay.revert_to(before_nonce), storage(paid.error().message));
    if (!paid.value().empty()) {
      overlay.revert_to(before_nonce);
      return invalid("cannot pay the fee: " + paid.value());
    }
  }
  return out;
}

}  // namespace ward::chain
