// ward_tx_tool — prints the hex of a signed (or unsigned) version-1
// transaction built from command-line fields, for the RPC golden tests
// (tests/rpc/run.sh). Not part of the product.
//
//   ward_tx_tool --seed HEX64 --chain ID --nonce N [--expiry H] [--gas G]
//                [--gas-price P] ACTION... [--bad-signature] [--unsigned]
//   ACTION: transfer TO AMOUNT
//         | deploy FILE.wasm [--init METHOD] [--init-args JSON] [--abi JSON]
//         | call CONTRACT METHOD [ARGS_JSON] [--value V]
//   ward_tx_tool --seed HEX64 --address     prints the address of the seed
//   ward_tx_tool normalize STATE [KEY...] < BODY   the golden normaliser (below)
//
// normalize: reads one response body; prints it as compact JSON with the
// wall-clock-dependent fields replaced: "time_ms" and "head_time_ms" by
// "<time>", "node_version" by "<version>", and the block hashes (the "hash",
// "parent_hash" and "signature" of an object that has a "parent_hash";
// "head_hash" and "genesis_hash" anywhere) by "<block:N>", N numbered by
// first appearance across one transcript (STATE keeps the numbering between
// calls), also inside any other string; the string values (or strings of
// an array value) of each extra KEY
// likewise by "<KEY:N>" (a case sets them with VOLATILE="state_root ...").
// u64 values are printed exactly
// (jq 1.6 would round them). A body that is not JSON is printed unchanged.
#include <algorithm>
#include <cstdio>
#include <map>
#include <nlohmann/json.hpp>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "chain/address.h"
#include "chain/crypto.h"
#include "chain/tx.h"
#include "state/layout.h"

namespace {

[[noreturn]] void usage(const std::string& why) {
  std::fprintf(stderr, "ward_tx_tool: %s\n", why.c_str());
  std::exit(2);
}

uint64_t num(const std::string& s) {
  try {
    size_t used = 0;
    const unsigned long long v = std::stoull(s, &used);
    if (used != s.size()) usage("not a number: " + s);
    return v;
  } catch (...) {
    usage("not a number: " + s);
  }
}

ward::chain::Address addr(const std::string& s) {
  auto a = ward::chain::parse_address(s);
  if (!a) usage("not an address: " + s);
  return *a;
}

std::string hex(std::string_view bytes) {
  return "0x" + ward::state::hex_encode({reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size()});
}

using Json = nlohmann::ordered_json;

void collect(const Json& j, const std::vector<std::string>& extra,
             std::vector<std::pair<std::string, std::string>>& out) {
  if (j.is_object()) {
    const bool header = j.contains("parent_hash");
    for (auto it = j.begin(); it != j.end(); ++it) {
      const std::string& k = it.key();
      const bool volatile_hash = k == "head_hash" || k == "genesis_hash" ||
                                 (header && (k == "hash" || k == "parent_hash" || k == "signature"));
      if (volatile_hash && it->is_string()) out.emplace_back(it->get<std::string>(), "block");
      if (std::find(extra.begin(), extra.end(), k) != extra.end()) {
        if (it->is_string()) out.emplace_back(it->get<std::string>(), k);
        if (it->is_array()) {
          for (const auto& e : *it) {
            if (e.is_string()) out.emplace_back(e.get<std::string>(), k);
          }
        }
      }
      collect(*it, extra, out);
    }
  } else if (j.is_array()) {
    for (const auto& e : j) collect(e, extra, out);
  }
}

void replace_all(std::string& s, const std::map<std::string, std::string>& names) {
  for (const auto& [value, name] : names) {
    for (size_t pos = 0; (pos = s.find(value, pos)) != std::string::npos; pos += name.size()) {
      s.replace(pos, value.size(), name);
    }
  }
}

void rewrite(Json& j, const std::map<std::string, std::string>& names) {
  if (j.is_object()) {
    for (auto it = j.begin(); it != j.end(); ++it) {
      const std::string& k = it.key();
      if ((k == "time_ms" || k == "head_time_ms") && it->is_number()) *it = "<time>";
      else if (k == "node_version" && it->is_string()) *it = "<version>";
      else rewrite(*it, names);
    }
  } else if (j.is_array()) {
    for (auto& e : j) rewrite(e, names);
  } else if (j.is_string()) {
    std::string s = j.get<std::string>();
    replace_all(s, names);
    j = s;
  }
}

int normalize(const std::string& state_file, const std::vector<std::string>& extra) {
  std::stringstream in;
  in << std::cin.rdbuf();
  const std::string body = in.str();
  Json j = Json::parse(body, nullptr, false);
  if (j.is_discarded()) {
    std::cout << body;
    return 0;
  }
  std::map<std::string, std::string> names;
  {
    std::ifstream st(state_file);
    std::string value, name;
    while (st >> value >> name) names[value] = name;
  }
  std::vector<std::pair<std::string, std::string>> found;
  collect(j, extra, found);
  std::ofstream st(state_file, std::ios::app);
  for (const auto& [v, label] : found) {
    // All-zero values (the genesis parent, empty roots) are not volatile.
    if (v.size() < 16 || names.count(v) || v.find_first_not_of("0x") == std::string::npos) continue;
    const std::string name = "<" + label + ":" + std::to_string(names.size() + 1) + ">";
    names[v] = name;
    st << v << " " << name << "\n";
  }
  rewrite(j, names);
  std::cout << j.dump(-1, ' ', false, Json::error_handler_t::replace) << "\n";
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  using namespace ward;
  std::vector<std::string> args(argv + 1, argv + argc);
  if (args.size() >= 2 && args[0] == "normalize") {
    return normalize(args[1], std::vector<std::string>(args.begin() + 2, args.end()));
  }
  std::string seed_hex, chain_id = "ward-dev", action;
  uint64_t nonce = 0, expiry = 1000, gas = 1'000'000, gas_price = 1, value = 0;
  bool bad_sig = false, unsigned_tx = false, print_address = false;
  std::vector<std::string> positional;
  std::optional<std::string> init, abi;
  std::string init_args;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    auto next = [&]() -> const std::string& {
      if (i + 1 >= args.size()) usage(a + " needs a value");
      return args[++i];
    };
    if (a == "--seed") seed_hex = next();
    else if (a == "--chain") chain_id = next();
    else if (a == "--nonce") nonce = num(next());
    else if (a == "--expiry") expiry = num(next());
    else if (a == "--gas") gas = num(next());
    else if (a == "--gas-price") gas_price = num(next());
    else if (a == "--value") value = num(next());
    else if (a == "--init") init = next();
    else if (a == "--init-args") init_args = next();
    else if (a == "--abi") abi = next();
    else if (a == "--bad-signature") bad_sig = true;
    else if (a == "--unsigned") unsigned_tx = true;
    else if (a == "--address") print_address = true;
    else if (a.rfind("--", 0) == 0) usage("unknown option " + a);
    else positional.push_back(a);
  }
  auto seed_bytes = state::hex_decode(seed_hex);
  if (!seed_bytes || seed_bytes->size() != 32) usage("--seed must be 64 hex digits");
  chain::Seed seed{};
  std::copy(seed_bytes->begin(), seed_bytes->end(), seed.begin());
  const chain::KeyPair key = chain::KeyPair::from_seed(seed);
  if (print_address) {
    std::cout << chain::format_address(chain::address_of(key.public_key)) << "\n";
    return 0;
  }
  if (positional.empty()) usage("missing ACTION (transfer, deploy, call)");
  chain::Transaction tx;
  tx.chain_id = chain_id;
  tx.nonce = nonce;
  tx.expiry_height = expiry;
  tx.gas_limit = gas;
  tx.gas_price = gas_price;
  tx.signer = key.public_key;
  const std::string& kind = positional[0];
  if (kind == "transfer" && positional.size() == 3) {
    tx.action = chain::TransferAction{addr(positional[1]), num(positional[2])};
  } else if (kind == "deploy" && positional.size() == 2) {
    std::ifstream in(positional[1], std::ios::binary);
    if (!in) usage("cannot read " + positional[1]);
    std::stringstream ss;
    ss << in.rdbuf();
    chain::DeployAction d;
    d.code = ss.str();
    d.init_method = init;
    d.init_args = init_args;
    d.value = value;
    d.abi = abi;
    tx.action = d;
  } else if (kind == "call" && (positional.size() == 3 || positional.size() == 4)) {
    tx.action = chain::CallAction{addr(positional[1]), positional[2], positional.size() == 4 ? positional[3] : "{}",
                                  value};
  } else {
    usage("ACTION must be: transfer TO AMOUNT | deploy FILE | call CONTRACT METHOD [ARGS]");
  }
  if (unsigned_tx) {
    std::cout << hex(chain::encode(tx)) << "\n";
    return 0;
  }
  chain::SignedTransaction stx = chain::sign_transaction(tx, key);
  if (bad_sig) stx.signature[0] ^= 0x01;
  std::cout << hex(chain::encode_signed(stx)) << "\n";
  return 0;
}
