// A fungible token on objects: each holder's balance lives in an account
// object of this contract (fields "holder" and "balance"); the contract's
// default object keeps the total supply. The contract owns every account
// object, so only this code can change a balance; a storage index
// "account/0x<holder>" maps a holder to its account's id.
//
//   ward build examples/token/token.cpp -o token.wasm
#include <ward/ward.h>

#include <cstdint>
#include <optional>
#include <string>

namespace {

std::string index_key(const ward::Address& holder) { return ward::storage::key("account", holder); }

/// The holder's account object, or empty.
std::optional<ward::Object> account_of(const ward::Address& holder) {
  auto raw = ward::storage::get(index_key(holder));
  if (!raw || raw->size() != 32) return std::nullopt;
  ward::ObjectId id;
  for (size_t i = 0; i < 32; ++i) id.bytes[i] = static_cast<uint8_t>((*raw)[i]);
  return ward::Object(id);
}

/// Creates the holder's account object (balance 0), owned by this contract.
ward::Object open_account(const ward::Address& holder) {
  ward::Context ctx = ward::ctx();
  ward::Object account = ctx.objects().create(ctx.self());
  account.set_address("holder", holder);
  account.set_u64("balance", 0);
  ward::ObjectId id = account.id();
  ctx.storage().put(index_key(holder), id.raw());
  ctx.emit("AccountCreated", ward::json::object("holder", holder, "account", id.to_hex()));
  return account;
}

}  // namespace

/// Gives the caller the whole supply. Once only.
WARD_EXPORT ward::Result<bool> Initialize(uint64_t total_supply) {
  ward::Context ctx = ward::ctx();
  ward::Object meta = ctx.objects().default_object();
  if (meta.get("total_supply")) return ward::Error("already initialized");
  meta.set_u64("total_supply", total_supply);
  ward::Address owner = ctx.sender();
  ward::Object account = account_of(owner) ? *account_of(owner) : open_account(owner);
  account.set_u64("balance", total_supply);
  ctx.emit("Initialized", ward::json::object("owner", owner, "total_supply", total_supply));
  return true;
}

/// Opens an empty account for the caller; returns its object id.
WARD_EXPORT ward::Result<ward::ObjectId> CreateAccount() {
  ward::Address holder = ward::ctx().sender();
  if (account_of(holder)) return ward::Error("account exists");
  return open_account(holder).id();
}

/// Moves `amount` tokens from the caller to `to` (whose account is opened
/// when it has none).
WARD_EXPORT ward::Result<bool> Transfer(ward::Address to, uint64_t amount) {
  ward::Context ctx = ward::ctx();
  ward::Address from = ctx.sender();
  auto from_account = account_of(from);
  uint64_t from_balance = from_account ? from_account->get_u64("balance") : 0;
  if (from_balance < amount) return ward::Error("insufficient balance");
  if (from != to) {
    ward::Object to_account = account_of(to) ? *account_of(to) : open_account(to);
    // Cannot overflow: the sum of all balances is the supply, a u64.
    from_account->set_u64("balance", from_balance - amount);
    to_account.set_u64("balance", to_account.get_u64("balance") + amount);
  }
  ctx.emit("Transfer", ward::json::object("from", from, "to", to, "amount", amount));
  return true;
}

/// The holder's balance (0 without an account).
WARD_VIEW uint64_t GetBalance(ward::Address owner) {
  auto account = account_of(owner);
  return account ? account->get_u64("balance") : 0;
}

/// The id of the holder's account object, or null.
WARD_VIEW std::optional<ward::ObjectId> AccountOf(ward::Address owner) {
  auto account = account_of(owner);
  if (!account) return std::nullopt;
  return account->id();
}

/// The supply set by Initialize (0 before).
WARD_VIEW uint64_t TotalSupply() { return ward::ctx().objects().default_object().get_u64("total_supply"); }
