#include <gtest/gtest.h>

#include <filesystem>
#include <random>

#include "state/kv_store.h"
#include "state/rocksdb_store.h"

namespace ward::state {
namespace {

std::filesystem::path temp_dir(const char* name) {
  std::random_device rd;
  auto p = std::filesystem::temp_directory_path() /
           (std::string("ward-state-") + name + "-" + std::to_string(rd()));
  std::filesystem::remove_all(p);
  return p;
}

std::vector<std::pair<std::string, std::string>> scan(KvStore& s, std::string_view prefix) {
  std::vector<std::pair<std::string, std::string>> out;
  auto r = s.scan_prefix(prefix, [&](std::string_view k, std::string_view v) {
    out.emplace_back(std::string(k), std::string(v));
    return true;
  });
  EXPECT_TRUE(r.ok());
  return out;
}

void exercise(KvStore& s) {
  ASSERT_TRUE(s.put("a/1", "one").ok());
  ASSERT_TRUE(s.put("a/2", std::string("t\0o", 3)).ok());
  ASSERT_TRUE(s.put("b/1", "bee").ok());
  auto v = s.get("a/2");
  ASSERT_TRUE(v.ok());
  ASSERT_TRUE(v.value().has_value());
  EXPECT_EQ(*v.value(), std::string("t\0o", 3));
  EXPECT_FALSE(s.get("zz").value().has_value());

  auto items = scan(s, "a/");
  ASSERT_EQ(items.size(), 2u);
  EXPECT_EQ(items[0].first, "a/1");
  EXPECT_EQ(items[1].first, "a/2");

  WriteBatch b;
  b.put("a/3", "three");
  b.del("a/1");
  b.put("a/3", "three!");  // later op wins
  ASSERT_TRUE(s.write(b).ok());
  items = scan(s, "a/");
  ASSERT_EQ(items.size(), 2u);
  EXPECT_EQ(items[0].first, "a/2");
  EXPECT_EQ(items[1].second, "three!");

  // Early stop.
  int seen = 0;
  ASSERT_TRUE(s.scan_prefix("", [&](std::string_view, std::string_view) { return ++seen < 2; }).ok());
  EXPECT_EQ(seen, 2);
  ASSERT_TRUE(s.del("missing").ok());
}

TEST(MemoryStore, BasicOperations) {
  MemoryStore s;
  exercise(s);
  EXPECT_EQ(s.size(), 3u);
}

TEST(RocksDbStore, BasicOperationsAndReopen) {
  auto dir = temp_dir("basic");
  {
    auto s = RocksDbStore::open(dir.string());
    ASSERT_TRUE(s.ok()) << s.error().message;
    exercise(*s.value());
  }
  {
    auto s = RocksDbStore::open(dir.string());
    ASSERT_TRUE(s.ok()) << s.error().message;
    EXPECT_EQ(*s.value()->get("a/3").value(), "three!");
    EXPECT_FALSE(s.value()->get("a/1").value().has_value());
  }
  std::filesystem::remove_all(dir);
}

TEST(RocksDbStore, OpenErrorIsClear) {
  auto dir = temp_dir("missing");
  RocksDbOptions opts;
  opts.mode = OpenMode::MustExist;
  auto s = RocksDbStore::open(dir.string(), opts);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.error().message.find("state folder '" + dir.string() + "' does not exist"), std::string::npos)
      << s.error().message;
  EXPECT_FALSE(std::filesystem::exists(dir)) << "a failed open creates nothing";
}

TEST(FailingStore, InjectsFailures) {
  MemoryStore inner;
  FailingStore s(inner);
  ASSERT_TRUE(s.put("k", "v").ok());
  s.writes_before_failure = 1;
  ASSERT_TRUE(s.put("k2", "v").ok());
  auto r = s.put("k3", "v");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("injected"), std::string::npos);
  EXPECT_EQ(inner.size(), 2u);
  s.fail_reads = true;
  EXPECT_FALSE(s.get("k").ok());
  EXPECT_EQ(s.writes, 3u);
}

}  // namespace
}  // namespace ward::state
