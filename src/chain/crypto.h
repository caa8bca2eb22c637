// ward/chain/crypto.h — account keys: Ed25519 key pairs (RFC 8032, through
// libsodium), signing and verifying, and the address of a public key.
// Thread-safety: pure functions; libsodium is initialised once, thread-safely,
// on first use.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>

#include "chain/address.h"

namespace ward::chain {

/// An Ed25519 public key: 32 bytes (RFC 8032 section 5.1.5).
using PublicKey = std::array<uint8_t, 32>;
/// An Ed25519 signature: 64 bytes, R || S (RFC 8032 section 5.1.6).
using Signature = std::array<uint8_t, 64>;
/// An Ed25519 private key as RFC 8032 defines it: 32 random bytes.
using Seed = std::array<uint8_t, 32>;

/// Initialises libsodium once (thread-safe; later calls return at once).
/// Returns false when libsodium cannot initialise (no usable randomness).
bool sodium_ready();

/// Overwrites `size` bytes at `data` with zeros in a way the compiler keeps
/// (sodium_memzero): for seeds, passphrases and other secrets.
void secure_zero(void* data, size_t size);

/// An Ed25519 key pair. The secret parts are wiped when the object dies.
struct KeyPair {
  Seed seed{};                          ///< the 32-byte private key (RFC 8032)
  PublicKey public_key{};               ///< 32 bytes
  std::array<uint8_t, 64> secret_key{}; ///< libsodium's form: seed || public key

  KeyPair() = default;
  KeyPair(const KeyPair&) = default;
  KeyPair& operator=(const KeyPair&) = default;
  KeyPair(KeyPair&&) = default;
  KeyPair& operator=(KeyPair&&) = default;
  ~KeyPair();

  /// The key pair of a seed (crypto_sign_seed_keypair); deterministic.
  static KeyPair from_seed(const Seed& seed);
  /// A fresh key pair from the system's random source (randombytes_buf).
  static KeyPair generate();
};

/// Ed25519 signature of `msg` (crypto_sign_detached); deterministic: the same
/// key and message always give the same 64 bytes (RFC 8032 section 5.1.6).
Signature sign(const KeyPair& key, std::span<const uint8_t> msg);
/// True when `sig` is a valid signature of `msg` by `key`
/// (crypto_sign_verify_detached, which rejects non-canonical S and small-order keys).
bool verify(const PublicKey& key, std::span<const uint8_t> msg, const Signature& sig);

/// The account address of a public key: the first 20 bytes of sha256(key).
Address address_of(const PublicKey& key);

}  // namespace ward::chain
