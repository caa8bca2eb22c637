// ward/chain/tx_json.cpp — the JSON view of a transaction for RPC and CLI
// output (docs/tx-format.md section "JSON view"). Display only: the signed
// form is the binary encoding.
#include <nlohmann/json.hpp>

#include "chain/tx.h"

namespace ward::chain {
namespace {

nlohmann::json optional_text(const std::optional<std::string>& s) {
  return s ? nlohmann::json(*s) : nlohmann::json(nullptr);
}

void put_code(nlohmann::json& j, const std::string& code) {
  j["code_hash"] = format_hash(state::sha256(std::string_view(code)));
  j["code_size"] = code.size();
}

struct ActionJson {
  nlohmann::json& j;
  void operator()(const TransferAction& a) {
    j["to"] = format_address(a.to);
    j["amount"] = a.amount;
  }
  void operator()(const DeployAction& a) {
    put_code(j, a.code);
    j["init_method"] = optional_text(a.init_method);
    j["init_args"] = a.init_args;
    j["value"] = a.value;
    j["immutable"] = a.immutable;
    j["float_policy"] = a.float_policy == wasm::FloatPolicy::Deny ? "deny" : "allow";
    j["abi"] = optional_text(a.abi);
  }
  void operator()(const CallAction& a) {
    j["contract"] = format_address(a.contract);
    j["method"] = a.method;
    j["args"] = a.args;
    j["value"] = a.value;
  }
  void operator()(const UpgradeAction& a) {
    j["contract"] = format_address(a.contract);
    put_code(j, a.code);
    j["migrate_method"] = optional_text(a.migrate_method);
    j["migrate_args"] = a.migrate_args;
  }
  void operator()(const DestroyAction& a) {
    j["contract"] = format_address(a.contract);
    j["beneficiary"] = format_address(a.beneficiary);
  }
};

}  // namespace

nlohmann::json to_json(const Transaction& tx) {
  nlohmann::json action = {{"type", action_name(tx.action)}};
  std::visit(ActionJson{action}, tx.action);
  return {
      {"version", tx.version},
      {"chain_id", tx.chain_id},
      {"signer", state::hex_encode(tx.signer)},
      {"from", format_address(sender(tx))},
      {"nonce", tx.nonce},
      {"expiry_height", tx.expiry_height},
      {"gas_limit", tx.gas_limit},
      {"gas_price", tx.gas_price},
      {"action", std::move(action)},
  };
}

nlohmann::json to_json(const SignedTransaction& stx) {
  nlohmann::json j = to_json(stx.tx);
  j["hash"] = format_hash(stx.hash);
  j["signature"] = state::hex_encode(stx.signature);
  return j;
}

}  // namespace ward::chain
