// ward/node/genesis.cpp — genesis file codec (genesis.h).
#include "node/genesis.h"

#include <nlohmann/json.hpp>

#include "chain/executor.h"
#include "util/decimal.h"
#include "util/json_depth.h"

namespace ward::node {
namespace {

/// A u64 from a JSON number or a decimal string; nullopt otherwise.
std::optional<uint64_t> as_u64(const nlohmann::json& j) {
  if (j.is_number_unsigned()) return j.get<uint64_t>();
  if (!j.is_string()) return std::nullopt;
  return parse_u64_decimal(j.get_ref<const std::string&>());
}

}  // namespace

Result<Genesis> parse_genesis(std::string_view text) {
  if (json_depth(text) > 8) return make_error("genesis: nesting too deep");
  auto j = nlohmann::json::parse(text, nullptr, false);
  if (j.is_discarded()) return make_error("genesis: not valid JSON");
  if (!j.is_object()) return make_error("genesis: not a JSON object");
  Genesis g;
  for (auto it = j.begin(); it != j.end(); ++it) {
    const std::string& k = it.key();
    const auto& v = it.value();
    auto bad = [&](const char* what) { return make_error("genesis: field '" + k + "' " + what); };
    if (k == "chain_id") {
      if (!v.is_string() || v.get<std::string>().empty() || v.get<std::string>().size() > 64) {
        return bad("must be a non-empty string of at most 64 bytes");
      }
      g.chain_id = v.get<std::string>();
    } else if (k == "genesis_time_ms" || k == "min_gas_price" || k == "block_gas_limit") {
      auto n = as_u64(v);
      if (!n) return bad("must be a u64 (number or decimal string)");
      (k == "genesis_time_ms" ? g.genesis_time_ms : k == "min_gas_price" ? g.min_gas_price : g.block_gas_limit) = *n;
    } else if (k == "producer") {
      auto a = v.is_string() ? chain::parse_address(v.get<std::string>()) : std::nullopt;
      if (!a) return bad("must be an address (0x followed by 40 hex digits)");
      g.producer = *a;
    } else if (k == "gas_schedule") {
      if (!v.is_array() || v.empty()) return bad("must be a non-empty array of {from_height, revision}");
      g.gas_schedule.clear();
      for (const auto& step : v) {
        if (!step.is_object() || step.size() != 2 || !step.contains("from_height") || !step.contains("revision")) {
          return bad("entries must be objects {\"from_height\": u64, \"revision\": u32}");
        }
        auto h = as_u64(step["from_height"]);
        auto r = as_u64(step["revision"]);
        if (!h || !r || *r > UINT32_MAX) {
          return bad("entries must be objects {\"from_height\": u64, \"revision\": u32}");
        }
        g.gas_schedule.push_back(chain::GasScheduleStep{*h, static_cast<uint32_t>(*r)});
      }
    } else if (k == "balances") {
      if (!v.is_object()) return bad("must be an object of address -> balance");
      for (auto b = v.begin(); b != v.end(); ++b) {
        auto a = chain::parse_address(b.key());
        if (!a) return make_error("genesis: balances: '" + b.key() + "' is not an address");
        auto n = as_u64(b.value());
        if (!n) return make_error("genesis: balances: balance of " + b.key() + " must be a u64");
        g.balances[*a] = *n;
      }
    } else {
      return make_error("genesis: unknown field '" + k + "'");
    }
  }
  if (g.chain_id.empty()) return make_error("genesis: field 'chain_id' is missing");
  if (!j.contains("producer")) return make_error("genesis: field 'producer' is missing");
  if (g.block_gas_limit == 0) return make_error("genesis: field 'block_gas_limit' must be greater than 0");
  if (auto ok = chain::check_gas_schedule(g.gas_schedule); !ok) {
    return make_error("genesis: field 'gas_schedule': " + ok.error().message);
  }
  return g;
}

std::string genesis_to_json(const Genesis& g) {
  // Appended to the object's vector directly: the addresses are unique and
  // sorted, and ordered_json's operator[] searches linearly (quadratic for
  // a genesis of many accounts).
  nlohmann::ordered_json b = nlohmann::ordered_json::object();
  auto& entries = b.get_ref<nlohmann::ordered_json::object_t&>();
  entries.reserve(g.balances.size());
  for (const auto& [a, v] : g.balances) entries.emplace_back(chain::format_address(a), std::to_string(v));
  nlohmann::ordered_json j = {{"chain_id", g.chain_id},
                              {"genesis_time_ms", std::to_string(g.genesis_time_ms)},
                              {"producer", chain::format_address(g.producer)},
                              {"min_gas_price", std::to_string(g.min_gas_price)},
                              {"block_gas_limit", std::to_string(g.block_gas_limit)},
                              {"balances", std::move(b)}};
  if (g.gas_schedule != std::vector<chain::GasScheduleStep>{chain::GasScheduleStep{}}) {
    nlohmann::ordered_json steps = nlohmann::ordered_json::array();
    for (const auto& s : g.gas_schedule) {
      steps.push_back({{"from_height", std::to_string(s.from_height)}, {"revision", s.revision}});
    }
    j["gas_schedule"] = std::move(steps);
  }
  return j.dump(2);
}

Genesis dev_genesis(const chain::Address& producer, const chain::Address& dev, uint64_t time_ms) {
  Genesis g;
  g.chain_id = "ward-dev";
  g.genesis_time_ms = time_ms;
  g.producer = producer;
  g.min_gas_price = 1;
  g.balances[dev] = 1'000'000'000'000'000ull;
  return g;
}

Genesis local_genesis() {
  Genesis g;
  g.chain_id = "ward-local";
  g.genesis_time_ms = static_cast<uint64_t>(chain::kGenesisTime) * 1000;
  g.min_gas_price = 0;
  g.block_gas_limit = UINT64_MAX;
  g.balances[chain::kDevAddress] = chain::kDevStartingBalance;
  return g;
}

}  // namespace ward::node
