// ward/rpc/node_methods.cpp — ward_chainInfo, ward_sendTransaction,
// ward_getTransaction, ward_getReceipt, ward_getBlock, ward_getNonce and the
// subscriptions (docs/rpc.md "Methods").
#include "rpc/node_methods.h"

#include <algorithm>

#include "chain/receipt_json.h"
#include "chain/tx.h"
#include "rpc/client.h"
#include "rpc/node_internal.h"
#include "state/layout.h"

namespace ward::rpc {
namespace detail {

std::string hex0x(std::string_view bytes) {
  return "0x" + state::hex_encode({reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size()});
}

void storage_fault(const Error& e) {
  throw RpcError{kServerError, e.message, nlohmann::json{{"kind", "storage_fault"}}};
}

ReadView read_view(NodeRpc& node) {
  ReadView v;
  v.store = node.snapshot();
  auto head = node::read_head_block(*v.store);
  if (!head) storage_fault(head.error());
  v.head = head.value();
  return v;
}

nlohmann::ordered_json header_json(const node::SignedHeader& s) {
  const node::BlockHeader& h = s.header;
  return {{"height", h.height},
          {"hash", chain::format_hash(node::block_hash(h))},
          {"parent_hash", chain::format_hash(h.parent_hash)},
          {"time_ms", h.time_ms},
          {"producer", chain::format_address(h.producer)},
          {"tx_count", h.tx_count},
          {"tx_root", chain::format_hash(h.tx_root)},
          {"receipts_root", chain::format_hash(h.receipts_root)},
          {"state_root", chain::format_hash(h.state_root)},
          {"gas_used", h.gas_used},
          {"producer_key", state::hex_encode(s.producer_key)},
          {"signature", state::hex_encode(s.signature)}};
}

chain::BlockContext next_block(const node::Chain& chain, const node::Head& head) {
  chain::BlockContext b;
  b.height = head.height + 1;
  b.time_ms = static_cast<int64_t>(std::max(node::now_ms(), head.header.time_ms + 1));
  b.producer = chain.genesis().producer;
  b.seed = head.hash;
  return b;
}

}  // namespace detail

namespace {

using detail::storage_fault;

nlohmann::json null_or(const std::optional<nlohmann::ordered_json>& j) {
  return j ? nlohmann::json(*j) : nlohmann::json(nullptr);
}

/// The transaction JSON of stored signed bytes (local-mode blocks hold
/// unsigned transactions with a zero signature: their "from" is the receipt's).
nlohmann::json stored_tx_json(std::string_view stored) {
  auto stx = chain::decode_signed(stored);
  if (!stx) return nlohmann::json{{"undecodable", stx.error().message}};
  return chain::to_json(stx.value());
}

nlohmann::json block_json(node::Chain& chain, const node::SignedHeader& sh, bool full) {
  nlohmann::json j = detail::header_json(sh);
  auto txs = chain.block_txs(sh.header.height);
  if (!txs) storage_fault(txs.error());
  nlohmann::json list = nlohmann::json::array();
  for (const auto& t : txs.value()) {
    const size_t n = t.size() >= chain::kSignatureBytes ? t.size() - chain::kSignatureBytes : 0;
    if (full) {
      list.push_back(stored_tx_json(t));
    } else {
      list.push_back(chain::format_hash(chain::tx_hash(std::string_view(t).substr(0, n))));
    }
  }
  j["transactions"] = std::move(list);
  return j;
}

nlohmann::json rejected(const node::Rejection& r, const std::optional<chain::Hash>& hash) {
  nlohmann::json data = {{"kind", "rejected"}, {"reason", r.kind}};
  if (hash) data["txHash"] = chain::format_hash(*hash);
  throw RpcError{kTxRejected, r.message, data};
}

}  // namespace

void register_node_methods(Dispatcher& d, Server* server, NodeRpc& node) {
  node::NodeService& svc = *node.service;
  node::Chain& chain = svc.chain();

  d.add("ward_chainInfo", [&](const nlohmann::json& params, const CallContext&) -> nlohmann::json {
    Params p(params, {});
    const node::Head h = chain.head();
    nlohmann::ordered_json j = {{"chain_id", chain.genesis().chain_id},
                                {"head_height", h.height},
                                {"head_hash", chain::format_hash(h.hash)},
                                {"head_time_ms", h.header.time_ms},
                                {"genesis_hash", chain::format_hash(chain.genesis_hash())},
                                {"node_version", WARD_VERSION},
                                {"min_gas_price", chain.genesis().min_gas_price},
                                {"block_gas_limit", chain.genesis().block_gas_limit},
                                {"producer", chain::format_address(chain.genesis().producer)},
                                {"mempool_size", svc.mempool().size()},
                                {"halted", svc.halted()}};
    if (svc.halted()) j["halt_reason"] = svc.halt_reason();
    if (node.cluster_info) j["cluster"] = node.cluster_info();
    return j;
  });

  d.add("ward_sendTransaction", [&](const nlohmann::json& params, const CallContext& ctx) -> nlohmann::json {
    Params p(params, {"tx", "waitUntil", "timeoutMs"});
    const std::string bytes = p.hex_bytes("tx");
    const std::string wait = p.opt_string("waitUntil").value_or("none");
    if (wait != "none" && wait != "included") invalid_params("'waitUntil' must be \"none\" or \"included\"");
    const uint64_t timeout = std::min<uint64_t>(p.opt_u64("timeoutMs").value_or(node.default_wait_ms), node.max_wait_ms);
    if (svc.halted()) {
      throw RpcError{kNodeHalted, "node halted: " + svc.halt_reason(), nlohmann::json{{"kind", "halted"}}};
    }
    if (node.forward_url) {
      // Cluster mode: the leader admits and orders; this node answers once
      // it has applied the block itself (reads stay local).
      auto url = node.forward_url();
      if (!url) {
        throw RpcError{kTxRejected, url.error().message, nlohmann::json{{"kind", "rejected"}, {"reason", "no_leader"}}};
      }
      if (url.value()) {
        nlohmann::json fwd;
        try {
          Client client(*url.value(), 10'000);
          fwd = client.call("ward_sendTransaction", nlohmann::json{{"tx", detail::hex0x(bytes)}});
        } catch (const ClientError& e) {
          throw e.error;
        } catch (const std::exception& e) {
          throw RpcError{kTxRejected, std::string("cannot forward to the leader: ") + e.what(),
                         nlohmann::json{{"kind", "rejected"}, {"reason", "leader_unreachable"}}};
        }
        auto hash = chain::parse_hash(fwd.value("tx_hash", std::string()));
        if (!hash) throw RpcError{kServerError, "the leader answered without a tx_hash", nullptr};
        nlohmann::ordered_json out = {{"tx_hash", chain::format_hash(*hash)}, {"receipt", nullptr}};
        if (wait == "included") {
          auto receipt = svc.wait_receipt(*hash, std::chrono::milliseconds(timeout));
          if (!receipt) storage_fault(receipt.error());
          if (!receipt.value()) {
            throw RpcError{kTimeout, "transaction " + chain::format_hash(*hash) + " not included within " +
                                         std::to_string(timeout) + " ms; it may still be included",
                           nlohmann::json{{"kind", "timeout"}, {"txHash", chain::format_hash(*hash)}}};
          }
          out["receipt"] = chain::receipt_json(*receipt.value());
        }
        return out;
      }
    }
    auto r = svc.submit(bytes);
    if (auto* rej = std::get_if<node::Rejection>(&r)) {
      std::optional<chain::Hash> h;
      if (auto stx = chain::decode_signed(bytes)) h = stx.value().hash;
      rejected(*rej, h);
    }
    const chain::Hash hash = std::get<chain::Hash>(r);
    nlohmann::ordered_json out = {{"tx_hash", chain::format_hash(hash)}, {"receipt", nullptr}};
    if (wait == "included") {
      auto receipt = svc.wait_receipt(hash, std::chrono::milliseconds(timeout));
      if (!receipt) storage_fault(receipt.error());
      if (!receipt.value()) {
        throw RpcError{kTimeout, "transaction " + chain::format_hash(hash) + " not included within " +
                                     std::to_string(timeout) + " ms; it may still be included",
                       nlohmann::json{{"kind", "timeout"}, {"txHash", chain::format_hash(hash)}}};
      }
      out["receipt"] = chain::receipt_json(*receipt.value());
    }
    (void)ctx;
    return out;
  });

  // A committed receipt, plus "trace": the call tree this node recorded
  // when it executed the transaction (null when none was kept).
  auto receipt_with_trace = [&chain](const chain::Receipt& r) {
    nlohmann::ordered_json j = chain::receipt_json(r);
    auto t = chain.trace(r.tx_hash);
    if (!t) storage_fault(t.error());
    j["trace"] = nullptr;
    if (t.value()) {
      auto parsed = nlohmann::ordered_json::parse(*t.value(), nullptr, false);
      if (!parsed.is_discarded()) j["trace"] = std::move(parsed);
    }
    return j;
  };

  d.add("ward_getReceipt", [&, receipt_with_trace](const nlohmann::json& params, const CallContext&) -> nlohmann::json {
    Params p(params, {"hash"});
    auto r = chain.receipt(p.hash("hash"));
    if (!r) storage_fault(r.error());
    if (!r.value()) return nullptr;
    return receipt_with_trace(*r.value());
  });

  d.add("ward_getTransaction", [&, receipt_with_trace](const nlohmann::json& params, const CallContext&) -> nlohmann::json {
    Params p(params, {"hash"});
    const chain::Hash hash = p.hash("hash");
    auto bytes = chain.tx_bytes(hash);
    if (!bytes) storage_fault(bytes.error());
    if (!bytes.value()) {
      if (svc.mempool().contains(hash)) return nlohmann::json{{"hash", chain::format_hash(hash)}, {"pending", true}};
      return nullptr;
    }
    nlohmann::json j = stored_tx_json(*bytes.value());
    auto loc = chain.tx_location(hash);
    if (!loc) storage_fault(loc.error());
    j["pending"] = false;
    j["height"] = loc.value()->first;
    j["position"] = loc.value()->second;
    auto r = chain.receipt(hash);
    if (!r) storage_fault(r.error());
    if (r.value()) {
      j["receipt"] = receipt_with_trace(*r.value());
      j["from"] = chain::format_address(r.value()->from);
    }
    return j;
  });

  d.add("ward_getBlock", [&](const nlohmann::json& params, const CallContext&) -> nlohmann::json {
    Params p(params, {"block", "fullTxs", "raw"});
    const bool full = p.opt_bool("fullTxs", false);
    const bool raw = p.opt_bool("raw", false);
    const nlohmann::json* sel = p.get("block");
    uint64_t height = 0;
    if (sel == nullptr || (sel->is_string() && sel->get<std::string>() == "latest")) {
      height = chain.head().height;
    } else if (auto n = json_u64(*sel)) {
      height = *n;
    } else if (sel->is_object()) {
      if (sel->size() != 1) invalid_params("'block' must have exactly one of \"height\" or \"hash\"");
      if (sel->contains("height")) {
        auto hgt = json_u64((*sel)["height"]);
        if (!hgt) invalid_params("'block.height' must be an unsigned 64-bit integer");
        height = *hgt;
      } else if (sel->contains("hash")) {
        auto hh = (*sel)["hash"].is_string() ? chain::parse_hash((*sel)["hash"].get<std::string>()) : std::nullopt;
        if (!hh) invalid_params("'block.hash' must be a hash (0x followed by 64 hex digits)");
        auto found = chain.height_of(*hh);
        if (!found) storage_fault(found.error());
        if (!found.value()) return nullptr;
        height = *found.value();
      } else {
        invalid_params("'block' must have exactly one of \"height\" or \"hash\"");
      }
    } else {
      invalid_params("'block' must be \"latest\", a height, {\"height\": N} or {\"hash\": \"0x...\"}");
    }
    auto sh = chain.header_at(height);
    if (!sh) storage_fault(sh.error());
    if (!sh.value()) {
      if (height > 0 && height < chain.base_height()) {
        throw RpcError{kNotFound,
                       "block " + std::to_string(height) + " is before this node's state-sync base " +
                           std::to_string(chain.base_height()) + " (its state was downloaded at that block)",
                       nlohmann::json{{"kind", "before_base"}, {"base", chain.base_height()}}};
      }
      return nullptr;
    }
    nlohmann::json j = block_json(chain, *sh.value(), full);
    if (raw) {
      // The exact bytes (a cluster node far behind re-applies them).
      j["raw_header"] = detail::hex0x(node::encode_signed_header(*sh.value()));
      auto txs = chain.block_txs(height);
      if (!txs) storage_fault(txs.error());
      nlohmann::json list = nlohmann::json::array();
      for (const auto& t : txs.value()) list.push_back(detail::hex0x(t));
      j["raw_transactions"] = std::move(list);
    }
    return j;
  });

  d.add("ward_getNonce", [&](const nlohmann::json& params, const CallContext&) -> nlohmann::json {
    Params p(params, {"address"});
    const chain::Address a = p.address("address");
    auto view = detail::read_view(node);
    state::Overlay overlay(*view.store);
    auto n = state::get_nonce(overlay, a);
    if (!n) storage_fault(n.error());
    return n.value();
  });

  detail::register_state_methods(d, node);
  detail::register_sync_methods(d, node);
  if (server == nullptr) return;
  server->add_subscription_kind("newHeads", [](const nlohmann::json& filter) {
    if (!filter.is_null() && !(filter.is_object() && filter.empty())) {
      invalid_params("newHeads takes no filter");
    }
  });
  server->add_subscription_kind("events", [](const nlohmann::json& filter) {
    if (filter.is_null()) return;
    if (!filter.is_object()) invalid_params("the events filter must be an object {contract?, name?}");
    for (auto it = filter.begin(); it != filter.end(); ++it) {
      if (it.key() == "contract") {
        if (!it->is_string() || !chain::parse_address(it->get<std::string>())) {
          invalid_params("'contract' must be an address (0x followed by 40 hex digits)");
        }
      } else if (it.key() == "name") {
        if (!it->is_string()) invalid_params("'name' must be a string");
      } else {
        invalid_params("unknown filter field '" + it.key() + "'");
      }
    }
  });
}

void publish_block(Server& server, const node::BlockResult& b) {
  server.publish("newHeads", detail::header_json(b.header), [](const nlohmann::json&) { return true; });
  for (const auto& r : b.receipts) {
    for (size_t i = 0; i < r.events.size(); ++i) {
      const auto& e = r.events[i];
      const std::string contract = chain::format_address(e.contract);
      server.publish("events", node::event_json(r, i), [&](const nlohmann::json& f) {
        if (f.is_null()) return true;
        if (f.contains("contract") && f["contract"].get<std::string>() != contract) {
          auto want = chain::parse_address(f["contract"].get<std::string>());
          if (!want || *want != e.contract) return false;
        }
        if (f.contains("name") && f["name"].get<std::string>() != e.name) return false;
        return true;
      });
    }
  }
}

}  // namespace ward::rpc
