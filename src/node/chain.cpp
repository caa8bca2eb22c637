// ward/node/chain.cpp — genesis, block production and commit, block store
// reads (chain.h).
#include "node/chain.h"

#include <map>
#include <set>

#include "chain/receipt_json.h"
#include "state/objects.h"
#include "state/overlay.h"

namespace ward::node {
namespace {

constexpr std::string_view kGenesisKey = "_g";
constexpr std::string_view kHeadKey = "_H";
constexpr std::string_view kBaseKey = "_S";

std::string raw(const Hash& h) { return state::as_string(h); }
std::string header_key(uint64_t height) { return "_b/" + state::encode_u64(height); }
std::string hash_index_key(const Hash& h) { return "_B/" + raw(h); }
std::string tx_key(uint64_t height, uint32_t pos) {
  return "_y/" + state::encode_u64(height) + state::encode_u32(pos);
}
std::string location_key(const Hash& h) { return "_l/" + raw(h); }
std::string receipt_key(const Hash& h) { return "_r/" + raw(h); }
std::string trace_key(const Hash& h) { return "_T/" + raw(h); }

std::string hex(std::string_view s) {
  return state::hex_encode({reinterpret_cast<const uint8_t*>(s.data()), s.size()});
}

Error storage(const Error& e) {
  return make_error(chain::is_storage_error(e.message) ? e.message : "storage error: " + e.message);
}

/// Process-wide: two Chain objects on one store (or a test racing
/// producers) commit one at a time, each checking the stored head first.
std::mutex& commit_mutex() {
  static std::mutex m;
  return m;
}

}  // namespace

nlohmann::ordered_json event_json(const chain::Receipt& r, size_t index) {
  const chain::ReceiptEvent& e = r.events[index];
  return {{"contract", chain::format_address(e.contract)},
          {"name", e.name},
          {"data", chain::json_or_string(e.data)},
          {"tx_hash", chain::format_hash(r.tx_hash)},
          {"height", r.height},
          {"position", r.position},
          {"index", index}};
}

Result<std::optional<std::pair<uint64_t, Hash>>> read_head(state::KvStore& store) {
  auto v = store.get(kHeadKey);
  if (!v) return storage(v.error());
  if (!v.value()) return std::optional<std::pair<uint64_t, Hash>>{};
  const std::string& s = *v.value();
  if (s.size() != 40) return make_error("corrupt head: expected 40 bytes, found " + std::to_string(s.size()));
  Hash h{};
  std::copy(s.begin() + 8, s.end(), h.begin());
  return std::optional<std::pair<uint64_t, Hash>>{std::make_pair(*state::decode_u64(s.substr(0, 8)), h)};
}

Result<Head> read_head_block(state::KvStore& store) {
  auto head = read_head(store);
  if (!head) return head.error();
  if (!head.value()) return make_error("corrupt chain: genesis present but no head");
  const auto [height, hash] = *head.value();
  auto bytes = store.get(header_key(height));
  if (!bytes) return storage(bytes.error());
  if (!bytes.value()) return make_error("corrupt head: block " + std::to_string(height) + " is missing");
  auto sh = decode_signed_header(*bytes.value());
  if (!sh) return make_error("corrupt head: " + sh.error().message);
  if (block_hash(sh.value().header) != hash) {
    return make_error("corrupt head: block " + std::to_string(height) + " does not hash to the head hash");
  }
  return Head{height, hash, sh.value().header};
}

Result<bool> Chain::exists(state::KvStore& store) {
  auto head = read_head(store);
  if (!head) return head.error();
  return head.value().has_value();
}

Result<void> Chain::init(state::KvStore& store, const Genesis& genesis) {
  auto head = read_head(store);
  if (!head) return head.error();
  if (head.value()) return make_error("the state already holds a chain (head at height " +
                                      std::to_string(head.value()->first) + ")");
  state::Overlay overlay(store);
  for (const auto& [addr, amount] : genesis.balances) {
    auto ok = state::credit(overlay, addr, amount);
    if (!ok) return storage(ok.error());
    if (!ok.value()) return make_error("genesis: balance of " + chain::format_address(addr) + " overflows");
  }
  state::WriteBatch batch = overlay.to_batch();
  // The state root covers what the store already holds (a local state made
  // before blocks existed) with the genesis balances on top.
  std::map<std::string, std::optional<std::string>, std::less<>> all;
  auto scanned = store.scan_prefix("", [&](std::string_view k, std::string_view v) {
    if (!k.empty() && k[0] != '_') all.emplace(std::string(k), std::string(v));
    return true;
  });
  if (!scanned) return storage(scanned.error());
  for (const auto& op : batch.ops()) all[op.key] = op.value;
  std::vector<TreeChange> changes;
  for (auto& [k, v] : all) {
    if (v) changes.emplace_back(k, std::move(v));
  }
  StateTree tree(store);
  auto root = tree.update(kEmptyRoot, changes, batch);
  if (!root) return root.error();
  BlockHeader h;
  h.height = 0;
  h.time_ms = genesis.genesis_time_ms;
  h.producer = genesis.producer;
  h.state_root = root.value();
  SignedHeader sh;
  sh.header = h;
  const Hash hash = block_hash(h);
  batch.put(kGenesisKey, genesis_to_json(genesis));
  batch.put(header_key(0), encode_signed_header(sh));
  batch.put(hash_index_key(hash), state::encode_u64(0));
  batch.put(kHeadKey, state::encode_u64(0) + raw(hash));
  if (auto w = store.write(batch); !w) return storage(w.error());
  return {};
}

Result<std::unique_ptr<Chain>> Chain::open(state::KvStore& store, runtime::Backend& backend, Options options) {
  auto gtext = store.get(kGenesisKey);
  if (!gtext) return storage(gtext.error());
  if (!gtext.value()) {
    return make_error("no chain in this state (run `ward node --dev` or `ward node --genesis FILE` to create one)");
  }
  auto genesis = parse_genesis(*gtext.value());
  if (!genesis) return make_error("corrupt genesis record: " + genesis.error().message);
  auto head = read_head_block(store);
  if (!head) return head.error();
  const uint64_t height = head.value().height;
  const Head& h = head.value();
  StateTree tree(store);
  auto root_ok = tree.verify_root_exists(h.header.state_root);
  if (!root_ok) return storage(root_ok.error());
  if (!root_ok.value()) {
    return make_error("corrupt head: state root " + chain::format_hash(h.header.state_root) + " of block " +
                      std::to_string(height) + " is missing from the state tree");
  }
  auto g0 = store.get(header_key(0));
  if (!g0) return storage(g0.error());
  auto g0h = g0.value() ? decode_signed_header(*g0.value()) : Result<SignedHeader>(make_error("genesis block missing"));
  if (!g0h) return make_error("corrupt chain: " + g0h.error().message);
  if (options.producer_key && chain::address_of(options.producer_key->public_key) != genesis.value().producer) {
    return make_error("producer key " + chain::format_address(chain::address_of(options.producer_key->public_key)) +
                      " is not the genesis producer " + chain::format_address(genesis.value().producer));
  }
  auto base = read_base(store);
  if (!base) return base.error();
  if (base.value() > height) {
    return make_error("corrupt chain: state-sync base " + std::to_string(base.value()) + " is above the head " +
                      std::to_string(height));
  }
  auto chain = std::unique_ptr<Chain>(new Chain(store, backend, std::move(options), std::move(genesis.value()),
                                                block_hash(g0h.value().header), h));
  if (auto gs = chain->m_executor.set_gas_schedule(chain->m_genesis.gas_schedule); !gs) {
    return make_error("genesis: " + gs.error().message);
  }
  chain->m_base = base.value();
  return chain;
}

Result<uint64_t> Chain::read_base(state::KvStore& store) {
  auto v = store.get(kBaseKey);
  if (!v) return storage(v.error());
  if (!v.value()) return uint64_t{0};
  auto b = state::decode_u64(*v.value());
  if (!b) return make_error("corrupt chain: state-sync base record of " + std::to_string(v.value()->size()) + " bytes");
  return *b;
}

Result<void> Chain::adopt_state(state::KvStore& store, const Genesis& genesis, const SignedHeader& at) {
  auto head = read_head(store);
  if (!head) return head.error();
  if (head.value()) return make_error("the state already holds a chain (head at height " +
                                      std::to_string(head.value()->first) + ")");
  const BlockHeader& h = at.header;
  if (h.height == 0) return make_error("a synced state must be at a block above the genesis");
  StateTree tree(store);
  auto root_ok = tree.verify_root_exists(h.state_root);
  if (!root_ok) return storage(root_ok.error());
  if (!root_ok.value()) {
    return make_error("state root " + chain::format_hash(h.state_root) + " of block " + std::to_string(h.height) +
                      " is not in the synced state");
  }
  // The genesis block as init() makes it, on an empty store of its own.
  state::MemoryStore scratch;
  if (auto g = init(scratch, genesis); !g) return g.error();
  state::WriteBatch batch;
  for (const auto& [k, v] : scratch.contents()) {
    if (k == kGenesisKey || k.rfind("_b/", 0) == 0 || k.rfind("_B/", 0) == 0) batch.put(k, v);
  }
  const Hash hash = block_hash(h);
  batch.put(header_key(h.height), encode_signed_header(at));
  batch.put(hash_index_key(hash), state::encode_u64(h.height));
  batch.put(kBaseKey, state::encode_u64(h.height));
  batch.put(kHeadKey, state::encode_u64(h.height) + raw(hash));
  if (auto w = store.write(batch); !w) return storage(w.error());
  return {};
}

Chain::Chain(state::KvStore& store, runtime::Backend& backend, Options options, Genesis genesis, Hash genesis_hash,
             Head head)
    : m_store(store),
      m_options(std::move(options)),
      m_genesis(std::move(genesis)),
      m_genesis_hash(genesis_hash),
      m_executor(store, backend, m_options.limits, m_options.cache),
      m_tree(store),
      m_head(head) {}

Head Chain::head() const {
  std::lock_guard lock(m_head_mutex);
  return m_head;
}

chain::ChainRules Chain::rules() const {
  chain::ChainRules r;
  r.chain_id = m_genesis.chain_id;
  r.min_gas_price = m_genesis.min_gas_price;
  r.block_gas_limit = m_genesis.block_gas_limit;
  return r;
}

Result<BlockResult> Chain::produce(const std::vector<TxInput>& txs, uint64_t time_ms, const BeforeCommit& before_commit) {
  return execute(txs, time_ms, nullptr, before_commit);
}

Result<BlockResult> Chain::apply_block(const SignedHeader& block, const std::vector<std::string>& txs) {
  const BlockHeader& bh = block.header;
  const std::string name = "block " + std::to_string(bh.height);
  if (auto v = verify_header(block, m_genesis.chain_id, false); !v) return v.error();
  if (bh.producer != m_genesis.producer) {
    return make_error(name + " diverges: producer " + chain::format_address(bh.producer) + " is not the genesis producer " +
                      chain::format_address(m_genesis.producer));
  }
  if (bh.version != kBlockVersion) return make_error(name + ": unsupported block version " + std::to_string(bh.version));
  std::vector<TxInput> inputs;
  inputs.reserve(txs.size());
  for (size_t i = 0; i < txs.size(); ++i) {
    auto stx = chain::decode_signed(txs[i]);
    if (!stx) return make_error(name + " diverges: transaction " + std::to_string(i) + ": " + stx.error().message);
    if (auto sig = chain::verify_signature(stx.value()); !sig) {
      return make_error(name + " diverges: transaction " + std::to_string(i) + ": " + sig.error().message);
    }
    TxInput t;
    t.sender = chain::address_of(stx.value().tx.signer);
    t.hash = stx.value().hash;
    t.tx = std::move(stx.value().tx);
    t.stored = txs[i];
    inputs.push_back(std::move(t));
  }
  return execute(inputs, bh.time_ms, &block, {});
}

Result<BlockResult> Chain::execute(const std::vector<TxInput>& txs, uint64_t time_ms, const SignedHeader* expected,
                                   const BeforeCommit& before_commit) {
  std::lock_guard produce_lock(m_produce_mutex);
  const Head parent = head();
  chain::BlockContext block;
  block.height = parent.height + 1;
  block.time_ms = static_cast<int64_t>(std::max(time_ms, parent.header.time_ms + 1));
  block.producer = m_genesis.producer;
  block.seed = parent.hash;
  const chain::ChainRules rules = this->rules();
  const std::string name = "block " + std::to_string(block.height);
  if (expected != nullptr) {
    const BlockHeader& eh = expected->header;
    if (eh.height != block.height || eh.parent_hash != parent.hash) {
      return make_error("block " + std::to_string(eh.height) + " does not extend the head (height " +
                        std::to_string(parent.height) + ", hash " + chain::format_hash(parent.hash) + ")");
    }
    if (eh.time_ms <= parent.header.time_ms) {
      return make_error(name + " diverges: time " + std::to_string(eh.time_ms) + " is not after its parent's " +
                        std::to_string(parent.header.time_ms));
    }
    if (eh.tx_count != txs.size()) {
      return make_error(name + " diverges: the header counts " + std::to_string(eh.tx_count) +
                        " transactions, the block carries " + std::to_string(txs.size()));
    }
  }

  BlockResult out;
  state::Overlay overlay(m_store);
  std::vector<const TxInput*> included;
  uint64_t gas_total = 0;
  size_t bytes_total = 0;
  // A sender's later transactions wait with its deferred one: applied now,
  // they would be dropped for a nonce gap and lost from the mempool.
  std::set<chain::Address> deferred_senders;
  for (const TxInput& t : txs) {
    if (expected == nullptr && m_options.max_block_bytes != 0 && t.stored.size() > m_options.max_block_bytes) {
      out.dropped.emplace_back(t.hash, "the transaction's " + std::to_string(t.stored.size()) +
                                           " bytes exceed the block limit of " +
                                           std::to_string(m_options.max_block_bytes) + " bytes");
      continue;
    }
    const bool over_bytes =
        expected == nullptr && m_options.max_block_bytes != 0 && t.stored.size() > m_options.max_block_bytes - bytes_total;
    if (expected == nullptr && (deferred_senders.count(t.sender) != 0 || over_bytes ||
                                (!included.empty() && t.tx.gas_limit > m_genesis.block_gas_limit - gas_total))) {
      out.deferred.push_back(t.hash);
      deferred_senders.insert(t.sender);
      continue;
    }
    chain::Applied a = m_executor.apply(t.tx, t.sender, t.hash, block, overlay, rules);
    if (a.fault == chain::ApplyFault::StorageFault) return make_error(a.error);
    if (a.fault == chain::ApplyFault::Invalid) {
      if (expected != nullptr) {
        return make_error(name + " diverges: transaction " + std::to_string(included.size()) + " (" +
                          chain::format_hash(t.hash) + ") is not applicable here: " + a.error);
      }
      out.dropped.emplace_back(t.hash, std::move(a.error));
      continue;
    }
    a.receipt.position = static_cast<uint32_t>(included.size());
    gas_total += a.receipt.gas_used;
    bytes_total += t.stored.size();
    out.receipts.push_back(std::move(a.receipt));
    included.push_back(&t);
  }
  if (included.empty()) {
    if (expected != nullptr) return make_error(name + " diverges: it carries no transaction");
    return out;
  }

  state::WriteBatch batch = overlay.to_batch();
  std::vector<TreeChange> changes;
  changes.reserve(batch.size());
  for (const auto& op : batch.ops()) changes.emplace_back(op.key, op.value);
  auto root = m_tree.update(parent.header.state_root, changes, batch);
  if (!root) {
    m_tree.clear_pending();
    return storage(root.error());
  }

  BlockHeader h;
  h.height = block.height;
  h.parent_hash = parent.hash;
  h.time_ms = static_cast<uint64_t>(block.time_ms);
  h.producer = block.producer;
  h.tx_count = static_cast<uint32_t>(included.size());
  h.state_root = root.value();
  h.gas_used = gas_total;
  std::vector<Hash> tx_hashes, receipt_hashes;
  std::vector<std::string> receipt_texts;
  for (size_t i = 0; i < included.size(); ++i) {
    tx_hashes.push_back(included[i]->hash);
    receipt_texts.push_back(chain::dump_json(chain::receipt_json(out.receipts[i])));
    receipt_hashes.push_back(state::sha256(receipt_texts.back()));
    out.txs.push_back(included[i]->stored);
  }
  h.tx_root = merkle_root(tx_hashes);
  h.receipts_root = merkle_root(receipt_hashes);
  if (expected != nullptr) {
    const BlockHeader& eh = expected->header;
    auto differs = [&](const char* field, const std::string& mine, const std::string& theirs) {
      m_tree.clear_pending();
      return make_error(name + " diverges: " + field + " " + theirs + " in the block, " + mine +
                        " executed here (this node halts: its state must not go on)");
    };
    if (h.tx_root != eh.tx_root) return differs("transactions root", chain::format_hash(h.tx_root), chain::format_hash(eh.tx_root));
    if (h.gas_used != eh.gas_used) return differs("gas used", std::to_string(h.gas_used), std::to_string(eh.gas_used));
    if (h.receipts_root != eh.receipts_root) {
      return differs("receipts root", chain::format_hash(h.receipts_root), chain::format_hash(eh.receipts_root));
    }
    if (h.state_root != eh.state_root) {
      return differs("state root", chain::format_hash(h.state_root), chain::format_hash(eh.state_root));
    }
    if (!(h == eh)) return differs("header", chain::format_hash(block_hash(h)), chain::format_hash(block_hash(eh)));
    out.header = *expected;
  } else {
    out.header = m_options.producer_key ? sign_header(h, m_genesis.chain_id, *m_options.producer_key)
                                        : SignedHeader{h, {}, {}};
  }
  out.hash = block_hash(h);

  const std::string hb = state::encode_u64(h.height);
  batch.put(header_key(h.height), encode_signed_header(out.header));
  batch.put(hash_index_key(out.hash), hb);
  for (size_t i = 0; i < included.size(); ++i) {
    const uint32_t pos = static_cast<uint32_t>(i);
    const chain::Receipt& r = out.receipts[i];
    batch.put(tx_key(h.height, pos), included[i]->stored);
    batch.put(location_key(r.tx_hash), hb + state::encode_u32(pos));
    batch.put(receipt_key(r.tx_hash), receipt_texts[i]);
    if (!r.trace.method.empty()) batch.put(trace_key(r.tx_hash), chain::dump_json(chain::trace_json(r.trace)));
    for (size_t j = 0; j < r.events.size(); ++j) {
      const std::string tail = hb + state::encode_u32(pos) + state::encode_u32(static_cast<uint32_t>(j));
      const std::string text = chain::dump_json(event_json(r, j));
      batch.put("_E/" + tail, text);
      batch.put("_e/" + state::as_string(r.events[j].contract) + tail, text);
    }
  }
  batch.put(kHeadKey, hb + raw(out.hash));

  if (before_commit) {
    auto verdict = before_commit(out);
    if (!verdict || !verdict.value()) {
      m_tree.clear_pending();
      if (!verdict) return verdict.error();
      out.discarded = true;
      return out;
    }
  }
  {
    std::lock_guard commit_lock(commit_mutex());
    auto stored = read_head(m_store);
    if (!stored) {
      m_tree.clear_pending();
      return stored.error();
    }
    if (!stored.value() || stored.value()->first != parent.height || stored.value()->second != parent.hash) {
      m_tree.clear_pending();
      return make_error("head moved: block " + std::to_string(h.height) + " was built on block " +
                        std::to_string(parent.height) + " but the stored head is " +
                        (stored.value() ? std::to_string(stored.value()->first) : std::string("missing")));
    }
    auto w = m_store.write(batch);
    m_tree.clear_pending();
    if (!w) return storage(w.error());
    {
      std::lock_guard head_lock(m_head_mutex);
      m_head = Head{h.height, out.hash, h};
    }
    if (m_options.after_commit) m_options.after_commit(Head{h.height, out.hash, h});
  }
  out.committed = true;
  return out;
}

Result<std::optional<SignedHeader>> Chain::header_at(uint64_t height) {
  auto v = m_store.get(header_key(height));
  if (!v) return storage(v.error());
  if (!v.value()) return std::optional<SignedHeader>{};
  auto sh = decode_signed_header(*v.value());
  if (!sh) return sh.error();
  return std::optional<SignedHeader>{sh.value()};
}

Result<std::optional<uint64_t>> Chain::height_of(const Hash& block_hash) {
  auto v = m_store.get(hash_index_key(block_hash));
  if (!v) return storage(v.error());
  if (!v.value()) return std::optional<uint64_t>{};
  return state::decode_u64(*v.value());
}

Result<std::vector<std::string>> Chain::block_txs(uint64_t height) {
  std::vector<std::string> out;
  auto r = m_store.scan_prefix("_y/" + state::encode_u64(height), [&](std::string_view, std::string_view v) {
    out.emplace_back(v);
    return true;
  });
  if (!r) return storage(r.error());
  return out;
}

Result<std::optional<std::pair<uint64_t, uint32_t>>> Chain::tx_location(const Hash& tx_hash) {
  auto v = m_store.get(location_key(tx_hash));
  if (!v) return storage(v.error());
  if (!v.value() || v.value()->size() != 12) return std::optional<std::pair<uint64_t, uint32_t>>{};
  const std::string& s = *v.value();
  return std::optional<std::pair<uint64_t, uint32_t>>{
      std::make_pair(*state::decode_u64(s.substr(0, 8)), *state::decode_u32(std::string_view(s).substr(8)))};
}

Result<std::optional<std::string>> Chain::tx_bytes(const Hash& tx_hash) {
  auto loc = tx_location(tx_hash);
  if (!loc) return loc.error();
  if (!loc.value()) return std::optional<std::string>{};
  auto v = m_store.get(tx_key(loc.value()->first, loc.value()->second));
  if (!v) return storage(v.error());
  return v.value();
}

Result<std::optional<std::string>> Chain::trace(const Hash& tx_hash) {
  auto v = m_store.get(trace_key(tx_hash));
  if (!v) return storage(v.error());
  return v.value();
}

Result<std::optional<chain::Receipt>> Chain::receipt(const Hash& tx_hash) {
  auto v = m_store.get(receipt_key(tx_hash));
  if (!v) return storage(v.error());
  if (!v.value()) return std::optional<chain::Receipt>{};
  auto r = chain::receipt_from_json(*v.value());
  if (!r) return make_error("corrupt receipt " + chain::format_hash(tx_hash) + ": " + r.error().message);
  return std::optional<chain::Receipt>{std::move(r.value())};
}

Result<std::vector<IndexedEvent>> Chain::events(uint64_t from, uint64_t to,
                                                const std::optional<chain::Address>& contract,
                                                const std::optional<std::string>& name, size_t limit,
                                                const std::string& cursor) {
  const std::string prefix = contract ? "_e/" + state::as_string(*contract) : std::string("_E/");
  std::string start = prefix + state::encode_u64(from);
  const std::string end = to == UINT64_MAX ? state::prefix_end(prefix) : prefix + state::encode_u64(to + 1);
  if (!cursor.empty()) {
    auto c = state::hex_decode(cursor);
    if (!c || c->compare(0, prefix.size(), prefix) != 0) return make_error("invalid cursor");
    if (*c + '\0' > start) start = *c + '\0';
  }
  std::vector<IndexedEvent> out;
  if (limit == 0) return out;
  auto r = m_store.scan_range(start, end, [&](std::string_view k, std::string_view v) {
    auto j = nlohmann::json::parse(v, nullptr, false);
    if (j.is_discarded()) return true;
    if (name && j.value("name", std::string()) != *name) return true;
    out.push_back(IndexedEvent{std::move(j), hex(k)});
    return out.size() < limit;
  });
  if (!r) return storage(r.error());
  return out;
}

Result<std::pair<Hash, Proof>> Chain::prove(std::string_view key) {
  const Head h = head();
  StateTree reader(m_store);
  auto p = reader.prove(h.header.state_root, key);
  if (!p) return p.error();
  return std::make_pair(h.header.state_root, std::move(p.value()));
}

}  // namespace ward::node
