// A fungible token: Initialize gives the caller the whole supply, Transfer
// moves tokens from the caller, GetBalance reads a balance.
//
//   ward build examples/token/token.cpp -o token.wasm
#include <ward/ward.h>

#include <cstdint>
#include <string>

namespace {

constexpr std::string_view k_supply_key = "total_supply";

std::string balance_key(const ward::Address& owner) { return ward::storage::key("balance", owner); }

}  // namespace

/// Initialize({"total_supply": N}): the caller receives N tokens. Once only.
WARD_METHOD(Initialize) {
  if (ward::storage::has(k_supply_key)) ward::revert("already initialized");
  uint64_t supply = ward::args().u64("total_supply", 0);
  ward::Address owner = ward::sender();
  ward::storage::put_u64(k_supply_key, supply);
  ward::storage::put_u64(balance_key(owner), supply);
  ward::emit("Initialized", ward::json::object("owner", owner, "total_supply", supply));
  ward::ret(true);
}

/// Transfer({"to": "0x..", "amount": N}): moves N tokens from the caller.
WARD_METHOD(Transfer) {
  const ward::Args& in = ward::args();
  ward::Address to = in.address("to", 0);
  uint64_t amount = in.u64("amount", 1);
  ward::Address from = ward::sender();

  std::string from_key = balance_key(from);
  uint64_t from_balance = ward::storage::get_u64(from_key);
  if (from_balance < amount) ward::revert("insufficient balance");
  if (from != to) {
    std::string to_key = balance_key(to);
    uint64_t to_balance = ward::storage::get_u64(to_key);
    // Cannot overflow: the sum of all balances is the supply, a u64.
    ward::storage::put_u64(from_key, from_balance - amount);
    ward::storage::put_u64(to_key, to_balance + amount);
  }
  ward::emit("Transfer", ward::json::object("from", from, "to", to, "amount", amount));
  ward::ret(true);
}

/// GetBalance({"owner": "0x.."}): the owner's balance, a JSON number.
WARD_METHOD(GetBalance) {
  ward::Address owner = ward::args().address("owner", 0);
  ward::ret(ward::storage::get_u64(balance_key(owner)));
}

/// TotalSupply(): the supply set by Initialize (0 before).
WARD_METHOD(TotalSupply) { ward::ret(ward::storage::get_u64(k_supply_key)); }
