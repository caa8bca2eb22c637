// ward/chain/tx.cpp — the canonical encoding of version-1 transactions, the
// signed envelope, the signing digest and the hash (docs/tx-format.md).
#include "chain/tx.h"

#include <cstring>
#include <type_traits>

namespace ward::chain {
namespace {

// --- writing ---

class Writer {
 public:
  void u8(uint8_t v) { m_out.push_back(static_cast<char>(v)); }
  void u32(uint32_t v) {
    for (int i = 0; i < 4; ++i) u8(static_cast<uint8_t>(v >> (8 * i)));
  }
  void u64(uint64_t v) {
    for (int i = 0; i < 8; ++i) u8(static_cast<uint8_t>(v >> (8 * i)));
  }
  void boolean(bool v) { u8(v ? 1 : 0); }
  template <size_t N>
  void fixed(const std::array<uint8_t, N>& bytes) {
    m_out.append(reinterpret_cast<const char*>(bytes.data()), N);
  }
  /// Bytes and strings alike: u32 length, then the bytes.
  void bytes(std::string_view b) {
    u32(static_cast<uint32_t>(b.size()));
    m_out.append(b);
  }
  void option(const std::optional<std::string>& s) {
    boolean(s.has_value());
    if (s) bytes(*s);
  }
  std::string take() { return std::move(m_out); }

 private:
  std::string m_out;
};

struct ActionEncoder {
  Writer& w;
  void operator()(const TransferAction& a) {
    w.fixed(a.to);
    w.u64(a.amount);
  }
  void operator()(const DeployAction& a) {
    w.bytes(a.code);
    w.option(a.init_method);
    w.bytes(a.init_args);
    w.u64(a.value);
    w.boolean(a.immutable);
    w.u8(a.float_policy == wasm::FloatPolicy::Deny ? 1 : 0);
    w.option(a.abi);
  }
  void operator()(const CallAction& a) {
    w.fixed(a.contract);
    w.bytes(a.method);
    w.bytes(a.args);
    w.u64(a.value);
  }
  void operator()(const UpgradeAction& a) {
    w.fixed(a.contract);
    w.bytes(a.code);
    w.option(a.migrate_method);
    w.bytes(a.migrate_args);
  }
  void operator()(const DestroyAction& a) {
    w.fixed(a.contract);
    w.fixed(a.beneficiary);
  }
};

// --- reading ---

/// Strict UTF-8 (RFC 3629): no overlong forms, no surrogates, nothing above U+10FFFF.
bool valid_utf8(std::string_view s) {
  size_t i = 0;
  while (i < s.size()) {
    const auto c = static_cast<uint8_t>(s[i]);
    if (c < 0x80) {
      ++i;
      continue;
    }
    size_t extra;
    uint32_t cp;
    if (c >= 0xC2 && c <= 0xDF) {
      extra = 1, cp = c & 0x1F;
    } else if (c >= 0xE0 && c <= 0xEF) {
      extra = 2, cp = c & 0x0F;
    } else if (c >= 0xF0 && c <= 0xF4) {
      extra = 3, cp = c & 0x07;
    } else {
      return false;  // continuation byte first, overlong lead (C0, C1) or F5..FF
    }
    if (s.size() - i <= extra) return false;
    for (size_t k = 1; k <= extra; ++k) {
      const auto cc = static_cast<uint8_t>(s[i + k]);
      if ((cc & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (cc & 0x3F);
    }
    if ((extra == 2 && cp < 0x800) || (extra == 3 && cp < 0x10000)) return false;  // overlong
    if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return false;
    i += extra + 1;
  }
  return true;
}

/// Reads fields in order. The first failure is kept and every later read is a
/// no-op, so the decoder checks the failure only where it must branch.
class Reader {
 public:
  explicit Reader(std::span<const uint8_t> in) : m_in(in) {}

  bool failed() const { return m_error.has_value(); }
  Error error() const { return *m_error; }
  size_t pos() const { return m_pos; }
  size_t left() const { return m_in.size() - m_pos; }
  void fail(std::string message) {
    if (!m_error) m_error = make_error(std::move(message));
  }

  uint8_t u8(const char* field) {
    uint8_t v = 0;
    if (need(field, 1)) v = m_in[m_pos++];
    return v;
  }
  uint64_t u64(const char* field) {
    uint64_t v = 0;
    if (!need(field, 8)) return 0;
    for (int i = 0; i < 8; ++i) v |= uint64_t{m_in[m_pos + i]} << (8 * i);
    m_pos += 8;
    return v;
  }
  /// A u8 that must be 0 or 1 (bool, option tag, float policy).
  bool zero_or_one(const std::string& field) {
    const size_t at = m_pos;
    const uint8_t v = u8(field.c_str());
    if (v > 1) fail("transaction: " + field + " at offset " + std::to_string(at) + " must be 0 or 1, found " + std::to_string(v));
    return v == 1;
  }
  template <size_t N>
  std::array<uint8_t, N> fixed(const char* field) {
    std::array<uint8_t, N> out{};
    if (need(field, N)) {
      std::memcpy(out.data(), m_in.data() + m_pos, N);
      m_pos += N;
    }
    return out;
  }
  /// u32 length then that many bytes; the length is checked against the
  /// bytes left before anything is allocated.
  std::string bytes(const std::string& field) {
    const std::string len_field = field + " length";
    const size_t at = m_pos;
    uint32_t len = 0;
    if (!need(len_field.c_str(), 4)) return {};
    for (int i = 0; i < 4; ++i) len |= uint32_t{m_in[m_pos + i]} << (8 * i);
    m_pos += 4;
    if (len > left()) {
      fail("transaction truncated: " + field + " length " + std::to_string(len) + " at offset " + std::to_string(at) +
           " exceeds the " + std::to_string(left()) + " bytes left");
      return {};
    }
    std::string out(reinterpret_cast<const char*>(m_in.data() + m_pos), len);
    m_pos += len;
    return out;
  }
  /// A string: bytes that must be valid UTF-8.
  std::string text(const std::string& field) {
    const size_t at = m_pos;
    std::string s = bytes(field);
    if (!failed() && !valid_utf8(s)) fail("transaction: " + field + " at offset " + std::to_string(at) + " is not valid UTF-8");
    return s;
  }
  std::optional<std::string> option_text(const std::string& field) {
    if (!zero_or_one(field + " option tag") || failed()) return std::nullopt;
    return text(field);
  }

 private:
  bool need(const char* field, size_t n) {
    if (failed()) return false;
    if (left() < n) {
      fail(std::string("transaction truncated: ") + field + " needs " + std::to_string(n) + " bytes at offset " +
           std::to_string(m_pos) + ", only " + std::to_string(left()) + " left");
      return false;
    }
    return true;
  }

  std::span<const uint8_t> m_in;
  size_t m_pos = 0;
  std::optional<Error> m_error;
};

Action read_action(Reader& r, uint8_t tag) {
  switch (tag) {
    case 0: {
      TransferAction a;
      a.to = r.fixed<20>("transfer.to");
      a.amount = r.u64("transfer.amount");
      return a;
    }
    case 1: {
      DeployAction a;
      a.code = r.bytes("deploy.code");
      a.init_method = r.option_text("deploy.init_method");
      a.init_args = r.text("deploy.init_args");
      a.value = r.u64("deploy.value");
      a.immutable = r.zero_or_one("deploy.immutable");
      a.float_policy = r.zero_or_one("deploy.float_policy") ? wasm::FloatPolicy::Deny : wasm::FloatPolicy::Allow;
      a.abi = r.option_text("deploy.abi");
      return a;
    }
    case 2: {
      CallAction a;
      a.contract = r.fixed<20>("call.contract");
      a.method = r.text("call.method");
      a.args = r.text("call.args");
      a.value = r.u64("call.value");
      return a;
    }
    case 3: {
      UpgradeAction a;
      a.contract = r.fixed<20>("upgrade.contract");
      a.code = r.bytes("upgrade.code");
      a.migrate_method = r.option_text("upgrade.migrate_method");
      a.migrate_args = r.text("upgrade.migrate_args");
      return a;
    }
    default: {
      DestroyAction a;
      a.contract = r.fixed<20>("destroy.contract");
      a.beneficiary = r.fixed<20>("destroy.beneficiary");
      return a;
    }
  }
}

/// Reads one transaction from the front of `r`; the caller checks what follows.
Result<Transaction> read_transaction(Reader& r) {
  Transaction tx;
  tx.version = r.u8("version");
  if (r.failed()) return r.error();
  if (tx.version != kTxVersion)
    return make_error("transaction: unsupported version " + std::to_string(tx.version) + " at offset 0 (expected 1)");
  tx.chain_id = r.text("chain_id");
  tx.signer = r.fixed<32>("signer");
  tx.nonce = r.u64("nonce");
  tx.expiry_height = r.u64("expiry_height");
  tx.gas_limit = r.u64("gas_limit");
  tx.gas_price = r.u64("gas_price");
  const size_t tag_at = r.pos();
  const uint8_t tag = r.u8("action tag");
  if (r.failed()) return r.error();
  if (tag >= std::variant_size_v<Action>)
    return make_error("transaction: unknown action tag " + std::to_string(tag) + " at offset " + std::to_string(tag_at));
  tx.action = read_action(r, tag);
  if (r.failed()) return r.error();
  return tx;
}

std::span<const uint8_t> as_bytes(std::string_view s) {
  return {reinterpret_cast<const uint8_t*>(s.data()), s.size()};
}

}  // namespace

uint64_t value_of(const Action& action) {
  if (const auto* t = std::get_if<TransferAction>(&action)) return t->amount;
  if (const auto* d = std::get_if<DeployAction>(&action)) return d->value;
  if (const auto* c = std::get_if<CallAction>(&action)) return c->value;
  return 0;
}

const char* action_name(const Action& action) {
  static constexpr const char* kNames[] = {"transfer", "deploy", "call", "upgrade", "destroy"};
  static_assert(std::size(kNames) == std::variant_size_v<Action>);
  return kNames[action.index()];
}

std::string encode(const Transaction& tx) {
  Writer w;
  w.u8(tx.version);
  w.bytes(tx.chain_id);
  w.fixed(tx.signer);
  w.u64(tx.nonce);
  w.u64(tx.expiry_height);
  w.u64(tx.gas_limit);
  w.u64(tx.gas_price);
  w.u8(static_cast<uint8_t>(tx.action.index()));
  std::visit(ActionEncoder{w}, tx.action);
  return w.take();
}

Result<Transaction> decode_transaction(std::span<const uint8_t> bytes) {
  Reader r(bytes);
  auto tx = read_transaction(r);
  if (!tx) return tx;
  if (r.left() != 0)
    return make_error("transaction: " + std::to_string(r.left()) + " trailing bytes at offset " + std::to_string(r.pos()));
  return tx;
}

Result<Transaction> decode_transaction(std::string_view bytes) { return decode_transaction(as_bytes(bytes)); }

Hash signing_digest(std::string_view chain_id, std::string_view tx_bytes) {
  std::string msg;
  msg.reserve(kTxDomain.size() + chain_id.size() + tx_bytes.size());
  msg.append(kTxDomain).append(chain_id).append(tx_bytes);
  return state::sha256(std::string_view(msg));
}

Hash tx_hash(std::string_view tx_bytes) { return state::sha256(tx_bytes); }

Address sender(const Transaction& tx) { return address_of(tx.signer); }

SignedTransaction sign_transaction(const Transaction& tx, const KeyPair& key) {
  SignedTransaction stx;
  stx.tx = tx;
  stx.tx.signer = key.public_key;
  stx.tx_bytes = encode(stx.tx);
  const Hash digest = signing_digest(stx.tx.chain_id, stx.tx_bytes);
  stx.signature = sign(key, digest);
  stx.hash = tx_hash(stx.tx_bytes);
  return stx;
}

std::string encode_signed(const SignedTransaction& stx) {
  std::string out = stx.tx_bytes;
  out.append(reinterpret_cast<const char*>(stx.signature.data()), stx.signature.size());
  return out;
}

Result<SignedTransaction> decode_signed(std::span<const uint8_t> bytes) {
  Reader r(bytes);
  auto tx = read_transaction(r);
  if (!tx) return tx.error();
  const size_t tx_size = r.pos();
  if (r.left() != kSignatureBytes)
    return make_error("signed transaction: expected a 64-byte signature after the " + std::to_string(tx_size) +
                      "-byte transaction, found " + std::to_string(r.left()) + " bytes");
  SignedTransaction stx;
  stx.tx = std::move(tx.value());
  stx.tx_bytes = state::as_string(bytes.first(tx_size));
  std::memcpy(stx.signature.data(), bytes.data() + tx_size, kSignatureBytes);
  stx.hash = tx_hash(stx.tx_bytes);
  return stx;
}

Result<SignedTransaction> decode_signed(std::string_view bytes) { return decode_signed(as_bytes(bytes)); }

Result<void> verify_signature(const SignedTransaction& stx) {
  const Hash digest = signing_digest(stx.tx.chain_id, stx.tx_bytes);
  if (!verify(stx.tx.signer, digest, stx.signature)) return make_error("bad signature");
  return {};
}

}  // namespace ward::chain
