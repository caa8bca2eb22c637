// ward/chain/address.cpp — address formatting and derivation.
#include "chain/address.h"

#include <algorithm>

namespace ward::chain {
namespace {

template <size_t N>
std::optional<std::array<uint8_t, N>> parse_fixed(std::string_view text) {
  if (text.size() != 2 + 2 * N || text[0] != '0' || (text[1] != 'x' && text[1] != 'X')) return std::nullopt;
  auto bytes = state::hex_decode(text.substr(2));
  if (!bytes) return std::nullopt;
  std::array<uint8_t, N> out{};
  std::copy(bytes->begin(), bytes->end(), out.begin());
  return out;
}

}  // namespace

std::string format_address(const Address& addr) { return "0x" + state::hex_encode(addr); }
std::optional<Address> parse_address(std::string_view text) { return parse_fixed<20>(text); }
std::string format_hash(const Hash& hash) { return "0x" + state::hex_encode(hash); }
std::optional<Hash> parse_hash(std::string_view text) { return parse_fixed<32>(text); }

Address contract_address(const Address& deployer, uint64_t nonce) {
  Hash h = state::sha256(state::as_string(deployer) + state::encode_u64(nonce));
  Address a{};
  std::copy(h.end() - a.size(), h.end(), a.begin());
  return a;
}

}  // namespace ward::chain
