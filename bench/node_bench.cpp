// bench/node_bench.cpp — the node's executor path without RPC: signed native
// transfers and signed token Transfer calls (examples/token) applied through
// node::Chain::produce in blocks of --block (default 1,000) on RocksDB in a
// temp folder, with the time split per block:
//
//   apply    Executor::apply of every transaction of the block on an overlay
//            that is then dropped (no commit), on the same parent state
//   tree     StateTree::update with that overlay's writes (a separate tree
//            object; the nodes are dropped)
//   produce  Chain::produce of the same transactions: apply + tree + receipts,
//            events, header, one RocksDB write (fsync'd like `ward node`
//            unless --no-sync); its RocksDB write is timed on its own through
//            a timing KvStore wrapper
//
// and, as the baseline of the same run: Ed25519 signature verification
// (chain::verify_signature), decode + verify, signing, and mempool admission
// (Mempool::add: decode, verify, one account read, insert) and select.
// The apply-only pass of a block runs first, so the produce pass finds the
// RocksDB block cache warm; its state root is checked against the produced
// block's (they must be equal: same parent, same block context).
//
//   node_bench --token PATH/token.wasm [--native N] [--token-txs N] [--block B]
//              [--senders K] [--verify N] [--backend interp|aot] [--no-sync]
//
// A plain program (not Google Benchmark): a chain is stateful and a block is
// the unit. Prints one table; exit 1 on any unexpected receipt or mismatch.
#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "backends.h"
#include "chain/receipt.h"
#include "chain/tx.h"
#include "node/chain.h"
#include "node/mempool.h"
#include "node/service.h"
#include "node/state_tree.h"
#include "state/layout.h"
#include "state/objects.h"
#include "state/overlay.h"
#include "state/rocksdb_store.h"

namespace ward::bench {
namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point t0) { return std::chrono::duration<double>(Clock::now() - t0).count(); }

double cpu_now() {
  timespec ts{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

[[noreturn]] void die(const std::string& why) {
  std::fprintf(stderr, "node_bench: %s\n", why.c_str());
  std::exit(1);
}

template <class T>
T need(Result<T> r, const char* what) {
  if (!r) die(std::string(what) + ": " + r.error().message);
  return std::move(r.value());
}
void need(Result<void> r, const char* what) {
  if (!r) die(std::string(what) + ": " + r.error().message);
}

/// Forwards to another store and times its writes and reads.
class TimingStore final : public state::KvStore {
 public:
  explicit TimingStore(state::KvStore& inner) : m_inner(inner) {}
  Result<std::optional<std::string>> get(std::string_view key) override {
    const auto t0 = Clock::now();
    auto r = m_inner.get(key);
    get_s += seconds_since(t0);
    ++gets;
    return r;
  }
  Result<void> write(const state::WriteBatch& batch) override {
    const auto t0 = Clock::now();
    auto r = m_inner.write(batch);
    write_s += seconds_since(t0);
    ++writes;
    write_ops += batch.size();
    return r;
  }
  Result<void> scan_prefix(std::string_view prefix, const state::ScanFn& fn) override {
    const auto t0 = Clock::now();
    auto r = m_inner.scan_prefix(prefix, fn);
    get_s += seconds_since(t0);
    ++scans;
    return r;
  }
  Result<void> scan_range(std::string_view start, std::string_view end, const state::ScanFn& fn) override {
    const auto t0 = Clock::now();
    auto r = m_inner.scan_range(start, end, fn);
    get_s += seconds_since(t0);
    ++scans;
    return r;
  }
  void reset() { gets = scans = writes = write_ops = 0, get_s = write_s = 0; }

  uint64_t gets = 0, scans = 0, writes = 0, write_ops = 0;
  double get_s = 0, write_s = 0;

 private:
  state::KvStore& m_inner;
};

struct Options {
  std::string token_path;
  size_t native = 20'000;
  size_t token = 10'000;
  size_t block = 1'000;
  size_t senders = 1'000;
  size_t verify = 20'000;
  std::string backend = "interp";
  bool sync = true;
};

chain::KeyPair key_from(uint32_t i, uint8_t tag) {
  chain::Seed s{};
  s[0] = tag;
  s[1] = static_cast<uint8_t>(i >> 24);
  s[2] = static_cast<uint8_t>(i >> 16);
  s[3] = static_cast<uint8_t>(i >> 8);
  s[4] = static_cast<uint8_t>(i);
  s[31] = 0x5a;
  return chain::KeyPair::from_seed(s);
}

const std::string kChainId = "ward-bench";

node::TxInput signed_input(const chain::KeyPair& key, uint64_t nonce, chain::Action action, uint64_t gas_limit) {
  chain::Transaction t;
  t.chain_id = kChainId;
  t.signer = key.public_key;
  t.nonce = nonce;
  t.expiry_height = 3000;  // within the mempool's max_expiry_ahead (3600) of every head here
  t.gas_limit = gas_limit;
  t.gas_price = 1;
  t.action = std::move(action);
  chain::SignedTransaction s = chain::sign_transaction(t, key);
  node::TxInput in;
  in.tx = s.tx;
  in.sender = chain::address_of(key.public_key);
  in.hash = s.hash;
  in.stored = chain::encode_signed(s);
  return in;
}

/// Sums over the timed blocks of one kind of transaction.
struct Split {
  size_t txs = 0, blocks = 0;
  double apply_s = 0, apply_cpu = 0;
  double tree_s = 0;
  double produce_s = 0, produce_cpu = 0;
  double write_s = 0;  ///< the RocksDB write inside produce
  double read_s = 0;   ///< RocksDB gets/scans inside produce
  uint64_t reads = 0;
  uint64_t gas = 0;
  size_t write_ops = 0;
};

class Bench {
 public:
  explicit Bench(Options o) : m_o(std::move(o)) {}

  int run() {
    namespace fs = std::filesystem;
    std::random_device rd;
    m_dir = fs::temp_directory_path() / ("ward-node-bench-" + std::to_string(rd()));
    setup();
    const int rc = measure();
    m_chain.reset();
    m_store_timing.reset();
    m_store.reset();
    std::error_code ec;
    fs::remove_all(m_dir, ec);
    return rc;
  }

 private:
  void setup() {
    m_backend = make_backend(m_o.backend);
    if (!m_backend) die("backend '" + m_o.backend + "' is not built into this harness");
    m_producer = key_from(0, 0x01);
    m_deployer = key_from(0, 0x02);
    for (uint32_t i = 0; i < m_o.senders; ++i) m_senders.push_back(key_from(i, 0x03));
    node::Genesis g;
    g.chain_id = kChainId;
    g.genesis_time_ms = 1'700'000'000'000ull;
    g.producer = chain::address_of(m_producer.public_key);
    g.min_gas_price = 1;
    g.balances[chain::address_of(m_deployer.public_key)] = 1'000'000'000'000'000ull;
    for (const auto& k : m_senders) g.balances[chain::address_of(k.public_key)] = 1'000'000'000'000ull;
    m_time = g.genesis_time_ms;

    state::RocksDbOptions ro;
    ro.mode = state::OpenMode::Create;
    ro.sync_writes = m_o.sync;
    m_store = need(state::RocksDbStore::open(m_dir.string(), ro), "open RocksDB");
    m_store_timing = std::make_unique<TimingStore>(*m_store);
    need(node::Chain::init(*m_store_timing, g), "genesis");
    m_cache = std::make_shared<chain::ModuleCache>();
    node::Chain::Options co;
    co.cache = m_cache;
    co.producer_key = m_producer;
    m_chain = need(node::Chain::open(*m_store_timing, *m_backend, co), "open chain");
    m_probe = std::make_unique<chain::Executor>(*m_store_timing, *m_backend, co.limits, m_cache);
  }

  /// One block: apply-only pass, tree pass, then produce. Adds to `split`.
  void block(const std::vector<node::TxInput>& txs, Split* split) {
    const node::Head parent = m_chain->head();
    m_time = std::max(m_time, parent.header.time_ms) + 1000;
    chain::BlockContext ctx;
    ctx.height = parent.height + 1;
    ctx.time_ms = static_cast<int64_t>(m_time);
    ctx.producer = m_chain->genesis().producer;
    ctx.seed = parent.hash;
    const chain::ChainRules rules = m_chain->rules();

    node::Hash probe_root{};
    double apply_s = 0, apply_cpu = 0, tree_s = 0;
    if (split != nullptr) {
      state::Overlay overlay(*m_store_timing);
      const double c0 = cpu_now();
      const auto t0 = Clock::now();
      for (const auto& t : txs) {
        chain::Applied a = m_probe->apply(t.tx, t.sender, t.hash, ctx, overlay, rules);
        if (a.fault != chain::ApplyFault::None) die("apply-only: " + a.error);
        if (!a.receipt.ok()) die("apply-only: transaction failed: " + a.receipt.error);
      }
      apply_s = seconds_since(t0);
      apply_cpu = cpu_now() - c0;
      state::WriteBatch batch = overlay.to_batch();
      std::vector<node::TreeChange> changes;
      changes.reserve(batch.size());
      for (const auto& op : batch.ops()) changes.emplace_back(op.key, op.value);
      node::StateTree tree(*m_store_timing);
      const auto t1 = Clock::now();
      probe_root = need(tree.update(parent.header.state_root, changes, batch), "tree update");
      tree_s = seconds_since(t1);
    }

    m_store_timing->reset();
    const double c0 = cpu_now();
    const auto t0 = Clock::now();
    node::BlockResult b = need(m_chain->produce(txs, m_time), "produce");
    const double produce_s = seconds_since(t0);
    const double produce_cpu = cpu_now() - c0;
    if (!b.committed || b.receipts.size() != txs.size()) {
      die(fmt::format("block {}: {} of {} transactions included ({} dropped{}, {} deferred)", ctx.height,
                      b.receipts.size(), txs.size(), b.dropped.size(),
                      b.dropped.empty() ? "" : ": " + b.dropped[0].second, b.deferred.size()));
    }
    uint64_t gas = 0;
    for (const auto& r : b.receipts) {
      if (!r.ok()) die(fmt::format("block {}: a {} failed: {}", ctx.height, r.kind, r.error));
      gas += r.gas_used;
    }
    m_last = b;
    if (split == nullptr) return;
    if (probe_root != b.header.header.state_root) {
      die(fmt::format("block {}: apply-only state root differs from the produced one", ctx.height));
    }
    split->txs += txs.size();
    split->blocks += 1;
    split->apply_s += apply_s;
    split->apply_cpu += apply_cpu;
    split->tree_s += tree_s;
    split->produce_s += produce_s;
    split->produce_cpu += produce_cpu;
    split->write_s += m_store_timing->write_s;
    split->write_ops += m_store_timing->write_ops;
    split->read_s += m_store_timing->get_s;
    split->reads += m_store_timing->gets + m_store_timing->scans;
    split->gas += gas;
  }

  /// Transactions of `n` rounds over the senders: sender i sends to sender
  /// i+1; `make` builds the action.
  template <class Make>
  std::vector<node::TxInput> presign(size_t n, uint64_t gas_limit, Make make) {
    std::vector<node::TxInput> out;
    out.reserve(n);
    for (size_t j = 0; j < n; ++j) {
      const size_t s = j % m_senders.size();
      const chain::Address to = chain::address_of(m_senders[(s + 1) % m_senders.size()].public_key);
      out.push_back(signed_input(m_senders[s], m_nonce[s]++, make(to), gas_limit));
    }
    return out;
  }

  void run_blocks(const std::vector<node::TxInput>& all, Split* split) {
    for (size_t i = 0; i < all.size(); i += m_o.block) {
      std::vector<node::TxInput> txs(all.begin() + static_cast<ptrdiff_t>(i),
                                     all.begin() + static_cast<ptrdiff_t>(std::min(all.size(), i + m_o.block)));
      block(txs, split);
    }
  }

  int measure() {
    m_nonce.assign(m_senders.size(), 0);
    fmt::print("node_bench: backend {}, blocks of {}, {} senders, RocksDB in {} (sync writes: {})\n", m_o.backend,
               m_o.block, m_senders.size(), m_dir.string(), m_o.sync ? "on, as `ward node`" : "off");

    // --- baselines: signing, verification, decoding ---
    const auto t_sign = Clock::now();
    std::vector<node::TxInput> native = presign(m_o.native, 10'000, [](const chain::Address& to) {
      return chain::Action{chain::TransferAction{to, 1}};
    });
    const double sign_rate = static_cast<double>(native.size()) / seconds_since(t_sign);
    const size_t nv = std::min(m_o.verify, native.size());
    std::vector<chain::SignedTransaction> decoded;
    decoded.reserve(nv);
    for (size_t i = 0; i < nv; ++i) decoded.push_back(need(chain::decode_signed(native[i].stored), "decode"));
    auto t0 = Clock::now();
    for (const auto& s : decoded) {
      if (!chain::verify_signature(s)) die("bad signature");
    }
    const double verify_rate = static_cast<double>(nv) / seconds_since(t0);
    t0 = Clock::now();
    size_t ok = 0;
    for (size_t i = 0; i < nv; ++i) {
      auto s = chain::decode_signed(native[i].stored);
      ok += s && chain::verify_signature(s.value());
    }
    const double decode_verify_rate = static_cast<double>(nv) / seconds_since(t0);
    if (ok != nv) die("decode+verify failed");

    // --- native transfers: warm-up block (untimed), then the timed blocks ---
    std::vector<node::TxInput> warm(native.begin(), native.begin() + static_cast<ptrdiff_t>(std::min(m_o.block, native.size())));
    std::vector<node::TxInput> timed(native.begin() + static_cast<ptrdiff_t>(warm.size()), native.end());
    run_blocks(warm, nullptr);
    Split ns;
    run_blocks(timed, &ns);

    // --- mempool admission and selection of one more round per sender x 10 ---
    const size_t pool_n = std::min<size_t>(10 * m_senders.size(), 10'000);
    std::vector<node::TxInput> pool_txs = presign(pool_n, 10'000, [](const chain::Address& to) {
      return chain::Action{chain::TransferAction{to, 1}};
    });
    state::KvStore* store = m_store_timing.get();
    node::Mempool pool(node::MempoolOptions{}, kChainId, [store](const chain::Address& a) -> Result<node::AccountView> {
      state::Overlay ov(*store);
      auto n = state::get_nonce(ov, a);
      if (!n) return n.error();
      auto b = state::balance(ov, a);
      if (!b) return b.error();
      return node::AccountView{n.value(), b.value()};
    });
    const uint64_t head = m_chain->head().height;
    t0 = Clock::now();
    for (const auto& t : pool_txs) {
      auto r = pool.add(t.stored, head, 1, m_chain->genesis().block_gas_limit);
      if (auto* rej = std::get_if<node::Rejection>(&r)) die("mempool add: " + rej->message);
    }
    const double admit_rate = static_cast<double>(pool_n) / seconds_since(t0);
    t0 = Clock::now();
    auto selected = need(pool.select(10'000), "select");
    const double select_s = seconds_since(t0);
    if (selected.size() != pool_n) die("select returned " + std::to_string(selected.size()));
    // Produce them as the node would (one block of up to 10,000), then remove + prune.
    t0 = Clock::now();
    block(selected, nullptr);
    const double pool_block_s = seconds_since(t0);
    t0 = Clock::now();
    std::vector<node::Hash> gone;
    for (const auto& r : m_last.receipts) gone.push_back(r.tx_hash);
    pool.remove(gone);
    pool.prune_stale();
    const double pool_remove_s = seconds_since(t0);

    // --- token: deploy + Initialize, fund every sender, then the timed Transfers ---
    Split ts;
    bool have_token = !m_o.token_path.empty() && m_o.token > 0;
    if (have_token) {
      std::ifstream in(m_o.token_path, std::ios::binary);
      if (!in) die("cannot read " + m_o.token_path + " (build it: ward build examples/token/token.cpp -o token.wasm)");
      std::string code((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
      chain::DeployAction d;
      d.code = code;
      d.init_method = "Initialize";
      d.init_args = R"({"total_supply": 1000000000000})";
      uint64_t dn = 0;
      block({signed_input(m_deployer, dn++, d, 50'000'000)}, nullptr);
      const chain::Address token = chain::contract_address(chain::address_of(m_deployer.public_key), 0);
      auto transfer_to = [&](const chain::Address& to, uint64_t amount) {
        return chain::Action{
            chain::CallAction{token, "Transfer", fmt::format(R"({{"to": "{}", "amount": {}}})", chain::format_address(to), amount), 0}};
      };
      std::vector<node::TxInput> fund;
      for (const auto& k : m_senders) fund.push_back(signed_input(m_deployer, dn++, transfer_to(chain::address_of(k.public_key), 1'000'000), 1'000'000));
      run_blocks(fund, nullptr);
      std::vector<node::TxInput> calls = presign(m_o.token, 1'000'000, [&](const chain::Address& to) { return transfer_to(to, 1); });
      run_blocks(calls, &ts);
    }

    // --- the table ---
    auto rate = [](size_t n, double s) { return s > 0 ? static_cast<double>(n) / s : 0.0; };
    fmt::print("\n{:<46} {:>12} {:>10}\n", "measure", "tx/s", "us/tx");
    fmt::print("{:-<70}\n", "");
    auto line = [&](const std::string& name, double per_s) {
      fmt::print("{:<46} {:>12.0f} {:>10.1f}\n", name, per_s, per_s > 0 ? 1e6 / per_s : 0.0);
    };
    line("ed25519 sign (load generator side)", sign_rate);
    line("ed25519 verify (chain::verify_signature)", verify_rate);
    line("decode_signed + verify", decode_verify_rate);
    line("mempool admission (Mempool::add)", admit_rate);
    line(fmt::format("mempool select of {}", pool_n), rate(pool_n, select_s));
    line(fmt::format("produce, one block of {} (from select)", pool_n), rate(pool_n, pool_block_s));
    line("mempool remove + prune_stale after it", rate(pool_n, pool_remove_s));
    auto split_lines = [&](const char* kind, const Split& s) {
      if (s.txs == 0) return;
      fmt::print("{:-<70}\n", "");
      fmt::print("{} transfers: {} txs in {} blocks, gas/tx {:.0f}, {:.1f} writes/tx, {:.1f} reads/tx in produce\n",
                 kind, s.txs, s.blocks, static_cast<double>(s.gas) / static_cast<double>(s.txs),
                 static_cast<double>(s.write_ops) / static_cast<double>(s.txs),
                 static_cast<double>(s.reads) / static_cast<double>(s.txs));
      line(fmt::format("  {}: Executor::apply only (no commit)", kind), rate(s.txs, s.apply_s));
      line(fmt::format("  {}: apply only, per CPU second", kind), rate(s.txs, s.apply_cpu));
      line(fmt::format("  {}: Chain::produce (apply+tree+commit)", kind), rate(s.txs, s.produce_s));
      line(fmt::format("  {}: produce, per CPU second", kind), rate(s.txs, s.produce_cpu));
      fmt::print("  split of produce wall time: apply {:.0f}%, state tree {:.0f}%, RocksDB write {:.0f}%, rest "
                 "(receipts/events JSON, merkle, header) {:.0f}%\n",
                 100 * s.apply_s / s.produce_s, 100 * s.tree_s / s.produce_s, 100 * s.write_s / s.produce_s,
                 100 * std::max(0.0, s.produce_s - s.apply_s - s.tree_s - s.write_s) / s.produce_s);
      fmt::print("  per block: produce {:.1f} ms = apply {:.1f} + tree {:.1f} + write {:.1f} + rest {:.1f}; "
                 "RocksDB reads in produce {:.1f} ms\n",
                 1e3 * s.produce_s / s.blocks, 1e3 * s.apply_s / s.blocks, 1e3 * s.tree_s / s.blocks,
                 1e3 * s.write_s / s.blocks,
                 1e3 * std::max(0.0, s.produce_s - s.apply_s - s.tree_s - s.write_s) / s.blocks,
                 1e3 * s.read_s / s.blocks);
      fmt::print("  ratio produce tx/s / verify/s: {:.2f} (targets: executor >= 20000 tx/s: {})\n",
                 rate(s.txs, s.produce_s) / verify_rate, rate(s.txs, s.produce_s) >= 20'000 ? "met" : "MISSED");
    };
    split_lines("native", ns);
    split_lines("token", ts);
    if (!have_token) fmt::print("(token transfers skipped: pass --token PATH/token.wasm)\n");
    // Machine-readable summary for node_run.sh.
    fmt::print("\nRESULT verify_per_s={:.0f} admit_per_s={:.0f} native_apply_per_s={:.0f} native_produce_per_s={:.0f} "
               "token_apply_per_s={:.0f} token_produce_per_s={:.0f}\n",
               verify_rate, admit_rate, rate(ns.txs, ns.apply_s), rate(ns.txs, ns.produce_s),
               rate(ts.txs, ts.apply_s), rate(ts.txs, ts.produce_s));
    return 0;
  }

  Options m_o;
  std::filesystem::path m_dir;
  std::unique_ptr<runtime::Backend> m_backend;
  std::unique_ptr<state::RocksDbStore> m_store;
  std::unique_ptr<TimingStore> m_store_timing;
  std::shared_ptr<chain::ModuleCache> m_cache;
  std::unique_ptr<node::Chain> m_chain;
  std::unique_ptr<chain::Executor> m_probe;
  chain::KeyPair m_producer, m_deployer;
  std::vector<chain::KeyPair> m_senders;
  std::vector<uint64_t> m_nonce;
  uint64_t m_time = 0;
  node::BlockResult m_last;
};

}  // namespace
}  // namespace ward::bench

int main(int argc, char** argv) {
  ward::bench::Options o;
#ifdef WARD_BENCH_TOKEN_WASM
  o.token_path = WARD_BENCH_TOKEN_WASM;
#endif
  if (const char* env = std::getenv("WARD_BENCH_TOKEN_WASM")) o.token_path = env;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc) ward::bench::die(a + " needs a value");
      return argv[++i];
    };
    if (a == "--token") o.token_path = value();
    else if (a == "--native") o.native = std::stoull(value());
    else if (a == "--token-txs") o.token = std::stoull(value());
    else if (a == "--block") o.block = std::stoull(value());
    else if (a == "--senders") o.senders = std::stoull(value());
    else if (a == "--verify") o.verify = std::stoull(value());
    else if (a == "--backend") o.backend = value();
    else if (a == "--no-sync") o.sync = false;
    else if (a == "-h" || a == "--help") {
      std::printf("usage: node_bench [--token token.wasm] [--native N] [--token-txs N] [--block B] [--senders K] "
                  "[--verify N] [--backend interp|aot] [--no-sync]\n");
      return 0;
    } else {
      ward::bench::die("unknown option " + a);
    }
  }
  if (o.block == 0 || o.senders == 0) ward::bench::die("--block and --senders must be > 0");
  if (o.native < 2 * o.block) ward::bench::die("--native must be at least 2 blocks (one warms up)");
  return ward::bench::Bench(o).run();
}
