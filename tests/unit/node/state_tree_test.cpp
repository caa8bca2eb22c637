// Tests of the state tree (src/node/state_tree.h) and its proof JSON.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "node/proof_json.h"
#include "node/state_tree.h"

namespace ward::node {
namespace {

using Model = std::map<std::string, std::string>;
using Changes = std::vector<TreeChange>;

// --- an independent reference: the whole compressed tree, rebuilt from the
// sorted key hashes by plain recursion (small sets only) ---

Hash ref_sha(const std::string& bytes) { return state::sha256(std::string_view(bytes)); }
std::string ref_bytes(const Hash& h) { return std::string(h.begin(), h.end()); }
bool ref_bit(const Hash& h, int i) { return (h[i >> 3] & (0x80 >> (i & 7))) != 0; }

struct RefLeaf {
  Hash key_hash;
  Hash value_hash;
};

Hash ref_subtree(const std::vector<RefLeaf>& leaves, size_t lo, size_t hi, int depth) {
  if (lo == hi) return Hash{};
  if (hi - lo == 1)
    return ref_sha(std::string(1, '\0') + ref_bytes(leaves[lo].key_hash) + ref_bytes(leaves[lo].value_hash));
  size_t mid = lo;
  while (mid < hi && !ref_bit(leaves[mid].key_hash, depth)) ++mid;
  return ref_sha(std::string(1, '\1') + ref_bytes(ref_subtree(leaves, lo, mid, depth + 1)) +
                 ref_bytes(ref_subtree(leaves, mid, hi, depth + 1)));
}

Hash ref_root(const Model& model) {
  std::vector<RefLeaf> leaves;
  for (const auto& [k, v] : model) leaves.push_back({ref_sha(k), ref_sha(v)});
  std::sort(leaves.begin(), leaves.end(), [](const RefLeaf& a, const RefLeaf& b) { return a.key_hash < b.key_hash; });
  return ref_subtree(leaves, 0, leaves.size(), 0);
}

// --- helpers ---

std::string hex(const Hash& h) { return state::hex_encode(h); }

/// Updates, writes the batch to the store and clears the pending nodes.
Hash commit(StateTree& tree, state::MemoryStore& store, const Hash& root, const Changes& changes,
            size_t* written = nullptr) {
  state::WriteBatch batch;
  auto r = tree.update(root, changes, batch);
  EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().message);
  if (!r.ok()) return kEmptyRoot;
  if (written) *written = batch.size();
  EXPECT_TRUE(store.write(batch).ok());
  tree.clear_pending();
  return r.value();
}

Changes puts_of(const Model& model) {
  Changes c;
  for (const auto& [k, v] : model) c.emplace_back(k, v);
  return c;
}

Model random_model(std::mt19937_64& rng, size_t n, const std::string& tag = "") {
  Model m;
  while (m.size() < n) {
    std::string key = "s/" + tag + std::to_string(rng());
    m[key] = "v" + std::to_string(rng() % 1000);
  }
  return m;
}

TEST(StateTree, EmptyTreeRootIsZero) {
  state::MemoryStore store;
  StateTree tree(store);
  EXPECT_EQ(kEmptyRoot, Hash{});
  EXPECT_EQ(ref_root({}), kEmptyRoot);
  state::WriteBatch batch;
  auto r = tree.update(kEmptyRoot, {}, batch);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r.value(), kEmptyRoot);
  r = tree.update(kEmptyRoot, {{"a", std::nullopt}, {"b", std::nullopt}}, batch);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r.value(), kEmptyRoot);
  EXPECT_TRUE(batch.empty());
  auto exists = tree.verify_root_exists(kEmptyRoot);
  ASSERT_TRUE(exists.ok());
  EXPECT_TRUE(exists.value());
  auto p = tree.prove(kEmptyRoot, "a");
  ASSERT_TRUE(p.ok());
  EXPECT_TRUE(p->siblings.empty());
  EXPECT_FALSE(p->leaf.has_value());
  EXPECT_TRUE(verify_proof(kEmptyRoot, "a", std::nullopt, p.value()));
  EXPECT_FALSE(verify_proof(kEmptyRoot, "a", "x", p.value()));
}

TEST(StateTree, HashingRules) {
  state::MemoryStore store;
  StateTree tree(store);
  Hash one = commit(tree, store, kEmptyRoot, {{"a", "1"}});
  EXPECT_EQ(one, tree_leaf_hash(state::sha256("a"), state::sha256("1")));
  // Two keys whose paths differ in the first bit: one internal node.
  Hash ka = state::sha256("a");
  std::string other;
  for (int i = 0; other.empty(); ++i)
    if (path_bit(state::sha256("k" + std::to_string(i)), 0) != path_bit(ka, 0)) other = "k" + std::to_string(i);
  Hash two = commit(tree, store, one, {{other, "2"}});
  Hash la = tree_leaf_hash(ka, state::sha256("1"));
  Hash lo = tree_leaf_hash(state::sha256(other), state::sha256("2"));
  EXPECT_EQ(two, path_bit(ka, 0) == 0 ? tree_internal_hash(la, lo) : tree_internal_hash(lo, la));
  EXPECT_EQ(two, ref_root({{"a", "1"}, {other, "2"}}));
  // Nodes live under "_t/" + 32-byte hash.
  for (const auto& [k, v] : store.contents()) {
    EXPECT_EQ(k.size(), 35u);
    EXPECT_EQ(k.substr(0, 3), "_t/");
  }
  EXPECT_TRUE(store.contents().count(tree_node_key(two)));
}

TEST(StateTree, MatchesReferenceOnRandomSets) {
  std::mt19937_64 rng(7);
  for (size_t n : {1u, 2u, 3u, 5u, 17u, 100u, 640u, 2000u}) {
    state::MemoryStore store;
    StateTree tree(store);
    Model model = random_model(rng, n);
    Hash root = commit(tree, store, kEmptyRoot, puts_of(model));
    EXPECT_EQ(hex(root), hex(ref_root(model))) << n << " keys";
    // Then a mixed update: change, delete and add keys.
    Changes changes;
    Model next = model;
    size_t i = 0;
    for (const auto& [k, v] : model) {
      if (i % 3 == 0) {
        changes.emplace_back(k, std::nullopt);
        next.erase(k);
      } else if (i % 3 == 1) {
        changes.emplace_back(k, v + "'");
        next[k] = v + "'";
      }
      ++i;
    }
    for (const auto& [k, v] : random_model(rng, n / 2 + 1, "new")) {
      changes.emplace_back(k, v);
      next[k] = v;
    }
    std::shuffle(changes.begin(), changes.end(), rng);
    root = commit(tree, store, root, changes);
    EXPECT_EQ(hex(root), hex(ref_root(next))) << n << " keys, mixed update";
  }
}

TEST(StateTree, RootIsIndependentOfOrderAndBatching) {
  std::mt19937_64 rng(11);
  Model model = random_model(rng, 500);
  const Hash expected = ref_root(model);
  Changes all = puts_of(model);
  for (int trial = 0; trial < 8; ++trial) {
    std::shuffle(all.begin(), all.end(), rng);
    state::MemoryStore store;
    StateTree tree(store);
    state::WriteBatch batch;  // several updates into one batch, committed at the end or not
    Hash root = kEmptyRoot;
    size_t pos = 0;
    while (pos < all.size()) {
      size_t len = 1 + rng() % (trial % 2 ? 40 : 200);
      Changes part(all.begin() + pos, all.begin() + std::min(all.size(), pos + len));
      pos += part.size();
      if (rng() % 4 == 0) {  // commit midway sometimes
        ASSERT_TRUE(store.write(batch).ok());
        batch = state::WriteBatch();
        tree.clear_pending();
      }
      auto r = tree.update(root, part, batch);
      ASSERT_TRUE(r.ok()) << r.error().message;
      root = r.value();
    }
    EXPECT_EQ(hex(root), hex(expected)) << "trial " << trial;
    ASSERT_TRUE(store.write(batch).ok());
    tree.clear_pending();
    auto p = tree.prove(root, model.begin()->first);
    ASSERT_TRUE(p.ok()) << p.error().message;
    EXPECT_TRUE(verify_proof(root, model.begin()->first, model.begin()->second, p.value()));
  }
}

TEST(StateTree, DeletesRestoreEarlierRoots) {
  std::mt19937_64 rng(3);
  state::MemoryStore store;
  StateTree tree(store);
  Model base = random_model(rng, 300);
  Hash r0 = commit(tree, store, kEmptyRoot, puts_of(base));
  Model extra = random_model(rng, 50, "x");
  Hash r1 = commit(tree, store, r0, puts_of(extra));
  EXPECT_NE(r1, r0);
  Changes undo;
  for (const auto& [k, v] : extra) undo.emplace_back(k, std::nullopt);
  // Delete the extra keys one at a time: each step matches the reference.
  Model now = base;
  now.insert(extra.begin(), extra.end());
  Hash r = r1;
  for (const auto& c : undo) {
    r = commit(tree, store, r, {c});
    now.erase(c.first);
    ASSERT_EQ(hex(r), hex(ref_root(now)));
  }
  EXPECT_EQ(r, r0);
  // All at once from r1, too, and deleting everything gives the empty root.
  EXPECT_EQ(commit(tree, store, r1, undo), r0);
  Changes everything = undo;
  for (const auto& [k, v] : base) everything.emplace_back(k, std::nullopt);
  EXPECT_EQ(commit(tree, store, r1, everything), kEmptyRoot);
  // A key set then reset to its old value restores the root.
  const auto& [k0, v0] = *base.begin();
  Hash changed = commit(tree, store, r0, {{k0, "other"}});
  EXPECT_NE(changed, r0);
  EXPECT_EQ(commit(tree, store, changed, {{k0, v0}}), r0);
  // Deleting an absent key changes nothing and writes nothing.
  size_t written = 99;
  EXPECT_EQ(commit(tree, store, r0, {{"absent", std::nullopt}}, &written), r0);
  EXPECT_EQ(written, 0u);
}

TEST(StateTree, InclusionAndExclusionProofs) {
  std::mt19937_64 rng(5);
  state::MemoryStore store;
  StateTree tree(store);
  Model model = random_model(rng, 400);
  Hash root = commit(tree, store, kEmptyRoot, puts_of(model));
  for (const auto& [k, v] : model) {
    auto p = tree.prove(root, k);
    ASSERT_TRUE(p.ok());
    ASSERT_TRUE(verify_proof(root, k, v, p.value())) << k;
    EXPECT_FALSE(verify_proof(root, k, v + "!", p.value()));
    EXPECT_FALSE(verify_proof(root, k, std::nullopt, p.value()));
    Hash wrong_root = root;
    wrong_root[31] ^= 1;
    EXPECT_FALSE(verify_proof(wrong_root, k, v, p.value()));
    EXPECT_FALSE(verify_proof(root, k + "x", v, p.value()));
    if (!p->siblings.empty()) {
      Proof bad = p.value();
      bad.siblings[rng() % bad.siblings.size()][rng() % 32] ^= 0x10;
      EXPECT_FALSE(verify_proof(root, k, v, bad));
      bad = p.value();
      bad.siblings.pop_back();
      EXPECT_FALSE(verify_proof(root, k, v, bad));
    }
    Proof longer = p.value();
    longer.siblings.push_back(kEmptyRoot);
    EXPECT_FALSE(verify_proof(root, k, v, longer));
    auto vh = tree.value_hash(root, k);
    ASSERT_TRUE(vh.ok());
    EXPECT_EQ(vh.value(), state::sha256(v));
  }
  // A proof for one key does not prove another.
  auto p0 = tree.prove(root, model.begin()->first);
  ASSERT_TRUE(p0.ok());
  EXPECT_FALSE(verify_proof(root, std::next(model.begin())->first, std::next(model.begin())->second, p0.value()));
  EXPECT_FALSE(verify_proof(root, std::next(model.begin())->first, std::nullopt, p0.value()));

  int empty_slots = 0, other_leaves = 0;
  for (int i = 0; i < 400; ++i) {
    std::string k = "absent/" + std::to_string(i);
    auto p = tree.prove(root, k);
    ASSERT_TRUE(p.ok());
    ASSERT_TRUE(verify_proof(root, k, std::nullopt, p.value())) << k;
    EXPECT_FALSE(verify_proof(root, k, "", p.value()));
    (p->leaf ? other_leaves : empty_slots)++;
    if (p->leaf) {
      Proof bad = p.value();
      bad.leaf->value_hash[0] ^= 1;
      EXPECT_FALSE(verify_proof(root, k, std::nullopt, bad));
      bad = p.value();
      bad.leaf.reset();
      EXPECT_FALSE(verify_proof(root, k, std::nullopt, bad));
    } else if (!p->siblings.empty()) {
      Proof bad = p.value();
      bad.siblings.back()[5] ^= 4;
      EXPECT_FALSE(verify_proof(root, k, std::nullopt, bad));
    }
    // An absence proof only covers keys on the same path.
    auto vh = tree.value_hash(root, k);
    ASSERT_TRUE(vh.ok());
    EXPECT_FALSE(vh.value().has_value());
  }
  EXPECT_GT(empty_slots, 0);
  EXPECT_GT(other_leaves, 0);
  // Another key's inclusion proof is no absence proof of a key off its path
  // (the foreign leaf must share the path prefix).
  for (int i = 0; i < 50; ++i) {
    std::string k = "absent/" + std::to_string(i);
    auto p = tree.prove(root, k);
    ASSERT_TRUE(p.ok());
    auto q = tree.prove(root, std::next(model.begin(), i)->first);
    ASSERT_TRUE(q.ok());
    if (!(q.value() == p.value())) {
      EXPECT_FALSE(verify_proof(root, k, std::nullopt, q.value())) << k;
    }
  }
}

TEST(StateTree, OldRootsStayProvable) {
  std::mt19937_64 rng(9);
  state::MemoryStore store;
  StateTree tree(store);
  std::vector<std::pair<Hash, Model>> history;
  Model model;
  Hash root = kEmptyRoot;
  for (int step = 0; step < 6; ++step) {
    Changes changes;
    for (const auto& [k, v] : random_model(rng, 60, "step" + std::to_string(step))) changes.emplace_back(k, v);
    int i = 0;
    for (const auto& [k, v] : model)
      if (i++ % 4 == 0) changes.emplace_back(k, std::nullopt);
    for (const auto& [k, v] : changes) {
      if (v) model[k] = *v;
      else model.erase(k);
    }
    root = commit(tree, store, root, changes);
    history.emplace_back(root, model);
  }
  for (const auto& [old_root, old_model] : history) {
    auto exists = tree.verify_root_exists(old_root);
    ASSERT_TRUE(exists.ok());
    EXPECT_TRUE(exists.value());
    EXPECT_EQ(old_root, ref_root(old_model));
    for (const auto& [k, v] : old_model) {
      auto p = tree.prove(old_root, k);
      ASSERT_TRUE(p.ok());
      EXPECT_TRUE(verify_proof(old_root, k, v, p.value()));
    }
  }
}

TEST(StateTree, PersistenceRoundTrip) {
  std::mt19937_64 rng(13);
  state::MemoryStore store;
  Model model = random_model(rng, 200);
  Hash root;
  {
    StateTree tree(store);
    state::WriteBatch batch;
    auto r = tree.update(kEmptyRoot, puts_of(model), batch);
    ASSERT_TRUE(r.ok());
    root = r.value();
    EXPECT_GT(tree.pending_size(), 0u);
    ASSERT_TRUE(store.write(batch).ok());
  }
  StateTree fresh(store);
  auto exists = fresh.verify_root_exists(root);
  ASSERT_TRUE(exists.ok() && exists.value());
  for (const auto& [k, v] : model) {
    auto p = fresh.prove(root, k);
    ASSERT_TRUE(p.ok()) << p.error().message;
    EXPECT_TRUE(verify_proof(root, k, v, p.value()));
  }
  Hash next = commit(fresh, store, root, {{"s/new", "1"}, {model.begin()->first, std::nullopt}});
  model["s/new"] = "1";
  model.erase(model.begin());
  EXPECT_EQ(next, ref_root(model));
}

TEST(StateTree, PendingNodesServeLaterUpdates) {
  state::MemoryStore store;
  StateTree tree(store);
  state::WriteBatch batch;
  auto r1 = tree.update(kEmptyRoot, {{"a", "1"}, {"b", "2"}}, batch);
  ASSERT_TRUE(r1.ok());
  auto r2 = tree.update(r1.value(), {{"c", "3"}}, batch);
  ASSERT_TRUE(r2.ok()) << r2.error().message;
  EXPECT_EQ(r2.value(), ref_root({{"a", "1"}, {"b", "2"}, {"c", "3"}}));
  EXPECT_TRUE(store.contents().empty());  // update never writes the store
  auto p = tree.prove(r2.value(), "a");
  ASSERT_TRUE(p.ok());
  EXPECT_TRUE(verify_proof(r2.value(), "a", "1", p.value()));
  // Once pending nodes are forgotten, an uncommitted root is unknown.
  tree.clear_pending();
  auto exists = tree.verify_root_exists(r2.value());
  ASSERT_TRUE(exists.ok());
  EXPECT_FALSE(exists.value());
  state::WriteBatch other;
  auto r3 = tree.update(r2.value(), {{"d", "4"}}, other);
  ASSERT_FALSE(r3.ok());
  EXPECT_NE(r3.error().message.find("not in the store"), std::string::npos) << r3.error().message;
  // Committed, it is back.
  ASSERT_TRUE(store.write(batch).ok());
  r3 = tree.update(r2.value(), {{"d", "4"}}, other);
  ASSERT_TRUE(r3.ok());
}

TEST(StateTree, StorageErrorsAreReported) {
  state::MemoryStore store;
  StateTree tree(store);
  Model model{{"a", "1"}, {"b", "2"}, {"c", "3"}, {"d", "4"}};
  Hash root = commit(tree, store, kEmptyRoot, puts_of(model));

  Changes dup{{"a", "1"}, {"a", "2"}};
  state::WriteBatch batch;
  auto r = tree.update(root, dup, batch);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("twice"), std::string::npos);

  state::FailingStore failing(store);
  failing.fail_reads = true;
  StateTree broken(failing);
  r = broken.update(root, {{"e", "5"}}, batch);
  ASSERT_FALSE(r.ok());
  EXPECT_FALSE(broken.prove(root, "a").ok());

  // A missing child node and a corrupt one.
  auto p = tree.prove(root, "a");
  ASSERT_TRUE(p.ok());
  ASSERT_FALSE(p->siblings.empty());
  Hash child = p->siblings[0];
  std::string saved = *store.get(tree_node_key(child)).value();
  ASSERT_TRUE(store.del(tree_node_key(child)).ok());
  std::string other_side_key;
  for (const auto& [k, v] : model)
    if (path_bit(state::sha256(k), 0) != path_bit(state::sha256("a"), 0)) other_side_key = k;
  auto missing = tree.prove(root, other_side_key);
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.error().message.find("missing"), std::string::npos) << missing.error().message;
  saved[40] ^= 1;
  ASSERT_TRUE(store.put(tree_node_key(child), saved).ok());
  auto corrupt = tree.update(root, {{other_side_key, std::nullopt}}, batch);
  ASSERT_FALSE(corrupt.ok());
  EXPECT_NE(corrupt.error().message.find("corrupt"), std::string::npos) << corrupt.error().message;
}

TEST(StateTree, UpdateCostIsLogarithmic) {
  std::mt19937_64 rng(17);
  state::MemoryStore store;
  StateTree tree(store);
  Changes changes;
  for (int i = 0; i < 100000; ++i) changes.emplace_back("s/key" + std::to_string(i), std::to_string(rng()));
  Hash root = commit(tree, store, kEmptyRoot, changes);
  size_t written = 0;
  Hash r1 = commit(tree, store, root, {{"s/key77", "changed"}}, &written);
  EXPECT_GT(written, 0u);
  EXPECT_LE(written, 64u);
  Hash r2 = commit(tree, store, r1, {{"s/brand-new", "x"}}, &written);
  EXPECT_LE(written, 64u);
  Hash r3 = commit(tree, store, r2, {{"s/key123", std::nullopt}}, &written);
  EXPECT_LE(written, 64u);
  auto p = tree.prove(r3, "s/key77");
  ASSERT_TRUE(p.ok());
  EXPECT_LE(p->siblings.size(), 64u);
  EXPECT_TRUE(verify_proof(r3, "s/key77", "changed", p.value()));
  p = tree.prove(r3, "s/key123");
  ASSERT_TRUE(p.ok());
  EXPECT_TRUE(verify_proof(r3, "s/key123", std::nullopt, p.value()));
}

// The values docs/state-tree.md gives as test vectors.
TEST(StateTree, DocumentedTestVectors) {
  state::MemoryStore store;
  StateTree tree(store);
  Hash r1 = commit(tree, store, kEmptyRoot, {{"a", "1"}});
  Hash r3 = commit(tree, store, r1, {{"b", "2"}, {"c", "3"}});
  EXPECT_EQ(hex(r1), "565388d4bc00257133f799d9366ac97f6e949c18acc53d17457f8859ba0f08d3");
  EXPECT_EQ(hex(r3), "8e2a164a410203f51300d7c6645b7a37f549768457be109acc126c63573a9e0a");
  auto p = tree.prove(r3, "b");
  ASSERT_TRUE(p.ok());
  nlohmann::json j = proof_to_json(p.value(), "b", "2");
  EXPECT_EQ(j, nlohmann::json::parse(R"({
    "key": "0x62",
    "value": "0x32",
    "key_hash": "0x3e23e8160039594a33894f6564e1b1348bbd7a0088d42c4acb73eeaed59c009d",
    "siblings": [
      "0x565388d4bc00257133f799d9366ac97f6e949c18acc53d17457f8859ba0f08d3",
      "0x0000000000000000000000000000000000000000000000000000000000000000",
      "0x0000000000000000000000000000000000000000000000000000000000000000",
      "0x6dc4a0fe4285844b9c64ba063f6a8b808a07eb2e8c124cda2babd55a2a7f3d24"
    ],
    "leaf": {
      "key_hash": "0x3e23e8160039594a33894f6564e1b1348bbd7a0088d42c4acb73eeaed59c009d",
      "value_hash": "0xd4735e3a265e16eee03f59718b9b5d03019c07d8b6c51f90da3a666eec13ab35"
    }
  })"));
  EXPECT_TRUE(verify_proof(r3, "b", "2", p.value()));
  // Absence of "d" (sha256 18ac3e73..., path 0001...): an empty slot at depth 3.
  auto d = tree.prove(r3, "d");
  ASSERT_TRUE(d.ok());
  ASSERT_EQ(d->siblings.size(), 3u);
  EXPECT_EQ(d->siblings[0], r1);
  EXPECT_EQ(d->siblings[1], kEmptyRoot);
  EXPECT_EQ(hex(d->siblings[2]), "44ebb3d0f7604913f94789f54965210118cb621490e4279a2f512ea8ecf280a4");
  EXPECT_FALSE(d->leaf.has_value());
  EXPECT_TRUE(verify_proof(r3, "d", std::nullopt, d.value()));
  // Absence of "e" (sha256 3f79bb7b..., path 0011...): b's leaf ends the path.
  auto e = tree.prove(r3, "e");
  ASSERT_TRUE(e.ok());
  EXPECT_EQ(e->siblings, p->siblings);
  EXPECT_EQ(e->leaf, p->leaf);
  EXPECT_TRUE(verify_proof(r3, "e", std::nullopt, e.value()));
}

}  // namespace
}  // namespace ward::node
