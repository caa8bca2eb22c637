// `ward node`: runs a node in the foreground (docs/node.md): opens or
// creates the chain in --data, produces blocks, serves JSON-RPC on --rpc,
// logs each block, stops cleanly on SIGINT/SIGTERM.
#include <CLI/CLI.hpp>

#include <algorithm>
#include <csignal>
#include <cstdlib>
#include <cstdio>
#include <filesystem>
#include <mutex>
#include <pthread.h>

#include "chain/keystore.h"
#include "cli/commands.h"
#include "cli/explorer.h"
#include "cli/options.h"
#include "cluster/cluster.h"
#include "cluster/state_sync.h"
#include "node/service.h"
#include "rpc/node_methods.h"
#include "rpc/server.h"
#include "state/objects.h"
#include "state/rocksdb_store.h"

namespace ward::cli {
namespace {

struct NodeOptions {
  std::string data = ".ward-node";
  std::string rpc = "127.0.0.1:8645";
  std::string genesis;
  bool dev = false;
  uint32_t block_time_ms = 1000;
  std::string producer_key;
  std::string keystore;
  std::string backend = "interp";
  size_t rpc_max_body = 8u << 20;
  size_t rpc_max_batch = 100;
  size_t rpc_max_connections = 256;
  size_t rpc_max_subscriptions = 32;
  uint32_t rpc_timeout_ms = 30000;
  unsigned rpc_threads = 2;
  std::string etcd;           ///< --etcd: cluster mode's etcd endpoints (docs/cluster.md)
  std::string cluster_chain;  ///< --chain: the cluster's chain id
  uint64_t etcd_window = 1000;  ///< --etcd-window: ordered blocks kept in etcd
  bool state_sync = false;      ///< --state-sync: download a peer's state snapshot when far behind
  uint64_t snapshot_interval = 1000;     ///< --snapshot-interval: blocks between served state snapshots (0: none)
  size_t snapshot_chunk_bytes = 256u << 10;  ///< --snapshot-chunk-bytes: key+value bytes per served chunk
  bool explorer = false;     ///< --explorer given
  std::string explorer_dir;  ///< its DIR; empty: default_explorer_dir()
};

void log_line(const std::string& line) {
  static std::mutex m;
  std::lock_guard lock(m);
  std::fprintf(stderr, "ward node: %s\n", line.c_str());
  std::fflush(stderr);
}


/// The keystore folder: --keystore, else ~/.ward/keys.
std::string keystore_dir(const NodeOptions& o) {
  if (!o.keystore.empty()) return o.keystore;
  return unwrap(chain::Keystore::default_dir());
}

/// The `dev` key of the keystore, created unencrypted when missing (--dev).
chain::KeyPair dev_key(const std::string& dir) {
  chain::Keystore ks(dir);
  auto shown = ks.show("dev");
  if (!shown) {
    auto created = ks.create("dev", std::nullopt);
    if (!created) throw std::runtime_error("cannot create the development key: " + created.error().message);
    log_line("created the development key 'dev' (unencrypted) in " + dir + ": address " +
             chain::format_address(created.value().address));
  }
  return unwrap(ks.load("dev", [](const std::string&) -> Result<std::string> {
    return make_error("the development key 'dev' is encrypted; use --producer-key NAME");
  }));
}

std::pair<std::string, uint16_t> parse_listen(const std::string& text) {
  const size_t colon = text.rfind(':');
  if (colon == std::string::npos) throw std::runtime_error("--rpc '" + text + "' must be HOST:PORT");
  const std::string port = text.substr(colon + 1);
  if (port.empty() || port.size() > 5 || port.find_first_not_of("0123456789") != std::string::npos ||
      std::stoul(port) > 65535) {
    throw std::runtime_error("--rpc '" + text + "': port must be a number from 0 to 65535");
  }
  return {text.substr(0, colon), static_cast<uint16_t>(std::stoul(port))};
}

int run_node(const GlobalOptions&, const NodeOptions& o) {
  namespace fs = std::filesystem;
  // Signals are taken by sigwait below: block them before any thread starts.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  // The explorer's files are read before anything is opened: a wrong folder
  // stops the node before it touches the chain.
  std::optional<std::vector<StaticFile>> explorer_files;
  const std::string explorer_dir = o.explorer_dir.empty() ? default_explorer_dir() : o.explorer_dir;
  if (o.explorer) explorer_files = unwrap(load_explorer(explorer_dir));

  std::vector<std::string> etcd_endpoints;
  if (!o.etcd.empty() || !o.cluster_chain.empty()) {
    if (o.etcd.empty() || o.cluster_chain.empty()) {
      throw std::runtime_error("cluster mode needs both --etcd URL[,URL...] and --chain ID");
    }
    if (o.dev) {
      throw std::runtime_error("--etcd cannot run a --dev chain (its genesis differs on every node): "
                               "start every node with the same --genesis FILE");
    }
    etcd_endpoints = unwrap(cluster::parse_endpoints(o.etcd));
    // A switch to a synced state that a crash interrupted completes first.
    unwrap(cluster::finish_state_switch(o.data));
    if (o.state_sync) {
      if (o.genesis.empty()) throw std::runtime_error("--state-sync needs --genesis FILE (the chain's genesis)");
      cluster::StateSyncOptions so;
      so.endpoints = etcd_endpoints;
      so.chain = o.cluster_chain;
      so.data_dir = o.data;
      so.genesis = unwrap(node::parse_genesis(read_file(o.genesis)));
      so.log = log_line;
      // Test knob: a pause after each chunk, so a test can interrupt a sync.
      if (const char* d = std::getenv("WARD_STATE_SYNC_CHUNK_DELAY_MS")) {
        so.chunk_delay_ms = static_cast<uint32_t>(std::min<unsigned long>(std::strtoul(d, nullptr, 10), 60'000));
      }
      unwrap(cluster::state_sync(so));
    }
  } else if (o.state_sync) {
    throw std::runtime_error("--state-sync needs cluster mode (--etcd and --chain)");
  }

  const bool creating = o.dev || !o.genesis.empty();
  std::optional<chain::KeyPair> producer;
  std::string keystore;
  if (o.dev || !o.producer_key.empty()) keystore = keystore_dir(o);
  if (!o.producer_key.empty()) {
    producer = unwrap(load_key(keystore, o.producer_key));
  } else if (o.dev) {
    producer = dev_key(keystore);
  }

  state::RocksDbOptions ropts;
  const bool empty_folder = !fs::exists(o.data) || (fs::is_directory(o.data) && fs::is_empty(o.data));
  ropts.mode = empty_folder && creating ? state::OpenMode::Create : state::OpenMode::MustExist;
  if (empty_folder && !creating) {
    throw std::runtime_error("no chain in '" + o.data + "': start with --dev, or --genesis FILE to create one");
  }
  auto store = unwrap(state::RocksDbStore::open(o.data, ropts));
  if (!unwrap(node::Chain::exists(*store))) {
    node::Genesis genesis;
    if (!o.genesis.empty()) {
      genesis = unwrap(node::parse_genesis(read_file(o.genesis)));
    } else if (o.dev) {
      genesis = node::dev_genesis(chain::address_of(producer->public_key), chain::address_of(producer->public_key),
                                  node::now_ms());
    } else {
      throw std::runtime_error("no chain in '" + o.data + "': start with --dev, or --genesis FILE to create one");
    }
    unwrap(node::Chain::init(*store, genesis));
    log_line("created chain '" + genesis.chain_id + "' in " + o.data);
  }

  auto backend = make_cli_backend(o.backend);
  auto cache = std::make_shared<chain::ModuleCache>();
  node::Chain::Options copts;
  copts.cache = cache;
  copts.producer_key = producer;
  cluster::ClusterOptions clopts;
  if (!etcd_endpoints.empty()) {
    node::ServiceOptions defaults;
    copts.max_block_bytes = clopts.max_block_bytes - cluster::block_overhead(defaults.max_block_txs);
  }
  // Cluster mode: state snapshots every --snapshot-interval blocks, served
  // to syncing nodes (ward_getSnapshotInfo, ward_getStateChunk).
  std::unique_ptr<node::StateSnapshots> snapshots;
  if (!etcd_endpoints.empty() && o.snapshot_interval != 0) {
    state::RocksDbStore* db = store.get();
    snapshots = std::make_unique<node::StateSnapshots>([db] { return db->snapshot(); }, o.snapshot_interval,
                                                       o.snapshot_chunk_bytes, 2, true);
    copts.after_commit = [s = snapshots.get()](const node::Head& h) { s->on_commit(h); };
  }
  auto chain = unwrap(node::Chain::open(*store, *backend, copts));
  if (chain->base_height() != 0) {
    log_line("state synced at block " + std::to_string(chain->base_height()) + ": blocks 1.." +
             std::to_string(chain->base_height() - 1) + " are not stored here");
  }
  if (!producer) {
    throw std::runtime_error("this node needs the producer's key: --producer-key NAME (the genesis producer is " +
                             chain::format_address(chain->genesis().producer) + ")");
  }
  if (!o.genesis.empty()) {
    auto want = unwrap(node::parse_genesis(read_file(o.genesis)));
    if (want.chain_id != chain->genesis().chain_id) {
      throw std::runtime_error("--genesis names chain '" + want.chain_id + "' but '" + o.data + "' holds chain '" +
                               chain->genesis().chain_id + "'");
    }
  }
  if (o.dev) {
    log_line("development key 'dev': address " + chain::format_address(chain::address_of(producer->public_key)) +
             " (use --key dev)");
  }

  state::RocksDbStore* rocks = store.get();
  node::Mempool mempool(node::MempoolOptions{}, chain->genesis().chain_id,
                        [rocks](const chain::Address& a) -> Result<node::AccountView> {
                          state::Overlay overlay(*rocks);
                          auto n = state::get_nonce(overlay, a);
                          if (!n) return n.error();
                          auto b = state::balance(overlay, a);
                          if (!b) return b.error();
                          return node::AccountView{n.value(), b.value()};
                        });

  rpc::Dispatcher dispatcher;
  rpc::ServerOptions sopts;
  std::tie(sopts.host, sopts.port) = parse_listen(o.rpc);
  sopts.max_body_bytes = o.rpc_max_body;
  sopts.max_batch = o.rpc_max_batch;
  sopts.max_connections = o.rpc_max_connections;
  sopts.max_subscriptions_per_connection = o.rpc_max_subscriptions;
  sopts.request_timeout_ms = o.rpc_timeout_ms;
  sopts.threads = o.rpc_threads;
  sopts.log = [](std::string_view line) { log_line("rpc: " + std::string(line)); };
  rpc::Server server(sopts, dispatcher);

  node::ServiceOptions vopts;
  vopts.dev = o.dev;
  vopts.block_time_ms = o.block_time_ms;
  // Cluster mode: blocks are ordered on etcd (src/cluster); the node is made
  // once the RPC port is known, the callbacks reach it through this pointer.
  std::unique_ptr<cluster::ClusterNode> cluster_node;
  if (!etcd_endpoints.empty()) {
    vopts.may_produce = [&cluster_node] { return cluster_node && cluster_node->may_produce(); };
    vopts.before_commit = [&cluster_node](const node::BlockResult& b) -> Result<bool> {
      if (!cluster_node) return false;
      return cluster_node->before_commit(b);
    };
  }
  node::NodeService service(*chain, mempool, vopts, [&server](const node::BlockResult& b) { rpc::publish_block(server, b); },
                            log_line);
  rpc::NodeRpc nrpc;
  nrpc.service = &service;
  nrpc.backend = backend.get();
  nrpc.cache = cache;
  nrpc.snapshot = [rocks] { return rocks->snapshot(); };
  nrpc.snapshots = snapshots.get();
  if (!etcd_endpoints.empty()) {
    nrpc.forward_url = [&cluster_node]() -> Result<std::optional<std::string>> {
      if (!cluster_node) return make_error("the cluster is starting; retry");
      return cluster_node->forward_url();
    };
    nrpc.cluster_info = [&cluster_node] { return cluster_node ? cluster_node->info() : nlohmann::json(nullptr); };
  }
  rpc::register_node_methods(dispatcher, &server, nrpc);
  if (explorer_files) serve_explorer(server, *explorer_files);

  if (auto started = server.start(); !started) throw std::runtime_error(started.error().message);
  if (!etcd_endpoints.empty()) {
    clopts.endpoints = etcd_endpoints;
    clopts.chain = o.cluster_chain;
    clopts.block_window = o.etcd_window;
    clopts.self_url = "http://" + sopts.host + ":" + std::to_string(server.port());
    clopts.log = log_line;
    auto made = std::make_unique<cluster::ClusterNode>(service, clopts);
    if (auto ok = made->start(); !ok) {
      server.stop();
      throw std::runtime_error(ok.error().message);
    }
    cluster_node = std::move(made);
    log_line("cluster mode: chain '" + o.cluster_chain + "' ordered on etcd " + o.etcd);
  }
  service.start();
  const node::Head head = chain->head();
  log_line("chain '" + chain->genesis().chain_id + "' head " + std::to_string(head.height) + " " +
           chain::format_hash(head.hash) + (o.dev ? " (dev: a block per transaction)" : ""));
  log_line("rpc listening on http://" + sopts.host + ":" + std::to_string(server.port()));
  if (explorer_files) {
    log_line("explorer at http://" + sopts.host + ":" + std::to_string(server.port()) + "/ (" +
             std::to_string(explorer_files->size() - 1) + " files from " + explorer_dir + ")");
  }

  int sig = 0;
  sigwait(&signals, &sig);
  log_line(std::string("stopping (") + (sig == SIGINT ? "SIGINT" : "SIGTERM") + ")");
  service.stop();
  if (cluster_node) cluster_node->stop();
  server.stop();
  log_line("stopped at height " + std::to_string(chain->head().height));
  return service.halted() ? 3 : 0;
}

}  // namespace

std::function<std::optional<int>()> add_node_commands(CLI::App& app, GlobalOptions& g) {
  auto o = std::make_shared<NodeOptions>();
  auto* c = app.add_subcommand("node", "Run a node: produce blocks and serve JSON-RPC (foreground; Ctrl-C stops it)");
  c->add_option("--data", o->data, "chain folder")->capture_default_str();
  c->add_option("--rpc", o->rpc, "JSON-RPC listen address HOST:PORT (port 0: any free port)")->capture_default_str();
  c->add_option("--genesis", o->genesis, "genesis file (JSON) of a new chain");
  c->add_flag("--dev", o->dev, "development chain 'ward-dev': key 'dev' funded, a block as soon as a transaction arrives");
  add_uint_option(c, "--block-time", o->block_time_ms, "ms between blocks while transactions wait", 1, 3'600'000);
  c->add_option("--producer-key", o->producer_key, "keystore key that signs blocks (default with --dev: dev)");
  c->add_option("--keystore", o->keystore, "keystore folder (default ~/.ward/keys)");
  c->add_option("--backend", o->backend, "backend: interp, aot or auto")
      ->capture_default_str()
      ->check(CLI::IsMember({"interp", "aot", "auto"}));
  add_uint_option(c, "--rpc-max-body", o->rpc_max_body, "largest request body, bytes", 1);
  add_uint_option(c, "--rpc-max-batch", o->rpc_max_batch, "most calls in one batch", 1);
  add_uint_option(c, "--rpc-max-connections", o->rpc_max_connections, "open connections", 1);
  add_uint_option(c, "--rpc-max-subscriptions", o->rpc_max_subscriptions, "subscriptions per WebSocket");
  add_uint_option(c, "--rpc-timeout-ms", o->rpc_timeout_ms, "per-request time, ms", 1);
  add_uint_option(c, "--rpc-threads", o->rpc_threads, "RPC I/O threads", 1, 256);
  c->add_option("--etcd", o->etcd, "cluster mode: etcd endpoints http://HOST:PORT[,...] (docs/cluster.md)");
  c->add_option("--chain", o->cluster_chain, "cluster mode: the chain id (the genesis file's chain_id)");
  add_uint_option(c, "--etcd-window", o->etcd_window,
                  "cluster mode: blocks kept in etcd behind the tip (older ones come from peers)", 1, 1'000'000);
  c->add_flag("--state-sync", o->state_sync,
              "cluster mode: download a peer's verified state snapshot when this node has no blocks or its "
              "next block is gone from etcd (docs/cluster.md)");
  add_uint_option(c, "--snapshot-interval", o->snapshot_interval,
                  "cluster mode: keep a state snapshot for syncing peers every N blocks (0: none)", 0, 1'000'000'000);
  add_uint_option(c, "--snapshot-chunk-bytes", o->snapshot_chunk_bytes,
                  "cluster mode: key+value bytes per state-sync chunk served", 1, 64u << 20);
  auto* explorer = c->add_option("--explorer", o->explorer_dir,
                                 "serve the block-explorer page's built files from DIR on the RPC port (default: "
                                 "<exe>/../share/ward/explorer, else explorer/dist of the source tree)")
                       ->expected(0, 1)
                       ->type_name("[DIR]");
  return [c, o, &g, explorer]() -> std::optional<int> {
    if (!*c) return std::nullopt;
    o->explorer = explorer->count() > 0;
    return run_node(g, *o);
  };
}

}  // namespace ward::cli
