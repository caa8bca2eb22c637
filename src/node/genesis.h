// ward/node/genesis.h — the genesis file of a chain (docs/node.md "Genesis"):
//
//   {"chain_id": "ward-dev", "genesis_time_ms": 1700000000000,
//    "producer": "0x<address>", "min_gas_price": 1, "block_gas_limit": 100000000,
//    "balances": {"0x<address>": "1000000000000", ...},
//    "gas_schedule": [{"from_height": 0, "revision": 1}, ...]}
//
// gas_schedule is optional (default: revision 1 from height 0) and is left
// out of genesis_to_json when it is the default, so existing genesis files
// keep their hash.
// u64 values may be JSON numbers or decimal strings (JavaScript clients
// cannot hold every u64 in a number). Unknown fields are rejected.
// Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>

#include <vector>

#include "chain/address.h"
#include "chain/executor.h"
#include "util/result.h"

namespace ward::node {

struct Genesis {
  std::string chain_id;
  uint64_t genesis_time_ms = 0;          ///< time of block 0, ms since the Unix epoch
  chain::Address producer{};             ///< the only block producer (receives fees)
  uint64_t min_gas_price = 1;            ///< native units per gas
  uint64_t block_gas_limit = 100'000'000;  ///< gas of all transactions of one block, and of one transaction
  std::map<chain::Address, uint64_t> balances;  ///< initial native balances
  /// Gas schedule revision by height (chain::Executor::set_gas_schedule,
  /// docs/gas.md "Gas schedule"): increasing from_height, the first at 0.
  std::vector<chain::GasScheduleStep> gas_schedule{chain::GasScheduleStep{}};
};

/// Parses a genesis file. Errors name the field: "genesis: field 'chain_id' ...".
Result<Genesis> parse_genesis(std::string_view json_text);
/// The genesis as JSON text (u64 as decimal strings), parse_genesis's input form.
std::string genesis_to_json(const Genesis& g);

/// The development genesis of `ward node --dev`: chain id "ward-dev", the
/// given producer, `dev` funded with 10^15, min gas price 1.
Genesis dev_genesis(const chain::Address& producer, const chain::Address& dev, uint64_t time_ms);

/// The genesis of the embedded local state (`ward call` without --node):
/// chain id "ward-local", min gas price 0, chain::kDevAddress funded with
/// chain::kDevStartingBalance, time chain::kGenesisTime seconds.
Genesis local_genesis();

}  // namespace ward::node
