// tests/unit/embed/engine_test.cpp — the C++ embedding API (ward/engine.h,
// ward/chain.h) on both backends: contract calls over an embedder storage,
// traps, reverts, exact out-of-gas, bad modules, failing storage, plain
// exports, and identical outcomes and gas on interp and aot.
#include <gtest/gtest.h>

#include "test_util.h"
#include "ward/chain.h"
#include "ward/engine.h"

namespace ward {
namespace {

using test::MemStorage;

class EmbedTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    auto e = Engine::create(GetParam(), test::test_engine_options());
    ASSERT_TRUE(e) << e.error().message;
    engine = e.value();
    auto m = engine->compile(test::counter_wasm());
    ASSERT_TRUE(m) << m.error().message;
    module = m.value();
  }
  std::unique_ptr<Contract> contract(MemStorage& storage) {
    auto c = module->contract(storage);
    EXPECT_TRUE(c) << c.error().message;
    return c ? std::move(c.value()) : nullptr;
  }
  std::shared_ptr<Engine> engine;
  std::shared_ptr<Module> module;
};

TEST_P(EmbedTest, ContractStatePersistsThroughTheStorage) {
  MemStorage storage;
  auto c = contract(storage);
  ASSERT_TRUE(c);
  for (int i = 1; i <= 3; ++i) {
    Outcome o = c->call("increment", "{}", 0, CallInfo{{}, uint64_t(i), 1'700'000'000});
    ASSERT_TRUE(o.ok()) << o.error;
    EXPECT_EQ(o.result, std::to_string(i));
    ASSERT_EQ(o.events.size(), 1u);
    EXPECT_EQ(o.events[0].name, "incremented");
    EXPECT_EQ(o.events[0].data, std::to_string(i));
    EXPECT_GT(o.gas_used, 0u);
  }
  ASSERT_EQ(storage.data.size(), 1u);
  EXPECT_EQ(storage.data.at("count"), std::string("\x03\0\0\0\0\0\0\0", 8));
  // A second contract object over the same storage sees the count.
  auto again = contract(storage);
  ASSERT_TRUE(again);
  EXPECT_EQ(again->call("get").result, "3");
  EXPECT_EQ(c->address(), again->address());
}

TEST_P(EmbedTest, TrapsAndRevertsWriteNothing) {
  MemStorage storage;
  auto c = contract(storage);
  ASSERT_TRUE(c);
  Outcome boom = c->call("boom");
  EXPECT_EQ(boom.status, CallStatus::Trapped);
  EXPECT_EQ(boom.error, "trapped: unreachable");
  Outcome fail = c->call("fail");
  EXPECT_EQ(fail.status, CallStatus::Reverted);
  EXPECT_EQ(fail.error, "reverted: nope");
  Outcome unknown = c->call("nope");
  EXPECT_EQ(unknown.status, CallStatus::Failed);
  EXPECT_NE(unknown.error.find("unknown method 'nope'"), std::string::npos) << unknown.error;
  EXPECT_EQ(storage.puts, 0);
  EXPECT_TRUE(storage.data.empty());
}

TEST_P(EmbedTest, OutOfGasIsExact) {
  MemStorage probe_storage;
  auto probe = contract(probe_storage);
  ASSERT_TRUE(probe);
  const uint64_t need = probe->call("increment").gas_used;
  ASSERT_GT(need, 0u);

  MemStorage storage;
  auto c = contract(storage);
  ASSERT_TRUE(c);
  Outcome short_by_one = c->call("increment", "{}", need - 1);
  EXPECT_EQ(short_by_one.status, CallStatus::Trapped);
  EXPECT_EQ(short_by_one.error, "out of gas");
  EXPECT_EQ(short_by_one.gas_used, need - 1);
  EXPECT_TRUE(storage.data.empty());
  Outcome exact = c->call("increment", "{}", need);
  ASSERT_TRUE(exact.ok()) << exact.error;
  EXPECT_EQ(exact.gas_used, need);
  Outcome spin = c->call("spin", "{}", 123'457);
  EXPECT_EQ(spin.error, "out of gas");
  EXPECT_EQ(spin.gas_used, 123'457u);
}

TEST_P(EmbedTest, FailingStorageGivesAClearError) {
  MemStorage storage;
  auto c = contract(storage);
  ASSERT_TRUE(c);
  storage.fail_get = true;
  Outcome read = c->call("get");
  EXPECT_FALSE(read.ok());
  EXPECT_TRUE(read.storage_failed);
  EXPECT_NE(read.error.find("storage error: disk on fire"), std::string::npos) << read.error;
  storage.fail_get = false;
  storage.fail_put = true;
  Outcome write = c->call("increment");
  EXPECT_EQ(write.status, CallStatus::Failed);
  EXPECT_TRUE(write.storage_failed);
  EXPECT_EQ(write.error, "storage error: disk full");
  EXPECT_TRUE(write.events.empty());
  storage.fail_put = false;
  EXPECT_EQ(c->call("increment").result, "1");  // the failed call left nothing behind
}

TEST_P(EmbedTest, StorageIteratorsUseTheScan) {
  auto m = engine->compile(test::wat(test::kIterWat));
  ASSERT_TRUE(m) << m.error().message;
  MemStorage storage;
  auto c = m.value()->contract(storage);
  ASSERT_TRUE(c) << c.error().message;
  ASSERT_TRUE(c.value()->call("fill").ok());
  EXPECT_EQ(storage.data.size(), 4u);
  EXPECT_EQ(c.value()->call("count_k").result, "3");
  EXPECT_EQ(c.value()->call("count_all").result, "4");
  storage.can_scan = false;
  Outcome no_scan = c.value()->call("count_k");
  EXPECT_FALSE(no_scan.ok());
  EXPECT_TRUE(no_scan.storage_failed);
  EXPECT_NE(no_scan.error.find("storage iteration is not supported by this storage"), std::string::npos)
      << no_scan.error;
}

TEST_P(EmbedTest, PlainExports) {
  auto inst = module->instantiate();
  ASSERT_TRUE(inst) << inst.error().message;
  const Value args[] = {Value::i32(2), Value::i32(40)};
  Outcome add = inst.value()->call("add", args);
  ASSERT_TRUE(add.ok()) << add.error;
  ASSERT_EQ(add.values.size(), 1u);
  EXPECT_EQ(add.values[0].as_i32(), 42);
  EXPECT_GT(add.gas_used, 0u);
  const Value wrong[] = {Value::i64(2), Value::i32(40)};
  Outcome bad = inst.value()->call("add", wrong);
  EXPECT_EQ(bad.status, CallStatus::Failed);
  EXPECT_EQ(bad.error, "argument 1 of export 'add' must be of type i32");
  Outcome spin = inst.value()->call("spin", {}, 5000);
  EXPECT_EQ(spin.error, "out of gas");
  EXPECT_EQ(spin.gas_used, 5000u);
  EXPECT_EQ(inst.value()->call("boom").error, "trapped: unreachable");
  EXPECT_EQ(inst.value()->call("missing").error, "the module exports no function 'missing'");
}

TEST_P(EmbedTest, ChainDeploysAndCallsOverAnEmbedderStore) {
  class MapStore : public KvStore {
   public:
    std::map<std::string, std::string, std::less<>> data;
    StorageStatus get(std::string_view key, std::optional<std::string>& value) override {
      auto it = data.find(key);
      if (it == data.end()) value.reset();
      else value = it->second;
      return std::nullopt;
    }
    StorageStatus write(std::span<const WriteOp> ops) override {
      for (const auto& op : ops) {
        if (op.value) data[std::string(op.key)] = std::string(*op.value);
        else data.erase(std::string(op.key));
      }
      return std::nullopt;
    }
    StorageStatus scan(std::string_view start, std::string_view end, const ScanVisitor& visit) override {
      for (auto it = data.lower_bound(start); it != data.end() && (end.empty() || it->first < end); ++it) {
        if (!visit(it->first, it->second)) break;
      }
      return std::nullopt;
    }
  } store;
  Chain chain(store, engine);
  const Address alice{1};
  auto d = chain.deploy(test::counter_wasm(), alice);
  ASSERT_TRUE(d) << d.error().message;
  ASSERT_TRUE(d->ok()) << d->error;
  Outcome one = chain.call(d->address, "increment", "{}", alice);
  ASSERT_TRUE(one.ok()) << one.error;
  EXPECT_EQ(one.result, "1");
  EXPECT_EQ(chain.query(d->address, "get", "{}", alice).result, "1");
  EXPECT_EQ(chain.height().value(), 2u);  // the deploy and the call
  EXPECT_EQ(chain.call(d->address, "fail", "{}", alice).status, CallStatus::Reverted);
}

INSTANTIATE_TEST_SUITE_P(Backends, EmbedTest, ::testing::Values("interp", "aot"));

TEST(EmbedEngine, UnknownBackend) {
  auto e = Engine::create("jit");
  ASSERT_FALSE(e);
  EXPECT_EQ(e.error().code, ErrorCode::UnknownBackend);
  EXPECT_EQ(e.error().message, "unknown backend 'jit' (expected interp, aot or auto)");
}

TEST(EmbedEngine, BadModules) {
  auto e = Engine::create("interp");
  ASSERT_TRUE(e);
  const std::vector<uint8_t> junk = {'n', 'o', 't', ' ', 'w', 'a', 's', 'm'};
  auto m = e.value()->compile(junk);
  ASSERT_FALSE(m);
  EXPECT_EQ(m.error().code, ErrorCode::InvalidModule);
  EXPECT_FALSE(m.error().message.empty());
  // Over a limit: a module larger than max_module_bytes.
  Limits tiny;
  tiny.max_module_bytes = 16;
  auto big = e.value()->compile(test::counter_wasm(), tiny);
  ASSERT_FALSE(big);
  EXPECT_EQ(big.error().code, ErrorCode::InvalidModule);
  EXPECT_NE(big.error().message.find("max_module_bytes"), std::string::npos) << big.error().message;
  // Valid wasm, but not a contract: imports outside the host ABI.
  auto foreign = e.value()->compile(test::wat(R"((module (import "env" "f" (func)) (func (export "m") call 0)))"));
  ASSERT_TRUE(foreign) << foreign.error().message;
  test::MemStorage storage;
  auto c = foreign.value()->contract(storage);
  ASSERT_FALSE(c);
  EXPECT_EQ(c.error().code, ErrorCode::InvalidModule);
  EXPECT_EQ(c.error().message, "rejected by deploy policy: import \"env\".\"f\" is not a host function of Ward");
}

// Both backends: the same sequence gives the same statuses, results, errors and gas.
TEST(EmbedEngine, BackendsAgreeOnResultsAndGas) {
  auto run = [](const std::string& backend) {
    auto e = Engine::create(backend, test::test_engine_options());
    EXPECT_TRUE(e);
    auto m = e.value()->compile(test::counter_wasm());
    EXPECT_TRUE(m) << m.error().message;
    test::MemStorage storage;
    auto c = m.value()->contract(storage);
    EXPECT_TRUE(c);
    std::vector<std::string> log;
    const char* methods[] = {"get", "increment", "increment", "fail", "boom", "get", "increment"};
    for (const char* method : methods) {
      Outcome o = c.value()->call(method);
      log.push_back(std::string(method) + " " + to_string(o.status) + " " + o.result + " " +
                    std::to_string(o.gas_used) + " " + o.error);
    }
    for (uint64_t gas : {1u, 100u, 1000u, 2000u}) {
      Outcome o = c.value()->call("increment", "{}", gas);
      log.push_back("increment@" + std::to_string(gas) + " " + to_string(o.status) + " " +
                    std::to_string(o.gas_used) + " " + o.error);
    }
    auto inst = m.value()->instantiate();
    const Value args[] = {Value::i32(-7), Value::i32(9)};
    Outcome add = inst.value()->call("add", args);
    log.push_back("add " + std::to_string(add.values.at(0).as_i32()) + " " + std::to_string(add.gas_used));
    return log;
  };
  const auto interp = run("interp");
  const auto aot = run("aot");
  EXPECT_EQ(interp, aot);
  EXPECT_EQ(interp.size(), 12u);
}

}  // namespace
}  // namespace ward
