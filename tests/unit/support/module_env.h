// Test support: one module from WAT text, compiled by a named backend and
// instantiated, with its limits and execution context; used by the backend
// tests of tests/unit/aot. Needs tests/unit/interp/wat.cpp (wat2wasm).
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "backend_fixture.h"
#include "wasm/module.h"
#include "wat.h"

namespace ward::test {

/// A compiled and instantiated module; `instance` is null when any step
/// failed (the failure is reported as a test failure).
struct ModuleEnv {
  runtime::Limits limits;
  std::shared_ptr<runtime::CompiledModule> compiled;
  std::unique_ptr<runtime::Instance> instance;
  runtime::ExecContext ctx;
  bool trapped = false;  ///< the last call trapped (and so used up the gas)

  /// Calls export `name`; its results go to *results when given.
  runtime::TrapKind call(const std::string& name, std::vector<runtime::Value> args,
                         std::vector<runtime::Value>* results = nullptr) {
    auto ex = instance->get_export(name);
    EXPECT_TRUE(ex.ok()) << name;
    if (!ex.ok()) return runtime::TrapKind::Host;
    std::vector<runtime::Value> res(ex->func->type.results.size());
    // A trap uses up all the gas (docs/gas.md): the call after one starts
    // from the default budget again, as a new transaction would.
    if (trapped && ctx.gas_left == 0) ctx.gas_left = UINT64_MAX;
    const runtime::TrapKind t = instance->invoke(*ex->func, args, res, ctx);
    trapped = t != runtime::TrapKind::None;
    if (results != nullptr) *results = res;
    return t;
  }
  /// Calls export `name`, which must not trap; the bits of its first
  /// result (0 when it has none).
  uint64_t call1(const std::string& name, std::vector<runtime::Value> args) {
    std::vector<runtime::Value> r;
    EXPECT_EQ(call(name, std::move(args), &r), runtime::TrapKind::None) << name;
    return r.empty() ? 0 : r[0].bits;
  }
};

/// Builds `wat` with wat2wasm, compiles it with backend `backend` ("interp"
/// or "aot", see make_test_backend) and instantiates it with `imports`.
inline std::unique_ptr<ModuleEnv> make_module_env(const std::string& backend, const std::string& wat,
                                                  bool metering = true,
                                                  std::vector<runtime::Extern> imports = {}) {
  auto env = std::make_unique<ModuleEnv>();
  env->ctx.limits = &env->limits;
  const std::vector<uint8_t> bytes = wat_to_wasm(wat);
  EXPECT_FALSE(bytes.empty());
  auto mod = wasm::load_module(bytes, env->limits);
  EXPECT_TRUE(mod.ok()) << (mod.ok() ? "" : mod.error().message);
  if (!mod.ok()) return env;
  runtime::CompileOptions opts;
  opts.metering = metering;
  auto cm = make_test_backend(backend)->compile(mod.value(), env->limits, opts);
  EXPECT_TRUE(cm.ok()) << (cm.ok() ? "" : cm.error().message);
  if (!cm.ok()) return env;
  env->compiled = cm.value();
  auto r = env->compiled->instantiate(imports, env->ctx);
  EXPECT_EQ(r.status, runtime::InstantiateResult::Status::Ok) << r.message;
  env->instance = std::move(r.instance);
  return env;
}

}  // namespace ward::test
