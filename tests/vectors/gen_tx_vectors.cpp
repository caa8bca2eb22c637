// Prints tests/vectors/tx-v1.json: the transaction test vectors shared by the
// C++ node and the SDKs (tests/vectors/README.md). Run it after a change to
// the transaction format, and commit its output:
//   ward_tx_vectors_gen > tests/vectors/tx-v1.json
#include <cstdio>
#include <iostream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "chain/tx.h"

namespace {

using namespace ward;
using namespace ward::chain;
using Json = nlohmann::ordered_json;

std::string hex(std::string_view s) { return state::hex_encode(std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(s.data()), s.size())); }
std::string bytes_of(std::string_view hex_text) { return *state::hex_decode(hex_text); }
Address addr_fill(uint8_t b) { Address a; a.fill(b); return a; }
Address addr_hex(std::string_view h) { return *parse_address(h); }
Seed seed_hex(std::string_view h) { Seed s{}; auto b = bytes_of(h); std::copy(b.begin(), b.end(), s.begin()); return s; }
Seed seed_of(std::string_view label) { return state::sha256(std::string("ward/tx-vectors/") + std::string(label)); }
Json u64(uint64_t v) { return std::to_string(v); }
Json opt(const std::optional<std::string>& s) { return s ? Json(*s) : Json(nullptr); }

Json action_fields(const Action& action) {
  Json j = {{"type", action_name(action)}};
  if (auto* a = std::get_if<TransferAction>(&action)) {
    j["to"] = format_address(a->to);
    j["amount"] = u64(a->amount);
  } else if (auto* a = std::get_if<DeployAction>(&action)) {
    j["code"] = hex(a->code);
    j["init_method"] = opt(a->init_method);
    j["init_args"] = a->init_args;
    j["value"] = u64(a->value);
    j["immutable"] = a->immutable;
    j["float_policy"] = a->float_policy == wasm::FloatPolicy::Deny ? "deny" : "allow";
    j["abi"] = opt(a->abi);
  } else if (auto* a = std::get_if<CallAction>(&action)) {
    j["contract"] = format_address(a->contract);
    j["method"] = a->method;
    j["args"] = a->args;
    j["value"] = u64(a->value);
  } else if (auto* a = std::get_if<UpgradeAction>(&action)) {
    j["contract"] = format_address(a->contract);
    j["code"] = hex(a->code);
    j["migrate_method"] = opt(a->migrate_method);
    j["migrate_args"] = a->migrate_args;
  } else if (auto* a = std::get_if<DestroyAction>(&action)) {
    j["contract"] = format_address(a->contract);
    j["beneficiary"] = format_address(a->beneficiary);
  }
  return j;
}

Json valid_case(const std::string& name, const std::string& description, const Seed& seed, Transaction tx) {
  const KeyPair kp = KeyPair::from_seed(seed);
  const SignedTransaction stx = sign_transaction(tx, kp);
  tx = stx.tx;
  Json fields = {{"version", tx.version},
                 {"chain_id", tx.chain_id},
                 {"signer", state::hex_encode(tx.signer)},
                 {"nonce", u64(tx.nonce)},
                 {"expiry_height", u64(tx.expiry_height)},
                 {"gas_limit", u64(tx.gas_limit)},
                 {"gas_price", u64(tx.gas_price)},
                 {"action", action_fields(tx.action)}};
  return {{"name", name},
          {"description", description},
          {"seed", state::hex_encode(seed)},
          {"public_key", state::hex_encode(kp.public_key)},
          {"address", format_address(sender(tx))},
          {"chain_id", tx.chain_id},
          {"fields", fields},
          {"tx_hex", hex(stx.tx_bytes)},
          {"signing_digest", state::hex_encode(signing_digest(tx.chain_id, stx.tx_bytes))},
          {"hash", state::hex_encode(stx.hash)},
          {"signature", state::hex_encode(stx.signature)},
          {"signed_hex", hex(encode_signed(stx))}};
}

Transaction base(std::string chain_id, uint64_t nonce, Action action) {
  Transaction tx;
  tx.chain_id = std::move(chain_id);
  tx.nonce = nonce;
  tx.expiry_height = 1000;
  tx.gas_limit = 1'000'000;
  tx.gas_price = 1;
  tx.action = std::move(action);
  return tx;
}

Json invalid_case(const std::string& name, const std::string& decoder, const std::string& bytes, const std::string& error) {
  return {{"name", name}, {"decoder", decoder}, {"hex", hex(bytes)}, {"error", error}};
}

}  // namespace

int main() {
  const std::string kChain = "ward-testnet-1";
  // RFC 8032 section 7.1, TEST 1: its public key is d75a9801...511a.
  const Seed rfc_seed = seed_hex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60");
  const std::string wasm_min = bytes_of("0061736d01000000");
  const std::string gzip_like = bytes_of("1f8b08000000000000ff636060606406000000ffff0300d4c3b5c708000000");
  const uint64_t kMax = UINT64_MAX;

  Json valid = Json::array();
  valid.push_back(valid_case("transfer", "plain value transfer", rfc_seed,
                             base(kChain, 0, TransferAction{addr_fill(0x11), 1'000'000})));
  {
    Transaction tx = base("", kMax, TransferAction{addr_fill(0xff), kMax});
    tx.expiry_height = kMax, tx.gas_limit = kMax, tx.gas_price = kMax;
    valid.push_back(valid_case("transfer-max-u64-empty-chain", "every u64 at 2^64-1, empty chain id", seed_of("max"), tx));
  }
  {
    Transaction tx = base(kChain, 0, TransferAction{addr_fill(0), 0});
    tx.expiry_height = 0, tx.gas_limit = 0, tx.gas_price = 0;
    valid.push_back(valid_case("transfer-zeros", "every integer 0, zero address", seed_of("zeros"), tx));
  }
  valid.push_back(valid_case("deploy-minimal", "raw wasm, no init method, empty args, no ABI", seed_of("deploy-min"),
                             base(kChain, 1, DeployAction{wasm_min, std::nullopt, "", 0, false, wasm::FloatPolicy::Allow, std::nullopt})));
  valid.push_back(valid_case(
      "deploy-full", "gzip code, init method and args, value, immutable, floats denied, ABI", rfc_seed,
      base(kChain, 2,
           DeployAction{gzip_like, "init", R"({"owner":"0x1111111111111111111111111111111111111111","supply":1000})", 500, true,
                        wasm::FloatPolicy::Deny, R"({"methods":[{"name":"init","args":[]}]})"})));
  valid.push_back(valid_case("deploy-empty-options-present", "options present but holding empty strings, empty code",
                             seed_of("deploy-empty"),
                             base(kChain, 3, DeployAction{"", std::string(), "", kMax, false, wasm::FloatPolicy::Allow, std::string()})));
  valid.push_back(valid_case("call", "method call with JSON args", rfc_seed,
                             base(kChain, 3, CallAction{addr_hex("0x5b0f1e5a3c2d4e6f708192a3b4c5d6e7f8091a2b"), "transfer",
                                                        R"({"to":"0x2222222222222222222222222222222222222222","amount":"10"})", 0})));
  valid.push_back(valid_case("call-unicode-empty-args", "non-ASCII chain id and method, empty args, max value",
                             seed_of("unicode"),
                             base("ward-d\xc3\xa9v", 7, CallAction{addr_fill(0x42), "gr\xc3\xbc\xc3\x9f_\xf0\x9f\x98\x80", "", kMax})));
  valid.push_back(valid_case("upgrade", "new raw code, no migrate method", rfc_seed,
                             base(kChain, 4, UpgradeAction{addr_fill(0x33), wasm_min, std::nullopt, ""})));
  valid.push_back(valid_case("upgrade-migrate", "gzip code and a migrate method with args", seed_of("upgrade"),
                             base(kChain, 5, UpgradeAction{addr_fill(0x33), gzip_like, "migrate", R"({"from":1})"})));
  valid.push_back(valid_case("destroy", "destroy a contract, balance to a beneficiary", rfc_seed,
                             base(kChain, 6, DestroyAction{addr_fill(0x33), addr_fill(0x44)})));

  // Malformed inputs, each made from a valid encoding. Offsets: the header is
  // version(1) chain_id(4 + n) signer(32) four u64 (32), then the action tag.
  const KeyPair kp = KeyPair::from_seed(rfc_seed);
  const auto enc = [&](Transaction tx) { tx.signer = kp.public_key; return encode(tx); };
  const std::string transfer = enc(base(kChain, 0, TransferAction{addr_fill(0x11), 1}));
  const size_t tag_at = 1 + 4 + kChain.size() + 32 + 32;
  const std::string deploy = enc(base(kChain, 0, DeployAction{wasm_min, "init", "{}", 0, false, wasm::FloatPolicy::Allow, std::nullopt}));
  const size_t init_tag_at = tag_at + 1 + 4 + wasm_min.size();
  const size_t immutable_at = init_tag_at + 1 + 4 + 4 + 4 + 2 + 8;
  const std::string signed_transfer = encode_signed(sign_transaction(base(kChain, 0, TransferAction{addr_fill(0x11), 1}), kp));
  auto with = [](std::string s, size_t at, uint8_t b) { s[at] = static_cast<char>(b); return s; };

  Json invalid = Json::array();
  invalid.push_back(invalid_case("empty", "transaction", "", "transaction truncated: version"));
  invalid.push_back(invalid_case("trailing-byte", "transaction", transfer + std::string(1, '\0'), "trailing bytes"));
  invalid.push_back(invalid_case("truncated-last-byte", "transaction", transfer.substr(0, transfer.size() - 1),
                                 "transaction truncated: transfer.amount"));
  invalid.push_back(invalid_case("truncated-in-signer", "transaction", transfer.substr(0, 30), "transaction truncated: signer"));
  invalid.push_back(invalid_case("bad-version-2", "transaction", with(transfer, 0, 2), "unsupported version 2"));
  invalid.push_back(invalid_case("bad-version-0", "transaction", with(transfer, 0, 0), "unsupported version 0"));
  invalid.push_back(invalid_case("unknown-action-tag", "transaction", with(transfer, tag_at, 5), "unknown action tag 5"));
  invalid.push_back(invalid_case("bad-option-tag", "transaction", with(deploy, init_tag_at, 2),
                                 "deploy.init_method option tag at offset " + std::to_string(init_tag_at) + " must be 0 or 1"));
  invalid.push_back(invalid_case("bad-bool", "transaction", with(deploy, immutable_at, 2),
                                 "deploy.immutable at offset " + std::to_string(immutable_at) + " must be 0 or 1"));
  invalid.push_back(invalid_case("bad-float-policy", "transaction", with(deploy, immutable_at + 1, 2), "deploy.float_policy"));
  {
    std::string bad = transfer;
    bad.replace(5, kChain.size(), std::string(kChain.size() - 1, 'a') + "\xff");
    invalid.push_back(invalid_case("bad-utf8-chain-id", "transaction", bad, "chain_id at offset 1 is not valid UTF-8"));
    std::string call = enc(base(kChain, 0, CallAction{addr_fill(1), "ab", "", 0}));
    std::string overlong = call, surrogate = call;
    overlong.replace(tag_at + 1 + 20 + 4, 2, "\xc0\xaf");
    invalid.push_back(invalid_case("bad-utf8-overlong-method", "transaction", overlong, "call.method"));
    surrogate.replace(tag_at + 1 + 20 + 4, 2, "ab");
    surrogate.insert(tag_at + 1 + 20 + 4, "\xed\xa0\x80");
    surrogate[tag_at + 1 + 20] = 5;  // length 2 -> 5
    invalid.push_back(invalid_case("bad-utf8-surrogate-method", "transaction", surrogate, "is not valid UTF-8"));
  }
  invalid.push_back(invalid_case("huge-length-prefix", "transaction",
                                 transfer.substr(0, 1) + std::string("\xff\xff\xff\xff", 4) + transfer.substr(5),
                                 "chain_id length 4294967295 at offset 1 exceeds"));
  invalid.push_back(invalid_case("signature-missing", "signed", transfer, "expected a 64-byte signature"));
  invalid.push_back(invalid_case("signature-short", "signed", signed_transfer.substr(0, signed_transfer.size() - 1),
                                 "expected a 64-byte signature"));
  invalid.push_back(invalid_case("signature-long", "signed", signed_transfer + std::string(1, '\0'),
                                 "expected a 64-byte signature"));

  Json out = {{"format", "ward transaction v1 (docs/tx-format.md)"},
              {"notes", "u64 values are decimal strings; bytes are lowercase hex; addresses are 0x + 40 hex digits; "
                        "signature = Ed25519(seed, signing_digest), signing_digest = sha256(\"WARD/tx/v1\" || chain_id || tx), "
                        "hash = sha256(tx). 'error' of an invalid case is a substring of the C++ decoder's message."},
              {"valid", valid},
              {"invalid", invalid}};
  std::cout << out.dump(2) << "\n";
  return 0;
}
