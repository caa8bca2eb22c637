#include <gtest/gtest.h>

#include "state/overlay.h"

namespace ward::state {
namespace {

std::optional<std::string> read(Overlay& o, std::string_view k) {
  auto r = o.get(k);
  EXPECT_TRUE(r.ok());
  return r.ok() ? r.value() : std::nullopt;
}

TEST(Overlay, ReadsSeeOwnWritesAndStoreIsUntouched) {
  MemoryStore store;
  ASSERT_TRUE(store.put("x", "base").ok());
  Overlay o(store);
  EXPECT_EQ(read(o, "x"), "base");
  o.put("x", "mine");
  o.put("y", "new");
  EXPECT_EQ(read(o, "x"), "mine");
  EXPECT_EQ(read(o, "y"), "new");
  o.del("x");
  EXPECT_EQ(read(o, "x"), std::nullopt);
  EXPECT_EQ(*store.get("x").value(), "base");
  EXPECT_FALSE(store.get("y").value().has_value());
}

TEST(Overlay, NestedSnapshotsRevert) {
  MemoryStore store;
  ASSERT_TRUE(store.put("a", "0").ok());
  Overlay o(store);
  o.put("a", "1");
  SnapshotId s1 = o.snapshot();
  o.put("a", "2");
  o.put("b", "2");
  SnapshotId s2 = o.snapshot();
  o.del("a");
  o.put("c", "3");
  EXPECT_EQ(read(o, "a"), std::nullopt);
  o.revert_to(s2);
  EXPECT_EQ(read(o, "a"), "2");
  EXPECT_EQ(read(o, "c"), std::nullopt);
  o.put("d", "4");
  o.revert_to(s1);
  EXPECT_EQ(read(o, "a"), "1");
  EXPECT_EQ(read(o, "b"), std::nullopt);
  EXPECT_EQ(read(o, "d"), std::nullopt);
  o.revert_to(s2);  // already reverted past: ignored
  EXPECT_EQ(read(o, "a"), "1");
  o.revert_to(0);
  EXPECT_EQ(read(o, "a"), "0");
  EXPECT_EQ(o.pending(), 0u);
}

TEST(Overlay, CommitIsOneAtomicBatch) {
  MemoryStore inner;
  FailingStore store(inner);
  ASSERT_TRUE(inner.put("gone", "x").ok());
  Overlay o(store);
  o.put("k1", "v1");
  o.put("k2", "v2");
  o.del("gone");
  o.del("never");
  uint64_t writes_before = store.writes;
  ASSERT_TRUE(o.commit().ok());
  EXPECT_EQ(store.writes, writes_before + 1);
  EXPECT_EQ(*inner.get("k1").value(), "v1");
  EXPECT_EQ(*inner.get("k2").value(), "v2");
  EXPECT_FALSE(inner.get("gone").value().has_value());
  EXPECT_EQ(o.pending(), 0u);
  // An empty commit writes nothing.
  ASSERT_TRUE(o.commit().ok());
  EXPECT_EQ(store.writes, writes_before + 1);
}

TEST(Overlay, FailedCommitLeavesStoreUntouchedAndDiscards) {
  MemoryStore inner;
  ASSERT_TRUE(inner.put("keep", "old").ok());
  FailingStore store(inner);
  Overlay o(store);
  o.put("keep", "new");
  o.put("other", "v");
  store.fail_writes = true;
  auto r = o.commit();
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("injected"), std::string::npos);
  EXPECT_EQ(*inner.get("keep").value(), "old");
  EXPECT_FALSE(inner.get("other").value().has_value());
  EXPECT_EQ(o.pending(), 0u);
  store.fail_writes = false;
  EXPECT_EQ(read(o, "keep"), "old");
}

TEST(Overlay, ReadErrorsPropagate) {
  MemoryStore inner;
  FailingStore store(inner);
  Overlay o(store);
  o.put("mine", "v");
  store.fail_reads = true;
  EXPECT_EQ(read(o, "mine"), "v");  // served by the overlay
  EXPECT_FALSE(o.get("other").ok());
  EXPECT_FALSE(o.scan_prefix("", [](std::string_view, std::string_view) { return true; }).ok());
}

TEST(Overlay, ScanMergesPendingChanges) {
  MemoryStore store;
  ASSERT_TRUE(store.put("p/a", "1").ok());
  ASSERT_TRUE(store.put("p/b", "2").ok());
  ASSERT_TRUE(store.put("q/a", "x").ok());
  Overlay o(store);
  o.del("p/a");
  o.put("p/b", "22");
  o.put("p/c", "3");
  o.put("q/z", "y");
  std::vector<std::string> seen;
  ASSERT_TRUE(o.scan_prefix("p/", [&](std::string_view k, std::string_view v) {
                 seen.push_back(std::string(k) + "=" + std::string(v));
                 return true;
               }).ok());
  EXPECT_EQ(seen, (std::vector<std::string>{"p/b=22", "p/c=3"}));
}

// Hardening issue, finding 3: the bytes an overlay holds for its pending
// changes (writes and the journal's undo copies) are counted, so the host can
// bound them per transaction (Limits::max_tx_write_bytes).
TEST(Overlay, HeldBytesCountWritesAndUndoCopies) {
  MemoryStore store;
  Overlay o(store);
  EXPECT_EQ(o.held_bytes(), 0u);
  o.put("k", "12345");  // entry 1 + 5, journal 1 (no previous entry)
  EXPECT_EQ(o.held_bytes(), 7u);
  const SnapshotId s = o.snapshot();
  o.put("k", "123");    // entry 1 + 3, journal 1 + 5 (the previous value)
  EXPECT_EQ(o.held_bytes(), 1u + 1u + 3u + 1u + 5u);
  o.put("k", "123");    // a rewrite keeps one more undo copy
  EXPECT_EQ(o.held_bytes(), 1u + 1u + 3u + 1u + 5u + 1u + 3u);
  o.del("k");           // entry 1, journal + 1 + 3
  EXPECT_EQ(o.held_bytes(), 1u + 1u + 1u + 5u + 1u + 3u + 1u + 3u);
  o.revert_to(s);
  EXPECT_EQ(o.held_bytes(), 7u);
  EXPECT_EQ(read(o, "k"), "12345");
  o.put("other", "x");
  EXPECT_EQ(o.held_bytes(), 7u + 6u + 5u);
  o.revert_to(0);
  EXPECT_EQ(o.held_bytes(), 0u);
  EXPECT_EQ(o.pending(), 0u);
  o.put("a", "b");
  ASSERT_TRUE(o.commit().ok());
  EXPECT_EQ(o.held_bytes(), 0u);
  o.put("a", "bc");
  o.discard();
  EXPECT_EQ(o.held_bytes(), 0u);
}

// Rewriting one key many times grows the journal, not the pending set: the
// count sees it.
TEST(Overlay, HeldBytesGrowWithRewritesOfOneKey) {
  MemoryStore store;
  Overlay o(store);
  const std::string big(1000, 'v');
  for (int i = 0; i < 100; ++i) o.put("k", big);
  EXPECT_EQ(o.pending(), 1u);
  EXPECT_GE(o.held_bytes(), 100u * 1000u);
  o.revert_to(0);
  EXPECT_EQ(o.held_bytes(), 0u);
}

}  // namespace
}  // namespace ward::state
