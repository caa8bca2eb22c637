// libFuzzer target: the transaction decoders (chain/tx.h) on raw bytes.
// Checks, whatever the bytes:
//   - decode_transaction / decode_signed never crash and never throw;
//   - what decodes re-encodes to exactly the input (one encoding per
//     transaction): encode(decode_transaction(b)) == b and
//     encode_signed(decode_signed(b)) == b, with tx_bytes the prefix that
//     decode_transaction accepts and hash == tx_hash(tx_bytes);
//   - the two decoders agree: b never decodes as both a transaction and a
//     signed transaction, and a signed one is a transaction plus 64 bytes
//     (decode_transaction then reports exactly 64 trailing bytes);
//   - to_json never throws and its text serializes strictly (valid UTF-8);
//   - verify_signature never crashes.
// A violated check aborts (a libFuzzer crash).
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <span>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "chain/tx.h"

namespace {

[[noreturn]] void fail(const char* what) {
  std::fprintf(stderr, "fuzz_tx_decode: invariant violated: %s\n", what);
  std::abort();
}

void check_json(const nlohmann::json& j) {
  // Strict serialization: throws on invalid UTF-8, which the decoder must have rejected.
  const std::string text = j.dump();
  if (!nlohmann::json::accept(text)) fail("to_json text does not parse back");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace ward::chain;
  const std::span<const uint8_t> bytes(data, size);
  const std::string_view text(reinterpret_cast<const char*>(data), size);

  auto tx = decode_transaction(bytes);
  if (tx) {
    if (encode(tx.value()) != text) fail("encode(decode_transaction(b)) != b");
    auto again = decode_transaction(text);
    if (!again || !(again.value() == tx.value())) fail("decode_transaction(string_view) differs from (span)");
    if (tx.value().version != kTxVersion) fail("decoded a version other than 1");
    check_json(to_json(tx.value()));
  } else if (tx.error().message.empty()) {
    fail("decode_transaction error without a message");
  }

  auto stx = decode_signed(bytes);
  if (stx) {
    const SignedTransaction& s = stx.value();
    if (tx) fail("bytes decode both as a transaction and as a signed transaction");
    if (size < kSignatureBytes) fail("signed transaction shorter than its signature");
    if (encode_signed(s) != text) fail("encode_signed(decode_signed(b)) != b");
    if (s.tx_bytes != text.substr(0, size - kSignatureBytes)) fail("tx_bytes is not the input minus the signature");
    if (encode(s.tx) != s.tx_bytes) fail("encode(stx.tx) != stx.tx_bytes");
    if (s.hash != tx_hash(s.tx_bytes)) fail("hash != tx_hash(tx_bytes)");
    auto plain = decode_transaction(s.tx_bytes);
    if (!plain || !(plain.value() == s.tx)) fail("the transaction part of a signed transaction does not decode alone");
    if (tx.error().message.find("64 trailing bytes") == std::string::npos) {
      fail("decode_transaction of a signed transaction does not report its 64 trailing bytes");
    }
    check_json(to_json(s));
    (void)verify_signature(s);
  } else if (stx.error().message.empty()) {
    fail("decode_signed error without a message");
  }
  return 0;
}
