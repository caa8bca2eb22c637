// ward/host/crypto.cpp — `ward_v1` hash and signature functions: sha256
// (libsodium), keccak256 (keccak.cpp), ed25519_verify (libsodium,
// crypto_sign_verify_detached).
#include <sodium.h>

#include "host/detail.h"
#include "host/keccak.h"

namespace ward::host::detail {
namespace {

using HashFn = state::Hash (*)(std::span<const uint8_t>);

state::Hash sha256_of(std::span<const uint8_t> data) { return state::sha256(data); }

/// Shared body of sha256 and keccak256: (ptr, len, out_ptr) -> ().
TrapKind hash_into_memory(HostCall& hc, const Value* args, HashFn hash) {
  Call c(hc);
  if (!c.valid()) return c.fail_unwired();
  uint32_t ptr = arg_u32(args, 0), len = arg_u32(args, 1), out = arg_u32(args, 2);
  if (len > c.limits().max_host_arg_bytes) {
    return c.too_big("input", len, "max_host_arg_bytes", c.limits().max_host_arg_bytes);
  }
  WARD_HOST_CHARGE(c, len);
  WARD_HOST_TRY(c.check_range(ptr, len));
  WARD_HOST_TRY(c.check_range(out, 32));
  state::Hash h = hash(std::span<const uint8_t>(c.at(ptr), len));  // input and output may overlap
  std::memcpy(c.at(out), h.data(), h.size());
  return TrapKind::None;
}

bool sodium_ready() {
  static const bool ready = sodium_init() >= 0;
  return ready;
}

}  // namespace

TrapKind sha256(HostCall& hc, const Value* args, Value*) { return hash_into_memory(hc, args, sha256_of); }
TrapKind keccak256(HostCall& hc, const Value* args, Value*) { return hash_into_memory(hc, args, host::keccak256); }

TrapKind ed25519_verify(HostCall& hc, const Value* args, Value* results) {
  Call c(hc);
  if (!c.valid()) return c.fail_unwired();
  uint32_t sig = arg_u32(args, 0), pk = arg_u32(args, 1), msg = arg_u32(args, 2), len = arg_u32(args, 3);
  if (len > c.limits().max_host_arg_bytes) {
    return c.too_big("message", len, "max_host_arg_bytes", c.limits().max_host_arg_bytes);
  }
  WARD_HOST_CHARGE(c, len);
  WARD_HOST_TRY(c.check_range(sig, crypto_sign_BYTES));
  WARD_HOST_TRY(c.check_range(pk, crypto_sign_PUBLICKEYBYTES));
  WARD_HOST_TRY(c.check_range(msg, len));
  if (!sodium_ready()) return c.fail("crypto library failed to initialise");
  bool ok = crypto_sign_verify_detached(c.at(sig), c.at(msg), len, c.at(pk)) == 0;
  results[0] = Value::i32(ok ? 1 : 0);
  return TrapKind::None;
}

}  // namespace ward::host::detail
