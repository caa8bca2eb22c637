// ward/wasm/policy.h — the deploy policy (DESIGN.md section 4): which imports
// a contract may have, with which types, and whether it may use floats.
// Runs after load_module(), which already enforced the size limits and the
// feature set. Thread-safety: pure function.
#pragma once

#include <span>
#include <string_view>

#include "ward/limits.h"
#include "util/result.h"
#include "wasm/module.h"
#include "wasm/types.h"

namespace ward::wasm {

/// One function the host provides: a contract may import it under exactly
/// this (module, field) name and with exactly this type (docs/host-abi.md).
struct ImportSpec {
  std::string_view module;
  std::string_view field;
  FuncType type;
};

/// Whether a chain accepts contracts that use f32/f64 values or instructions.
enum class FloatPolicy { Allow, Deny };

/// The module name of host ABI version 1 (docs/host-abi.md).
inline constexpr std::string_view kHostAbiModule = "ward_v1";

/// Checks a loaded module against the deploy policy:
/// - every import is a function import listed in `allowed` (same module and
///   field) with exactly the listed type; errors read
///   `import "env"."foo" is not a host function of Ward` or
///   `import "ward_v1"."log" has type (i32) -> () but the host ABI defines (i32, i32, i32, i32) -> ()`;
/// - a module importing anything from `ward_v1` exports a memory named
///   "memory" (the host reads and writes it);
/// - with FloatPolicy::Deny, no function, global or type uses f32/f64; the
///   error names the first offending function (or global, or type).
Result<void> check_policy(const Module& module, std::span<const ImportSpec> allowed, FloatPolicy floats);

/// The deploy-time resource checks that load_module() leaves to the deploy
/// path (the spec testsuite declares memories and tables larger than any
/// contract may have, so load_module() accepts them): the initial size of
/// every memory (imported or defined) is at most `max_memory_pages`, the
/// initial size of every table at most `max_table_elements`, and the number
/// of tables (imported + defined) at most `max_tables`. A declared maximum
/// above the limit is not an error: it is capped, and growing past the limit
/// returns -1. Time linear in the number of tables and memories. Errors name
/// the limit and the value found, e.g.
/// `memory 0: initial size 2000 pages exceeds max_memory_pages (1024)`.
Result<void> check_resource_limits(const Module& module, const ward::Limits& limits);

}  // namespace ward::wasm
