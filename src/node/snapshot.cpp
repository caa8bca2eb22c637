// ward/node/snapshot.cpp — chunk plans, chunk reads and their verification,
// pinned snapshots (snapshot.h; ADR 0013).
#include "node/snapshot.h"

#include <algorithm>

#include "state/layout.h"

namespace ward::node {
namespace {

constexpr unsigned kPathBits = 256;

std::string hex0x(const Hash& h) { return "0x" + state::hex_encode(h); }
std::string hex0x(std::string_view s) {
  return "0x" + state::hex_encode({reinterpret_cast<const uint8_t*>(s.data()), s.size()});
}

/// Number of leading bits `a` and `b` share (256 when equal).
unsigned common_bits(const Hash& a, const Hash& b) {
  for (unsigned i = 0; i < a.size(); ++i) {
    const uint8_t x = a[i] ^ b[i];
    if (x != 0) {
      unsigned n = i * 8;
      for (uint8_t m = 0x80; (x & m) == 0; m >>= 1) ++n;
      return n;
    }
  }
  return kPathBits;
}

/// `path` with bit `depth` set to `bit`.
Hash with_bit(Hash path, unsigned depth, int bit) {
  const uint8_t m = static_cast<uint8_t>(0x80u >> (depth % 8));
  if (bit) path[depth / 8] |= m;
  else path[depth / 8] &= static_cast<uint8_t>(~m);
  return path;
}

/// True when no bit at `depth` or after is set.
bool canonical_prefix(const Hash& prefix, unsigned depth) {
  for (unsigned i = depth; i < kPathBits; ++i)
    if (path_bit(prefix, i)) return false;
  return true;
}

std::string chunk_name(const ChunkInfo& c, size_t index) {
  return "chunk " + std::to_string(index) + " (depth " + std::to_string(c.depth) + ", prefix " + hex0x(c.prefix) +
         ")";
}

/// A subtree known by its hash: at position (path, depth), holding `count` entries.
struct Item {
  Hash path{};
  unsigned depth = 0;
  Hash hash{};
  uint64_t count = 0;
};

/// The hash of the subtree at depth `depth0` holding `items` (sorted by path,
/// prefix-free, all under that subtree's prefix), by the tree's rules:
/// no entry -> zero, one entry -> its leaf hash, two or more -> internal.
/// Iterative; the stack is at most 257 frames.
Result<Hash> hash_items(const std::vector<Item>& items, unsigned depth0) {
  struct Frame {
    size_t lo, hi, mid = 0;
    unsigned depth;
    int stage = 0;
    Hash left{};
  };
  std::vector<Frame> stack;
  stack.push_back(Frame{0, items.size(), 0, depth0});
  Hash ret{};
  while (!stack.empty()) {
    const size_t top = stack.size() - 1;
    if (stack[top].stage == 1) {
      stack[top].left = ret;
      stack[top].stage = 2;
      stack.push_back(Frame{stack[top].mid, stack[top].hi, 0, stack[top].depth + 1});
      continue;
    }
    if (stack[top].stage == 2) {
      ret = tree_internal_hash(stack[top].left, ret);
      stack.pop_back();
      continue;
    }
    const Frame f = stack[top];
    const size_t n = f.hi - f.lo;
    if (n == 0) {
      ret = kEmptyRoot;
      stack.pop_back();
      continue;
    }
    const Item& first = items[f.lo];
    if (n == 1 && (first.depth == f.depth || first.count == 1)) {
      ret = first.hash;  // the subtree itself, or a single entry lifted to this position
      stack.pop_back();
      continue;
    }
    if (first.depth <= f.depth || f.depth >= kPathBits) {
      return make_error("subtrees overlap at depth " + std::to_string(f.depth));
    }
    auto it = std::partition_point(items.begin() + static_cast<std::ptrdiff_t>(f.lo),
                                   items.begin() + static_cast<std::ptrdiff_t>(f.hi),
                                   [&](const Item& x) { return path_bit(x.path, f.depth) == 0; });
    stack[top].mid = static_cast<size_t>(it - items.begin());
    stack[top].stage = 1;
    stack.push_back(Frame{f.lo, stack[top].mid, 0, f.depth + 1});
  }
  return ret;
}

/// The value of leaf `node`'s key in `store`, checked against the value
/// hash the leaf holds. Errors: the store's read error, or "the store does
/// not hold the state of root R (key K is missing / has another value)".
Result<std::string> read_leaf_value(state::KvStore& store, const TreeNode& node, const Hash& root) {
  auto value = store.get(node.key);
  if (!value) return make_error("snapshot: reading key " + hex0x(node.key) + ": " + value.error().message);
  if (!value.value() || state::sha256(*value.value()) != node.b) {
    return make_error("snapshot: the store does not hold the state of root " + hex0x(root) + " (key " +
                      hex0x(node.key) + (value.value() ? " has another value)" : " is missing)"));
  }
  return std::move(*value.value());
}

}  // namespace

Result<std::vector<ChunkInfo>> plan_chunks(state::KvStore& store, const Hash& root, size_t target_bytes) {
  if (target_bytes == 0) return make_error("snapshot plan: the chunk size must be at least 1 byte");
  struct Sub {
    bool empty = true;
    bool whole = true;  ///< not cut: may still become part of a larger chunk
    ChunkInfo info;
  };
  struct Frame {
    Hash node{};
    Hash path{};
    unsigned depth = 0;
    int stage = 0;
    Hash right{};
    Sub left;
  };
  auto frame = [](const Hash& node, const Hash& path, unsigned depth) {
    Frame f;
    f.node = node;
    f.path = path;
    f.depth = depth;
    return f;
  };
  std::vector<ChunkInfo> out;
  auto emit = [&](const Sub& s) {
    if (!s.empty && s.whole) out.push_back(s.info);
  };
  std::vector<Frame> stack;
  stack.push_back(frame(root, Hash{}, 0));
  Sub ret;
  while (!stack.empty()) {
    const size_t top = stack.size() - 1;
    if (stack[top].stage == 1) {
      stack[top].left = ret;
      stack[top].stage = 2;
      const Frame& f = stack[top];
      Frame child = frame(f.right, with_bit(f.path, f.depth, 1), f.depth + 1);
      stack.push_back(child);
      continue;
    }
    if (stack[top].stage == 2) {
      const Frame& f = stack[top];
      const Sub& l = f.left;
      const Sub& r = ret;
      Sub s;
      s.empty = false;
      if (l.whole && r.whole && l.info.bytes + r.info.bytes <= target_bytes) {
        s.info = ChunkInfo{f.path, f.depth, f.node, l.info.entries + r.info.entries, l.info.bytes + r.info.bytes};
      } else {
        emit(l);
        emit(r);
        s.whole = false;
      }
      ret = s;
      stack.pop_back();
      continue;
    }
    const Frame f = stack[top];
    if (f.node == kEmptyRoot) {
      ret = Sub{};
      stack.pop_back();
      continue;
    }
    auto node = read_tree_node(store, f.node, root);
    if (!node) return node.error();
    if (node->leaf) {
      auto value = read_leaf_value(store, *node, root);
      if (!value) return value.error();
      Sub s;
      s.empty = false;
      s.info = ChunkInfo{f.path, f.depth, f.node, 1, node->key.size() + value.value().size()};
      ret = s;
      stack.pop_back();
      continue;
    }
    if (f.depth >= kPathBits) return make_error("snapshot: tree of root " + hex0x(root) + " deeper than 256 bits");
    stack[top].right = node->b;
    stack[top].stage = 1;
    stack.push_back(frame(node->a, with_bit(f.path, f.depth, 0), f.depth + 1));
  }
  emit(ret);
  std::sort(out.begin(), out.end(), [](const ChunkInfo& a, const ChunkInfo& b) { return a.prefix < b.prefix; });
  return out;
}

Result<std::vector<StateEntry>> read_chunk(state::KvStore& store, const Hash& root, const ChunkInfo& chunk) {
  std::vector<StateEntry> out;
  std::vector<std::pair<Hash, unsigned>> stack{{chunk.hash, chunk.depth}};
  while (!stack.empty()) {
    const auto [h, depth] = stack.back();
    stack.pop_back();
    if (h == kEmptyRoot) continue;
    auto node = read_tree_node(store, h, root);
    if (!node) return node.error();
    if (node->leaf) {
      auto value = read_leaf_value(store, *node, root);
      if (!value) return value.error();
      out.emplace_back(std::move(node->key), std::move(value.value()));
      continue;
    }
    if (depth >= kPathBits) return make_error("snapshot: tree of root " + hex0x(root) + " deeper than 256 bits");
    stack.emplace_back(node->b, depth + 1);  // right after left: path order
    stack.emplace_back(node->a, depth + 1);
  }
  return out;
}

Result<void> verify_plan(const std::vector<ChunkInfo>& plan, const Hash& root) {
  std::vector<Item> items;
  items.reserve(plan.size());
  for (size_t i = 0; i < plan.size(); ++i) {
    const ChunkInfo& c = plan[i];
    if (c.depth > kPathBits) return make_error("snapshot plan: " + chunk_name(c, i) + ": depth above 256");
    if (!canonical_prefix(c.prefix, c.depth)) {
      return make_error("snapshot plan: " + chunk_name(c, i) + ": bits set past its depth");
    }
    if (c.entries == 0) return make_error("snapshot plan: " + chunk_name(c, i) + ": no entries");
    if (c.hash == kEmptyRoot) return make_error("snapshot plan: " + chunk_name(c, i) + ": empty subtree hash");
    if (i > 0) {
      const ChunkInfo& p = plan[i - 1];
      if (!(p.prefix < c.prefix) || common_bits(p.prefix, c.prefix) >= std::min(p.depth, c.depth)) {
        return make_error("snapshot plan: " + chunk_name(c, i) + " is not after and apart from chunk " +
                          std::to_string(i - 1));
      }
    }
    items.push_back(Item{c.prefix, c.depth, c.hash, c.entries});
  }
  auto h = hash_items(items, 0);
  if (!h) return make_error("snapshot plan: " + h.error().message);
  if (h.value() != root) {
    return make_error("snapshot plan: chunks hash to " + hex0x(h.value()) + ", block state root is " + hex0x(root));
  }
  return {};
}

Result<void> verify_chunk(const ChunkInfo& chunk, size_t index, const std::vector<StateEntry>& entries) {
  const std::string name = chunk_name(chunk, index);
  std::vector<Item> items;
  items.reserve(entries.size());
  for (const auto& [k, v] : entries) {
    const Hash path = state::sha256(k);
    if (common_bits(path, chunk.prefix) < chunk.depth) {
      return make_error(name + ": key " + hex0x(k) + " lies outside the chunk's subtree");
    }
    items.push_back(Item{path, kPathBits, tree_leaf_hash(path, state::sha256(v)), 1});
  }
  std::sort(items.begin(), items.end(), [](const Item& a, const Item& b) { return a.path < b.path; });
  for (size_t i = 1; i < items.size(); ++i) {
    if (items[i].path == items[i - 1].path) {
      return make_error(name + ": a key appears twice (key hash " + hex0x(items[i].path) + ")");
    }
  }
  if (items.size() != chunk.entries) {
    return make_error(name + ": " + std::to_string(items.size()) + " entries, the plan says " +
                      std::to_string(chunk.entries));
  }
  auto h = hash_items(items, chunk.depth);
  if (!h) return make_error(name + ": " + h.error().message);
  if (h.value() != chunk.hash) {
    return make_error(name + ": entries hash to " + hex0x(h.value()) + ", the plan's node is " + hex0x(chunk.hash));
  }
  return {};
}

StateSnapshots::StateSnapshots(ViewFn view, uint64_t interval, size_t chunk_bytes, size_t keep, bool background)
    : m_view(std::move(view)),
      m_interval(interval),
      m_chunk_bytes(chunk_bytes),
      m_keep(std::max<size_t>(keep, 1)),
      m_background(background) {
  if (m_background) m_planner = std::thread([this] { planner_loop(); });
}

StateSnapshots::~StateSnapshots() {
  {
    std::lock_guard lock(m_mutex);
    m_stop = true;
  }
  m_wake.notify_all();
  if (m_planner.joinable()) m_planner.join();
}

void StateSnapshots::on_commit(const Head& head) {
  if (m_interval == 0 || head.height == 0 || head.height % m_interval != 0) return;
  auto p = std::make_shared<PinnedSnapshot>();
  p->height = head.height;
  p->block_hash = head.hash;
  p->state_root = head.header.state_root;
  p->store = std::shared_ptr<state::KvStore>(m_view());
  {
    std::lock_guard lock(m_mutex);
    m_pinned.push_back(std::move(p));
    while (m_pinned.size() > m_keep) m_pinned.erase(m_pinned.begin());
  }
  m_wake.notify_all();
}

void StateSnapshots::plan(const std::shared_ptr<PinnedSnapshot>& p) {
  auto made = plan_chunks(*p->store, p->state_root, m_chunk_bytes);
  std::lock_guard lock(m_mutex);
  if (p->planned) return;  // planned meanwhile by another caller: readers may hold that plan
  if (!made) {
    p->plan_error = made.error().message;
  } else {
    p->plan = std::move(made.value());
    for (const auto& c : p->plan) {
      p->entries += c.entries;
      p->bytes += c.bytes;
    }
  }
  p->planned = true;
}

void StateSnapshots::planner_loop() {
  std::unique_lock lock(m_mutex);
  while (!m_stop) {
    std::shared_ptr<PinnedSnapshot> next;
    for (auto it = m_pinned.rbegin(); it != m_pinned.rend() && !next; ++it)
      if (!(*it)->planned && (*it)->wanted) next = *it;  // the newest first
    if (!next) {
      m_wake.wait(lock);
      continue;
    }
    lock.unlock();
    plan(next);
    lock.lock();
  }
}

Result<std::shared_ptr<const PinnedSnapshot>> StateSnapshots::get(std::optional<uint64_t> height) {
  std::shared_ptr<PinnedSnapshot> p;
  {
    std::lock_guard lock(m_mutex);
    if (m_pinned.empty()) {
      return make_error("no state snapshot yet (one is taken every " + std::to_string(m_interval) + " blocks)");
    }
    if (!height) {
      // The newest one that is planned (in the background mode, the newest
      // is asked for so that the next call may answer it), else the newest.
      for (auto it = m_pinned.rbegin(); it != m_pinned.rend() && !p; ++it)
        if ((*it)->planned && (*it)->plan_error.empty()) p = *it;
      if (m_background && !m_pinned.back()->planned && !m_pinned.back()->wanted) {
        m_pinned.back()->wanted = true;
        m_wake.notify_all();
      }
      if (!p && m_background) {
        return make_error("no state snapshot yet (the chunk plan of height " + std::to_string(m_pinned.back()->height) +
                          " is being made; retry)");
      }
      if (!p) p = m_pinned.back();
    } else {
      for (const auto& s : m_pinned)
        if (s->height == *height) p = s;
      if (!p) {
        std::string kept;
        for (const auto& s : m_pinned) kept += (kept.empty() ? "" : ", ") + std::to_string(s->height);
        return make_error("no state snapshot at height " + std::to_string(*height) + " (this node keeps " + kept + ")");
      }
      if (!p->planned && m_background) {
        if (!p->wanted) {
          p->wanted = true;
          m_wake.notify_all();
        }
        return make_error("no state snapshot at height " + std::to_string(*height) +
                          " yet (its chunk plan is being made; retry)");
      }
    }
    if (p->planned) {
      if (!p->plan_error.empty()) return make_error(p->plan_error);
      return std::shared_ptr<const PinnedSnapshot>(p);
    }
  }
  plan(p);  // not in the background: on first use (two callers may both plan; the first result stands)
  std::lock_guard lock(m_mutex);
  if (!p->plan_error.empty()) return make_error(p->plan_error);
  return std::shared_ptr<const PinnedSnapshot>(p);
}

}  // namespace ward::node
