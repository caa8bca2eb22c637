// Linear memory by guard pages (docs/adr/0010-aot-guard-pages.md): out-of-
// bounds accesses found by a fault give the interpreter's trap and gas, from
// several threads at once; an instance on a plain memory runs the
// bounds-checked build; faults elsewhere keep their default action.
#include <gtest/gtest.h>
#include <signal.h>

#include <thread>

#include "aot/aot.h"
#include "runtime/backend.h"
#include "runtime/objects.h"
#include "wasm/module.h"
#include "module_env.h"

namespace ward {
namespace {

using runtime::ExecContext;
using runtime::Extern;
using runtime::TrapKind;
using runtime::Value;

/// A module on the AOT backend (`aot`) or the interpreter; call() gives the
/// first result's bits.
struct Env {
  std::unique_ptr<test::ModuleEnv> m;
  runtime::Instance* instance = nullptr;
  ExecContext& ctx;

  explicit Env(std::unique_ptr<test::ModuleEnv> env) : m(std::move(env)), instance(m->instance.get()), ctx(m->ctx) {}
  TrapKind call(const std::string& name, std::vector<Value> args, uint64_t* result = nullptr) {
    std::vector<Value> res;
    const TrapKind t = m->call(name, std::move(args), &res);
    if (result != nullptr && !res.empty()) *result = res[0].bits;
    return t;
  }
};

std::unique_ptr<Env> make_env(bool aot, const std::string& wat, std::vector<Extern> imports = {}) {
  return std::make_unique<Env>(test::make_module_env(aot ? "aot" : "interp", wat, true, std::move(imports)));
}

Value i32(uint32_t v) { return Value::i32(v); }

// Loads and stores at and past the end, with the largest static offset, a
// load whose value is dropped, a store straddling the end, and work before
// each access so that the gas left at the trap is not the gas at entry.
const char* kAccess = R"((module
  (memory (export "mem") 1 3)
  (func $work (param i32) (result i32) (local i32)
    loop local.get 1 i32.const 1 i32.add local.tee 1 local.get 0 i32.lt_u br_if 0 end local.get 1)
  (func (export "load") (param i32) (result i32) i32.const 5 call $work drop local.get 0 i32.load)
  (func (export "load8") (param i32) (result i32) local.get 0 i32.load8_u)
  (func (export "loadf") (param i32) (result f64) local.get 0 f64.load)
  (func (export "load_far") (param i32) (result i64) local.get 0 i64.load offset=0xFFFFFFF0)
  (func (export "dead") (param i32) local.get 0 i32.load drop)
  (func (export "store") (param i32 i32) local.get 0 local.get 1 i32.store)
  (func (export "store_pair") (param i32)
    local.get 0 i32.const 0x11 i32.store8 local.get 0 i32.const 0x2222 i32.store16 offset=1)
  (func (export "grow") (param i32) (result i32) local.get 0 memory.grow)))";

struct Case {
  const char* fn;
  std::vector<Value> args;
};

TEST(GuardPages, TrapsAndGasMatchTheInterpreter) {
  auto a = make_env(false, kAccess);
  auto b = make_env(true, kAccess);
  ASSERT_TRUE(a->instance && b->instance);
  ASSERT_NE(b->instance->memory(), nullptr);
  EXPECT_TRUE(b->instance->memory()->guarded());
  const std::vector<Case> cases = {
      {"load", {i32(0)}},          {"load", {i32(65532)}},       {"load", {i32(65533)}},
      {"load", {i32(0xFFFFFFFF)}}, {"load8", {i32(65535)}},      {"load8", {i32(65536)}},
      {"loadf", {i32(65529)}},     {"load_far", {i32(0)}},       {"load_far", {i32(0xFFFFFFFF)}},
      {"dead", {i32(70000)}},      {"store", {i32(65532), i32(9)}}, {"store", {i32(65534), i32(9)}},
      {"store_pair", {i32(65533)}}, {"store_pair", {i32(65534)}}, {"load", {i32(65532)}},
      {"load8", {i32(65534)}},     {"load8", {i32(65535)}},      {"grow", {i32(1)}},
      {"load", {i32(131068)}},     {"load", {i32(131069)}},      {"dead", {i32(131070)}},
  };
  for (const Case& c : cases) {
    a->ctx.gas_left = 100000;
    b->ctx.gas_left = 100000;
    uint64_t ra = 0, rb = 0;
    const TrapKind ta = a->call(c.fn, c.args, &ra);
    const TrapKind tb = b->call(c.fn, c.args, &rb);
    EXPECT_EQ(ta, tb) << c.fn << " " << c.args[0].bits;
    EXPECT_EQ(a->ctx.gas_left, b->ctx.gas_left) << c.fn << " " << c.args[0].bits;
    if (ta == TrapKind::None) EXPECT_EQ(ra, rb) << c.fn << " " << c.args[0].bits;
  }
  // Two pages now (grown once above).
  EXPECT_EQ(b->call("load", {i32(131069)}), TrapKind::MemoryOutOfBounds);
  EXPECT_EQ(b->call("dead", {i32(200000)}), TrapKind::MemoryOutOfBounds);
}

TEST(GuardPages, PlainImportedMemoryRunsTheCheckedBuild) {
  const char* wat = R"((module
    (import "env" "mem" (memory 1 2))
    (func (export "load") (param i32) (result i32) local.get 0 i32.load)
    (func (export "dead") (param i32) local.get 0 i32.load drop)))";
  auto mem = runtime::Memory::create(1, 2);  // not guarded
  ASSERT_TRUE(mem);
  ASSERT_FALSE(mem->guarded());
  mem->data()[8] = 42;
  Extern ex;
  ex.kind = wasm::ExternKind::Memory;
  ex.memory = mem;
  auto b = make_env(true, wat, {ex});
  ASSERT_TRUE(b->instance);
  uint64_t r = 0;
  EXPECT_EQ(b->call("load", {i32(8)}, &r), TrapKind::None);
  EXPECT_EQ(r, 42u);
  EXPECT_EQ(b->call("load", {i32(65533)}), TrapKind::MemoryOutOfBounds);
  EXPECT_EQ(b->call("dead", {i32(65536)}), TrapKind::MemoryOutOfBounds);
}

TEST(GuardPages, ThreadsTrapIndependently) {
  std::vector<std::thread> threads;
  std::atomic<int> failures{0};
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&failures, t] {
      auto b = make_env(true, kAccess);
      if (!b->instance) {
        ++failures;
        return;
      }
      for (int i = 0; i < 200; ++i) {
        b->ctx.gas_left = 100000;
        uint64_t r = 0;
        if (b->call("load", {i32(65536 + static_cast<uint32_t>(i * 13 + t))}) != TrapKind::MemoryOutOfBounds) ++failures;
        if (b->call("store", {i32(4), i32(static_cast<uint32_t>(i))}) != TrapKind::None) ++failures;
        if (b->call("load", {i32(4)}, &r) != TrapKind::None || r != static_cast<uint64_t>(i)) ++failures;
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(failures.load(), 0);
}

TEST(GuardPages, ReservationsAreFoundAndReused) {
  for (int round = 0; round < 50; ++round) {  // pooled: no address-space growth
    auto m = runtime::Memory::create(1, 4, /*guarded=*/true);
    ASSERT_TRUE(m);
    ASSERT_TRUE(m->guarded());
    EXPECT_TRUE(runtime::in_guard_reservation(m->data()));
    EXPECT_TRUE(runtime::in_guard_reservation(m->data() + (5ull << 30)));
    EXPECT_FALSE(runtime::in_guard_reservation(m->data() + runtime::kGuardReservationBytes));
    EXPECT_EQ(m->data()[100], 0);  // a reused reservation starts zeroed
    m->data()[100] = 1;
    EXPECT_EQ(m->grow(1), 1);
  }
  int local = 0;
  EXPECT_FALSE(runtime::in_guard_reservation(&local));
}

TEST(GuardPagesDeathTest, OtherFaultsKeepTheirDefaultAction) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  EXPECT_EXIT(
      {
        auto b = make_env(true, kAccess);  // installs the handler
        if (b->call("load", {i32(70000)}) != TrapKind::MemoryOutOfBounds) std::_Exit(3);
        volatile int* p = reinterpret_cast<volatile int*>(static_cast<uintptr_t>(16));
        *p = 1;  // not in any memory: the default action (killed by SIGSEGV)
        std::_Exit(4);
      },
      ::testing::KilledBySignal(SIGSEGV), "");
}

}  // namespace
}  // namespace ward
