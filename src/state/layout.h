// ward/state/layout.h — how Ward's state is laid out in the key/value store,
// and typed helpers to read and write it. Every key starts with a one-letter
// tag; addresses and hashes are raw bytes (not hex):
//
//   c/<20-byte address>            -> contract record (JSON, see ContractRecord)
//   k/<32-byte sha256 of the code> -> the wasm module's bytes, as deployed
//   r/<32-byte sha256 of the code> -> how many contracts use that code, u64 big-endian
//   s/<20-byte address>/<key>      -> the contract's own key/value storage
//   n/<20-byte address>            -> the account's nonce, u64 big-endian (absent = 0)
//   a/<20-byte address>            -> ABI JSON carried by the deploy (chain::abi_key)
//   h                              -> request counter of the older executor entry points
//   _...                           -> the chain beside the state (node/chain.h); not in the state root
//   o/, f/, i/, g/, b/             -> objects and balances (state/objects.h)
//
// The layout is part of the on-disk format: a change needs a migration.
// docs/host-abi.md (section "State layout") repeats this table.
// Thread-safety: pure functions, plus helpers acting on the given Overlay.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "state/overlay.h"
#include "ward/types.h"
#include "util/result.h"

namespace ward::state {

/// A 20-byte account or contract address (include/ward/types.h).
using Address = ::ward::Address;
/// A 32-byte SHA-256 digest (include/ward/types.h).
using Hash = ::ward::Hash;

/// SHA-256 of `data` (libsodium).
Hash sha256(std::span<const uint8_t> data);
/// SHA-256 of the bytes of `data`.
Hash sha256(std::string_view data);

/// Lowercase hex of `bytes`, without a prefix.
std::string hex_encode(std::span<const uint8_t> bytes);
/// Decodes hex (either case, no prefix, even length); nullopt when malformed.
std::optional<std::string> hex_decode(std::string_view hex);
/// The bytes of `bytes` as a std::string.
inline std::string as_string(std::span<const uint8_t> bytes) {
  return std::string(reinterpret_cast<const char*>(bytes.data()), bytes.size());
}
/// u64 as 8 big-endian bytes, and back (nullopt unless exactly 8 bytes).
std::string encode_u64(uint64_t v);
std::optional<uint64_t> decode_u64(std::string_view bytes);
/// u32 as 4 big-endian bytes, and back (nullopt unless exactly 4 bytes).
std::string encode_u32(uint32_t v);
std::optional<uint32_t> decode_u32(std::string_view bytes);

// --- keys ---
std::string contract_key(const Address& addr);
std::string code_key(const Hash& code_hash);
/// Key of the reference count of a stored code: "r/<hash>".
std::string code_refs_key(const Hash& code_hash);
/// Prefix of every storage key of the contract: "s/<addr>/".
std::string storage_prefix(const Address& addr);
std::string storage_key(const Address& addr, std::string_view key);
std::string nonce_key(const Address& addr);
inline constexpr std::string_view kHeightKey = "h";

/// What the state knows of a deployed contract.
struct ContractRecord {
  Hash code_hash{};
  Address deployer{};
  uint64_t created_at = 0;    ///< height at which it was deployed
  int64_t created_time = 0;   ///< block time of that height, seconds since the Unix epoch
  /// Who may upgrade or destroy the contract; nullopt: nobody (immutable).
  /// A record stored without the field reads as admin = deployer.
  std::optional<Address> admin;
  /// A tombstone: the contract was destroyed; the address stays taken.
  bool destroyed = false;
  bool operator==(const ContractRecord&) const = default;
};

/// The record as stored: {"code_hash":"0x..","deployer":"0x..","created_at":N,"created_time":T,
/// "admin":"0x.."|null,"status":"active"|"destroyed"}.
std::string encode_contract(const ContractRecord& record);
/// Parses a stored record; errors say which field is missing or malformed.
Result<ContractRecord> decode_contract(std::string_view json_text);

/// The contract at `addr`, nullopt when there is none.
Result<std::optional<ContractRecord>> get_contract(Overlay& state, const Address& addr);
void put_contract(Overlay& state, const Address& addr, const ContractRecord& record);
/// The code stored under `code_hash`, nullopt when absent.
Result<std::optional<std::string>> get_code(Overlay& state, const Hash& code_hash);
/// Stores code under its hash unless already there; returns true when it was new.
Result<bool> put_code(Overlay& state, const Hash& code_hash, std::string_view code);
/// How many contracts use the code (0 when never set).
Result<uint64_t> get_code_refs(Overlay& state, const Hash& code_hash);
/// Sets the count; 0 deletes the count key.
void put_code_refs(Overlay& state, const Hash& code_hash, uint64_t refs);
/// The nonce of `addr` (0 when never set).
Result<uint64_t> get_nonce(Overlay& state, const Address& addr);
void put_nonce(Overlay& state, const Address& addr, uint64_t nonce);
/// The number of committed calls/deploys (0 on a fresh store).
Result<uint64_t> get_height(Overlay& state);
void put_height(Overlay& state, uint64_t height);

}  // namespace ward::state
