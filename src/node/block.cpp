// ward/node/block.cpp — block header codec, hash, signature, Merkle roots.
#include "node/block.h"

#include <cstring>

#include "state/layout.h"

namespace ward::node {
namespace {

constexpr std::string_view kBlockDomain = "WARD/block/v1";

void put_le(std::string& out, uint64_t v, int bytes) {
  for (int i = 0; i < bytes; ++i) out.push_back(static_cast<char>((v >> (8 * i)) & 0xff));
}

uint64_t get_le(std::string_view in, size_t at, int bytes) {
  uint64_t v = 0;
  for (int i = 0; i < bytes; ++i) v |= static_cast<uint64_t>(static_cast<uint8_t>(in[at + i])) << (8 * i);
  return v;
}

template <size_t N>
void put_raw(std::string& out, const std::array<uint8_t, N>& a) {
  out.append(reinterpret_cast<const char*>(a.data()), N);
}

template <size_t N>
void get_raw(std::string_view in, size_t at, std::array<uint8_t, N>& a) {
  std::memcpy(a.data(), in.data() + at, N);
}

Hash sha(std::string_view s) { return state::sha256(s); }

}  // namespace

std::string encode_header(const BlockHeader& h) {
  std::string out;
  out.reserve(kHeaderBytes);
  out.push_back(static_cast<char>(h.version));
  put_le(out, h.height, 8);
  put_raw(out, h.parent_hash);
  put_le(out, h.time_ms, 8);
  put_raw(out, h.producer);
  put_le(out, h.tx_count, 4);
  put_raw(out, h.tx_root);
  put_raw(out, h.receipts_root);
  put_raw(out, h.state_root);
  put_le(out, h.gas_used, 8);
  return out;
}

Result<BlockHeader> decode_header(std::string_view in) {
  if (in.size() != kHeaderBytes) {
    return make_error("block header: expected " + std::to_string(kHeaderBytes) + " bytes, found " +
                      std::to_string(in.size()));
  }
  BlockHeader h;
  size_t at = 0;
  h.version = static_cast<uint8_t>(in[at]);
  at += 1;
  if (h.version != kBlockVersion) return make_error("block header: unsupported version " + std::to_string(h.version));
  h.height = get_le(in, at, 8); at += 8;
  get_raw(in, at, h.parent_hash); at += 32;
  h.time_ms = get_le(in, at, 8); at += 8;
  get_raw(in, at, h.producer); at += 20;
  h.tx_count = static_cast<uint32_t>(get_le(in, at, 4)); at += 4;
  get_raw(in, at, h.tx_root); at += 32;
  get_raw(in, at, h.receipts_root); at += 32;
  get_raw(in, at, h.state_root); at += 32;
  h.gas_used = get_le(in, at, 8);
  return h;
}

Hash block_hash(const BlockHeader& h) { return sha(encode_header(h)); }

Hash block_signing_digest(std::string_view chain_id, const BlockHeader& h) {
  std::string m(kBlockDomain);
  m.append(chain_id);
  m += encode_header(h);
  return sha(m);
}

SignedHeader sign_header(const BlockHeader& h, std::string_view chain_id, const chain::KeyPair& key) {
  SignedHeader s;
  s.header = h;
  s.producer_key = key.public_key;
  const Hash d = block_signing_digest(chain_id, h);
  s.signature = chain::sign(key, d);
  return s;
}

Result<void> verify_header(const SignedHeader& s, std::string_view chain_id, bool allow_unsigned) {
  const std::string at = "block " + std::to_string(s.header.height) + ": ";
  if (s.producer_key == chain::PublicKey{} && s.signature == chain::Signature{}) {
    if (allow_unsigned) return {};
    return make_error(at + "unsigned");
  }
  if (chain::address_of(s.producer_key) != s.header.producer) {
    return make_error(at + "producer key does not match the producer address");
  }
  const Hash d = block_signing_digest(chain_id, s.header);
  if (!chain::verify(s.producer_key, d, s.signature)) return make_error(at + "bad producer signature");
  return {};
}

std::string encode_signed_header(const SignedHeader& s) {
  std::string out = encode_header(s.header);
  put_raw(out, s.producer_key);
  put_raw(out, s.signature);
  return out;
}

Result<SignedHeader> decode_signed_header(std::string_view bytes) {
  if (bytes.size() != kHeaderBytes + 32 + 64) {
    return make_error("signed block header: expected " + std::to_string(kHeaderBytes + 96) + " bytes, found " +
                      std::to_string(bytes.size()));
  }
  auto h = decode_header(bytes.substr(0, kHeaderBytes));
  if (!h) return h.error();
  SignedHeader s;
  s.header = h.value();
  get_raw(bytes, kHeaderBytes, s.producer_key);
  get_raw(bytes, kHeaderBytes + 32, s.signature);
  return s;
}

Hash merkle_root(const std::vector<Hash>& leaves) {
  if (leaves.empty()) return Hash{};
  std::vector<Hash> level;
  level.reserve(leaves.size());
  for (const auto& l : leaves) {
    std::string m(1, '\x00');
    m.append(reinterpret_cast<const char*>(l.data()), l.size());
    level.push_back(sha(m));
  }
  while (level.size() > 1) {
    std::vector<Hash> next;
    next.reserve((level.size() + 1) / 2);
    for (size_t i = 0; i + 1 < level.size(); i += 2) {
      std::string m(1, '\x01');
      m.append(reinterpret_cast<const char*>(level[i].data()), 32);
      m.append(reinterpret_cast<const char*>(level[i + 1].data()), 32);
      next.push_back(sha(m));
    }
    if (level.size() % 2 == 1) next.push_back(level.back());
    level = std::move(next);
  }
  return level.front();
}

}  // namespace ward::node
