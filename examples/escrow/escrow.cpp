// An escrow between a buyer paying native value and a seller delivering
// tokens of a `token` contract (examples/token). The buyer opens a deal
// with the price attached as value; the seller sends the tokens to this
// contract and calls Settle, which passes the tokens on to the buyer with a
// cross-contract call to token.Transfer and pays the seller the price. Until
// then the buyer may take the value back with Refund.
//
//   ward build examples/escrow/escrow.cpp -o escrow.wasm
#include <ward/ward.h>

#include <cstdint>
#include <string>

/// One deal.
struct Deal {
  ward::Address buyer;    ///< pays `price`, receives the tokens
  ward::Address seller;   ///< delivers the tokens, receives `price`
  ward::Address token;    ///< the token contract
  uint64_t amount = 0;    ///< tokens owed to the buyer
  uint64_t price = 0;     ///< native value held for the seller
  std::string state;      ///< "open", "settled" or "refunded"
};

namespace {

std::string deal_key(uint64_t id) { return "deal/" + std::to_string(id); }

ward::Result<Deal> load(uint64_t id) {
  auto text = ward::storage::get(deal_key(id));
  if (!text) return ward::Error("unknown deal " + std::to_string(id));
  auto value = ward::json::parse(*text);
  Deal deal;
  std::string error;
  if (!value || !ward::abi::decode(*value, deal, ward::abi::Path{nullptr, "deal", 0, false}, error)) {
    return ward::Error("corrupt deal record");
  }
  return deal;
}

void store(uint64_t id, const Deal& deal) { ward::storage::put(deal_key(id), ward::abi::to_json(deal)); }

}  // namespace

/// Opens a deal: the value attached to the call is the price. Returns the deal id.
WARD_EXPORT WARD_PAYABLE ward::Result<uint64_t> Open(ward::Address seller, ward::Address token, uint64_t amount) {
  ward::Context ctx = ward::ctx();
  if (ctx.value() == 0) return ward::Error("attach the price as value");
  if (amount == 0) return ward::Error("amount must be positive");
  uint64_t id = ctx.storage().get_u64("next_id") + 1;
  ctx.storage().put_u64("next_id", id);
  store(id, Deal{ctx.sender(), seller, token, amount, ctx.value(), "open"});
  ctx.emit("Opened", ward::json::object("deal", id, "buyer", ctx.sender(), "seller", seller, "price", ctx.value()));
  return id;
}

/// The seller settles: this contract must hold `amount` tokens of the deal's
/// token (the seller sends them first); they go to the buyer, the price to
/// the seller.
WARD_EXPORT ward::Result<bool> Settle(uint64_t deal_id) {
  ward::Context ctx = ward::ctx();
  auto deal = load(deal_id);
  if (!deal) return ward::Error(deal.error());
  Deal d = deal.value();
  if (d.state != "open") return ward::Error("deal is " + d.state);
  if (ctx.sender() != d.seller) return ward::Error("only the seller may settle");
  ward::CallResult sent =
      ctx.call(d.token, "Transfer", ward::json::object("to", d.buyer, "amount", d.amount));
  if (!sent.ok()) return ward::Error("token transfer failed: " + sent.data);
  if (!ctx.transfer(d.seller, d.price)) return ward::Error("escrow balance is short");
  d.state = "settled";
  store(deal_id, d);
  ctx.emit("Settled", ward::json::object("deal", deal_id, "tokens", d.amount, "price", d.price));
  return true;
}

/// The buyer takes the price back from an open deal.
WARD_EXPORT ward::Result<uint64_t> Refund(uint64_t deal_id) {
  ward::Context ctx = ward::ctx();
  auto deal = load(deal_id);
  if (!deal) return ward::Error(deal.error());
  Deal d = deal.value();
  if (d.state != "open") return ward::Error("deal is " + d.state);
  if (ctx.sender() != d.buyer) return ward::Error("only the buyer may ask for a refund");
  if (!ctx.transfer(d.buyer, d.price)) return ward::Error("escrow balance is short");
  d.state = "refunded";
  store(deal_id, d);
  ctx.emit("Refunded", ward::json::object("deal", deal_id, "price", d.price));
  return d.price;
}

/// A deal as stored.
WARD_VIEW ward::Result<Deal> GetDeal(uint64_t deal_id) { return load(deal_id); }

/// The tokens this contract holds, asked from the token contract.
WARD_VIEW ward::Result<uint64_t> TokensHeld(ward::Address token) {
  ward::Context ctx = ward::ctx();
  return ctx.call(token, "GetBalance", ward::json::object("owner", ctx.self())).as<uint64_t>();
}
