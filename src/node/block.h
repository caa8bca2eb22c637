// ward/node/block.h — blocks: the header, its canonical encoding and hash,
// the producer's signature, and the Merkle roots of transactions and
// receipts (docs/node.md "Blocks").
//
// Header encoding (same conventions as docs/tx-format.md: little-endian,
// fixed-size fields raw): version u8 (=1), height u64, parent hash [32],
// time_ms u64, producer address [20], tx count u32, transactions root [32],
// receipts root [32], state root [32], gas used u64. Block hash =
// sha256(header bytes). Signature: Ed25519 by the producer's key over
// sha256("WARD/block/v1" || chain id || header bytes); the signed form is
// header bytes || producer public key [32] || signature [64]. A local-mode
// block (no producer key) carries zero bytes in both.
// Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "chain/crypto.h"
#include "util/result.h"

namespace ward::node {

using chain::Address;
using chain::Hash;

/// The only block header version.
inline constexpr uint8_t kBlockVersion = 1;
/// Bytes of an encoded header.
inline constexpr size_t kHeaderBytes = 1 + 8 + 32 + 8 + 20 + 4 + 32 + 32 + 32 + 8;

struct BlockHeader {
  uint8_t version = kBlockVersion;
  uint64_t height = 0;
  Hash parent_hash{};     ///< hash of block height-1 (zero for the genesis block)
  uint64_t time_ms = 0;   ///< ms since the Unix epoch; greater than the parent's
  Address producer{};     ///< receives the fees
  uint32_t tx_count = 0;
  Hash tx_root{};         ///< merkle_root of the transaction hashes
  Hash receipts_root{};   ///< merkle_root of sha256(receipt JSON) in block order
  Hash state_root{};      ///< the state tree's root after the block (node/state_tree.h)
  uint64_t gas_used = 0;  ///< sum of the receipts' gas
  bool operator==(const BlockHeader&) const = default;
};

/// A header with its producer's signature.
struct SignedHeader {
  BlockHeader header;
  chain::PublicKey producer_key{};  ///< zero in a local-mode block
  chain::Signature signature{};     ///< zero in a local-mode block
};

/// The canonical kHeaderBytes bytes of a header.
std::string encode_header(const BlockHeader& h);
/// Decodes exactly kHeaderBytes bytes. Errors name the problem ("block header: ...").
Result<BlockHeader> decode_header(std::string_view bytes);
/// sha256 of the encoded header.
Hash block_hash(const BlockHeader& h);
/// sha256("WARD/block/v1" || chain_id || header bytes): what the producer signs.
Hash block_signing_digest(std::string_view chain_id, const BlockHeader& h);
/// Signs `h` with the producer's key.
SignedHeader sign_header(const BlockHeader& h, std::string_view chain_id, const chain::KeyPair& key);
/// Checks the signature (a zero key and signature pass only when `allow_unsigned`).
/// Errors: "block N: bad producer signature", "block N: producer key does not match the producer address".
Result<void> verify_header(const SignedHeader& s, std::string_view chain_id, bool allow_unsigned);
/// header bytes || public key || signature.
std::string encode_signed_header(const SignedHeader& s);
Result<SignedHeader> decode_signed_header(std::string_view bytes);

/// Binary Merkle root of `leaves` (each already a hash): leaf node
/// sha256(0x00 || leaf), inner node sha256(0x01 || left || right), an odd
/// last node is carried up unchanged; zero for no leaves.
Hash merkle_root(const std::vector<Hash>& leaves);

}  // namespace ward::node
