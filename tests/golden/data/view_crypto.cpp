// Golden-test contract: WARD_VIEW enforcement and the SDK crypto wrappers.
// Put/Get store a number; the View* methods are read-only and each tries one
// kind of write, which the SDK turns into a revert; Sha256, Keccak256 and
// Ed25519Verify hash or verify through the host.
#include <ward/ward.h>

#include <cstdint>
#include <string>

namespace {
constexpr std::string_view k_key = "n";
}  // namespace

/// Stores n; returns it.
WARD_EXPORT uint64_t Put(uint64_t n) {
  ward::ctx().storage().put_u64(k_key, n);
  return n;
}

/// The stored number (0 when none).
WARD_VIEW uint64_t Get() { return ward::ctx().storage().get_u64(k_key); }

/// Read-only, writes storage: reverts.
WARD_VIEW uint64_t ViewWrite(uint64_t n) {
  ward::ctx().storage().put_u64(k_key, n);
  return n;
}

/// Read-only, deletes a key: reverts.
WARD_VIEW bool ViewDelete() {
  ward::ctx().storage().del(k_key);
  return true;
}

/// Read-only, emits an event: reverts.
WARD_VIEW bool ViewEmit() {
  ward::ctx().emit("Touched", ward::json::object("n", uint64_t{1}));
  return true;
}

/// Read-only, moves native value: reverts.
WARD_VIEW bool ViewTransfer(ward::Address to) { return ward::ctx().transfer(to, 1); }

/// Read-only, creates an object: reverts.
WARD_VIEW ward::ObjectId ViewCreateObject() { return ward::ctx().objects().create(ward::ctx().self()).id(); }

/// Read-only, calls with value attached: reverts before calling.
WARD_VIEW bool ViewCallWithValue(ward::Address target) {
  return ward::ctx().call(target, "Get", "{}", 1).status == ward::CallStatus::ok;
}

/// SHA-256 of the UTF-8 bytes of data.
WARD_VIEW ward::Hash Sha256(std::string data) { return ward::ctx().crypto().sha256(data); }

/// Keccak-256 of the UTF-8 bytes of data.
WARD_VIEW ward::Hash Keccak256(std::string data) { return ward::ctx().crypto().keccak256(data); }

/// Whether sig is a valid Ed25519 signature of the bytes of msg under pk.
WARD_VIEW bool Ed25519Verify(ward::Bytes sig, ward::Bytes pk, ward::Bytes msg) {
  return ward::ctx().crypto().ed25519_verify(sig, pk,
                                             std::string_view(reinterpret_cast<const char*>(msg.data()), msg.size()));
}
