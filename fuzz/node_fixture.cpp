// fuzz/node_fixture.cpp — keys, template transactions and the small chain
// of the node fuzz targets (node_fixture.h).
#include "node_fixture.h"

#include <cstdio>
#include <cstdlib>

#include "node/genesis.h"
#include "state/layout.h"
#include "state/objects.h"
#include "state/overlay.h"

namespace ward::fuzz {
namespace {

[[noreturn]] void die(const std::string& what) {
  std::fprintf(stderr, "fuzz fixture: %s\n", what.c_str());
  std::abort();
}

// The module of fuzz/node_fixture.cpp's contract, built with wat2wasm from:
//   (module
//     (import "ward_v1" "input_size" (func $input_size (result i32)))
//     (import "ward_v1" "input_read" (func $input_read (param i32)))
//     (import "ward_v1" "result_write" (func $result_write (param i32 i32)))
//     (import "ward_v1" "revert" (func $revert (param i32 i32)))
//     (import "ward_v1" "storage_get" (func $storage_get (param i32 i32 i32 i32) (result i32)))
//     (import "ward_v1" "storage_put" (func $storage_put (param i32 i32 i32 i32)))
//     (import "ward_v1" "log" (func $log (param i32 i32 i32 i32)))
//     (memory (export "memory") 1)
//     (data (i32.const 0) "counter") (data (i32.const 16) "bump") (data (i32.const 32) "{}")
//     (data (i32.const 48) "refused") (data (i32.const 96) "null")
//     (func (export "set") (local $n i32)
//       (local.set $n (call $input_size))
//       (if (i32.gt_u (local.get $n) (i32.const 4096)) (then (call $revert (i32.const 48) (i32.const 7))))
//       (call $input_read (i32.const 1024))
//       (call $storage_put (i32.const 0) (i32.const 7) (i32.const 1024) (local.get $n))
//       (call $log (i32.const 16) (i32.const 4) (i32.const 1024) (local.get $n)))
//     (func (export "get") (local $n i32)
//       (local.set $n (call $storage_get (i32.const 0) (i32.const 7) (i32.const 8192) (i32.const 4096)))
//       (if (i32.lt_s (local.get $n) (i32.const 0))
//         (then (call $result_write (i32.const 96) (i32.const 4)))
//         (else (call $result_write (i32.const 8192) (local.get $n)))))
//     (func (export "refuse")
//       (call $storage_put (i32.const 0) (i32.const 7) (i32.const 32) (i32.const 2))
//       (call $revert (i32.const 48) (i32.const 7)))
//     (func (export "init")
//       (call $storage_put (i32.const 0) (i32.const 7) (i32.const 32) (i32.const 2))))
const unsigned char kContract[] = {
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x20, 0x06, 0x60,
    0x00, 0x01, 0x7f, 0x60, 0x01, 0x7f, 0x00, 0x60, 0x02, 0x7f, 0x7f, 0x00,
    0x60, 0x04, 0x7f, 0x7f, 0x7f, 0x7f, 0x01, 0x7f, 0x60, 0x04, 0x7f, 0x7f,
    0x7f, 0x7f, 0x00, 0x60, 0x00, 0x00, 0x02, 0x8d, 0x01, 0x07, 0x07, 0x77,
    0x61, 0x72, 0x64, 0x5f, 0x76, 0x31, 0x0a, 0x69, 0x6e, 0x70, 0x75, 0x74,
    0x5f, 0x73, 0x69, 0x7a, 0x65, 0x00, 0x00, 0x07, 0x77, 0x61, 0x72, 0x64,
    0x5f, 0x76, 0x31, 0x0a, 0x69, 0x6e, 0x70, 0x75, 0x74, 0x5f, 0x72, 0x65,
    0x61, 0x64, 0x00, 0x01, 0x07, 0x77, 0x61, 0x72, 0x64, 0x5f, 0x76, 0x31,
    0x0c, 0x72, 0x65, 0x73, 0x75, 0x6c, 0x74, 0x5f, 0x77, 0x72, 0x69, 0x74,
    0x65, 0x00, 0x02, 0x07, 0x77, 0x61, 0x72, 0x64, 0x5f, 0x76, 0x31, 0x06,
    0x72, 0x65, 0x76, 0x65, 0x72, 0x74, 0x00, 0x02, 0x07, 0x77, 0x61, 0x72,
    0x64, 0x5f, 0x76, 0x31, 0x0b, 0x73, 0x74, 0x6f, 0x72, 0x61, 0x67, 0x65,
    0x5f, 0x67, 0x65, 0x74, 0x00, 0x03, 0x07, 0x77, 0x61, 0x72, 0x64, 0x5f,
    0x76, 0x31, 0x0b, 0x73, 0x74, 0x6f, 0x72, 0x61, 0x67, 0x65, 0x5f, 0x70,
    0x75, 0x74, 0x00, 0x04, 0x07, 0x77, 0x61, 0x72, 0x64, 0x5f, 0x76, 0x31,
    0x03, 0x6c, 0x6f, 0x67, 0x00, 0x04, 0x03, 0x05, 0x04, 0x05, 0x05, 0x05,
    0x05, 0x05, 0x03, 0x01, 0x00, 0x01, 0x07, 0x26, 0x05, 0x06, 0x6d, 0x65,
    0x6d, 0x6f, 0x72, 0x79, 0x02, 0x00, 0x03, 0x73, 0x65, 0x74, 0x00, 0x07,
    0x03, 0x67, 0x65, 0x74, 0x00, 0x08, 0x06, 0x72, 0x65, 0x66, 0x75, 0x73,
    0x65, 0x00, 0x09, 0x04, 0x69, 0x6e, 0x69, 0x74, 0x00, 0x0a, 0x0a, 0x80,
    0x01, 0x04, 0x32, 0x01, 0x01, 0x7f, 0x10, 0x00, 0x21, 0x00, 0x20, 0x00,
    0x41, 0x80, 0x20, 0x4b, 0x04, 0x40, 0x41, 0x30, 0x41, 0x07, 0x10, 0x03,
    0x0b, 0x41, 0x80, 0x08, 0x10, 0x01, 0x41, 0x00, 0x41, 0x07, 0x41, 0x80,
    0x08, 0x20, 0x00, 0x10, 0x05, 0x41, 0x10, 0x41, 0x04, 0x41, 0x80, 0x08,
    0x20, 0x00, 0x10, 0x06, 0x0b, 0x2b, 0x01, 0x01, 0x7f, 0x41, 0x00, 0x41,
    0x07, 0x41, 0x80, 0xc0, 0x00, 0x41, 0x80, 0x20, 0x10, 0x04, 0x21, 0x00,
    0x20, 0x00, 0x41, 0x00, 0x48, 0x04, 0x40, 0x41, 0xe0, 0x00, 0x41, 0x04,
    0x10, 0x02, 0x05, 0x41, 0x80, 0xc0, 0x00, 0x20, 0x00, 0x10, 0x02, 0x0b,
    0x0b, 0x12, 0x00, 0x41, 0x00, 0x41, 0x07, 0x41, 0x20, 0x41, 0x02, 0x10,
    0x05, 0x41, 0x30, 0x41, 0x07, 0x10, 0x03, 0x0b, 0x0c, 0x00, 0x41, 0x00,
    0x41, 0x07, 0x41, 0x20, 0x41, 0x02, 0x10, 0x05, 0x0b, 0x0b, 0x33, 0x05,
    0x00, 0x41, 0x00, 0x0b, 0x07, 0x63, 0x6f, 0x75, 0x6e, 0x74, 0x65, 0x72,
    0x00, 0x41, 0x10, 0x0b, 0x04, 0x62, 0x75, 0x6d, 0x70, 0x00, 0x41, 0x20,
    0x0b, 0x02, 0x7b, 0x7d, 0x00, 0x41, 0x30, 0x0b, 0x07, 0x72, 0x65, 0x66,
    0x75, 0x73, 0x65, 0x64, 0x00, 0x41, 0xe0, 0x00, 0x0b, 0x04, 0x6e, 0x75,
    0x6c, 0x6c
};
static_assert(sizeof kContract == 422);

}  // namespace

chain::KeyPair fuzz_key(uint8_t n) {
  chain::Seed seed;
  seed.fill(n);
  return chain::KeyPair::from_seed(seed);
}

const std::string& fuzz_contract_wasm() {
  static const std::string code(reinterpret_cast<const char*>(kContract), sizeof kContract);
  return code;
}

std::vector<chain::Transaction> template_transactions(uint64_t head) {
  chain::Transaction base;
  base.chain_id = kFuzzChainId;
  base.nonce = 0;
  base.expiry_height = head + 10;
  base.gas_limit = 1'000'000;
  base.gas_price = 1;
  const chain::Address contract = chain::contract_address(chain::address_of(fuzz_key(1).public_key), 1);
  std::vector<chain::Transaction> out;
  chain::Transaction t = base;
  t.action = chain::TransferAction{chain::address_of(fuzz_key(2).public_key), 1000};
  out.push_back(t);
  chain::DeployAction d;
  d.code = fuzz_contract_wasm();
  d.init_method = "init";
  d.init_args = "{}";
  d.value = 5;
  d.abi = kFuzzContractAbi;
  t.action = d;
  out.push_back(t);
  t.action = chain::CallAction{contract, "set", R"({"v":1})", 0};
  out.push_back(t);
  chain::UpgradeAction u;
  u.contract = contract;
  u.code = fuzz_contract_wasm();
  u.migrate_method = "init";
  u.migrate_args = "";
  t.action = u;
  out.push_back(t);
  t.action = chain::DestroyAction{contract, chain::address_of(fuzz_key(2).public_key)};
  out.push_back(t);
  return out;
}

Result<node::AccountView> account_at(state::KvStore& store, const chain::Address& a) {
  state::Overlay overlay(store);
  auto n = state::get_nonce(overlay, a);
  if (!n) return n.error();
  auto b = state::balance(overlay, a);
  if (!b) return b.error();
  return node::AccountView{n.value(), b.value()};
}

FuzzChain& fuzz_chain() {
  static FuzzChain* built = [] {
    auto* f = new FuzzChain;
    f->user = fuzz_key(1);
    f->other = fuzz_key(2);
    f->producer = fuzz_key(9);
    const chain::Address user = chain::address_of(f->user.public_key);
    const chain::Address other = chain::address_of(f->other.public_key);
    f->contract = chain::contract_address(user, 1);

    node::Genesis g;
    g.chain_id = kFuzzChainId;
    g.genesis_time_ms = 1'700'000'000'000ull;
    g.producer = chain::address_of(f->producer.public_key);
    g.min_gas_price = 1;
    g.block_gas_limit = 5'000'000;
    g.balances[user] = 1'000'000'000'000'000ull;
    g.balances[other] = 1'000'000'000'000ull;
    if (auto r = node::Chain::init(f->store, g); !r) die("init: " + r.error().message);
    f->backend = runtime::make_interp_backend();
    f->cache = std::make_shared<chain::ModuleCache>();
    node::Chain::Options options;
    options.cache = f->cache;
    options.producer_key = f->producer;
    auto opened = node::Chain::open(f->store, *f->backend, options);
    if (!opened) die("open: " + opened.error().message);
    f->chain = std::move(opened.value());
    f->block_hashes.push_back(f->chain->head().hash);

    uint64_t nonces[2] = {0, 0};
    auto tx_of = [&](int who, chain::Action action) {
      const chain::KeyPair& key = who == 0 ? f->user : f->other;
      chain::Transaction tx;
      tx.chain_id = kFuzzChainId;
      tx.nonce = nonces[who]++;
      tx.expiry_height = f->chain->head().height + 10;
      tx.gas_limit = 1'000'000;
      tx.gas_price = 1;
      tx.action = std::move(action);
      const chain::SignedTransaction stx = chain::sign_transaction(tx, key);
      node::TxInput in;
      in.tx = stx.tx;
      in.sender = chain::address_of(key.public_key);
      in.hash = stx.hash;
      in.stored = chain::encode_signed(stx);
      return in;
    };
    // `failing`: the position of the one transaction expected to fail (the revert), or -1.
    auto block = [&](std::vector<node::TxInput> txs, int failing = -1) {
      const uint64_t time = g.genesis_time_ms + (f->chain->head().height + 1) * 5000;
      auto r = f->chain->produce(txs, time);
      if (!r) die("produce: " + r.error().message);
      if (!r.value().committed || r.value().receipts.size() != txs.size()) {
        die("block " + std::to_string(f->chain->head().height + 1) + " not committed whole" +
            (r.value().dropped.empty() ? std::string() : ": " + r.value().dropped.front().second));
      }
      for (size_t i = 0; i < txs.size(); ++i) {
        const chain::Receipt& receipt = r.value().receipts[i];
        if (receipt.ok() != (static_cast<int>(i) != failing)) {
          die("block " + std::to_string(f->chain->head().height) + " transaction " + std::to_string(i) +
              (receipt.ok() ? " succeeded" : " failed: " + receipt.error));
        }
        f->tx_hashes.push_back(txs[i].hash);
      }
      f->block_hashes.push_back(r.value().hash);
    };

    block({tx_of(0, chain::TransferAction{other, 1000})});
    chain::DeployAction d;
    d.code = fuzz_contract_wasm();
    d.init_method = "init";
    d.init_args = "{}";
    d.value = 5;
    d.abi = kFuzzContractAbi;
    block({tx_of(0, d)});
    block({tx_of(0, chain::CallAction{f->contract, "set", R"({"v":1})", 0}),
           tx_of(1, chain::CallAction{f->contract, "set", R"({"v":[2,"two"]})", 7})});
    block({tx_of(1, chain::TransferAction{user, 42}), tx_of(0, chain::CallAction{f->contract, "refuse", "{}", 0}),
           tx_of(0, chain::CallAction{f->contract, "set", R"("\u00e9t\u00e9")", 0})},
          1);
    f->pending_signed = tx_of(0, chain::TransferAction{other, 1}).stored;
    return f;
  }();
  return *built;
}

}  // namespace ward::fuzz
