// Unit tests of the guard-page build's write ordering (aot/c_patch.cpp;
// docs/aot.md "Stores and faults stay in order"): every write an embedder
// can see after a trap (a store to linear memory, global.set, a bulk memory
// or table write) has a compiler barrier on each side, so no access that
// may fault crosses it; the gas and stack counters do not. The behaviour is
// checked by the CTest regression_aot (two modules whose memory after a
// fault differed before) and ward_ttf_diff --aot.
#include <gtest/gtest.h>

#include <string>

#include "aot/instrument.h"
#include "runtime/limits.h"
#include "wasm/module.h"
#include "wat.h"

namespace ward::aot {
namespace {

const char* kWrites = R"((module
  (global $g (export "g") (mut i32) (i32.const 0))
  (table $t (export "t") 2 funcref)
  (memory (export "m") 1)
  (func $f)
  (elem declare func $f)
  (func (export "run") (param i32) (result i32)
    (global.set $g (i32.const 5))
    (table.set $t (i32.const 0) (ref.func $f))
    (memory.fill (i32.const 0) (i32.const 1) (i32.const 8))
    (i32.store (local.get 0) (i32.const 7))
    (i32.load (local.get 0))))
)";

std::string c_of(bool guard_pages) {
  runtime::Limits limits;
  auto m = wasm::load_module(test::wat_to_wasm(kWrites), limits);
  EXPECT_TRUE(m) << m.error().message;
  if (!m) return {};
  auto gen = generate_c(**m, limits, true, guard_pages);
  EXPECT_TRUE(gen.ok()) << gen.error().message;
  return gen.ok() ? gen->source : std::string{};
}

/// The statement of `c` that starts with `start` (after indentation), whole line.
std::string line_with(const std::string& c, const std::string& start) {
  const size_t p = c.find("  " + start);
  if (p == std::string::npos) return {};
  const size_t b = c.rfind('\n', p) + 1;
  return c.substr(b, c.find('\n', p) - b);
}

TEST(WriteOrder, EveryVisibleWriteHasABarrierOnEachSide) {
  const std::string c = c_of(true);
  ASSERT_FALSE(c.empty());
  EXPECT_NE(c.find("#define WARD_ORDER() __asm__ __volatile__(\"\" ::: \"memory\")"), std::string::npos);
  // Linear-memory stores: inside the store helper.
  const size_t store = c.find("#define WARD_DEFINE_STORE(");
  ASSERT_NE(store, std::string::npos);
  const std::string helper = c.substr(store, c.find("  }\n", store) - store);
  const size_t copy = helper.find("wasm_rt_memcpy(md + addr");
  ASSERT_NE(copy, std::string::npos);
  EXPECT_NE(helper.rfind("WARD_ORDER();", copy), std::string::npos) << helper;
  EXPECT_NE(helper.find("WARD_ORDER();", copy), std::string::npos) << helper;
  // global.set, table.set and memory.fill at their statements.
  for (const char* start : {"WARD_ORDER(); (*ward_Z_WZ_g0) = ", "WARD_ORDER(); funcref_table_set(",
                            "WARD_ORDER(); memory_fill("}) {
    const std::string l = line_with(c, start);
    EXPECT_FALSE(l.empty()) << start;
    EXPECT_TRUE(l.ends_with("; WARD_ORDER();")) << l;
  }
  // The gas and the stack counter are Ward's, not the module's: no barrier.
  EXPECT_EQ(c.find("WARD_ORDER(); WARD_GAS"), std::string::npos);
  EXPECT_EQ(c.find("WARD_ORDER(); (*ward_Z_WZ_stack)"), std::string::npos);
}

TEST(WriteOrder, TheBoundsCheckedBuildHasNoBarriers) {
  const std::string c = c_of(false);
  ASSERT_FALSE(c.empty());
  EXPECT_NE(c.find("#define WARD_ORDER()\n"), std::string::npos);
}

}  // namespace
}  // namespace ward::aot
