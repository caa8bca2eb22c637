// ward/chain/crypto.cpp — Ed25519 keys through libsodium.
#include "chain/crypto.h"

#include <sodium.h>

#include <algorithm>
#include <cstdlib>

namespace ward::chain {

bool sodium_ready() {
  static const bool ready = sodium_init() >= 0;  // a function-local static: initialised once, thread-safely
  return ready;
}

namespace {

/// libsodium must initialise before any key work; without it nothing is safe.
void require_sodium() {
  if (!sodium_ready()) std::abort();
}

}  // namespace

void secure_zero(void* data, size_t size) { sodium_memzero(data, size); }

KeyPair::~KeyPair() {
  sodium_memzero(seed.data(), seed.size());
  sodium_memzero(secret_key.data(), secret_key.size());
}

KeyPair KeyPair::from_seed(const Seed& seed) {
  require_sodium();
  KeyPair kp;
  kp.seed = seed;
  crypto_sign_seed_keypair(kp.public_key.data(), kp.secret_key.data(), seed.data());
  return kp;
}

KeyPair KeyPair::generate() {
  require_sodium();
  Seed seed;
  randombytes_buf(seed.data(), seed.size());
  KeyPair kp = from_seed(seed);
  sodium_memzero(seed.data(), seed.size());
  return kp;
}

Signature sign(const KeyPair& key, std::span<const uint8_t> msg) {
  require_sodium();
  Signature sig{};
  crypto_sign_detached(sig.data(), nullptr, msg.data(), msg.size(), key.secret_key.data());
  return sig;
}

bool verify(const PublicKey& key, std::span<const uint8_t> msg, const Signature& sig) {
  require_sodium();
  return crypto_sign_verify_detached(sig.data(), msg.data(), msg.size(), key.data()) == 0;
}

Address address_of(const PublicKey& key) {
  const Hash h = state::sha256(std::span<const uint8_t>(key));
  Address a{};
  std::copy(h.begin(), h.begin() + a.size(), a.begin());
  return a;
}

}  // namespace ward::chain
