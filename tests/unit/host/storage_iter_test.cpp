// Host storage iterators: key order over committed and uncommitted writes
// and deletes, writes made while iterating, prefix vs range, the contract's
// own key space only, handle limit, gas, read set, bounds checks.
#include "host_fixture.h"

#include "state/layout.h"

namespace ward::host::testing {
namespace {

constexpr uint32_t kA = 100, kB = 1100, kLens = 2100, kOut = 3000;

class IterTest : public HostTest {
 protected:
  void put(std::string_view k, std::string_view v) { overlay.put(state::storage_key(env.self, k), v); }
  void del(std::string_view k) { overlay.del(state::storage_key(env.self, k)); }
  int32_t open_prefix(std::string_view prefix) {
    poke(kA, prefix);
    Value r[1];
    EXPECT_EQ(ward("storage_iter_prefix", {kA, prefix.size()}, r), TrapKind::None) << ctx.message;
    return static_cast<int32_t>(r[0].as_i32());
  }
  int32_t open_range(std::string_view start, std::string_view end) {
    poke(kA, start);
    poke(kB, end);
    Value r[1];
    EXPECT_EQ(ward("storage_iter_range", {kA, start.size(), kB, end.size()}, r), TrapKind::None) << ctx.message;
    return static_cast<int32_t>(r[0].as_i32());
  }
  /// Steps once; the key and value, or nullopt at the end.
  std::optional<std::pair<std::string, std::string>> step(int32_t h) {
    Value r[1];
    EXPECT_EQ(ward("storage_iter_next", {static_cast<uint32_t>(h), kLens}, r), TrapKind::None) << ctx.message;
    if (r[0].as_i32() == 0) return std::nullopt;
    uint32_t klen = peek_u32(kLens), vlen = peek_u32(kLens + 4);
    EXPECT_EQ(ward("storage_iter_key", {static_cast<uint32_t>(h), kOut}), TrapKind::None) << ctx.message;
    std::string k = peek(kOut, klen);
    EXPECT_EQ(ward("storage_iter_value", {static_cast<uint32_t>(h), kOut}), TrapKind::None) << ctx.message;
    return std::make_pair(k, peek(kOut, vlen));
  }
  std::vector<std::string> keys(int32_t h) {
    std::vector<std::string> out;
    while (auto e = step(h)) out.push_back(e->first + "=" + e->second);
    return out;
  }
};

using Keys = std::vector<std::string>;

TEST_P(IterTest, KeyOrderOverCommittedAndUncommittedWritesAndDeletes) {
  state::Address other{};
  other[19] = 0x77;
  put("a", "1");
  put("c", "3");
  put("e", "5");
  put("g", "7");
  overlay.put(state::storage_key(other, "b"), "other contract");
  ASSERT_TRUE(overlay.commit().ok());
  put("b", "2");   // new, between committed keys
  del("c");        // committed, deleted in this call
  put("e", "55");  // committed, overwritten
  put("f", "6");
  del("f");        // written and deleted in this call
  put("h", "8");   // after every committed key
  std::string high = "\xff\x01";
  put(high, "9");
  EXPECT_EQ(keys(open_prefix("")), (Keys{"a=1", "b=2", "e=55", "g=7", "h=8", high + "=9"}));
}

TEST_P(IterTest, SeesWritesMadeWhileOpen) {
  put("a", "1");
  put("c", "3");
  int32_t h = open_prefix("");
  EXPECT_EQ(step(h)->first, "a");
  put("b", "2");  // after the current key: seen
  put("0", "0");  // before it: not seen again
  del("c");
  auto e = step(h);
  ASSERT_TRUE(e);
  EXPECT_EQ(e->first + "=" + e->second, "b=2");
  EXPECT_FALSE(step(h));
  put("z", "late");
  EXPECT_FALSE(step(h)) << "an iterator that reached its end stays there";
}

TEST_P(IterTest, PrefixVersusRange) {
  for (const char* k : {"a", "ab", "abc", "ab\xff", "ac", "b"}) put(k, "v");
  EXPECT_EQ(keys(open_prefix("ab")), (Keys{"ab=v", "abc=v", "ab\xff=v"}));
  EXPECT_EQ(keys(open_range("ab", "ac")), (Keys{"ab=v", "abc=v", "ab\xff=v"}));
  EXPECT_EQ(keys(open_range("abc", "b")), (Keys{"abc=v", "ab\xff=v", "ac=v"})) << "end is exclusive";
  EXPECT_EQ(keys(open_range("ab", "")), (Keys{"ab=v", "abc=v", "ab\xff=v", "ac=v", "b=v"})) << "no upper bound";
  EXPECT_EQ(keys(open_range("", "ab")), (Keys{"a=v"}));
  EXPECT_TRUE(keys(open_range("b", "a")).empty());
  EXPECT_TRUE(keys(open_prefix("x")).empty());
}

TEST_P(IterTest, GasOfEachStep) {
  put("key", "value");
  uint64_t before = used();
  int32_t h = open_range("k", "l");
  EXPECT_EQ(used() - before, cost("ward_v1", "storage_iter_range", 2));
  Value r[1];
  before = used();
  ASSERT_EQ(ward("storage_iter_next", {static_cast<uint32_t>(h), kLens}, r), TrapKind::None);
  EXPECT_EQ(used() - before, cost("ward_v1", "storage_iter_next", 3 + 5));
  before = used();
  ASSERT_EQ(ward("storage_iter_value", {static_cast<uint32_t>(h), kOut}), TrapKind::None);
  EXPECT_EQ(used() - before, cost("ward_v1", "storage_iter_value", 5));
  before = used();
  ASSERT_EQ(ward("storage_iter_next", {static_cast<uint32_t>(h), kLens}, r), TrapKind::None);
  EXPECT_EQ(r[0].as_i32(), 0u);
  EXPECT_EQ(used() - before, cost("ward_v1", "storage_iter_next", 0));
}

TEST_P(IterTest, RecordsTheRangeAndTheKeysReadInTheReadSet) {
  put("a1", "x");
  put("a2", "y");
  put("b", "z");
  int32_t h = open_prefix("a");
  (void)step(h);
  std::string base = state::storage_prefix(env.self);
  ASSERT_EQ(env.access.ranges.size(), 1u);
  EXPECT_EQ(env.access.ranges[0], (state::AccessLog::Range{base + "a", base + "b"}));
  EXPECT_EQ(env.access.reads, (std::set<std::string, std::less<>>{base + "a1"}));
  EXPECT_TRUE(env.access.writes.empty()) << "the test's own puts bypass the host";
}

TEST_P(IterTest, HandleLimit) {
  for (uint32_t i = 0; i < limits.max_iterators_per_call; ++i) EXPECT_EQ(open_prefix(""), static_cast<int32_t>(i));
  Value r[1];
  uint64_t before = used();
  EXPECT_EQ(ward("storage_iter_prefix", {kA, 0}, r), TrapKind::Host);
  EXPECT_EQ(ctx.message,
            "storage_iter_prefix: iterator 65 exceeds max_iterators_per_call (64 open at once; close iterators with "
            "storage_iter_close)");
  EXPECT_EQ(ward("storage_iter_range", {kA, 0, kB, 0}, r), TrapKind::Host);
  EXPECT_EQ(used(), before) << "no gas charged for a call over the limit";
}

TEST_P(IterTest, CloseFreesTheHandleForTheNextIterator) {
  put("a", "1");
  put("b", "2");
  // Far more iterators than the limit, one after another, each closed.
  for (uint32_t i = 0; i < 3 * limits.max_iterators_per_call; ++i) {
    int32_t h = open_prefix("");
    EXPECT_EQ(h, 0) << "the lowest free handle is reused";
    ASSERT_TRUE(step(h));
    EXPECT_EQ(ward("storage_iter_close", {static_cast<uint32_t>(h)}), TrapKind::None) << ctx.message;
  }
  // With two open, closing the first gives its handle to the next one.
  int32_t h0 = open_prefix("");
  int32_t h1 = open_prefix("b");
  EXPECT_EQ(h0, 0);
  EXPECT_EQ(h1, 1);
  EXPECT_EQ(ward("storage_iter_close", {0}), TrapKind::None);
  Value r[1];
  EXPECT_EQ(ward("storage_iter_next", {0, kLens}, r), TrapKind::Host);
  EXPECT_EQ(ctx.message, "storage_iter_next: iterator 0 is closed");
  EXPECT_EQ(ward("storage_iter_close", {0}), TrapKind::Host);
  EXPECT_EQ(ctx.message, "storage_iter_close: iterator 0 is closed");
  EXPECT_EQ(keys(h1), (Keys{"b=2"})) << "the other iterator is untouched";
  EXPECT_EQ(open_prefix(""), 0);
  EXPECT_EQ(ward("storage_iter_close", {7}), TrapKind::Host);
  EXPECT_EQ(ctx.message, "storage_iter_close: unknown iterator handle 7");
}

TEST_P(IterTest, BadHandlesAndMissingEntriesTrap) {
  Value r[1];
  EXPECT_EQ(ward("storage_iter_next", {0, kLens}, r), TrapKind::Host);
  EXPECT_EQ(ctx.message, "storage_iter_next: unknown iterator handle 0");
  EXPECT_EQ(ward("storage_iter_key", {0xffffffffu, kOut}), TrapKind::Host);
  EXPECT_EQ(ctx.message, "storage_iter_key: unknown iterator handle -1");
  int32_t h = open_prefix("");
  EXPECT_EQ(ward("storage_iter_key", {static_cast<uint32_t>(h), kOut}), TrapKind::Host);
  EXPECT_EQ(ctx.message, "storage_iter_key: iterator 0 has no current entry");
  EXPECT_FALSE(step(h));
  EXPECT_EQ(ward("storage_iter_value", {static_cast<uint32_t>(h), kOut}), TrapKind::Host);
  EXPECT_EQ(ctx.message, "storage_iter_value: iterator 0 has no current entry");
}

TEST_P(IterTest, BoundsAndSizesTrap) {
  put("k", "value");
  const uint32_t end = static_cast<uint32_t>(mem->size_bytes());
  Value r[1];
  EXPECT_EQ(ward("storage_iter_prefix", {end - 1, 2}, r), TrapKind::Host);
  EXPECT_EQ(ctx.message, "storage_iter_prefix: out of bounds memory range [65535, 65537) (memory is 65536 bytes)");
  EXPECT_EQ(ward("storage_iter_prefix", {kA, 1025}, r), TrapKind::Host);
  EXPECT_EQ(ctx.message, "storage_iter_prefix: prefix of 1025 bytes exceeds max_storage_key_bytes (1024)");
  EXPECT_EQ(ward("storage_iter_range", {end, 1, kB, 0}, r), TrapKind::Host);
  EXPECT_EQ(ward("storage_iter_range", {kA, 0, end, 1}, r), TrapKind::Host);
  EXPECT_EQ(ward("storage_iter_range", {kA, 0, kB, 1025}, r), TrapKind::Host);
  EXPECT_EQ(ctx.message, "storage_iter_range: end of 1025 bytes exceeds max_storage_key_bytes (1024)");
  EXPECT_TRUE(env.iterators.empty()) << "no iterator opened by a trapping call";
  int32_t h = open_prefix("");
  EXPECT_EQ(ward("storage_iter_next", {static_cast<uint32_t>(h), end - 4}, r), TrapKind::Host);
  ASSERT_TRUE(step(h)) << "the trapping step did not advance";
  EXPECT_EQ(ward("storage_iter_key", {static_cast<uint32_t>(h), end}), TrapKind::Host);
  EXPECT_EQ(ward("storage_iter_value", {static_cast<uint32_t>(h), end - 4}), TrapKind::Host);
  EXPECT_EQ(ctx.message, "storage_iter_value: out of bounds memory range [65532, 65537) (memory is 65536 bytes)");
}

WARD_INSTANTIATE_BACKENDS(IterTest);

}  // namespace
}  // namespace ward::host::testing
