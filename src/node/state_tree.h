// ward/node/state_tree.h — the state tree: a Merkle commitment over every
// state entry, so that a 32-byte root names the whole state and single
// entries (or their absence) can be proven against it.
//
// A binary sparse Merkle tree over 256-bit paths sha256(key), compressed:
// a key's leaf sits at the shortest prefix of its path that no other key
// shares, and a subtree holding one key hashes to that key's leaf hash.
// Hashing rules (docs/state-tree.md, ADR 0007):
//
//   empty subtree                 32 zero bytes
//   subtree with exactly one key  sha256(0x00 || key_hash || sha256(value))
//   subtree with two or more keys sha256(0x01 || left || right)
//
// where left/right are the subtrees of the paths whose next bit is 0/1
// (bits taken most significant first). The root is thus a pure function of
// the (key, value) set. Values stay in the state; the tree holds only their
// hashes. Nodes are stored content-addressed under "_t/" + 32-byte hash and
// never deleted (no pruning yet), so every earlier root stays readable.
// Thread-safety: none; one StateTree belongs to one thread.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "state/kv_store.h"
#include "state/layout.h"
#include "util/result.h"

namespace ward::node {

using Hash = state::Hash;

/// The root of the empty tree (and the hash of every empty subtree): 32 zero bytes.
inline constexpr Hash kEmptyRoot{};

/// Prefix of the store keys holding tree nodes: "_t/" + 32-byte node hash.
inline constexpr std::string_view kTreeNodePrefix = "_t/";

/// The store key of the node with hash `node_hash`: "_t/" + its 32 raw bytes.
std::string tree_node_key(const Hash& node_hash);

/// Leaf hash: sha256(0x00 || key_hash || value_hash), 65 bytes hashed.
Hash tree_leaf_hash(const Hash& key_hash, const Hash& value_hash);
/// Internal node hash: sha256(0x01 || left || right), 65 bytes hashed.
Hash tree_internal_hash(const Hash& left, const Hash& right);
/// Bit `depth` (0..255) of `path`, most significant bit of byte 0 first: 0 = left.
inline int path_bit(const Hash& path, unsigned depth) {
  return (path[depth / 8] >> (7 - depth % 8)) & 1;
}

/// The leaf a proof's path ends in.
struct ProofLeaf {
  Hash key_hash{};    ///< sha256 of the leaf's key
  Hash value_hash{};  ///< sha256 of the leaf's value
  bool operator==(const ProofLeaf&) const = default;
};

/// A Merkle proof for one key against one root.
/// Inclusion: `leaf` is the key's own leaf. Exclusion: `leaf` is nullopt
/// (the path ends in an empty subtree) or another key's leaf whose path
/// shares the first siblings.size() bits with the key's path.
struct Proof {
  /// Sibling subtree hashes along the key's path, top-down: siblings[i] is
  /// the hash of the subtree beside the path at depth i+1 (the child of the
  /// depth-i node on the side the path does not take). At most 256 entries.
  std::vector<Hash> siblings;
  /// The leaf at depth siblings.size() on the path, nullopt for an empty subtree.
  std::optional<ProofLeaf> leaf;
  bool operator==(const Proof&) const = default;
};

/// Checks `proof` for `key` against `root`: with `value`, that the tree of
/// `root` maps `key` to `value` (inclusion); with nullopt, that the tree has
/// no entry for `key` (exclusion). Pure; algorithm in docs/state-tree.md.
bool verify_proof(const Hash& root, std::string_view key, std::optional<std::string_view> value,
                  const Proof& proof);

/// A stored tree node, decoded.
struct TreeNode {
  bool leaf = false;
  Hash a{};         ///< leaf: key hash; internal: left child hash
  Hash b{};         ///< leaf: value hash; internal: right child hash
  std::string key;  ///< leaf: the key bytes (stored beside the hash)
};

/// Reads and decodes the node `node_hash` from `store`, checking that its
/// content hashes to `node_hash` (and a leaf's key to its key hash); `root`
/// only names the tree in errors. Errors: "state tree: node 0x… … is
/// missing" / "… is corrupt: …", store read errors.
Result<TreeNode> read_tree_node(state::KvStore& store, const Hash& node_hash, const Hash& root);

/// One change given to StateTree::update: key -> new value, nullopt = delete.
using TreeChange = std::pair<std::string, std::optional<std::string>>;

/// Reads, updates and proves state trees whose nodes live in a KvStore.
class StateTree {
 public:
  /// A tree over the nodes of `store` (read only; `store` must outlive it).
  explicit StateTree(state::KvStore& store) : m_store(store) {}
  StateTree(const StateTree&) = delete;
  StateTree& operator=(const StateTree&) = delete;

  /// Applies `changes` (key -> new value, nullopt = delete; keys unique, any
  /// order; deleting an absent key is a no-op) to the tree of `root` and
  /// returns the new root. Every new node is put into `batch` and kept in
  /// this object's pending map, so a later update may start from the
  /// returned root before `batch` is written. Nothing is written to the
  /// store. Cost: O(k log n) node reads and writes for k changes in a tree
  /// of n keys. Errors: a duplicate key, a missing or corrupt node (the
  /// message names the node hash and the root).
  Result<Hash> update(const Hash& root, const std::vector<TreeChange>& changes,
                      state::WriteBatch& batch);

  /// A proof of the entry of `key` (or of its absence) in the tree of `root`.
  /// Errors: a missing or corrupt node.
  Result<Proof> prove(const Hash& root, std::string_view key);

  /// The value hash of `key` in the tree of `root`; nullopt when absent.
  Result<std::optional<Hash>> value_hash(const Hash& root, std::string_view key);

  /// Whether `root` names a readable tree: the empty root, or a node held by
  /// the store or the pending map. Errors are the store's read errors.
  Result<bool> verify_root_exists(const Hash& root);

  /// Forgets the pending nodes. Call after the batches given to update()
  /// were written to the store, or were dropped.
  void clear_pending() { m_pending.clear(); }
  /// Number of nodes created by update() since the last clear_pending().
  size_t pending_size() const noexcept { return m_pending.size(); }

 private:
  /// The encoded node `node_hash` from the pending map or the store, its
  /// content checked against the hash; `root` only names the tree in errors.
  Result<std::string> load(const Hash& node_hash, const Hash& root);
  /// Records a new node in `batch` and the pending map.
  void emit(const Hash& node_hash, std::string encoded, state::WriteBatch& batch);

  state::KvStore& m_store;
  std::map<Hash, std::string> m_pending;  ///< node hash -> encoded node, not yet known to be stored
};

}  // namespace ward::node
