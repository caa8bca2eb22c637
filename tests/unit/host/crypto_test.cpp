// Crypto host functions: Keccak-256 and SHA3-256 vectors (the shared
// Keccak-f[1600] across block boundaries), sha256/keccak256/ed25519_verify
// through the host, gas and bounds checks.
#include <sodium.h>

#include "host/keccak.h"
#include "host_fixture.h"
#include "state/layout.h"

namespace ward::host::testing {
namespace {

std::string hex(const state::Hash& h) { return state::hex_encode(h); }
std::span<const uint8_t> bytes(std::string_view s) {
  return {reinterpret_cast<const uint8_t*>(s.data()), s.size()};
}

TEST(Keccak, KnownVectors) {
  EXPECT_EQ(hex(keccak256(bytes(""))), "c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470");
  EXPECT_EQ(hex(keccak256(bytes("abc"))), "4e03657aea45a94fc7d47ba826c8d667c0d1e6e33a64a036ec44f58fa12d6c45");
  // SHA3-256 (FIPS 202) shares the permutation and sponge; its values across
  // the 136-byte rate boundary come from an independent implementation.
  EXPECT_EQ(hex(sha3_256(bytes(""))), "a7ffc6f8bf1ed76651c14756a061d662f580ff4de43b49fa82d80a4b80f8434a");
  EXPECT_EQ(hex(sha3_256(bytes(std::string(135, 'a')))),
            "8094bb53c44cfb1e67b7c30447f9a1c33696d2463ecc1d9c92538913392843c9");
  EXPECT_EQ(hex(sha3_256(bytes(std::string(136, 'a')))),
            "3fc5559f14db8e453a0a3091edbd2bc25e11528d81c66fa570a4efdcc2695ee1");
  EXPECT_EQ(hex(sha3_256(bytes(std::string(200, 'a')))),
            "cce34485baf2bf2aca99b94833892a4f52896d3d153f7b840cc4f9fe695f1387");
}

class CryptoTest : public HostTest {};

TEST_P(CryptoTest, HashesWriteTheirDigest) {
  poke(100, "abc");
  ASSERT_EQ(ward("keccak256", {100, 3, 200}), TrapKind::None) << ctx.message;
  EXPECT_EQ(state::hex_encode(std::span<const uint8_t>(mem->data() + 200, 32)),
            "4e03657aea45a94fc7d47ba826c8d667c0d1e6e33a64a036ec44f58fa12d6c45");
  EXPECT_EQ(used(), cost("ward_v1", "keccak256", 3));
  ASSERT_EQ(ward("sha256", {100, 3, 200}), TrapKind::None);
  EXPECT_EQ(state::hex_encode(std::span<const uint8_t>(mem->data() + 200, 32)),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  // Output over the input.
  ASSERT_EQ(ward("sha256", {100, 3, 100}), TrapKind::None);
  EXPECT_EQ(state::hex_encode(std::span<const uint8_t>(mem->data() + 100, 32)),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST_P(CryptoTest, Ed25519Verify) {
  ASSERT_GE(sodium_init(), 0);
  uint8_t pk[crypto_sign_PUBLICKEYBYTES], sk[crypto_sign_SECRETKEYBYTES], seed[crypto_sign_SEEDBYTES] = {7};
  crypto_sign_seed_keypair(pk, sk, seed);
  std::string msg = "transfer 10 to bob";
  uint8_t sig[crypto_sign_BYTES];
  crypto_sign_detached(sig, nullptr, reinterpret_cast<const uint8_t*>(msg.data()), msg.size(), sk);
  std::memcpy(mem->data() + 100, sig, sizeof sig);
  std::memcpy(mem->data() + 200, pk, sizeof pk);
  poke(300, msg);
  Value r[1];
  ASSERT_EQ(ward("ed25519_verify", {100, 200, 300, msg.size()}, r), TrapKind::None) << ctx.message;
  EXPECT_EQ(r[0].as_i32(), 1u);
  EXPECT_EQ(used(), cost("ward_v1", "ed25519_verify", msg.size()));
  mem->data()[300] ^= 1;  // another message
  ASSERT_EQ(ward("ed25519_verify", {100, 200, 300, msg.size()}, r), TrapKind::None);
  EXPECT_EQ(r[0].as_i32(), 0u);
  mem->data()[300] ^= 1;
  mem->data()[100] ^= 1;  // another signature
  ASSERT_EQ(ward("ed25519_verify", {100, 200, 300, msg.size()}, r), TrapKind::None);
  EXPECT_EQ(r[0].as_i32(), 0u);

  // RFC 8032, test 1: empty message.
  auto pk1 = state::hex_decode("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a");
  auto sig1 = state::hex_decode(
      "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b");
  poke(100, *sig1);
  poke(200, *pk1);
  ASSERT_EQ(ward("ed25519_verify", {100, 200, 300, 0}, r), TrapKind::None);
  EXPECT_EQ(r[0].as_i32(), 1u);
}

TEST_P(CryptoTest, SizeChecksAndBoundsTrap) {
  const uint32_t end = static_cast<uint32_t>(mem->size_bytes());
  Value r[1];
  for (const char* fn : {"sha256", "keccak256"}) {
    EXPECT_EQ(ward(fn, {end - 2, 3, 0}), TrapKind::Host) << fn;
    EXPECT_EQ(ctx.message, std::string(fn) + ": out of bounds memory range [65534, 65537) (memory is 65536 bytes)");
    EXPECT_EQ(ward(fn, {0, 3, end - 31}), TrapKind::Host) << fn;
    EXPECT_EQ(ward(fn, {0, limits.max_host_arg_bytes + 1, 0}), TrapKind::Host) << fn;
    EXPECT_EQ(ctx.message, std::string(fn) + ": input of 1048577 bytes exceeds max_host_arg_bytes (1048576)");
  }
  EXPECT_EQ(ward("ed25519_verify", {end - 63, 0, 0, 0}, r), TrapKind::Host);
  EXPECT_EQ(ward("ed25519_verify", {0, end - 31, 0, 0}, r), TrapKind::Host);
  EXPECT_EQ(ward("ed25519_verify", {0, 0, end - 1, 2}, r), TrapKind::Host);
  EXPECT_EQ(ward("ed25519_verify", {0, 0, 0, limits.max_host_arg_bytes + 1}, r), TrapKind::Host);
  EXPECT_EQ(ctx.message, "ed25519_verify: message of 1048577 bytes exceeds max_host_arg_bytes (1048576)");
}

WARD_INSTANTIATE_BACKENDS(CryptoTest);

}  // namespace
}  // namespace ward::host::testing
