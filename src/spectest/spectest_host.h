// ward/spectest/spectest_host.h — the "spectest" host module that testsuite
// scripts import from: print functions that do nothing, four immutable
// globals, a table and a memory (the testsuite's interpreter/README, "spectest"
// host module). One per script, so no state leaks between scripts.
// Thread-safety: none; used by one script run.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "runtime/backend.h"

namespace ward::spectest {

/// The host objects of module "spectest". They must outlive every instance
/// that imports them.
class SpectestHost {
 public:
  /// Creates the functions, globals (i32/i64 666, f32/f64 666.6), the table
  /// (10 funcref, max 20) and the memory (1 page, max 2).
  SpectestHost();
  SpectestHost(const SpectestHost&) = delete;
  SpectestHost& operator=(const SpectestHost&) = delete;

  /// The export named `field`, or nullopt when there is none.
  std::optional<runtime::Extern> lookup(std::string_view field) const;

 private:
  void add_func(const std::string& field, std::vector<wasm::ValType> params);
  void add_global(const std::string& field, wasm::ValType type, runtime::Value value);

  std::vector<std::unique_ptr<runtime::FuncInst>> m_funcs;
  std::map<std::string, runtime::Extern, std::less<>> m_exports;
};

}  // namespace ward::spectest
