// The "spectest" host module.
#include <gtest/gtest.h>

#include "spectest/spectest_host.h"

namespace ward::spectest {
namespace {

TEST(SpectestHost, Exports) {
  SpectestHost host;
  std::optional<runtime::Extern> g = host.lookup("global_i32");
  ASSERT_TRUE(g);
  EXPECT_EQ(g->kind, wasm::ExternKind::Global);
  EXPECT_EQ(g->global->value.as_i32(), 666u);
  EXPECT_FALSE(g->global->type.mut);
  EXPECT_EQ(host.lookup("global_f32")->global->value.as_f32(), 666.6f);
  EXPECT_EQ(host.lookup("global_f64")->global->value.as_f64(), 666.6);

  std::optional<runtime::Extern> f = host.lookup("print_i32_f32");
  ASSERT_TRUE(f);
  ASSERT_NE(f->func, nullptr);
  EXPECT_EQ(f->func->type.params, (std::vector<wasm::ValType>{wasm::ValType::I32, wasm::ValType::F32}));
  EXPECT_TRUE(f->func->type.results.empty());
  EXPECT_NE(f->func->host, nullptr);
  EXPECT_EQ(f->func->type_id, runtime::canonical_type_id(f->func->type));

  std::optional<runtime::Extern> t = host.lookup("table");
  ASSERT_TRUE(t);
  EXPECT_EQ(t->table->elems.size(), 10u);
  EXPECT_EQ(t->table->max, 20u);

  std::optional<runtime::Extern> m = host.lookup("memory");
  ASSERT_TRUE(m);
  EXPECT_EQ(m->memory->pages(), 1u);
  EXPECT_EQ(m->memory->max_pages(), 2u);

  EXPECT_FALSE(host.lookup("nope"));
}

}  // namespace
}  // namespace ward::spectest
