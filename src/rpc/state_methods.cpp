// ward/rpc/state_methods.cpp — the methods that read the state or dry-run
// on it: ward_getAccount, ward_call, ward_simulate, ward_estimateGas,
// ward_getCode, ward_getAbi, ward_getState, ward_getObject, ward_getEvents,
// ward_getProof (docs/rpc.md "Methods"). Each request reads one snapshot.
#include <algorithm>

#include "chain/receipt_json.h"
#include "chain/tx.h"
#include "node/proof_json.h"
#include "rpc/node_internal.h"
#include "state/layout.h"
#include "state/objects.h"

namespace ward::rpc::detail {
namespace {

bool printable(std::string_view s) {
  for (unsigned char c : s) {
    if (c < 0x20 || c > 0x7e) return false;
  }
  return true;
}

nlohmann::json bytes_json(std::string_view v) {
  nlohmann::json j = {{"hex", hex0x(v)}};
  if (printable(v)) j["text"] = std::string(v);
  return j;
}

/// The args of a call: a JSON value given as JSON, or a string holding JSON text.
std::string args_text(const nlohmann::json* j) {
  if (j == nullptr) return "{}";
  if (j->is_string()) return j->get<std::string>();
  return chain::dump_json(*j);
}

std::string hex_field(const nlohmann::json& o, const char* name) {
  if (!o.contains(name) || !o[name].is_string()) invalid_params(std::string("'action.") + name + "' must be hex bytes");
  std::string s = o[name].get<std::string>();
  std::string_view v = s;
  if (v.size() >= 2 && v[0] == '0' && v[1] == 'x') v.remove_prefix(2);
  auto b = state::hex_decode(v);
  if (!b) invalid_params(std::string("'action.") + name + "' must be hex bytes");
  return *b;
}

/// An action from {"type": ..., fields} (docs/rpc.md "ward_simulate").
chain::Action action_from_json(const nlohmann::json& a) {
  if (!a.is_object() || !a.contains("type") || !a["type"].is_string()) {
    invalid_params("'action' must be an object with a string 'type'");
  }
  Params p(a, {"type", "to", "amount", "code", "init_method", "init_args", "value", "immutable", "float_policy", "abi",
               "contract", "method", "args", "migrate_method", "migrate_args", "beneficiary"},
           "action.");
  const std::string type = a["type"].get<std::string>();
  if (type == "transfer") return chain::TransferAction{p.address("to"), p.u64("amount")};
  if (type == "deploy") {
    chain::DeployAction d;
    d.code = hex_field(a, "code");
    d.init_method = p.opt_string("init_method");
    d.init_args = p.get("init_args") ? args_text(p.get("init_args")) : std::string();
    d.value = p.opt_u64("value").value_or(0);
    d.immutable = p.opt_bool("immutable", false);
    const std::string fp = p.opt_string("float_policy").value_or("allow");
    if (fp != "allow" && fp != "deny") invalid_params("'action.float_policy' must be \"allow\" or \"deny\"");
    d.float_policy = fp == "deny" ? wasm::FloatPolicy::Deny : wasm::FloatPolicy::Allow;
    if (p.get("abi")) d.abi = args_text(p.get("abi"));
    return d;
  }
  if (type == "call") {
    return chain::CallAction{p.address("contract"), p.string("method"), args_text(p.get("args")),
                             p.opt_u64("value").value_or(0)};
  }
  if (type == "upgrade") {
    chain::UpgradeAction u;
    u.contract = p.address("contract");
    u.code = hex_field(a, "code");
    u.migrate_method = p.opt_string("migrate_method");
    u.migrate_args = p.get("migrate_args") ? args_text(p.get("migrate_args")) : std::string();
    return u;
  }
  if (type == "destroy") return chain::DestroyAction{p.address("contract"), p.address("beneficiary")};
  invalid_params("unknown action type '" + type + "' (transfer, deploy, call, upgrade, destroy)");
}

/// Dry-runs a transaction (signed hex, unsigned hex, or fields) on a snapshot.
chain::Applied dry_run(NodeRpc& node, const nlohmann::json& params) {
  node::Chain& chain = node.service->chain();
  ReadView view = read_view(node);
  state::Overlay overlay(*view.store);
  chain::Transaction tx;
  chain::Address sender{};
  const nlohmann::json* first = params.is_array() && !params.empty() ? &params[0] : &params;
  if (first->is_string() || (params.is_object() && params.contains("tx"))) {
    // [hex] or {"tx": hex}. Params keeps a reference to what it reads: it
    // must be `params` itself (a temporary array here was destroyed before
    // p was used: a use-after-free that crashed the node).
    Params p(params, {"tx"});
    const std::string bytes = p.hex_bytes("tx");
    auto stx = chain::decode_signed(bytes);
    if (stx) {
      tx = stx.value().tx;
    } else {
      auto plain = chain::decode_transaction(bytes);
      if (!plain) invalid_params("'tx' is not a transaction: " + plain.error().message);
      tx = plain.value();
    }
    sender = chain::sender(tx);
  } else {
    if (!first->is_object()) invalid_params("expected a transaction (hex) or its fields (object)");
    Params p(*first, {"from", "nonce", "gas_limit", "gas_price", "expiry_height", "action"});
    sender = p.address("from");
    tx.chain_id = chain.genesis().chain_id;
    auto n = state::get_nonce(overlay, sender);
    if (!n) storage_fault(n.error());
    tx.nonce = p.opt_u64("nonce").value_or(n.value());
    tx.gas_limit = p.opt_u64("gas_limit").value_or(std::min(chain.genesis().block_gas_limit, node.limits.default_gas));
    tx.gas_price = p.opt_u64("gas_price").value_or(chain.genesis().min_gas_price);
    tx.expiry_height = p.opt_u64("expiry_height").value_or(view.head.height + 1);
    tx.action = action_from_json(p.need("action"));
  }
  chain::Executor ex(*view.store, *node.backend, node.limits, node.cache);
  (void)ex.set_gas_schedule(chain.genesis().gas_schedule);  // checked when the chain opened
  const chain::Hash hash = chain::tx_hash(chain::encode(tx));
  chain::Applied a = ex.apply(tx, sender, hash, next_block(chain, view.head), overlay, chain.rules());
  if (a.fault == chain::ApplyFault::StorageFault) storage_fault(make_error(a.error));
  if (a.fault == chain::ApplyFault::Invalid) {
    throw RpcError{kExecution, a.error, nlohmann::json{{"kind", "invalid"}, {"error", a.error}}};
  }
  return a;
}

}  // namespace

void register_state_methods(Dispatcher& d, NodeRpc& node) {
  node::Chain& chain = node.service->chain();

  d.add("ward_getAccount", [&](const nlohmann::json& params, const CallContext&) -> nlohmann::json {
    Params p(params, {"address"});
    const chain::Address a = p.address("address");
    ReadView view = read_view(node);
    state::Overlay overlay(*view.store);
    auto balance = state::balance(overlay, a);
    if (!balance) storage_fault(balance.error());
    auto nonce = state::get_nonce(overlay, a);
    if (!nonce) storage_fault(nonce.error());
    auto record = state::get_contract(overlay, a);
    if (!record) storage_fault(record.error());
    nlohmann::ordered_json j = {{"address", chain::format_address(a)},
                                {"balance", balance.value()},
                                {"nonce", nonce.value()},
                                {"height", view.head.height},
                                {"contract", nullptr}};
    if (record.value()) {
      const auto& r = *record.value();
      j["contract"] = {{"code_hash", chain::format_hash(r.code_hash)},
                       {"deployer", chain::format_address(r.deployer)},
                       {"admin", r.admin ? nlohmann::json(chain::format_address(*r.admin)) : nlohmann::json(nullptr)},
                       {"status", r.destroyed ? "destroyed" : "active"},
                       {"created_at", r.created_at}};
    }
    return j;
  });

  d.add("ward_call", [&](const nlohmann::json& params, const CallContext&) -> nlohmann::json {
    const nlohmann::json& obj = params.is_array() && params.size() == 1 ? params[0] : params;
    if (!obj.is_object()) invalid_params("expected {to, method, args?, from?, value?, gas?}");
    Params p(obj, {"to", "method", "args", "from", "value", "gas"});
    const chain::Address to = p.address("to");
    const std::string method = p.string("method");
    const std::string args = args_text(p.get("args"));
    const chain::Address from = p.opt_address("from").value_or(chain::Address{});
    const uint64_t gas = std::min(p.opt_u64("gas").value_or(node.limits.default_gas), chain.genesis().block_gas_limit);
    ReadView view = read_view(node);
    state::Overlay overlay(*view.store);
    chain::Executor ex(*view.store, *node.backend, node.limits, node.cache);
    (void)ex.set_gas_schedule(chain.genesis().gas_schedule);  // checked when the chain opened
    chain::CallReceipt r =
        ex.view(overlay, next_block(chain, view.head), to, method, args, from, gas, p.opt_u64("value").value_or(0));
    if (chain::is_storage_error(r.error)) storage_fault(make_error(r.error));
    return nlohmann::ordered_json{{"status", chain::to_string(r.status)},
                                  {"result", r.ok() ? chain::json_or_string(r.result) : nlohmann::json(nullptr)},
                                  {"gas_used", r.gas_used},
                                  {"events", chain::events_json(r.events)},
                                  {"error", r.error.empty() ? nlohmann::json(nullptr) : nlohmann::json(r.error)},
                                  {"height", view.head.height}};
  });

  auto simulate = [&](const nlohmann::json& params, const CallContext&) -> nlohmann::json {
    chain::Applied a = dry_run(node, params);
    nlohmann::ordered_json j = chain::receipt_json(a.receipt);
    j.erase("height");
    j.erase("position");
    return j;
  };
  d.add("ward_simulate", simulate);
  d.add("ward_estimateGas", [&](const nlohmann::json& params, const CallContext&) -> nlohmann::json {
    chain::Applied a = dry_run(node, params);
    return nlohmann::ordered_json{{"gas_used", a.receipt.gas_used},
                                  {"status", chain::to_string(a.receipt.status)},
                                  {"error", a.receipt.error.empty() ? nlohmann::json(nullptr)
                                                                    : nlohmann::json(a.receipt.error)}};
  });

  auto contract_record = [&](state::Overlay& overlay, const chain::Address& a) {
    auto record = state::get_contract(overlay, a);
    if (!record) storage_fault(record.error());
    return record.value();
  };

  d.add("ward_getCode", [&, contract_record](const nlohmann::json& params, const CallContext&) -> nlohmann::json {
    Params p(params, {"address"});
    ReadView view = read_view(node);
    state::Overlay overlay(*view.store);
    auto record = contract_record(overlay, p.address("address"));
    if (!record || record->destroyed) return nullptr;
    auto code = state::get_code(overlay, record->code_hash);
    if (!code) storage_fault(code.error());
    if (!code.value()) return nullptr;
    return nlohmann::json{{"code_hash", chain::format_hash(record->code_hash)}, {"code", hex0x(*code.value())}};
  });

  d.add("ward_getAbi", [&](const nlohmann::json& params, const CallContext&) -> nlohmann::json {
    Params p(params, {"address"});
    ReadView view = read_view(node);
    auto abi = view.store->get(chain::abi_key(p.address("address")));
    if (!abi) storage_fault(abi.error());
    if (!abi.value()) return nullptr;
    return chain::json_or_string(*abi.value());
  });

  d.add("ward_getState", [&](const nlohmann::json& params, const CallContext&) -> nlohmann::json {
    Params p(params, {"address", "query"});
    const chain::Address a = p.address("address");
    const nlohmann::json& q = p.need("query");
    if (!q.is_object()) invalid_params("'query' must be {key} or {prefix, limit?, cursor?}");
    Params qp(q, {"key", "key_hex", "prefix", "prefix_hex", "limit", "cursor"}, "query.");
    ReadView view = read_view(node);
    auto decode = [&](const char* text, const char* hexname) -> std::optional<std::string> {
      if (qp.get(text)) return qp.string(text);
      if (qp.get(hexname)) return qp.hex_bytes(hexname);
      return std::nullopt;
    };
    if (auto key = decode("key", "key_hex")) {
      auto v = view.store->get(state::storage_key(a, *key));
      if (!v) storage_fault(v.error());
      return nlohmann::json{{"key", bytes_json(*key)},
                            {"value", v.value() ? bytes_json(*v.value()) : nlohmann::json(nullptr)},
                            {"height", view.head.height}};
    }
    const std::string prefix = decode("prefix", "prefix_hex").value_or("");
    const uint64_t limit = std::clamp<uint64_t>(qp.opt_u64("limit").value_or(100), 1, 1000);
    const std::string base = state::storage_prefix(a);
    std::string start = base + prefix;
    if (auto c = qp.opt_string("cursor")) {
      auto raw = state::hex_decode(*c);
      if (!raw) invalid_params("'query.cursor' must be a cursor returned by an earlier call");
      start = std::max(start, base + *raw + '\0');
    }
    const std::string end = state::prefix_end(base + prefix);
    nlohmann::json entries = nlohmann::json::array();
    std::string last;
    bool more = false;
    auto scanned = view.store->scan_range(start, end, [&](std::string_view k, std::string_view v) {
      if (entries.size() == limit) {
        more = true;
        return false;
      }
      last = std::string(k.substr(base.size()));
      entries.push_back({{"key", bytes_json(last)}, {"value", bytes_json(v)}});
      return true;
    });
    if (!scanned) storage_fault(scanned.error());
    return nlohmann::json{{"entries", std::move(entries)},
                          {"cursor", more ? nlohmann::json(state::hex_encode({reinterpret_cast<const uint8_t*>(last.data()), last.size()}))
                                          : nlohmann::json(nullptr)},
                          {"height", view.head.height}};
  });

  d.add("ward_getObject", [&](const nlohmann::json& params, const CallContext&) -> nlohmann::json {
    Params p(params, {"id"});
    const chain::Hash id = p.hash("id");
    ReadView view = read_view(node);
    state::Overlay overlay(*view.store);
    auto record = state::get_object(overlay, id);
    if (!record) storage_fault(record.error());
    if (!record.value()) return nullptr;
    nlohmann::json fields = nlohmann::json::object();
    const std::string prefix = state::object_field_prefix(id);
    auto scanned = view.store->scan_prefix(prefix, [&](std::string_view k, std::string_view v) {
      fields[std::string(k.substr(prefix.size()))] = chain::json_or_string(v);
      return fields.size() < 10'000;
    });
    if (!scanned) storage_fault(scanned.error());
    return nlohmann::json{{"id", chain::format_hash(id)},
                          {"contract", chain::format_address(record.value()->contract)},
                          {"owner", chain::format_address(record.value()->owner)},
                          {"fields", std::move(fields)}};
  });

  d.add("ward_getEvents", [&](const nlohmann::json& params, const CallContext&) -> nlohmann::json {
    const nlohmann::json& obj = params.is_array() && params.size() == 1 ? params[0] : params;
    if (!obj.is_object()) invalid_params("expected {fromHeight, toHeight?, contract?, name?, limit?, cursor?}");
    Params p(obj, {"fromHeight", "toHeight", "contract", "name", "limit", "cursor"});
    const uint64_t head = chain.head().height;
    const uint64_t from = p.u64("fromHeight");
    const uint64_t to = std::min(p.opt_u64("toHeight").value_or(head), head);
    if (from > to && from <= head) invalid_params("'fromHeight' is above 'toHeight'");
    if (to >= from && to - from >= node.max_event_range) {
      invalid_params("the range covers " + std::to_string(to - from + 1) + " blocks; at most " +
                     std::to_string(node.max_event_range));
    }
    const uint64_t limit = std::clamp<uint64_t>(p.opt_u64("limit").value_or(1000), 1, 10'000);
    nlohmann::json list = nlohmann::json::array();
    std::string cursor;
    if (from <= to) {
      auto events = chain.events(from, to, p.opt_address("contract"), p.opt_string("name"), limit + 1,
                                 p.opt_string("cursor").value_or(""));
      if (!events) {
        if (chain::is_storage_error(events.error().message)) storage_fault(events.error());
        invalid_params("'cursor': " + events.error().message);
      }
      auto& ev = events.value();
      if (ev.size() > limit) {
        ev.pop_back();
        cursor = ev.back().cursor;
      }
      for (auto& e : ev) list.push_back(std::move(e.json));
    }
    return nlohmann::json{{"events", std::move(list)},
                          {"cursor", cursor.empty() ? nlohmann::json(nullptr) : nlohmann::json(cursor)},
                          {"toHeight", to}};
  });

  d.add("ward_getProof", [&](const nlohmann::json& params, const CallContext&) -> nlohmann::json {
    Params p(params, {"key"});
    const std::string key = p.hex_bytes("key");
    if (!key.empty() && key[0] == '_') invalid_params("'key' is a node key, not a state key");
    ReadView view = read_view(node);
    auto value = view.store->get(key);
    if (!value) storage_fault(value.error());
    node::StateTree tree(*view.store);
    auto proof = tree.prove(view.head.header.state_root, key);
    if (!proof) storage_fault(proof.error());
    std::optional<std::string_view> v;
    if (value.value()) v = *value.value();
    return nlohmann::json{{"height", view.head.height},
                          {"state_root", chain::format_hash(view.head.header.state_root)},
                          {"key", hex0x(key)},
                          {"value", value.value() ? nlohmann::json(hex0x(*value.value())) : nlohmann::json(nullptr)},
                          {"proof", node::proof_to_json(proof.value(), key, v)}};
  });
}

}  // namespace ward::rpc::detail
