// bench/lang_bench.cpp — wall time and gas per contract call, through the
// embedding API's executor (ward::Chain over an in-memory store), so a
// language's token can be compared with another's on each backend without
// process start, state opening or RPC in the figure.
//
//   lang_bench --backend interp|aot --wasm FILE [--init METHOD --init-args JSON]
//              --method NAME --args JSON [--calls N] [--reps R]
//
// Deploys FILE as one account (running the init method), calls METHOD with
// ARGS once untimed, then N times per repetition, and prints one JSON line:
//   {"backend","module_bytes","deploy_gas","first_call_gas","gas_per_call","gas_min","gas_max","us_per_call_median","us_per_call_min","calls","reps"}
// Every call must end ok (else exit 1, naming the call). gas_per_call is the
// first timed call's gas; gas_min/gas_max show any drift (a token that
// stores balances as JSON text pays more as the numbers grow a digit).
// The AOT compile happens in Engine::compile before any timing.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <map>
#include <string>
#include <vector>

#include "ward/chain.h"
#include "ward/engine.h"

namespace {

/// The whole state in a std::map (ordered, as scan needs).
class MapStore : public ward::KvStore {
 public:
  ward::StorageStatus get(std::string_view key, std::optional<std::string>& value) override {
    auto it = m_map.find(std::string(key));
    if (it == m_map.end()) value.reset();
    else value = it->second;
    return std::nullopt;
  }
  ward::StorageStatus write(std::span<const WriteOp> ops) override {
    for (const auto& op : ops) {
      if (op.value) m_map[std::string(op.key)] = std::string(*op.value);
      else m_map.erase(std::string(op.key));
    }
    return std::nullopt;
  }
  ward::StorageStatus scan(std::string_view start, std::string_view end, const ward::ScanVisitor& visit) override {
    for (auto it = m_map.lower_bound(std::string(start)); it != m_map.end(); ++it) {
      if (!end.empty() && it->first >= end) break;
      if (!visit(it->first, it->second)) break;
    }
    return std::nullopt;
  }

 private:
  std::map<std::string, std::string> m_map;
};

int fail(const std::string& what) {
  std::fprintf(stderr, "lang_bench: %s\n", what.c_str());
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  std::map<std::string, std::string> opt = {{"backend", "interp"}, {"init-args", "{}"}, {"args", "{}"},
                                            {"calls", "1000"}, {"reps", "5"}};
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string k = argv[i];
    if (k.rfind("--", 0) != 0) return fail("expected --option VALUE, got '" + k + "'");
    opt[k.substr(2)] = argv[i + 1];
  }
  if (!opt.count("wasm") || !opt.count("method")) return fail("--wasm FILE and --method NAME are required");
  std::ifstream in(opt["wasm"], std::ios::binary);
  if (!in) return fail("cannot read " + opt["wasm"]);
  std::vector<uint8_t> wasm((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const uint64_t calls = std::stoull(opt["calls"]);
  const int reps = std::stoi(opt["reps"]);

  auto engine = ward::Engine::create(opt["backend"]);
  if (!engine) return fail(engine.error().message);
  MapStore store;
  ward::Chain chain(store, engine.value());
  ward::Address deployer{};
  deployer[19] = 0xaa;
  std::optional<std::string_view> init;
  if (opt.count("init")) init = opt["init"];
  auto deployed = chain.deploy(wasm, deployer, init, opt["init-args"], 1'000'000'000);
  if (!deployed) return fail("deploy: " + deployed.error().message);
  if (!deployed.value().ok()) return fail("deploy: " + deployed.value().error);
  const ward::Address contract = deployed.value().address;

  // One call before timing: the first call may cost more (a storage key it
  // creates); every later call must cost the same.
  auto first = chain.call(contract, opt["method"], opt["args"], deployer, 1'000'000'000);
  if (!first.ok()) return fail("first call: " + first.error);
  uint64_t gas = 0, gas_min = UINT64_MAX, gas_max = 0;
  std::vector<double> per_call;
  for (int r = 0; r < reps; ++r) {
    const auto t0 = std::chrono::steady_clock::now();
    for (uint64_t c = 0; c < calls; ++c) {
      auto out = chain.call(contract, opt["method"], opt["args"], deployer, 1'000'000'000);
      if (!out.ok()) return fail("call " + std::to_string(c) + ": " + out.error);
      if (gas == 0) gas = out.gas_used;
      gas_min = std::min(gas_min, out.gas_used);
      gas_max = std::max(gas_max, out.gas_used);
    }
    const double us = std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - t0).count();
    per_call.push_back(us / static_cast<double>(calls));
  }
  std::sort(per_call.begin(), per_call.end());
  std::printf(
      "{\"backend\":\"%s\",\"module_bytes\":%zu,\"deploy_gas\":%llu,\"first_call_gas\":%llu,\"gas_per_call\":%llu,\"gas_min\":%llu,\"gas_max\":%llu,"
      "\"us_per_call_median\":%.2f,\"us_per_call_min\":%.2f,\"calls\":%llu,\"reps\":%d}\n",
      opt["backend"].c_str(), wasm.size(), static_cast<unsigned long long>(deployed.value().gas_used),
      static_cast<unsigned long long>(first.gas_used), static_cast<unsigned long long>(gas),
      static_cast<unsigned long long>(gas_min), static_cast<unsigned long long>(gas_max), per_call[per_call.size() / 2], per_call.front(),
      static_cast<unsigned long long>(calls), reps);
  return 0;
}
