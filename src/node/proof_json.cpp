// ward/node/proof_json.cpp — JSON form of state tree proofs (proof_json.h).
#include "node/proof_json.h"

#include <cstdint>
#include <span>

namespace ward::node {
namespace {

std::string hex0x(std::string_view bytes) {
  return "0x" + state::hex_encode(std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(bytes.data()),
                                                           bytes.size()));
}
std::string hex0x(const Hash& h) { return "0x" + state::hex_encode(h); }

/// The bytes of "0x"-prefixed hex `j`; `what` names the field in errors.
Result<std::string> bytes_of(const nlohmann::json& j, const std::string& what) {
  if (!j.is_string()) return make_error("proof JSON: " + what + " is not a string");
  const std::string& s = j.get_ref<const std::string&>();
  if (s.size() < 2 || s[0] != '0' || (s[1] != 'x' && s[1] != 'X'))
    return make_error("proof JSON: " + what + " does not start with 0x");
  auto bytes = state::hex_decode(std::string_view(s).substr(2));
  if (!bytes) return make_error("proof JSON: " + what + " is not even-length hex");
  return std::move(*bytes);
}

Result<Hash> hash_of(const nlohmann::json& j, const std::string& what) {
  auto bytes = bytes_of(j, what);
  if (!bytes) return bytes.error();
  if (bytes->size() != 32)
    return make_error("proof JSON: " + what + " has " + std::to_string(bytes->size()) + " bytes, expected 32");
  Hash h{};
  std::copy(bytes->begin(), bytes->end(), h.begin());
  return h;
}

}  // namespace

nlohmann::json proof_to_json(const Proof& proof, std::string_view key, std::optional<std::string_view> value) {
  nlohmann::json j = nlohmann::json::object();
  j["key"] = hex0x(key);
  j["value"] = value ? nlohmann::json(hex0x(*value)) : nlohmann::json(nullptr);
  j["key_hash"] = hex0x(state::sha256(key));
  nlohmann::json siblings = nlohmann::json::array();
  for (const Hash& s : proof.siblings) siblings.push_back(hex0x(s));
  j["siblings"] = std::move(siblings);
  if (proof.leaf)
    j["leaf"] = {{"key_hash", hex0x(proof.leaf->key_hash)}, {"value_hash", hex0x(proof.leaf->value_hash)}};
  else
    j["leaf"] = nullptr;
  return j;
}

Result<Proof> proof_from_json(const nlohmann::json& j) {
  if (!j.is_object()) return make_error("proof JSON: not an object");
  Proof proof;
  auto sib = j.find("siblings");
  if (sib == j.end() || !sib->is_array()) return make_error("proof JSON: \"siblings\" is missing or not an array");
  if (sib->size() > 256)
    return make_error("proof JSON: " + std::to_string(sib->size()) + " siblings, at most 256 allowed");
  proof.siblings.reserve(sib->size());
  for (size_t i = 0; i < sib->size(); ++i) {
    auto h = hash_of((*sib)[i], "siblings[" + std::to_string(i) + "]");
    if (!h) return h.error();
    proof.siblings.push_back(h.value());
  }
  auto leaf = j.find("leaf");
  if (leaf == j.end()) return make_error("proof JSON: \"leaf\" is missing");
  if (!leaf->is_null()) {
    if (!leaf->is_object()) return make_error("proof JSON: \"leaf\" is neither null nor an object");
    auto kh = leaf->find("key_hash");
    auto vh = leaf->find("value_hash");
    if (kh == leaf->end() || vh == leaf->end())
      return make_error("proof JSON: \"leaf\" needs \"key_hash\" and \"value_hash\"");
    auto k = hash_of(*kh, "leaf.key_hash");
    if (!k) return k.error();
    auto v = hash_of(*vh, "leaf.value_hash");
    if (!v) return v.error();
    proof.leaf = ProofLeaf{k.value(), v.value()};
  }
  return proof;
}

Result<KeyedProof> keyed_proof_from_json(const nlohmann::json& j) {
  auto proof = proof_from_json(j);
  if (!proof) return proof.error();
  KeyedProof out;
  out.proof = std::move(proof.value());
  auto key = j.find("key");
  if (key == j.end()) return make_error("proof JSON: \"key\" is missing");
  auto key_bytes = bytes_of(*key, "key");
  if (!key_bytes) return key_bytes.error();
  out.key = std::move(key_bytes.value());
  auto value = j.find("value");
  if (value == j.end()) return make_error("proof JSON: \"value\" is missing (null for an absence proof)");
  if (!value->is_null()) {
    auto value_bytes = bytes_of(*value, "value");
    if (!value_bytes) return value_bytes.error();
    out.value = std::move(value_bytes.value());
  }
  if (auto kh = j.find("key_hash"); kh != j.end()) {
    auto h = hash_of(*kh, "key_hash");
    if (!h) return h.error();
    if (h.value() != state::sha256(out.key)) return make_error("proof JSON: \"key_hash\" is not sha256 of \"key\"");
  }
  return out;
}

}  // namespace ward::node
