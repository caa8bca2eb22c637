// bench/load_gen.cpp — a small JSON-RPC load generator for a running node
// (`ward node --dev`). Each connection is one thread with its own
// rpc::Client (one keep-alive HTTP/1.1 connection); request bodies are
// built before the clock starts and answers are checked with a string
// search, so the generator spends little CPU beside the node.
//
//   load_gen transfers --url URL --keystore DIR [--key dev] [--n 20000] [--keys 1000]
//                      [--conns 8] [--kind native|token] [--token-wasm FILE | --token ADDR]
//     Funds --keys fresh keys from the dev key (native value; for --kind token
//     also tokens, deploying the token first when no --token is given), signs
//     --n transactions (native transfers, or token Transfer calls) spread over
//     the keys, submits them over --conns connections (ward_sendTransaction,
//     waitUntil none; "nonce too far ahead" and "mempool full" are retried),
//     waits until the mempool is empty and checks every key's nonce. Prints
//     submitted/s (all accepted) and committed/s (all included, from the first
//     send), the per-submit latency and the blocks it took.
//
//   load_gen latency --url URL --method getNonce|getAccount|call [--n 100000] [--conns 8]
//                    [--contract ADDR] [--rss-pid PID] [--rss-every N]
//     Sends --n requests over --conns connections, each connection one after
//     the other; prints req/s and latency p50/p90/p99/p99.9/max. Addresses
//     cycle over 1,000 fixed ones; `call` is GetBalance(owner) of the token
//     at --contract. --rss-pid samples that process's VmRSS every --rss-every
//     requests (approximately) and prints the samples.
//
// The last line of each mode is "RESULT key=value ..." for node_run.sh.
#include <fmt/format.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "chain/keystore.h"
#include "chain/tx.h"
#include "rpc/client.h"
#include "state/layout.h"

namespace ward::bench {
namespace {

using Clock = std::chrono::steady_clock;
using json = nlohmann::json;

[[noreturn]] void die(const std::string& why) {
  std::fprintf(stderr, "load_gen: %s\n", why.c_str());
  std::exit(1);
}

double seconds_since(Clock::time_point t0) { return std::chrono::duration<double>(Clock::now() - t0).count(); }

struct Options {
  std::string mode;
  std::string url;
  std::string keystore;
  std::string key = "dev";
  size_t n = 0;
  size_t keys = 1000;
  size_t conns = 8;
  std::string kind = "native";
  std::string token_wasm;
  std::string token;
  std::string method = "getNonce";
  std::string contract;
  long rss_pid = 0;
  size_t rss_every = 100'000;
};

/// VmRSS of a process in KiB (0 when unreadable).
long rss_kib(long pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("VmRSS:", 0) == 0) return std::strtol(line.c_str() + 6, nullptr, 10);
  }
  return 0;
}

chain::KeyPair key_from(uint32_t i) {
  chain::Seed s{};
  s[0] = 0x1d;
  s[1] = static_cast<uint8_t>(i >> 24);
  s[2] = static_cast<uint8_t>(i >> 16);
  s[3] = static_cast<uint8_t>(i >> 8);
  s[4] = static_cast<uint8_t>(i);
  s[31] = 0xa5;
  return chain::KeyPair::from_seed(s);
}

std::string hex(std::string_view bytes) {
  return state::hex_encode({reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size()});
}

std::string request(const std::string& method, const json& params, uint64_t id = 1) {
  return json{{"jsonrpc", "2.0"}, {"id", id}, {"method", method}, {"params", params}}.dump();
}

struct Percentiles {
  double p50 = 0, p90 = 0, p99 = 0, p999 = 0, max = 0;
};

Percentiles percentiles(std::vector<double>& v) {
  Percentiles p;
  if (v.empty()) return p;
  std::sort(v.begin(), v.end());
  auto at = [&](double q) { return v[std::min(v.size() - 1, static_cast<size_t>(q * static_cast<double>(v.size())))]; };
  p.p50 = at(0.50);
  p.p90 = at(0.90);
  p.p99 = at(0.99);
  p.p999 = at(0.999);
  p.max = v.back();
  return p;
}

/// The chain id, min gas price, head height.
struct ChainInfo {
  std::string chain_id;
  uint64_t min_gas_price = 1;
  uint64_t head = 0;
  uint64_t mempool = 0;
};

ChainInfo chain_info(rpc::Client& c) {
  json j = c.call("ward_chainInfo", json::object());
  ChainInfo i;
  i.chain_id = j.at("chain_id").get<std::string>();
  i.min_gas_price = j.at("min_gas_price").get<uint64_t>();
  i.head = j.at("head_height").get<uint64_t>();
  i.mempool = j.at("mempool_size").get<uint64_t>();
  return i;
}

uint64_t nonce_of(rpc::Client& c, const chain::Address& a) {
  return c.call("ward_getNonce", json{{"address", chain::format_address(a)}}).get<uint64_t>();
}

chain::Transaction make_tx(const ChainInfo& info, const chain::KeyPair& key, uint64_t nonce, chain::Action action,
                           uint64_t gas_limit) {
  chain::Transaction t;
  t.chain_id = info.chain_id;
  t.signer = key.public_key;
  t.nonce = nonce;
  t.expiry_height = info.head + 3000;
  t.gas_limit = gas_limit;
  t.gas_price = info.min_gas_price;
  t.action = std::move(action);
  return t;
}

std::string signed_hex(const chain::Transaction& t, const chain::KeyPair& key) {
  return hex(chain::encode_signed(chain::sign_transaction(t, key)));
}

/// Sends the transactions of one sender in order, at most 16 ahead of its
/// committed nonce (the mempool's limit): waits for the nonce when needed.
void send_from(rpc::Client& c, const chain::KeyPair& key, const std::vector<std::string>& txs, uint64_t first_nonce) {
  const chain::Address from = chain::address_of(key.public_key);
  uint64_t committed = first_nonce;
  for (size_t i = 0; i < txs.size(); ++i) {
    while (first_nonce + i > committed + 16) {
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
      committed = nonce_of(c, from);
    }
    c.call("ward_sendTransaction", json{{"tx", txs[i]}});
  }
  while (committed < first_nonce + txs.size()) {
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
    committed = nonce_of(c, from);
  }
}

chain::Action token_transfer(const chain::Address& token, const chain::Address& to, uint64_t amount) {
  return chain::CallAction{token, "Transfer",
                           fmt::format(R"({{"to": "{}", "amount": {}}})", chain::format_address(to), amount), 0};
}

int transfers(const Options& o) {
  if (o.keystore.empty()) die("transfers needs --keystore DIR (the node's, holding the funded key)");
  const size_t n = o.n ? o.n : 20'000;
  const size_t nkeys = std::max<size_t>(1, std::min(o.keys, n));
  const size_t conns = std::max<size_t>(1, o.conns);
  const bool token_kind = o.kind == "token";
  if (!token_kind && o.kind != "native") die("--kind must be native or token");
  chain::Keystore ks(o.keystore);
  auto dev = ks.load(o.key, [](const std::string&) -> Result<std::string> {
    return make_error("key is encrypted; use an unencrypted key");
  });
  if (!dev) die("cannot load key '" + o.key + "': " + dev.error().message);
  const chain::Address dev_addr = chain::address_of(dev.value().public_key);
  rpc::Client c(o.url);
  ChainInfo info = chain_info(c);
  const uint64_t gas_limit = token_kind ? 200'000 : 10'000;
  const size_t per_key = (n + nkeys - 1) / nkeys;

  std::vector<chain::KeyPair> keys;
  for (size_t i = 0; i < nkeys; ++i) keys.push_back(key_from(static_cast<uint32_t>(i)));

  // --- setup (untimed): deploy the token, fund the keys ---
  auto t_setup = Clock::now();
  chain::Address token{};
  uint64_t dev_nonce = nonce_of(c, dev_addr);
  if (token_kind) {
    if (!o.token.empty()) {
      auto a = chain::parse_address(o.token);
      if (!a) die("--token must be an address");
      token = *a;
    } else {
      if (o.token_wasm.empty()) die("--kind token needs --token ADDR or --token-wasm FILE");
      std::ifstream in(o.token_wasm, std::ios::binary);
      if (!in) die("cannot read " + o.token_wasm);
      chain::DeployAction d;
      d.code.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
      d.init_method = "Initialize";
      d.init_args = R"({"total_supply": 1000000000000000})";
      json r = c.call("ward_sendTransaction",
                      json{{"tx", signed_hex(make_tx(info, dev.value(), dev_nonce, d, 50'000'000), dev.value())},
                           {"waitUntil", "included"}});
      if (r["receipt"]["status"] != "ok") die("token deploy failed: " + r["receipt"].dump());
      token = chain::contract_address(dev_addr, dev_nonce);
      ++dev_nonce;
    }
    fmt::print("token: {}\n", chain::format_address(token));
  }
  {
    // The keys need native value for fees (and for native transfers), and tokens.
    std::vector<std::string> fund;
    const uint64_t amount = (per_key + 2) * gas_limit * info.min_gas_price + 1'000'000;
    for (const auto& k : keys) {
      fund.push_back(signed_hex(
          make_tx(info, dev.value(), dev_nonce + fund.size(), chain::TransferAction{chain::address_of(k.public_key), amount},
                  10'000),
          dev.value()));
    }
    if (token_kind) {
      for (const auto& k : keys) {
        fund.push_back(signed_hex(make_tx(info, dev.value(), dev_nonce + fund.size(),
                                          token_transfer(token, chain::address_of(k.public_key), 1'000'000), gas_limit),
                                  dev.value()));
      }
    }
    send_from(c, dev.value(), fund, dev_nonce);
  }
  // Each key's first nonce (fresh keys: 0, but a rerun on the same chain goes on).
  std::vector<uint64_t> first(nkeys);
  for (size_t i = 0; i < nkeys; ++i) first[i] = nonce_of(c, chain::address_of(keys[i].public_key));
  info = chain_info(c);
  const double setup_s = seconds_since(t_setup);

  // --- pre-sign: key i sends per_key transactions to key i+1 ---
  auto t_sign = Clock::now();
  std::vector<std::vector<std::string>> bodies(nkeys);
  size_t total = 0;
  for (size_t i = 0; i < nkeys; ++i) {
    const chain::Address to = chain::address_of(keys[(i + 1) % nkeys].public_key);
    for (size_t j = 0; j < per_key && total < n; ++j, ++total) {
      chain::Action a = token_kind ? token_transfer(token, to, 1) : chain::Action{chain::TransferAction{to, 1}};
      bodies[i].push_back(
          request("ward_sendTransaction",
                  json{{"tx", signed_hex(make_tx(info, keys[i], first[i] + j, a, gas_limit), keys[i])}}, j + 1));
    }
  }
  const double sign_s = seconds_since(t_sign);
  fmt::print("setup: {} keys funded in {:.1f} s; {} transactions signed in {:.1f} s ({:.0f}/s)\n", nkeys, setup_s,
             total, sign_s, static_cast<double>(total) / sign_s);

  // --- submit over `conns` connections; key i belongs to connection i % conns ---
  const uint64_t h0 = info.head;
  std::atomic<size_t> accepted{0}, rejected{0}, retries{0};
  std::mutex err_mutex;
  std::string first_error;
  std::vector<std::vector<double>> lat(conns);
  const auto t0 = Clock::now();
  std::vector<std::thread> threads;
  for (size_t t = 0; t < conns; ++t) {
    threads.emplace_back([&, t] {
      rpc::Client cl(o.url);
      std::vector<size_t> mine;
      for (size_t i = t; i < nkeys; i += conns) mine.push_back(i);
      lat[t].reserve(per_key * mine.size());
      for (size_t j = 0; j < per_key; ++j) {
        for (size_t i : mine) {
          if (j >= bodies[i].size()) continue;
          for (int attempt = 0;; ++attempt) {
            const auto s0 = Clock::now();
            std::string res;
            try {
              res = cl.post(bodies[i][j]);
            } catch (const std::exception& e) {
              res = std::string("transport: ") + e.what();
            }
            lat[t].push_back(seconds_since(s0));
            if (res.find("\"result\"") != std::string::npos || res.find("\"duplicate\"") != std::string::npos) {
              ++accepted;
              break;
            }
            const bool retry = res.find("nonce_too_high") != std::string::npos ||
                               res.find("mempool_full") != std::string::npos ||
                               res.find("transport:") == 0;
            if (retry && attempt < 20000) {
              ++retries;
              std::this_thread::sleep_for(std::chrono::milliseconds(1));
              continue;
            }
            ++rejected;
            std::lock_guard lock(err_mutex);
            if (first_error.empty()) first_error = res.substr(0, 300);
            break;
          }
        }
      }
    });
  }
  for (auto& th : threads) th.join();
  const double submit_s = seconds_since(t0);
  // Included: the mempool is empty (a transaction leaves it after its block is committed).
  while (true) {
    info = chain_info(c);
    if (info.mempool == 0) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  const double commit_s = seconds_since(t0);

  // --- check (untimed): every key's nonce, the blocks ---
  size_t committed = 0;
  for (size_t i = 0; i < nkeys; ++i) committed += nonce_of(c, chain::address_of(keys[i].public_key)) - first[i];
  size_t blocks = 0, max_txs = 0;
  for (uint64_t h = h0 + 1; h <= info.head; ++h) {
    json b = c.call("ward_getBlock", json{{"block", h}});
    const size_t k = b.at("tx_count").get<size_t>();
    ++blocks;
    max_txs = std::max(max_txs, k);
  }
  std::vector<double> all;
  for (auto& v : lat) all.insert(all.end(), v.begin(), v.end());
  Percentiles p = percentiles(all);
  fmt::print("{} {} transfers over {} connections from {} keys: accepted {}, rejected {}, retried {} times\n", total,
             o.kind, conns, nkeys, accepted.load(), rejected.load(), retries.load());
  if (!first_error.empty()) fmt::print("first rejection: {}\n", first_error);
  fmt::print("submitted: {:.2f} s, {:.0f} tx/s; ward_sendTransaction latency p50 {:.2f} ms, p99 {:.2f} ms, max {:.1f} ms\n",
             submit_s, static_cast<double>(accepted.load()) / submit_s, p.p50 * 1e3, p.p99 * 1e3, p.max * 1e3);
  fmt::print("committed: {} of {} in {:.2f} s from the first send: {:.0f} tx/s end to end ({} blocks, {:.0f} txs/block "
             "on average, at most {})\n",
             committed, total, commit_s, static_cast<double>(committed) / commit_s, blocks,
             blocks ? static_cast<double>(committed) / static_cast<double>(blocks) : 0.0, max_txs);
  fmt::print("RESULT kind={} txs={} committed={} submit_per_s={:.0f} commit_per_s={:.0f} submit_p50_ms={:.2f} "
             "submit_p99_ms={:.2f} blocks={}{}\n",
             o.kind, total, committed, static_cast<double>(accepted.load()) / submit_s,
             static_cast<double>(committed) / commit_s, p.p50 * 1e3, p.p99 * 1e3, blocks,
             token_kind ? " token=" + chain::format_address(token) : std::string());
  return committed == total && rejected == 0 ? 0 : 1;
}

int latency(const Options& o) {
  const size_t n = o.n ? o.n : 100'000;
  const size_t conns = std::max<size_t>(1, o.conns);
  std::vector<std::string> bodies;
  for (uint32_t i = 0; i < 1000; ++i) {
    const std::string a = chain::format_address(chain::address_of(key_from(i).public_key));
    if (o.method == "getNonce") {
      bodies.push_back(request("ward_getNonce", json{{"address", a}}, i));
    } else if (o.method == "getAccount") {
      bodies.push_back(request("ward_getAccount", json{{"address", a}}, i));
    } else if (o.method == "call") {
      if (o.contract.empty()) die("latency --method call needs --contract ADDR (the token)");
      bodies.push_back(request(
          "ward_call", json{{"to", o.contract}, {"method", "GetBalance"}, {"args", json{{"owner", a}}}}, i));
    } else {
      die("--method must be getNonce, getAccount or call");
    }
  }
  std::atomic<size_t> done{0}, errors{0};
  std::mutex err_mutex;
  std::string first_error;
  std::vector<std::vector<double>> lat(conns);
  std::vector<std::pair<size_t, long>> rss;
  std::atomic<bool> finished{false};
  std::thread sampler;
  if (o.rss_pid > 0) {
    sampler = std::thread([&] {
      size_t next = o.rss_every;
      while (!finished.load()) {
        const size_t d = done.load();
        if (d >= next) {
          rss.emplace_back(d, rss_kib(o.rss_pid));
          next += o.rss_every;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
      }
    });
  }
  const auto t0 = Clock::now();
  std::vector<std::thread> threads;
  for (size_t t = 0; t < conns; ++t) {
    threads.emplace_back([&, t] {
      rpc::Client cl(o.url);
      const size_t count = n / conns + (t < n % conns ? 1 : 0);
      lat[t].reserve(count);
      for (size_t k = 0; k < count; ++k) {
        const std::string& body = bodies[(k * conns + t) % bodies.size()];
        const auto s0 = Clock::now();
        std::string res;
        try {
          res = cl.post(body);
        } catch (const std::exception& e) {
          res = std::string("transport: ") + e.what();
        }
        lat[t].push_back(seconds_since(s0));
        ++done;
        const bool ok = res.find("\"result\"") != std::string::npos &&
                        (o.method != "call" || res.find("\"status\":\"ok\"") != std::string::npos);
        if (!ok) {
          ++errors;
          std::lock_guard lock(err_mutex);
          if (first_error.empty()) first_error = res.substr(0, 300);
        }
      }
    });
  }
  for (auto& th : threads) th.join();
  const double s = seconds_since(t0);
  finished = true;
  if (sampler.joinable()) sampler.join();
  std::vector<double> all;
  for (auto& v : lat) all.insert(all.end(), v.begin(), v.end());
  Percentiles p = percentiles(all);
  const double rate = static_cast<double>(n) / s;
  fmt::print("ward_{}: {} requests over {} connections in {:.2f} s: {:.0f} req/s; latency p50 {:.3f} ms, p90 {:.3f} ms, "
             "p99 {:.3f} ms, p99.9 {:.3f} ms, max {:.1f} ms; errors {}\n",
             o.method, n, conns, s, rate, p.p50 * 1e3, p.p90 * 1e3, p.p99 * 1e3, p.p999 * 1e3, p.max * 1e3,
             errors.load());
  if (!first_error.empty()) fmt::print("first error: {}\n", first_error);
  for (const auto& [d, kib] : rss) fmt::print("rss after ~{} requests: {} KiB\n", d, kib);
  fmt::print("RESULT method={} n={} conns={} req_per_s={:.0f} p50_ms={:.3f} p99_ms={:.3f} errors={}\n", o.method, n,
             conns, rate, p.p50 * 1e3, p.p99 * 1e3, errors.load());
  return errors == 0 ? 0 : 1;
}

}  // namespace
}  // namespace ward::bench

int main(int argc, char** argv) {
  using ward::bench::die;
  ward::bench::Options o;
  if (argc < 2) die("usage: load_gen transfers|latency --url URL [options] (see the top of bench/load_gen.cpp)");
  o.mode = argv[1];
  for (int i = 2; i < argc; ++i) {
    const std::string a = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc) die(a + " needs a value");
      return argv[++i];
    };
    if (a == "--url") o.url = value();
    else if (a == "--keystore") o.keystore = value();
    else if (a == "--key") o.key = value();
    else if (a == "--n") o.n = std::stoull(value());
    else if (a == "--keys") o.keys = std::stoull(value());
    else if (a == "--conns") o.conns = std::stoull(value());
    else if (a == "--kind") o.kind = value();
    else if (a == "--token-wasm") o.token_wasm = value();
    else if (a == "--token") o.token = value();
    else if (a == "--method") o.method = value();
    else if (a == "--contract") o.contract = value();
    else if (a == "--rss-pid") o.rss_pid = std::stol(value());
    else if (a == "--rss-every") o.rss_every = std::stoull(value());
    else die("unknown option " + a);
  }
  if (o.url.empty()) die("--url URL is required (http://127.0.0.1:PORT)");
  try {
    if (o.mode == "transfers") return ward::bench::transfers(o);
    if (o.mode == "latency") return ward::bench::latency(o);
  } catch (const std::exception& e) {
    die(e.what());
  }
  die("unknown mode '" + o.mode + "' (transfers or latency)");
}
