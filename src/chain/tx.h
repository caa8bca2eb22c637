// ward/chain/tx.h — signed transactions, version 1 (docs/tx-format.md).
//
// A transaction is encoded in one canonical, Borsh-like binary form:
// little-endian integers, u32-LE length-prefixed bytes and strings, u8 tags,
// bool = u8 0/1, option = u8 0/1 then the value. Every transaction has
// exactly one encoding: decoding rejects anything else, so decoding and
// re-encoding gives back the same bytes.
//
// What clients send (hex over RPC) is the signed form:
//   signed bytes = tx bytes || 64-byte Ed25519 signature
//   signature    = Ed25519(signer, sha256("WARD/tx/v1" || chain id || tx bytes))
//   tx hash      = sha256(tx bytes)   (the signature is not part of the hash)
// Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <variant>

#include <nlohmann/json_fwd.hpp>

#include "chain/address.h"
#include "chain/crypto.h"
#include "util/result.h"
#include "wasm/policy.h"

namespace ward::chain {

/// The only transaction version this code reads and writes.
inline constexpr uint8_t kTxVersion = 1;
/// The domain-separation prefix of the signing digest (10 ASCII bytes).
inline constexpr std::string_view kTxDomain = "WARD/tx/v1";
/// Bytes of the signature that ends a signed transaction.
inline constexpr size_t kSignatureBytes = 64;

/// Tag 0: move native value to any address.
struct TransferAction {
  Address to{};
  uint64_t amount = 0;
  bool operator==(const TransferAction&) const = default;
};

/// Tag 1: deploy a contract; its address is contract_address(sender, nonce).
struct DeployAction {
  std::string code;                        ///< raw wasm, or gzip of it (bytes)
  std::optional<std::string> init_method;  ///< method run after deploying, if any
  std::string init_args;                   ///< JSON text of its arguments; may be empty
  uint64_t value = 0;                      ///< native value moved to the new contract
  bool immutable = false;                  ///< no admin: never upgraded nor destroyed
  wasm::FloatPolicy float_policy = wasm::FloatPolicy::Allow;  ///< encoded u8: 0 allow, 1 deny
  std::optional<std::string> abi;          ///< ABI JSON text, if given
  bool operator==(const DeployAction&) const = default;
};

/// Tag 2: call a method of a deployed contract.
struct CallAction {
  Address contract{};
  std::string method;
  std::string args;    ///< JSON text
  uint64_t value = 0;  ///< native value attached to the call
  bool operator==(const CallAction&) const = default;
};

/// Tag 3: replace a contract's code (admin only).
struct UpgradeAction {
  Address contract{};
  std::string code;                           ///< raw wasm or gzip (bytes)
  std::optional<std::string> migrate_method;  ///< method of the new code run in the same step
  std::string migrate_args;                   ///< JSON text; may be empty
  bool operator==(const UpgradeAction&) const = default;
};

/// Tag 4: remove a contract (admin only); its balance goes to `beneficiary`.
struct DestroyAction {
  Address contract{};
  Address beneficiary{};
  bool operator==(const DestroyAction&) const = default;
};

/// What a transaction does. The variant index is the encoded u8 tag.
using Action = std::variant<TransferAction, DeployAction, CallAction, UpgradeAction, DestroyAction>;

/// A version-1 transaction, fields in encoding order.
struct Transaction {
  uint8_t version = kTxVersion;
  std::string chain_id;        ///< UTF-8; the chain this transaction is meant for
  PublicKey signer{};          ///< Ed25519 public key of the sender
  uint64_t nonce = 0;          ///< the sender's account nonce
  uint64_t expiry_height = 0;  ///< last block height at which it may be included
  uint64_t gas_limit = 0;
  uint64_t gas_price = 0;      ///< native value per unit of gas
  Action action;
  bool operator==(const Transaction&) const = default;
};

/// A transaction with its signature, as sent by clients.
struct SignedTransaction {
  Transaction tx;
  std::string tx_bytes;  ///< encode(tx): the canonical bytes that were signed
  Signature signature{};
  Hash hash{};           ///< sha256(tx_bytes)
};

/// The name of an action type: "transfer", "deploy", "call", "upgrade", "destroy".
const char* action_name(const Action& action);
/// The native value an action moves from the sender: a transfer's amount, a
/// deploy's or a call's value; 0 for upgrade and destroy.
uint64_t value_of(const Action& action);

/// The canonical bytes of `tx` (docs/tx-format.md section "Encoding").
std::string encode(const Transaction& tx);

/// Decodes exactly one transaction from `bytes` (docs/tx-format.md). Errors:
/// "transaction truncated: <field> needs N bytes at offset O, only R left";
/// "transaction truncated: <field> length L at offset O exceeds the R bytes left";
/// "transaction: unsupported version V at offset 0 (expected 1)";
/// "transaction: unknown action tag T at offset O";
/// "transaction: <field> at offset O must be 0 or 1, found X" (bool, option tag, float_policy);
/// "transaction: <field> at offset O is not valid UTF-8";
/// "transaction: N trailing bytes at offset O".
Result<Transaction> decode_transaction(std::span<const uint8_t> bytes);
Result<Transaction> decode_transaction(std::string_view bytes);

/// sha256(kTxDomain || chain_id || tx_bytes): the 32 bytes the signer signs.
Hash signing_digest(std::string_view chain_id, std::string_view tx_bytes);
/// sha256(tx_bytes): the transaction hash (the signature is not included).
Hash tx_hash(std::string_view tx_bytes);
/// The sender's address: address_of(tx.signer).
Address sender(const Transaction& tx);

/// Signs `tx` with `key`. The signer field is set to key.public_key first, so
/// the result always verifies.
SignedTransaction sign_transaction(const Transaction& tx, const KeyPair& key);
/// tx_bytes || signature.
std::string encode_signed(const SignedTransaction& stx);
/// Decodes signed bytes: a transaction followed by exactly 64 signature
/// bytes. Errors: those of decode_transaction (except trailing bytes), and
/// "signed transaction: expected a 64-byte signature after the N-byte transaction, found M bytes".
/// Does not check the signature: see verify_signature.
Result<SignedTransaction> decode_signed(std::span<const uint8_t> bytes);
Result<SignedTransaction> decode_signed(std::string_view bytes);
/// Checks the signature against tx.signer and signing_digest(tx.chain_id,
/// tx_bytes). Error: "bad signature". The caller still checks that
/// tx.chain_id is its own chain's id.
Result<void> verify_signature(const SignedTransaction& stx);

/// The transaction as JSON for RPC and CLI output (tx_json.cpp): {"version",
/// "chain_id", "signer" (hex), "from" (0x address), "nonce", "expiry_height",
/// "gas_limit", "gas_price", "action": {"type", ...}}; code appears as
/// "code_hash" (0x sha256 of the code bytes) and "code_size" (bytes).
nlohmann::json to_json(const Transaction& tx);
/// to_json(stx.tx) plus "hash" (0x hex) and "signature" (hex).
nlohmann::json to_json(const SignedTransaction& stx);

}  // namespace ward::chain
