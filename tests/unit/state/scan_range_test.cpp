// Ordered range scans: KvStore::scan_range (memory and RocksDB),
// Overlay::scan_range merging committed and pending writes, prefix_end, and
// the overlay's access log (read and write sets).
#include <gtest/gtest.h>

#include <filesystem>
#include <random>

#include "state/kv_store.h"
#include "state/overlay.h"
#include "state/rocksdb_store.h"

namespace ward::state {
namespace {

using Items = std::vector<std::pair<std::string, std::string>>;

template <class Store>
Items range(Store& s, std::string_view start, std::string_view end, size_t stop_after = SIZE_MAX) {
  Items out;
  auto r = s.scan_range(start, end, [&](std::string_view k, std::string_view v) {
    out.emplace_back(std::string(k), std::string(v));
    return out.size() < stop_after;
  });
  EXPECT_TRUE(r.ok());
  return out;
}

void fill(KvStore& s) {
  for (const char* k : {"a", "ab", "abc", "b", "b\xff", "c"}) ASSERT_TRUE(s.put(k, std::string("v") + k).ok());
}

void check_store_ranges(KvStore& s) {
  fill(s);
  EXPECT_EQ(range(s, "ab", "b"), (Items{{"ab", "vab"}, {"abc", "vabc"}}));
  EXPECT_EQ(range(s, "b", ""), (Items{{"b", "vb"}, {"b\xff", "vb\xff"}, {"c", "vc"}}));
  EXPECT_EQ(range(s, "", "ab"), (Items{{"a", "va"}}));
  EXPECT_EQ(range(s, "a", "", 2), (Items{{"a", "va"}, {"ab", "vab"}})) << "stops when fn returns false";
  EXPECT_TRUE(range(s, "c", "b").empty()) << "end before start";
  EXPECT_TRUE(range(s, "ab", "ab").empty());
}

TEST(ScanRange, MemoryStore) {
  MemoryStore s;
  check_store_ranges(s);
}

TEST(ScanRange, RocksDbStore) {
  std::random_device rd;
  auto dir = std::filesystem::temp_directory_path() / ("ward-state-range-" + std::to_string(rd()));
  {
    RocksDbOptions opts;
    opts.mode = OpenMode::Create;
    opts.sync_writes = false;
    auto s = RocksDbStore::open(dir.string(), opts);
    ASSERT_TRUE(s.ok()) << s.error().message;
    check_store_ranges(*s.value());
  }
  std::filesystem::remove_all(dir);
}

TEST(ScanRange, FailingStoreFails) {
  MemoryStore inner;
  FailingStore s(inner);
  s.fail_reads = true;
  EXPECT_FALSE(s.scan_range("a", "b", [](std::string_view, std::string_view) { return true; }).ok());
  Overlay o(s);
  EXPECT_FALSE(o.scan_range("a", "b", [](std::string_view, std::string_view) { return true; }).ok());
}

TEST(ScanRange, PrefixEnd) {
  EXPECT_EQ(prefix_end("ab"), "ac");
  EXPECT_EQ(prefix_end("a\xff"), "b");
  EXPECT_EQ(prefix_end("\xff\xff"), "");
  EXPECT_EQ(prefix_end(""), "");
  EXPECT_EQ(prefix_end(std::string("s/\x01/", 4)), std::string("s/\x01" "0", 4));
}

TEST(OverlayScan, MergesCommittedAndPendingInKeyOrder) {
  MemoryStore store;
  fill(store);
  Overlay o(store);
  o.put("aa", "new");      // between committed keys
  o.put("ab", "changed");  // overwrites a committed key
  o.del("abc");            // deletes a committed key
  o.put("abd", "x");
  o.del("abd");            // written then deleted: absent
  o.put("d", "after");     // after every committed key
  o.del("zz");             // delete of an absent key
  Items want{{"a", "va"}, {"aa", "new"}, {"ab", "changed"}, {"b", "vb"}, {"b\xff", "vb\xff"}, {"c", "vc"}, {"d", "after"}};
  EXPECT_EQ(range(o, "", ""), want);
  EXPECT_EQ(range(o, "aa", "b"), (Items{{"aa", "new"}, {"ab", "changed"}}));
  EXPECT_EQ(range(o, "ab", "c"), (Items{{"ab", "changed"}, {"b", "vb"}, {"b\xff", "vb\xff"}}));
  EXPECT_EQ(range(o, "c", "e"), (Items{{"c", "vc"}, {"d", "after"}}));
  EXPECT_EQ(range(o, "", "", 3), (Items{{"a", "va"}, {"aa", "new"}, {"ab", "changed"}}));
  // scan_prefix goes through the same merge
  Items prefixed;
  ASSERT_TRUE(o.scan_prefix("a", [&](std::string_view k, std::string_view v) {
    prefixed.emplace_back(std::string(k), std::string(v));
    return true;
  }).ok());
  EXPECT_EQ(prefixed, (Items{{"a", "va"}, {"aa", "new"}, {"ab", "changed"}}));
  // Reverting the pending writes brings the committed view back.
  o.revert_to(0);
  EXPECT_EQ(range(o, "", ""), range(store, "", ""));
}

TEST(OverlayScan, ReadsTheStoreOnlyAsFarAsNeeded) {
  MemoryStore inner;
  for (int i = 0; i < 100; ++i) ASSERT_TRUE(inner.put("k" + std::to_string(100 + i), "v").ok());
  // A store that counts visits: wrap scan_range.
  struct Counting final : KvStore {
    KvStore& in;
    size_t visited = 0;
    explicit Counting(KvStore& i) : in(i) {}
    Result<std::optional<std::string>> get(std::string_view k) override { return in.get(k); }
    Result<void> write(const WriteBatch& b) override { return in.write(b); }
    Result<void> scan_prefix(std::string_view p, const ScanFn& fn) override { return in.scan_prefix(p, fn); }
    Result<void> scan_range(std::string_view s, std::string_view e, const ScanFn& fn) override {
      return in.scan_range(s, e, [&](std::string_view k, std::string_view v) {
        ++visited;
        return fn(k, v);
      });
    }
  } counting(inner);
  Overlay o(counting);
  EXPECT_EQ(range(o, "", "", 2).size(), 2u);
  EXPECT_EQ(counting.visited, 2u);
}

TEST(AccessLog, RecordsReadsWritesAndRanges) {
  MemoryStore store;
  fill(store);
  Overlay o(store);
  AccessLog log;
  EXPECT_EQ(o.set_access_log(&log), nullptr);
  (void)o.get("a");
  (void)o.get("missing");
  o.put("p", "1");
  o.del("q");
  (void)range(o, "b", "c");
  (void)range(o, "b", "b\xff");  // inside the first range: not added again
  EXPECT_EQ(o.set_access_log(nullptr), &log);
  o.put("unlogged", "1");
  EXPECT_EQ(log.reads, (std::set<std::string, std::less<>>{"a", "missing", "b", "b\xff"}));
  EXPECT_EQ(log.writes, (std::set<std::string, std::less<>>{"p", "q"}));
  ASSERT_EQ(log.ranges.size(), 1u);
  EXPECT_EQ(log.ranges[0], (AccessLog::Range{"b", "c"}));

  AccessLog outer;
  outer.add_range("a", "");
  outer.merge(log);
  EXPECT_EQ(outer.ranges.size(), 1u) << "[b, c) lies inside [a, end of keys)";
  EXPECT_EQ(outer.writes, log.writes);
}

}  // namespace
}  // namespace ward::state
