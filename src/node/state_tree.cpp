// ward/node/state_tree.cpp — the compressed sparse Merkle tree of the state
// (state_tree.h; ADR 0007; docs/state-tree.md).
//
// Stored node encodings (the value under "_t/" + node hash):
//   leaf:     0x00 || key_hash (32) || value_hash (32) || key bytes
//   internal: 0x01 || left hash (32) || right hash (32)
// The node hash is sha256 of the first 65 bytes, so a leaf's stored key is
// not part of its hash (its sha256 is). Empty subtrees are never stored.
#include "node/state_tree.h"

#include <algorithm>
#include <array>
#include <cstdint>

namespace ward::node {
namespace {

constexpr unsigned kPathBits = 256;
constexpr uint8_t kLeafTag = 0x00;
constexpr uint8_t kInternalTag = 0x01;
constexpr size_t kNodeHead = 65;  // tag + two hashes

std::string hex0x(const Hash& h) { return "0x" + state::hex_encode(h); }

Hash hash_tagged(uint8_t tag, const Hash& a, const Hash& b) {
  std::array<uint8_t, kNodeHead> buf{};
  buf[0] = tag;
  std::copy(a.begin(), a.end(), buf.begin() + 1);
  std::copy(b.begin(), b.end(), buf.begin() + 1 + a.size());
  return state::sha256(std::span<const uint8_t>(buf));
}

std::string encode_node(uint8_t tag, const Hash& a, const Hash& b, std::string_view key = {}) {
  std::string s;
  s.reserve(kNodeHead + key.size());
  s.push_back(static_cast<char>(tag));
  s.append(state::as_string(a));
  s.append(state::as_string(b));
  s.append(key);
  return s;
}

/// A decoded stored node.
struct Node {
  bool leaf = false;
  Hash a{};  ///< leaf: key hash; internal: left child hash
  Hash b{};  ///< leaf: value hash; internal: right child hash
};

/// Decodes the stored node `enc` and checks that it hashes to `expected`.
Result<Node> decode_node(std::string_view enc, const Hash& expected, const Hash& root) {
  auto corrupt = [&](const std::string& why) {
    return make_error("state tree: node " + hex0x(expected) + " (tree of root " + hex0x(root) +
                      ") is corrupt: " + why);
  };
  if (enc.size() < kNodeHead) return corrupt(std::to_string(enc.size()) + " bytes, expected at least 65");
  uint8_t tag = static_cast<uint8_t>(enc[0]);
  if (tag != kLeafTag && tag != kInternalTag) return corrupt("unknown tag " + std::to_string(tag));
  if (tag == kInternalTag && enc.size() != kNodeHead)
    return corrupt("internal node of " + std::to_string(enc.size()) + " bytes, expected 65");
  Node n;
  n.leaf = tag == kLeafTag;
  std::copy(enc.begin() + 1, enc.begin() + 33, n.a.begin());
  std::copy(enc.begin() + 33, enc.begin() + 65, n.b.begin());
  if (hash_tagged(tag, n.a, n.b) != expected) return corrupt("content does not hash to the node hash");
  if (n.leaf && state::sha256(enc.substr(kNodeHead)) != n.a)
    return corrupt("stored key does not hash to the leaf's key hash");
  if (!n.leaf && n.a == kEmptyRoot && n.b == kEmptyRoot) return corrupt("internal node with two empty children");
  return n;
}

/// What an update knows of a subtree.
enum class Kind : uint8_t { kEmpty, kLeaf, kInternal, kUnknown };
struct Sub {
  Hash hash{};
  Kind kind = Kind::kEmpty;
  Hash key_hash{};  ///< kLeaf only
};
Sub sub_of(const Hash& h) { return h == kEmptyRoot ? Sub{} : Sub{h, Kind::kUnknown, {}}; }

/// One change, hashed.
struct Change {
  Hash key_hash{};
  Hash value_hash{};     ///< puts only
  const TreeChange* src = nullptr;
};

/// A step of the iterative update: the subtree `existing` at `depth`, to
/// which the changes [lo, hi) (all under this subtree's prefix) apply.
struct Frame {
  Sub existing;
  Sub right;        ///< the right child's old subtree (stage >= 1)
  Sub left_result;  ///< the left child's new subtree (stage 2)
  size_t lo = 0, mid = 0, hi = 0;
  unsigned depth = 0;
  int stage = 0;  ///< 0: not started; 1: left child running; 2: right child running
};

}  // namespace

std::string tree_node_key(const Hash& node_hash) {
  std::string k(kTreeNodePrefix);
  k.append(state::as_string(node_hash));
  return k;
}

Hash tree_leaf_hash(const Hash& key_hash, const Hash& value_hash) {
  return hash_tagged(kLeafTag, key_hash, value_hash);
}

Hash tree_internal_hash(const Hash& left, const Hash& right) {
  return hash_tagged(kInternalTag, left, right);
}

bool verify_proof(const Hash& root, std::string_view key, std::optional<std::string_view> value,
                  const Proof& proof) {
  const size_t n = proof.siblings.size();
  if (n > kPathBits) return false;
  const Hash key_hash = state::sha256(key);
  Hash node = kEmptyRoot;
  if (proof.leaf) {
    const ProofLeaf& leaf = *proof.leaf;
    if (leaf.key_hash == key_hash) {
      if (!value || state::sha256(*value) != leaf.value_hash) return false;
    } else {
      if (value) return false;
      for (size_t i = 0; i < n; ++i)
        if (path_bit(leaf.key_hash, static_cast<unsigned>(i)) != path_bit(key_hash, static_cast<unsigned>(i)))
          return false;
    }
    node = tree_leaf_hash(leaf.key_hash, leaf.value_hash);
  } else if (value) {
    return false;
  }
  for (size_t i = n; i-- > 0;) {
    node = path_bit(key_hash, static_cast<unsigned>(i)) == 0 ? tree_internal_hash(node, proof.siblings[i])
                                                             : tree_internal_hash(proof.siblings[i], node);
  }
  return node == root;
}

Result<TreeNode> read_tree_node(state::KvStore& store, const Hash& node_hash, const Hash& root) {
  auto got = store.get(tree_node_key(node_hash));
  if (!got) return make_error("state tree: reading node " + hex0x(node_hash) + ": " + got.error().message);
  if (!got.value())
    return make_error("state tree: node " + hex0x(node_hash) + " of the tree of root " + hex0x(root) +
                      " is missing");
  auto node = decode_node(*got.value(), node_hash, root);
  if (!node) return node.error();
  TreeNode out;
  out.leaf = node->leaf;
  out.a = node->a;
  out.b = node->b;
  if (out.leaf) out.key = got.value()->substr(kNodeHead);
  return out;
}

Result<std::string> StateTree::load(const Hash& node_hash, const Hash& root) {
  if (auto it = m_pending.find(node_hash); it != m_pending.end()) return it->second;
  auto got = m_store.get(tree_node_key(node_hash));
  if (!got) return make_error("state tree: reading node " + hex0x(node_hash) + ": " + got.error().message);
  if (!got.value())
    return make_error("state tree: node " + hex0x(node_hash) + " of the tree of root " + hex0x(root) +
                      " is missing");
  return std::move(*got.value());
}

void StateTree::emit(const Hash& node_hash, std::string encoded, state::WriteBatch& batch) {
  batch.put(tree_node_key(node_hash), encoded);
  m_pending[node_hash] = std::move(encoded);
}

Result<bool> StateTree::verify_root_exists(const Hash& root) {
  if (root == kEmptyRoot || m_pending.count(root) != 0) return true;
  auto got = m_store.get(tree_node_key(root));
  if (!got) return make_error("state tree: reading root " + hex0x(root) + ": " + got.error().message);
  return got.value().has_value();
}

Result<Hash> StateTree::update(const Hash& root, const std::vector<TreeChange>& changes,
                               state::WriteBatch& batch) {
  auto root_ok = verify_root_exists(root);
  if (!root_ok) return root_ok.error();
  if (!root_ok.value()) return make_error("state tree: root " + hex0x(root) + " is not in the store");

  std::vector<Change> ch;
  ch.reserve(changes.size());
  for (const TreeChange& c : changes)
    ch.push_back({state::sha256(c.first), c.second ? state::sha256(*c.second) : Hash{}, &c});
  std::sort(ch.begin(), ch.end(), [](const Change& x, const Change& y) { return x.key_hash < y.key_hash; });
  for (size_t i = 1; i < ch.size(); ++i)
    if (ch[i].key_hash == ch[i - 1].key_hash)
      return make_error("state tree: key 0x" + state::hex_encode(std::span<const uint8_t>(
                            reinterpret_cast<const uint8_t*>(ch[i].src->first.data()), ch[i].src->first.size())) +
                        " appears twice in one update");
  // puts_before[i]: number of puts among ch[0..i).
  std::vector<size_t> puts_before(ch.size() + 1, 0);
  for (size_t i = 0; i < ch.size(); ++i) puts_before[i + 1] = puts_before[i] + (ch[i].src->second ? 1 : 0);

  // First index of [lo, hi) whose path has bit `depth` set (the range shares
  // its first `depth` bits and is sorted, so the 0-bit paths come first).
  auto split = [&](size_t lo, size_t hi, unsigned depth) {
    auto it = std::partition_point(ch.begin() + lo, ch.begin() + hi,
                                   [&](const Change& c) { return path_bit(c.key_hash, depth) == 0; });
    return static_cast<size_t>(it - ch.begin());
  };
  auto contains = [&](size_t lo, size_t hi, const Hash& key_hash) {
    auto it = std::lower_bound(ch.begin() + lo, ch.begin() + hi, key_hash,
                               [](const Change& c, const Hash& h) { return c.key_hash < h; });
    return it != ch.begin() + hi && it->key_hash == key_hash;
  };
  auto too_deep = [&](const Frame& f) {
    return make_error("state tree: path deeper than 256 bits under node " + hex0x(f.existing.hash) +
                      " (tree of root " + hex0x(root) + ")");
  };
  // The new subtree with children `l` and `r`: empty, the single leaf
  // (a one-key subtree hashes to its leaf), or a new internal node.
  auto combine = [&](Sub l, Sub r, const Sub& old) -> Result<Sub> {
    if (l.kind == Kind::kEmpty && r.kind == Kind::kEmpty) return Sub{};
    if (l.kind == Kind::kEmpty || r.kind == Kind::kEmpty) {
      Sub& only = l.kind == Kind::kEmpty ? r : l;
      if (only.kind == Kind::kUnknown) {
        auto enc = load(only.hash, root);
        if (!enc) return enc.error();
        auto node = decode_node(enc.value(), only.hash, root);
        if (!node) return node.error();
        only.kind = node->leaf ? Kind::kLeaf : Kind::kInternal;
        only.key_hash = node->a;
      }
      if (only.kind == Kind::kLeaf) return only;
    }
    Hash h = tree_internal_hash(l.hash, r.hash);
    if (h != old.hash) emit(h, encode_node(kInternalTag, l.hash, r.hash), batch);
    return Sub{h, Kind::kInternal, {}};
  };

  std::vector<Frame> stack;
  stack.reserve(64);
  {
    Frame top;
    top.existing = sub_of(root);
    top.hi = ch.size();
    stack.push_back(top);
  }
  Sub ret;  // the new subtree of the frame popped last
  while (!stack.empty()) {
    Frame& f = stack.back();
    if (f.stage == 1) {
      f.left_result = ret;
      f.stage = 2;
      Frame child;
      child.existing = f.right;
      child.lo = f.mid;
      child.hi = f.hi;
      child.depth = f.depth + 1;
      stack.push_back(child);
      continue;
    }
    if (f.stage == 2) {
      auto combined = combine(f.left_result, ret, f.existing);
      if (!combined) return combined.error();
      ret = combined.value();
      stack.pop_back();
      continue;
    }
    if (f.lo == f.hi) {  // untouched subtree
      ret = f.existing;
      stack.pop_back();
      continue;
    }
    Sub left;
    if (f.existing.kind == Kind::kUnknown || f.existing.kind == Kind::kInternal) {
      auto enc = load(f.existing.hash, root);
      if (!enc) return enc.error();
      auto node = decode_node(enc.value(), f.existing.hash, root);
      if (!node) return node.error();
      if (node->leaf) {
        f.existing.kind = Kind::kLeaf;
        f.existing.key_hash = node->a;
      } else {
        f.existing.kind = Kind::kInternal;
        left = sub_of(node->a);
        f.right = sub_of(node->b);
      }
    }
    if (f.existing.kind != Kind::kInternal) {
      // An empty subtree or a single leaf: its new key set is the puts of
      // [lo, hi) plus the old leaf unless one of the changes replaces it.
      bool kept = f.existing.kind == Kind::kLeaf && !contains(f.lo, f.hi, f.existing.key_hash);
      size_t total = puts_before[f.hi] - puts_before[f.lo] + (kept ? 1 : 0);
      if (total <= 1) {
        if (total == 0) {
          ret = Sub{};
        } else if (kept) {
          ret = f.existing;
        } else {
          const Change* c = nullptr;
          for (size_t i = f.lo; i < f.hi && !c; ++i)
            if (ch[i].src->second) c = &ch[i];
          Hash h = tree_leaf_hash(c->key_hash, c->value_hash);
          if (h != f.existing.hash)
            emit(h, encode_node(kLeafTag, c->key_hash, c->value_hash, c->src->first), batch);
          ret = Sub{h, Kind::kLeaf, c->key_hash};
        }
        stack.pop_back();
        continue;
      }
      // Two or more keys: an internal node; the old leaf moves down its side.
      if (kept && path_bit(f.existing.key_hash, f.depth) == 1) {
        f.right = f.existing;
      } else {
        if (kept) left = f.existing;
        f.right = Sub{};
      }
    }
    if (f.depth >= kPathBits) return too_deep(f);
    f.mid = split(f.lo, f.hi, f.depth);
    f.stage = 1;
    Frame child;
    child.existing = left;
    child.lo = f.lo;
    child.hi = f.mid;
    child.depth = f.depth + 1;
    stack.push_back(child);
  }
  return ret.hash;
}

Result<std::optional<Hash>> StateTree::value_hash(const Hash& root, std::string_view key) {
  auto proof = prove(root, key);
  if (!proof) return proof.error();
  const Hash key_hash = state::sha256(key);
  if (proof->leaf && proof->leaf->key_hash == key_hash) return std::optional<Hash>(proof->leaf->value_hash);
  return std::optional<Hash>();
}

Result<Proof> StateTree::prove(const Hash& root, std::string_view key) {
  const Hash key_hash = state::sha256(key);
  Proof proof;
  Hash cur = root;
  for (unsigned depth = 0; cur != kEmptyRoot; ++depth) {
    auto enc = load(cur, root);
    if (!enc) return enc.error();
    auto node = decode_node(enc.value(), cur, root);
    if (!node) return node.error();
    if (node->leaf) {
      proof.leaf = ProofLeaf{node->a, node->b};
      break;
    }
    if (depth >= kPathBits)
      return make_error("state tree: path deeper than 256 bits at node " + hex0x(cur) + " (tree of root " +
                        hex0x(root) + ")");
    const bool right = path_bit(key_hash, depth) == 1;
    proof.siblings.push_back(right ? node->a : node->b);
    cur = right ? node->b : node->a;
  }
  return proof;
}

}  // namespace ward::node
