// Test fixture: calls host functions directly with a real Memory and a
// HostCall, as a backend would. Parameterised by backend name: the memory is
// the kind that backend's instances get (plain for "interp", a guard-page
// reservation for "aot", docs/adr/0010-aot-guard-pages.md), so every host
// behaviour test runs against both (WARD_INSTANTIATE_BACKENDS).
#pragma once

#include <gtest/gtest.h>

#include <cstring>
#include <initializer_list>

#include "backend_fixture.h"
#include "host/host.h"
#include "state/kv_store.h"

namespace ward::host::testing {

using runtime::TrapKind;
using runtime::Value;

/// The FuncInst the host table gives for module.name (through resolve_imports).
inline const runtime::FuncInst& host_inst(std::string_view module, std::string_view name) {
  const HostFunction* f = find_host_function(module, name);
  EXPECT_NE(f, nullptr) << module << "." << name;
  wasm::Module m;
  m.types.push_back(f->type);
  wasm::Import imp;
  imp.module = std::string(module);
  imp.field = std::string(name);
  imp.type_index = 0;
  m.imports.push_back(imp);
  auto r = resolve_imports(m);
  EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().message);
  return *r.value()[0].func;
}

class HostTest : public ::testing::TestWithParam<std::string> {
 protected:
  HostTest() {
    ctx.limits = &limits;
    ctx.host_env = &env;
    ctx.gas_left = kGas;
    env.state = &overlay;
    env.self[19] = 0x5e;
    env.sender[19] = 0xde;
  }

  TrapKind call(std::string_view module, std::string_view name, std::initializer_list<uint64_t> args,
                Value* results = nullptr) {
    const runtime::FuncInst& fi = host_inst(module, name);
    std::vector<Value> a;
    for (uint64_t v : args) a.push_back(Value{v});
    EXPECT_EQ(a.size(), fi.type.params.size()) << name;
    Value dummy[2];
    runtime::HostCall hc{ctx, mem.get(), fi};
    ctx.message.clear();
    return fi.host(hc, a.data(), results ? results : dummy);
  }
  TrapKind ward(std::string_view name, std::initializer_list<uint64_t> args, Value* results = nullptr) {
    return call("ward_v1", name, args, results);
  }
  TrapKind wasi(std::string_view name, std::initializer_list<uint64_t> args, Value* results = nullptr) {
    return call("wasi_snapshot_preview1", name, args, results);
  }

  void poke(uint32_t at, std::string_view s) { std::memcpy(mem->data() + at, s.data(), s.size()); }
  std::string peek(uint32_t at, uint32_t len) { return std::string(reinterpret_cast<char*>(mem->data() + at), len); }
  void poke_u32(uint32_t at, uint32_t v) { std::memcpy(mem->data() + at, &v, 4); }  // little-endian host
  uint32_t peek_u32(uint32_t at) {
    uint32_t v;
    std::memcpy(&v, mem->data() + at, 4);
    return v;
  }
  uint64_t peek_u64(uint32_t at) {
    uint64_t v;
    std::memcpy(&v, mem->data() + at, 8);
    return v;
  }
  uint64_t used() const { return kGas - ctx.gas_left; }
  /// Gas of one call of module.name over `bytes` bytes in revision 1.
  static uint64_t cost(std::string_view module, std::string_view name, uint64_t bytes) {
    return wasm::kGasScheduleV1.host_gas(find_host_function(module, name)->id, bytes);
  }

  static constexpr uint64_t kGas = 10'000'000;
  runtime::Limits limits;
  std::shared_ptr<runtime::Memory> mem = runtime::Memory::create(1, 2, /*guarded=*/GetParam() == "aot");
  state::MemoryStore store;
  state::Overlay overlay{store};
  CallEnv env;
  runtime::ExecContext ctx;
};

}  // namespace ward::host::testing
