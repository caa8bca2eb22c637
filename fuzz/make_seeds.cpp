// fuzz/make_seeds.cpp — ward_fuzz_seeds: writes the seed corpora of the
// node fuzz targets (never committed; fuzz/run.sh calls it):
//   OUT/fuzz_tx_decode  the tx_hex, signed_hex and invalid hex of the test
//                       vectors (VECTORS, default tests/vectors/tx-v1.json,
//                       skipped when missing) and one signed transaction of
//                       each action type made with sign_transaction;
//   OUT/fuzz_mempool    programs for fuzz_mempool (mempool_program.h):
//                       admissions, replacements, eviction, selection;
//   OUT/fuzz_rpc        requests naming what the fuzz chain really holds
//                       (transaction and block hashes, the contract, a
//                       valid signed transaction), one per ward_* method,
//                       and a batch. The hand-written requests, malformed
//                       ones included, are committed in fuzz/seeds/rpc/.
// Usage: ward_fuzz_seeds OUT [VECTORS]
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "chain/tx.h"
#include "mempool_program.h"
#include "node_fixture.h"
#include "state/layout.h"

namespace {

namespace fs = std::filesystem;
using namespace ward;
using nlohmann::json;

size_t g_written = 0;

void write(const fs::path& dir, const std::string& name, const std::string& bytes) {
  fs::create_directories(dir);
  std::ofstream(dir / name, std::ios::binary) << bytes;
  ++g_written;
}

std::string hex(std::string_view b) {
  return state::hex_encode({reinterpret_cast<const uint8_t*>(b.data()), b.size()});
}

std::string unhex(const std::string& h) { return state::hex_decode(h).value_or(""); }

void tx_seeds(const fs::path& out, const std::string& vectors) {
  const fs::path dir = out / "fuzz_tx_decode";
  std::ifstream in(vectors);
  if (in) {
    const json v = json::parse(std::string(std::istreambuf_iterator<char>(in), {}), nullptr, false);
    if (v.is_object()) {
      for (const auto& c : v.value("valid", json::array())) {
        const std::string name = c.value("name", "case");
        write(dir, "vector-" + name + ".tx", unhex(c.value("tx_hex", "")));
        write(dir, "vector-" + name + ".signed", unhex(c.value("signed_hex", "")));
      }
      for (const auto& c : v.value("invalid", json::array())) {
        write(dir, "vector-invalid-" + c.value("name", "case"), unhex(c.value("hex", "")));
      }
    }
  } else {
    std::fprintf(stderr, "ward_fuzz_seeds: %s not found; seeds from sign_transaction only\n", vectors.c_str());
  }
  const chain::KeyPair key = fuzz::fuzz_key(1);
  int i = 0;
  for (chain::Transaction tx : fuzz::template_transactions(100)) {
    const chain::SignedTransaction stx = chain::sign_transaction(tx, key);
    const std::string name = std::string("made-") + std::to_string(i++) + "-" + chain::action_name(tx.action);
    write(dir, name + ".tx", stx.tx_bytes);
    write(dir, name + ".signed", chain::encode_signed(stx));
    if (auto* d = std::get_if<chain::DeployAction>(&tx.action)) {  // the options absent
      d->init_method.reset();
      d->abi.reset();
      d->init_args.clear();
      d->immutable = true;
      d->float_policy = wasm::FloatPolicy::Deny;
      write(dir, name + "-bare.signed", chain::encode_signed(chain::sign_transaction(tx, key)));
    }
  }
}

/// Builds one fuzz_mempool program.
struct Program {
  std::string bytes;
  explicit Program(uint8_t config) { bytes.push_back(static_cast<char>(config)); }
  Program& op(uint8_t o) { return u8(o); }
  Program& u8(uint8_t v) {
    bytes.push_back(static_cast<char>(v));
    return *this;
  }
  Program& u16(uint16_t v) { return u8(static_cast<uint8_t>(v)).u8(static_cast<uint8_t>(v >> 8)); }
  /// key, template, nonce delta, price index, gas index (3: 1,000,000), expiry delta, flags.
  Program& derived(uint8_t key, uint8_t which, int8_t nonce, uint8_t price, uint8_t flags = 0, uint8_t gas = 3) {
    return op(fuzz::kAddDerived).u8(key).u8(which).u8(static_cast<uint8_t>(nonce)).u8(price).u8(gas).u8(10).u8(flags);
  }
};

void mempool_seeds(const fs::path& out) {
  const fs::path dir = out / "fuzz_mempool";
  // Price indexes (fuzz_mempool.cpp kPrices): 1 -> 1, 4 -> 10, 5 -> 11, 7 -> 100, 10 -> 1000.
  for (uint8_t config = 0; config < 3; ++config) {
    Program p(config);
    p.derived(0, 0, 0, 4).derived(0, 2, 1, 4).derived(1, 0, 0, 7).derived(2, 1, 0, 5).op(fuzz::kSelect).u8(23);
    write(dir, "admit-" + std::to_string(config), p.bytes);
  }
  {
    Program p(1);  // replacement: underpriced, then 10% more
    p.derived(0, 0, 0, 4).derived(0, 0, 0, 5).derived(0, 2, 0, 5).derived(0, 0, 0, 7).op(fuzz::kSelect).u8(5);
    write(dir, "replace", p.bytes);
  }
  {
    Program p(0);  // eviction by count and by bytes (deploys are large)
    for (uint8_t i = 0; i < 4; ++i) p.derived(i % 3, 1, static_cast<int8_t>(i / 3), 1);
    p.derived(1, 1, 1, 10).derived(2, 0, 1, 7, 2).u8(40).op(fuzz::kSelect).u8(23);
    write(dir, "evict", p.bytes);
  }
  {
    Program p(0);  // a replacement that would not fit: refused, and the old transaction stays
    p.derived(0, 1, 0, 7).derived(1, 1, 0, 7).derived(2, 0, 0, 4).derived(2, 2, 0, 5, 2).u8(10);
    write(dir, "replace-when-full", p.bytes);
  }
  {
    Program p(1);  // nonce gaps, account moves, prune, remove
    p.derived(0, 0, 0, 4).derived(0, 0, 2, 4).derived(0, 0, 1, 4).op(fuzz::kSelect).u8(23);
    p.op(fuzz::kAccount).u8(0).u8(1).u8(4).op(fuzz::kPrune).op(fuzz::kSelect).u8(23);
    p.op(fuzz::kRemove).u8(1).u8(0).u8(1).op(fuzz::kSelect).u8(23);
    write(dir, "nonces", p.bytes);
  }
  {
    Program p(1);  // damaged: flipped signature byte, wrong chain, truncated, extra byte; duplicate; bad fields
    p.derived(0, 2, 0, 4, 4).u16(188).u8(0x40).derived(0, 2, 0, 4, 1).derived(0, 2, 0, 4, 8).u16(50);
    p.derived(0, 2, 0, 4, 16).u8(7).derived(0, 0, 0, 4).op(fuzz::kReAdd).u8(4);
    p.derived(1, 0, 0, 0).derived(1, 0, 0, 4, 0, 0).derived(1, 0, 0, 4, 0, 5).derived(1, 0, 20, 4);
    p.op(fuzz::kAccount).u8(2).u8(0).u8(0x80).derived(2, 0, 0, 4).op(fuzz::kSelect).u8(3);
    write(dir, "refusals", p.bytes);
  }
  {
    Program p(2);  // a re-signed decoded transaction and raw bytes
    const std::string tx = chain::encode(fuzz::template_transactions(100)[0]);
    p.op(fuzz::kAddResigned).u8(1).u16(static_cast<uint16_t>(tx.size()));
    p.bytes += tx;
    const std::string stx = chain::encode_signed(chain::sign_transaction(fuzz::template_transactions(100)[2], fuzz::fuzz_key(3)));
    p.op(fuzz::kAddRaw).u16(static_cast<uint16_t>(stx.size()));
    p.bytes += stx;
    p.op(fuzz::kHead).u8(3).op(fuzz::kSelect).u8(2);
    write(dir, "resigned-raw", p.bytes);
  }
}

void rpc_seeds(const fs::path& out) {
  const fs::path dir = out / "fuzz_rpc";
  fuzz::FuzzChain& f = fuzz::fuzz_chain();
  const std::string user = chain::format_address(chain::address_of(f.user.public_key));
  const std::string contract = chain::format_address(f.contract);
  int id = 0;
  json batch = json::array();
  auto req = [&](const std::string& name, const std::string& method, json params) {
    json r = {{"jsonrpc", "2.0"}, {"id", ++id}, {"method", method}, {"params", std::move(params)}};
    if (batch.size() < 20) batch.push_back(r);
    write(dir, name + ".json", r.dump());
  };
  const std::string pending = "0x" + hex(f.pending_signed);
  req("send-valid", "ward_sendTransaction", json::array({pending}));
  req("send-valid-included", "ward_sendTransaction", {{"tx", pending}, {"waitUntil", "included"}, {"timeoutMs", 5}});
  std::string damaged = f.pending_signed;
  damaged[damaged.size() - 1] ^= 1;
  req("send-bad-signature", "ward_sendTransaction", json::array({"0x" + hex(damaged)}));
  auto included = f.chain->block_txs(1);
  if (included && !included.value().empty()) {
    req("send-included", "ward_sendTransaction", json::array({"0x" + hex(included.value()[0])}));
  }
  for (size_t i = 0; i < f.tx_hashes.size(); ++i) {
    const std::string h = chain::format_hash(f.tx_hashes[i]);
    req("get-tx-" + std::to_string(i), "ward_getTransaction", json::array({h}));
    req("get-receipt-" + std::to_string(i), "ward_getReceipt", {{"hash", h}});
  }
  for (size_t i = 0; i < f.block_hashes.size(); ++i) {
    req("get-block-hash-" + std::to_string(i), "ward_getBlock",
        json::array({{{"hash", chain::format_hash(f.block_hashes[i])}}, true}));
  }
  req("get-block-height", "ward_getBlock", {{"block", {{"height", "3"}}}, {"fullTxs", true}});
  req("account-contract", "ward_getAccount", json::array({contract}));
  req("nonce-user", "ward_getNonce", json::array({user}));
  req("code", "ward_getCode", json::array({contract}));
  req("abi", "ward_getAbi", {{"address", contract}});
  req("state-key", "ward_getState", json::array({contract, {{"key", "counter"}}}));
  req("state-prefix", "ward_getState", json::array({contract, {{"prefix", ""}, {"limit", 1}}}));
  req("events", "ward_getEvents", json::array({{{"fromHeight", 0}, {"contract", contract}, {"name", "bump"}, {"limit", 1}}}));
  req("call-get", "ward_call", json::array({{{"to", contract}, {"method", "get"}}}));
  req("call-set", "ward_call", {{"to", contract}, {"method", "set"}, {"args", {{"x", 1}}}, {"from", user}, {"gas", 100000}});
  req("simulate-signed", "ward_simulate", json::array({pending}));
  req("simulate-fields", "ward_simulate",
      json::array({{{"from", user}, {"action", {{"type", "call"}, {"contract", contract}, {"method", "set"}, {"args", "[1]"}}}}}));
  req("simulate-deploy", "ward_simulate",
      json::array({{{"from", user}, {"action", {{"type", "deploy"}, {"code", hex(fuzz::fuzz_contract_wasm())}, {"init_method", "init"}}}}}));
  req("estimate-upgrade", "ward_estimateGas",
      json::array({{{"from", user}, {"action", {{"type", "upgrade"}, {"contract", contract}, {"code", "0x" + hex(fuzz::fuzz_contract_wasm())}}}}}));
  req("estimate-destroy", "ward_estimateGas",
      json::array({{{"from", user}, {"nonce", "3"}, {"action", {{"type", "destroy"}, {"contract", contract}, {"beneficiary", user}}}}}));
  req("proof", "ward_getProof", json::array({"0x" + hex(state::storage_key(f.contract, "counter"))}));
  write(dir, "batch.json", batch.dump());
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: ward_fuzz_seeds OUT [VECTORS]\n");
    return 2;
  }
  const fs::path out = argv[1];
  tx_seeds(out, argc > 2 ? argv[2] : "tests/vectors/tx-v1.json");
  mempool_seeds(out);
  rpc_seeds(out);
  std::printf("ward_fuzz_seeds: %zu seed files in %s\n", g_written, out.c_str());
  return 0;
}
