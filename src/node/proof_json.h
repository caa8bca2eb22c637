// ward/node/proof_json.h — state tree proofs as JSON, the form the RPC
// method ward_getProof returns and the SDKs verify. Every byte string is
// "0x" + lowercase hex (decoding accepts either case):
//
//   {"key": "0x<key bytes>", "value": "0x<value bytes>" | null,
//    "key_hash": "0x<32 bytes>",
//    "siblings": ["0x<32 bytes>", ...],            // top-down, at most 256
//    "leaf": null | {"key_hash": "0x<32 bytes>", "value_hash": "0x<32 bytes>"}}
//
// docs/state-tree.md describes the fields and the verification algorithm.
// Thread-safety: pure functions.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "node/state_tree.h"
#include "util/result.h"

namespace ward::node {

/// The JSON of `proof` for `key`: "value" is the claimed value (inclusion)
/// or null (exclusion); "key_hash" is sha256(key), for readers' convenience.
nlohmann::json proof_to_json(const Proof& proof, std::string_view key, std::optional<std::string_view> value);

/// The proof held by `j` ("siblings" and "leaf"; other fields are ignored).
/// Errors name the malformed field: not an object, a hash that is not
/// "0x" + 64 hex digits, more than 256 siblings.
Result<Proof> proof_from_json(const nlohmann::json& j);

/// A proof with the key and value it is about, as proof_to_json writes them.
struct KeyedProof {
  std::string key;
  std::optional<std::string> value;  ///< nullopt: the proof claims absence
  Proof proof;
};

/// The whole of a proof_to_json object: "key" and "value" too, and, when
/// present, "key_hash" checked against sha256(key).
Result<KeyedProof> keyed_proof_from_json(const nlohmann::json& j);

}  // namespace ward::node
