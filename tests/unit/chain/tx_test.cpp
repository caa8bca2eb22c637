// Transactions v1: the shared vectors of tests/vectors/tx-v1.json byte for
// byte, malformed inputs, tampering and the JSON view.
#include <gtest/gtest.h>

#include <fstream>
#include <random>
#include <set>
#include <sstream>

#include <nlohmann/json.hpp>

#include "chain/crypto.h"
#include "chain/tx.h"

namespace ward::chain {
namespace {

using Json = nlohmann::json;

std::string unhex(const std::string& h) {
  auto b = state::hex_decode(h);
  EXPECT_TRUE(b.has_value()) << h;
  return b.value_or("");
}
std::string hex(std::string_view s) { return state::hex_encode(std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(s.data()), s.size())); }
uint64_t u64(const Json& j) { return std::stoull(j.get<std::string>()); }
Address addr(const Json& j) { return parse_address(j.get<std::string>()).value(); }
std::optional<std::string> opt(const Json& j) { return j.is_null() ? std::nullopt : std::optional(j.get<std::string>()); }
template <size_t N>
std::array<uint8_t, N> fixed(const std::string& h) {
  std::string b = unhex(h);
  std::array<uint8_t, N> out{};
  EXPECT_EQ(b.size(), N);
  std::copy_n(b.begin(), std::min(N, b.size()), out.begin());
  return out;
}

/// Builds the transaction from the "fields" of a vector, as an SDK would.
Transaction from_fields(const Json& f) {
  Transaction tx;
  tx.version = f.at("version").get<uint8_t>();
  tx.chain_id = f.at("chain_id").get<std::string>();
  tx.signer = fixed<32>(f.at("signer").get<std::string>());
  tx.nonce = u64(f.at("nonce"));
  tx.expiry_height = u64(f.at("expiry_height"));
  tx.gas_limit = u64(f.at("gas_limit"));
  tx.gas_price = u64(f.at("gas_price"));
  const Json& a = f.at("action");
  const std::string type = a.at("type");
  if (type == "transfer") {
    tx.action = TransferAction{addr(a.at("to")), u64(a.at("amount"))};
  } else if (type == "deploy") {
    tx.action = DeployAction{unhex(a.at("code")), opt(a.at("init_method")), a.at("init_args"), u64(a.at("value")),
                             a.at("immutable").get<bool>(),
                             a.at("float_policy") == "deny" ? wasm::FloatPolicy::Deny : wasm::FloatPolicy::Allow,
                             opt(a.at("abi"))};
  } else if (type == "call") {
    tx.action = CallAction{addr(a.at("contract")), a.at("method"), a.at("args"), u64(a.at("value"))};
  } else if (type == "upgrade") {
    tx.action = UpgradeAction{addr(a.at("contract")), unhex(a.at("code")), opt(a.at("migrate_method")), a.at("migrate_args")};
  } else if (type == "destroy") {
    tx.action = DestroyAction{addr(a.at("contract")), addr(a.at("beneficiary"))};
  } else {
    ADD_FAILURE() << "unknown type " << type;
  }
  return tx;
}

const Json& vectors() {
  static const Json j = [] {
    std::ifstream in(std::string(WARD_VECTORS_DIR) + "/tx-v1.json");
    EXPECT_TRUE(in.good()) << "cannot open tx-v1.json";
    std::stringstream ss;
    ss << in.rdbuf();
    return Json::parse(ss.str());
  }();
  return j;
}

TEST(TxVectors, CoverEveryActionType) {
  std::set<std::string> types;
  for (const auto& c : vectors().at("valid")) types.insert(c.at("fields").at("action").at("type").get<std::string>());
  EXPECT_EQ(types, (std::set<std::string>{"transfer", "deploy", "call", "upgrade", "destroy"}));
  EXPECT_GE(vectors().at("invalid").size(), 9u);
}

TEST(TxVectors, ValidCasesByteForByte) {
  for (const auto& c : vectors().at("valid")) {
    SCOPED_TRACE(c.at("name").get<std::string>());
    const KeyPair kp = KeyPair::from_seed(fixed<32>(c.at("seed")));
    EXPECT_EQ(state::hex_encode(kp.public_key), c.at("public_key"));
    EXPECT_EQ(state::hex_encode(kp.public_key), c.at("fields").at("signer"));
    EXPECT_EQ(format_address(address_of(kp.public_key)), c.at("address"));

    const Transaction tx = from_fields(c.at("fields"));
    EXPECT_EQ(tx.chain_id, c.at("chain_id"));
    const std::string bytes = encode(tx);
    EXPECT_EQ(hex(bytes), c.at("tx_hex"));
    EXPECT_EQ(state::hex_encode(signing_digest(tx.chain_id, bytes)), c.at("signing_digest"));
    EXPECT_EQ(state::hex_encode(tx_hash(bytes)), c.at("hash"));

    const SignedTransaction stx = sign_transaction(tx, kp);
    EXPECT_EQ(stx.tx_bytes, bytes);
    EXPECT_EQ(state::hex_encode(stx.signature), c.at("signature"));
    EXPECT_EQ(state::hex_encode(stx.hash), c.at("hash"));
    EXPECT_EQ(hex(encode_signed(stx)), c.at("signed_hex"));

    auto decoded = decode_transaction(unhex(c.at("tx_hex")));
    ASSERT_TRUE(decoded) << decoded.error().message;
    EXPECT_EQ(decoded.value(), tx);
    EXPECT_EQ(encode(decoded.value()), bytes);

    auto dsigned = decode_signed(unhex(c.at("signed_hex")));
    ASSERT_TRUE(dsigned) << dsigned.error().message;
    EXPECT_EQ(dsigned->tx, tx);
    EXPECT_EQ(dsigned->tx_bytes, bytes);
    EXPECT_EQ(state::hex_encode(dsigned->hash), c.at("hash"));
    EXPECT_EQ(state::hex_encode(dsigned->signature), c.at("signature"));
    EXPECT_TRUE(verify_signature(dsigned.value()).ok());
    EXPECT_EQ(sender(dsigned->tx), address_of(kp.public_key));
  }
}

TEST(TxVectors, InvalidCasesAreRejected) {
  for (const auto& c : vectors().at("invalid")) {
    SCOPED_TRACE(c.at("name").get<std::string>());
    const std::string bytes = unhex(c.at("hex"));
    const std::string want = c.at("error");
    if (c.at("decoder") == "signed") {
      auto r = decode_signed(bytes);
      ASSERT_FALSE(r);
      EXPECT_NE(r.error().message.find(want), std::string::npos) << r.error().message;
    } else {
      auto r = decode_transaction(bytes);
      ASSERT_FALSE(r);
      EXPECT_NE(r.error().message.find(want), std::string::npos) << r.error().message;
    }
  }
}

TEST(Tx, EveryFlippedByteFailsDecodeOrVerify) {
  for (const auto& c : vectors().at("valid")) {
    SCOPED_TRACE(c.at("name").get<std::string>());
    const std::string good = unhex(c.at("signed_hex"));
    for (size_t i = 0; i < good.size(); ++i) {
      for (uint8_t mask : {uint8_t{0x01}, uint8_t{0x80}, uint8_t{0xff}}) {
        std::string bad = good;
        bad[i] = static_cast<char>(bad[i] ^ mask);
        auto d = decode_signed(bad);
        if (d) {
          EXPECT_FALSE(verify_signature(d.value()).ok()) << "byte " << i << " mask " << int(mask);
        }
      }
    }
  }
}

TEST(Tx, SignatureOverAnotherChainFails) {
  const KeyPair kp = KeyPair::from_seed(state::sha256(std::string_view("chain test")));
  Transaction tx;
  tx.chain_id = "ward-main";
  tx.action = TransferAction{{}, 5};
  SignedTransaction stx = sign_transaction(tx, kp);
  ASSERT_TRUE(verify_signature(stx).ok());
  // The same bytes signed for another chain id.
  stx.signature = sign(kp, signing_digest("ward-test", stx.tx_bytes));
  auto r = verify_signature(stx);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().message, "bad signature");
  // A transaction moved to another chain keeps a signature that no longer fits.
  SignedTransaction moved = sign_transaction(tx, kp);
  Transaction other = tx;
  other.signer = kp.public_key;
  other.chain_id = "ward-test";
  moved.tx = other;
  moved.tx_bytes = encode(other);
  EXPECT_FALSE(verify_signature(moved).ok());
}

TEST(Tx, SignSetsTheSigner) {
  const KeyPair kp = KeyPair::from_seed(Seed{});
  Transaction tx;
  tx.signer.fill(7);
  const SignedTransaction stx = sign_transaction(tx, kp);
  EXPECT_EQ(stx.tx.signer, kp.public_key);
  EXPECT_TRUE(verify_signature(stx).ok());
  EXPECT_NE(KeyPair::generate().public_key, KeyPair::generate().public_key);
}

TEST(Tx, Rfc8032Test1) {
  // RFC 8032 section 7.1, TEST 1: empty message.
  const KeyPair kp = KeyPair::from_seed(fixed<32>("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60"));
  EXPECT_EQ(state::hex_encode(kp.public_key), "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a");
  const Signature sig = sign(kp, {});
  EXPECT_EQ(state::hex_encode(sig),
            "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b");
  EXPECT_TRUE(verify(kp.public_key, {}, sig));
}

TEST(Tx, Utf8Strictness) {
  const KeyPair kp = KeyPair::from_seed(Seed{});
  auto with_method = [&](std::string m) {
    Transaction tx;
    tx.signer = kp.public_key;
    tx.action = CallAction{{}, std::move(m), "", 0};
    return decode_transaction(encode(tx));
  };
  EXPECT_TRUE(with_method("\xf0\x9f\x98\x80"));       // U+1F600
  EXPECT_TRUE(with_method("\xf4\x8f\xbf\xbf"));       // U+10FFFF
  EXPECT_TRUE(with_method("\xef\xbf\xbf"));           // U+FFFF
  EXPECT_FALSE(with_method("\xf4\x90\x80\x80"));      // above U+10FFFF
  EXPECT_FALSE(with_method("\xe0\x80\xaf"));          // overlong
  EXPECT_FALSE(with_method("\xf0\x80\x80\xaf"));      // overlong
  EXPECT_FALSE(with_method("\xed\xbf\xbf"));          // surrogate
  EXPECT_FALSE(with_method("\x80"));                  // lone continuation
  EXPECT_FALSE(with_method("\xe2\x82"));              // cut short
  EXPECT_FALSE(with_method(std::string("a\xc3", 2))); // cut short at the end
}

TEST(Tx, RandomRoundTrips) {
  std::mt19937_64 rng(42);
  auto bytes = [&](size_t max) {
    std::string s(rng() % (max + 1), '\0');
    for (auto& ch : s) ch = static_cast<char>('a' + rng() % 26);
    return s;
  };
  auto maybe = [&]() -> std::optional<std::string> { return rng() % 2 ? std::optional(bytes(8)) : std::nullopt; };
  auto address = [&] { Address a; for (auto& b : a) b = static_cast<uint8_t>(rng()); return a; };
  for (int i = 0; i < 500; ++i) {
    Transaction tx;
    tx.chain_id = bytes(12);
    for (auto& b : tx.signer) b = static_cast<uint8_t>(rng());
    tx.nonce = rng(), tx.expiry_height = rng(), tx.gas_limit = rng(), tx.gas_price = rng();
    switch (rng() % 5) {
      case 0: tx.action = TransferAction{address(), rng()}; break;
      case 1: tx.action = DeployAction{bytes(40), maybe(), bytes(10), rng(), rng() % 2 == 0,
                                       rng() % 2 ? wasm::FloatPolicy::Deny : wasm::FloatPolicy::Allow, maybe()}; break;
      case 2: tx.action = CallAction{address(), bytes(10), bytes(10), rng()}; break;
      case 3: tx.action = UpgradeAction{address(), bytes(40), maybe(), bytes(10)}; break;
      default: tx.action = DestroyAction{address(), address()}; break;
    }
    const std::string enc = encode(tx);
    auto d = decode_transaction(enc);
    ASSERT_TRUE(d) << d.error().message;
    EXPECT_EQ(d.value(), tx);
    EXPECT_EQ(encode(d.value()), enc);
    // Every strict prefix is truncated.
    auto cut = decode_transaction(std::string_view(enc).substr(0, rng() % enc.size()));
    ASSERT_FALSE(cut);
    EXPECT_NE(cut.error().message.find("truncated"), std::string::npos) << cut.error().message;
  }
}

TEST(Tx, JsonView) {
  const KeyPair kp = KeyPair::from_seed(Seed{});
  Transaction tx;
  tx.chain_id = "c";
  tx.nonce = UINT64_MAX;
  tx.action = DeployAction{std::string("\0asm", 4), "init", "{}", 3, true, wasm::FloatPolicy::Deny, std::nullopt};
  const SignedTransaction stx = sign_transaction(tx, kp);
  const Json j = to_json(stx);
  EXPECT_EQ(j.at("version"), 1);
  EXPECT_EQ(j.at("chain_id"), "c");
  EXPECT_EQ(j.at("signer"), state::hex_encode(kp.public_key));
  EXPECT_EQ(j.at("from"), format_address(address_of(kp.public_key)));
  EXPECT_EQ(j.at("nonce").get<uint64_t>(), UINT64_MAX);
  EXPECT_EQ(j.at("hash"), format_hash(stx.hash));
  EXPECT_EQ(j.at("signature"), state::hex_encode(stx.signature));
  const Json& a = j.at("action");
  EXPECT_EQ(a.at("type"), "deploy");
  EXPECT_EQ(a.at("code_size"), 4);
  EXPECT_EQ(a.at("code_hash"), format_hash(state::sha256(std::string_view("\0asm", 4))));
  EXPECT_FALSE(a.contains("code"));
  EXPECT_EQ(a.at("init_method"), "init");
  EXPECT_TRUE(a.at("abi").is_null());
  EXPECT_EQ(a.at("float_policy"), "deny");
  EXPECT_EQ(a.at("immutable"), true);
  Transaction destroy;
  destroy.action = DestroyAction{};
  EXPECT_EQ(to_json(destroy).at("action").at("type"), "destroy");
}

}  // namespace
}  // namespace ward::chain
