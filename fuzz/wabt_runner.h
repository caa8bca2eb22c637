// ward/fuzz/wabt_runner.h — runs a module on wabt's reference interpreter
// (libwabt) the same way fuzz/harness.h runs it on Ward: dummy imports that
// record their arguments and return zeros, then every exported function with
// zero arguments. No wabt type leaks out of this header, and it is plain
// C++17: wabt's interpreter headers do not compile as C++20 with g++ 12
// (template-id destructors), so wabt_runner.cpp is built as C++17.
// Thread-safety: none; one run per thread.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace ward::fuzz {

/// One call of an imported function on wabt.
struct WabtImportCall {
  uint32_t import_index = 0;    ///< index in the module's imports
  std::vector<uint8_t> types;   ///< parameter types, as binary value-type bytes (0x7F i32, ...)
  std::vector<uint64_t> args;   ///< argument bits
};

/// One exported function call on wabt.
struct WabtCall {
  std::string name;
  bool trapped = false;
  std::string trap_message;       ///< wabt's message when trapped
  size_t log_before = 0;          ///< WabtOutcome::log size when the call started
  std::vector<uint64_t> results;  ///< bits, as runtime::Value holds them (refs: 0 null, 1 non-null)
};

/// What wabt did with a module.
struct WabtOutcome {
  bool loaded = false;        ///< wabt decoded and validated it
  bool linked = false;        ///< every import could be provided
  bool instantiated = false;  ///< instantiation (segments, start) succeeded
  bool start_trapped = false; ///< instantiation trapped
  std::string message;        ///< load error or trap message
  std::vector<WabtCall> calls;
  std::vector<WabtImportCall> log;
};

/// Loads the module with libwabt, instantiates it with dummy imports (function
/// imports only; other imports leave linked = false) and calls at most
/// `max_calls` exported functions, in export order, with zero arguments.
/// The caller must know that each of those calls terminates (wabt has no
/// gas): the differential runs Ward first and passes only the calls that
/// finished within Ward's budget.
WabtOutcome run_wabt(const uint8_t* data, size_t size, size_t max_calls, bool instantiate);

/// True when wabt's trap message says its own stack limits were hit.
bool is_wabt_exhaustion(const std::string& trap_message);

}  // namespace ward::fuzz
