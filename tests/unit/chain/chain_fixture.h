// Test support of the executor tests: a store that fails on demand and the
// deploy helper they share. Their fixtures derive from test::BackendTest
// (tests/unit/support/backend_fixture.h), so every executor behaviour test
// runs on the interpreter and on the AOT backend.
#pragma once

#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <vector>

#include "backend_fixture.h"
#include "chain/executor.h"
#include "state/kv_store.h"
#include "test_util.h"

namespace ward::chain::testing {

/// A store that fails every read of a key starting with `prefix` (once armed).
class PrefixFailingStore final : public state::KvStore {
 public:
  explicit PrefixFailingStore(state::KvStore& inner) : m_inner(inner) {}
  std::string prefix;
  bool armed = false;
  Result<std::optional<std::string>> get(std::string_view key) override {
    if (armed && key.rfind(prefix, 0) == 0) return make_error("disk on fire");
    return m_inner.get(key);
  }
  Result<void> write(const state::WriteBatch& b) override { return m_inner.write(b); }
  Result<void> scan_prefix(std::string_view p, const state::ScanFn& fn) override { return m_inner.scan_prefix(p, fn); }
  Result<void> scan_range(std::string_view s, std::string_view e, const state::ScanFn& fn) override {
    return m_inner.scan_range(s, e, fn);
  }

 private:
  state::KvStore& m_inner;
};

/// Deploys `module` from kDevAddress with no init method and `gas`; the
/// deploy must succeed (a test failure otherwise). The new address.
inline Address deploy_ok(Executor& ex, const std::vector<uint8_t>& module, uint64_t gas) {
  auto d = ex.deploy(module, kDevAddress, std::nullopt, "", gas);
  EXPECT_TRUE(d.ok()) << d.error().message;
  if (!d.ok()) return Address{};
  EXPECT_EQ(d.value().status, Status::Ok) << d.value().error;
  return d.value().address;
}

}  // namespace ward::chain::testing
