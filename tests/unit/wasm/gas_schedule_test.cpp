// Unit tests of the gas schedule (wasm/gas_schedule.h, docs/gas.md "Gas
// schedule"): revision 1 is exactly the costs Ward charged before schedules
// existed, unknown revisions are refused, and analyze_gas takes its costs
// from the schedule it is given.
#include <gtest/gtest.h>

#include <bit>

#include "runtime/limits.h"
#include "wasm/gas_schedule.h"
#include "wasm/metering.h"
#include "wasm/opcodes.h"
#include "wasm_builder.h"

namespace ward::wasm {
namespace {

using namespace ward::wasm::test;

TEST(GasSchedule, RevisionOneIsOpcodesDef) {
  const GasSchedule& s = gas_schedule_v1();
  EXPECT_EQ(s.revision, 1u);
  EXPECT_EQ(&s, &kGasScheduleV1);
  for (uint32_t i = 0; i < kOpCount; ++i) {
    const Op op = static_cast<Op>(i);
    EXPECT_EQ(s.op[i], op_gas(op)) << op_info(op).text;
    EXPECT_EQ(s.op_cost(op), op_gas(op)) << op_info(op).text;
  }
}

TEST(GasSchedule, RevisionOneDynamicAndChainCosts) {
  const GasSchedule& s = gas_schedule_v1();
  EXPECT_EQ(s.grow_page, 512u);
  EXPECT_EQ(s.bulk_bytes_per_gas, 8u);
  EXPECT_EQ(s.table_element, 1u);
  EXPECT_EQ(s.deploy_base, 20'000u);
  EXPECT_EQ(s.deploy_per_byte, 1u);
  EXPECT_EQ(s.transfer, 2'000u);
  EXPECT_EQ(s.destroy_base, 10'000u);
  EXPECT_EQ(s.destroy_per_key, 100u);
  // The metering.h aliases.
  EXPECT_EQ(kGasPerGrowPage, s.grow_page);
  EXPECT_EQ(kBulkBytesPerGas, s.bulk_bytes_per_gas);
  EXPECT_EQ(kGasPerTableElement, s.table_element);
  EXPECT_TRUE(std::has_single_bit(s.bulk_bytes_per_gas));
  for (uint64_t n : {0ull, 1ull, 7ull, 8ull, 9ull, 17ull, 0xFFFFFFFFull}) {
    EXPECT_EQ(s.bulk_memory_gas(n), (n + 7) / 8) << n;
    EXPECT_EQ(bulk_memory_gas(n), (n + 7) / 8) << n;
  }
}

TEST(GasSchedule, RevisionOneHostCosts) {
  const GasSchedule& s = gas_schedule_v1();
  EXPECT_EQ(s.host.size(), kHostFnCount);
  // A few rows of docs/host-abi.md (HostDoc.TablesMatchHostFunctions checks all).
  EXPECT_EQ(s.host_cost(HostFn::ward_v1_storage_put).base, 1000u);
  EXPECT_EQ(s.host_cost(HostFn::ward_v1_storage_put).per_byte, 5u);
  EXPECT_EQ(s.host_cost(HostFn::ward_v1_input_size).per_byte, 0u);
  EXPECT_EQ(s.host_gas(HostFn::ward_v1_storage_put, 8), 1000u + 5u * 8);
  EXPECT_EQ(s.host_gas_bytes(HostFn::ward_v1_storage_put, 8), 5u * 8);
  // Saturating instead of wrapping.
  EXPECT_EQ(s.host_gas(HostFn::ward_v1_storage_put, UINT64_MAX / 5 + 1), UINT64_MAX);
  EXPECT_EQ(s.host_gas_bytes(HostFn::ward_v1_storage_put, UINT64_MAX), UINT64_MAX);
  EXPECT_EQ(s.host_gas(HostFn::ward_v1_storage_put, UINT64_MAX / 5), UINT64_MAX);  // 1000 + that overflows
}

TEST(GasSchedule, LookupByRevision) {
  auto r = gas_schedule(1);
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r.value(), &gas_schedule_v1());
  EXPECT_EQ(kLatestGasRevision, 1u);
}

TEST(GasSchedule, UnknownRevisionIsAnError) {
  for (uint32_t rev : {0u, 2u, 77u, 0xFFFFFFFFu}) {
    auto r = gas_schedule(rev);
    ASSERT_FALSE(r) << rev;
    EXPECT_EQ(r.error().message, "unknown gas schedule revision " + std::to_string(rev) + " (known: 1)");
  }
}

TEST(GasSchedule, AnalyzeGasUsesTheSchedule) {
  ModuleBuilder m;
  m.types.push_back({{}, {}});
  m.funcs.push_back({0, {}, {0x41, 0x01, 0x1A, 0x0B}});  // i32.const 1; drop; end
  auto mod = load_module(m.build(), runtime::Limits{});
  ASSERT_TRUE(mod) << mod.error().message;
  auto v1 = analyze_gas(**mod, 0);
  ASSERT_TRUE(v1) << v1.error().message;
  ASSERT_EQ(v1->size(), 1u);
  EXPECT_EQ((*v1)[0].cost, op_gas(Op::I32Const) + op_gas(Op::Drop) + op_gas(Op::End));
  GasSchedule other = gas_schedule_v1();
  other.op[static_cast<uint32_t>(Op::I32Const)] = 40;
  other.op[static_cast<uint32_t>(Op::Drop)] = 2;
  auto changed = analyze_gas(**mod, 0, other);
  ASSERT_TRUE(changed) << changed.error().message;
  ASSERT_EQ(changed->size(), 1u);
  EXPECT_EQ((*changed)[0].cost, 42u + op_gas(Op::End));
}

}  // namespace
}  // namespace ward::wasm
