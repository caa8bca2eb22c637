// ward/chain/address.h — account and contract addresses: 20 raw bytes,
// written as "0x" + 40 lowercase hex digits. Also the fixed development
// address used by `ward run` and a dev node when no key is given.
// Thread-safety: pure functions and constants.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "state/layout.h"

namespace ward::chain {

using Address = state::Address;
using Hash = state::Hash;

/// The development account, 0x00000000000000000000000000000000000000de:
/// the default sender and deployer of `ward run` and of a dev node. It holds
/// no key; never use it on a real chain.
inline constexpr Address kDevAddress = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
                                        0, 0, 0, 0, 0, 0, 0, 0, 0, 0xde};

/// "0x" + 40 lowercase hex digits.
std::string format_address(const Address& addr);
/// Parses "0x" + 40 hex digits (either case; the prefix is required).
/// nullopt when the text is anything else.
std::optional<Address> parse_address(std::string_view text);
/// "0x" + 64 lowercase hex digits.
std::string format_hash(const Hash& hash);
/// Parses "0x" + 64 hex digits; nullopt otherwise.
std::optional<Hash> parse_hash(std::string_view text);

/// Address of the contract deployed by `deployer` with account nonce
/// `nonce`: the last 20 bytes of sha256(deployer || u64 big-endian nonce).
Address contract_address(const Address& deployer, uint64_t nonce);

}  // namespace ward::chain
