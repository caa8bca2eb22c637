// Both backends charge the costs of the gas schedule they compile for
// (wasm/gas_schedule.h, docs/gas.md "Gas schedule"): an unknown revision is
// refused, and a schedule other than revision 1 changes the static and the
// dynamic charges identically on the interpreter and the AOT backend.
#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "aot/aot.h"
#include "aot/instrument.h"
#include "interp/interp.h"
#include "module_env.h"
#include "runtime/backend.h"
#include "wasm/gas_schedule.h"
#include "wasm/metering.h"
#include "wat.h"

namespace ward {
namespace {

using runtime::TrapKind;
using runtime::Value;

// A loop of n iterations, then one of each dynamically charged operation.
const char* kWork = R"((module
  (memory 1 10)
  (table 1 20 funcref)
  (func (export "run") (param i32) (result i32) (local i32)
    (loop $l
      (local.set 1 (i32.add (local.get 1) (i32.const 1)))
      (br_if $l (i32.lt_u (local.get 1) (local.get 0))))
    (drop (memory.grow (i32.const 2)))
    (memory.fill (i32.const 0) (i32.const 7) (i32.const 100))
    (drop (table.grow 0 (ref.null func) (i32.const 3)))
    (table.fill 0 (i32.const 0) (ref.null func) (i32.const 2))
    (local.get 1)))
)";

std::shared_ptr<const wasm::Module> load(const runtime::Limits& limits) {
  auto m = wasm::load_module(test::wat_to_wasm(kWork), limits);
  EXPECT_TRUE(m.ok()) << (m.ok() ? "" : m.error().message);
  return m.ok() ? m.value() : nullptr;
}

/// The interpreter's compiled module for any schedule (the backend itself
/// only takes known revisions).
std::shared_ptr<runtime::CompiledModule> interp_module(std::shared_ptr<const wasm::Module> m,
                                                       const runtime::Limits& limits, const wasm::GasSchedule& gas) {
  auto cm = std::make_shared<interp::detail::InterpModule>();
  cm->m_module = m;
  cm->m_limits = limits;
  cm->m_metering = true;
  cm->m_gas = &gas;
  for (const wasm::FuncType& t : m->types) cm->m_type_ids.push_back(runtime::canonical_type_id(t));
  cm->m_funcs.resize(m->functions.size());
  for (uint32_t i = 0; i < m->functions.size(); ++i) {
    auto r = interp::detail::translate_function(*m, i, true, gas, cm->m_code, cm->m_funcs[i]);
    EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().message);
  }
  return cm;
}

/// Gas used by run(5) on `cm`.
uint64_t gas_of_run(std::shared_ptr<runtime::CompiledModule> cm) {
  test::ModuleEnv env;
  env.ctx.limits = &env.limits;
  env.compiled = std::move(cm);
  auto inst = env.compiled->instantiate({}, env.ctx);
  EXPECT_EQ(inst.status, runtime::InstantiateResult::Status::Ok) << inst.message;
  if (!inst.instance) return 0;
  env.instance = std::move(inst.instance);
  env.ctx.gas_left = 1'000'000;
  std::vector<Value> res;
  EXPECT_EQ(env.call("run", {Value::i32(5)}, &res), TrapKind::None);
  EXPECT_EQ(res.at(0).bits, 5u);
  return 1'000'000 - env.ctx.gas_left;
}

class GasScheduleBackends : public test::BackendTest {};

TEST_P(GasScheduleBackends, UnknownRevisionIsRefused) {
  runtime::Limits limits;
  auto m = load(limits);
  ASSERT_TRUE(m);
  runtime::CompileOptions opts;
  opts.gas_revision = 2;
  auto cm = backend->compile(m, limits, opts);
  ASSERT_FALSE(cm.ok());
  EXPECT_EQ(cm.error().message, "unknown gas schedule revision 2 (known: 1)");
  opts.gas_revision = 1;
  EXPECT_TRUE(backend->compile(m, limits, opts).ok());
}

WARD_INSTANTIATE_BACKENDS(GasScheduleBackends);

TEST(GasScheduleBackendsDiff, OtherScheduleChargesTheSameOnBothBackends) {
  runtime::Limits limits;
  auto m = load(limits);
  ASSERT_TRUE(m);
  const wasm::GasSchedule& v1 = wasm::gas_schedule_v1();
  wasm::GasSchedule other = v1;
  other.revision = 900;  // a test schedule, not one of wasm::gas_schedule's
  for (uint32_t& c : other.op) c *= 2;
  other.grow_page = 1000;
  other.bulk_bytes_per_gas = 16;
  other.table_element = 3;

  const uint64_t interp_v1 = gas_of_run(test::make_test_backend("interp")->compile(m, limits, {}).value());
  const uint64_t aot_v1 = gas_of_run(test::make_test_backend("aot")->compile(m, limits, {}).value());
  EXPECT_EQ(interp_v1, aot_v1);
  EXPECT_EQ(interp_v1, gas_of_run(interp_module(m, limits, v1)));

  aot::AotOptions ao;
  ao.cache_dir = test::aot_test_cache_dir();
  ao.use_cache = false;  // a made-up revision number: never leave an entry under it
  auto aot_other_cm = aot::detail::compile_aot(m, limits, true, other, ao);
  ASSERT_TRUE(aot_other_cm.ok()) << aot_other_cm.error().message;
  const uint64_t interp_other = gas_of_run(interp_module(m, limits, other));
  const uint64_t aot_other = gas_of_run(aot_other_cm.value());
  EXPECT_EQ(interp_other, aot_other);

  // Static part doubles; each dynamic charge follows its field.
  const uint64_t dyn_v1 = 2 * v1.grow_page + v1.bulk_memory_gas(100) + 5 * v1.table_element;
  const uint64_t dyn_other = 2 * other.grow_page + other.bulk_memory_gas(100) + 5 * other.table_element;
  ASSERT_GT(interp_v1, dyn_v1);
  EXPECT_EQ(interp_other, 2 * (interp_v1 - dyn_v1) + dyn_other);
}

TEST(GasScheduleBackendsDiff, AotRefusesABulkRateThatIsNotAPowerOfTwo) {
  runtime::Limits limits;
  auto m = load(limits);
  ASSERT_TRUE(m);
  wasm::GasSchedule odd = wasm::gas_schedule_v1();
  odd.bulk_bytes_per_gas = 12;
  auto gen = aot::generate_c(*m, limits, true, false, odd);
  ASSERT_FALSE(gen.ok());
  EXPECT_NE(gen.error().message.find("not a power of two"), std::string::npos);
}

}  // namespace
}  // namespace ward
