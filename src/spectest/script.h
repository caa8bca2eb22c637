// ward/spectest/script.h — runs the commands of one converted spec script
// (the JSON written by wast2json) against a backend: modules, registration,
// import resolution and every kind of assertion.
// Thread-safety: a ScriptRunner is used by one thread.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "runtime/backend.h"
#include "runtime/watchdog.h"
#include "spectest/spectest_host.h"

namespace ward::spectest {

/// The default gas limit of every call and instantiation of a spec run:
/// far above what any testsuite call uses, small enough that an endless
/// loop stops (`ward spec-test --gas`).
constexpr uint64_t kSpecGasLimit = 10'000'000'000ull;

/// Counts and failure details of one script.
struct FileReport {
  uint64_t passed = 0;
  uint64_t failed = 0;
  uint64_t skipped = 0;
  std::vector<std::string> failures;  ///< "line 12: assert_return invoke \"f\" (): expected i32:1, got i32:2"
  uint64_t compared = 0;              ///< differential mode: invocations compared between the backends
  uint64_t differences = 0;           ///< differential mode: invocations on which the backends disagreed
};

/// What one call into wasm did: an `invoke` action or an instantiation
/// (whose start function, when the module has one, is the call). Recorded by
/// a ScriptRunner for the differential mode (differential.h).
struct Invocation {
  enum class Kind : uint8_t {
    Invoke,       ///< an invoke action that reached the function
    Instantiate,  ///< an instantiation (segments and the start function)
    NotRun,       ///< an invoke action that failed before calling (no instance, bad export, ...)
  } kind = Kind::Invoke;
  std::string what;                   ///< `invoke "f" (i32:1)` or the module's file name
  bool has_start = false;             ///< Instantiate: the module has a start function
  int status = 0;                     ///< Instantiate: InstantiateResult::Status as a number
  runtime::TrapKind trap = runtime::TrapKind::None;
  std::vector<wasm::ValType> types;   ///< Invoke: the result types
  std::vector<runtime::Value> values; ///< Invoke: the results when it returned
  uint64_t gas_used = 0;              ///< gas limit minus the gas left afterwards
};

/// Modules compiled ahead of a script's run, keyed by their bytes.
using PrecompiledModules = std::map<std::string, Result<std::shared_ptr<runtime::CompiledModule>>, std::less<>>;

/// Number of commands of a script that count in the summary (every command
/// except `module` and `register`); used for scripts skipped whole.
uint64_t count_assertions(const nlohmann::json& script);

/// Executes one script. Owns every instance the script creates and the
/// "spectest" host module; all of them live until the runner is destroyed,
/// because instances refer to each other's functions, tables and memories.
class ScriptRunner {
 public:
  /// `module_dir` is the folder holding the script's .wasm/.wat files.
  ScriptRunner(runtime::Backend& backend, const runtime::Limits& limits, std::string module_dir);
  ~ScriptRunner();
  ScriptRunner(const ScriptRunner&) = delete;
  ScriptRunner& operator=(const ScriptRunner&) = delete;

  /// Runs every command of `script` in order, adding to `report`. A command
  /// whose JSON is not as expected fails alone; the following ones still run.
  void run(const nlohmann::json& script, FileReport& report);
  /// Runs one command of a script, adding to `report`.
  void run_one(const nlohmann::json& cmd, FileReport& report);

  /// The gas limit of every call and instantiation (default
  /// kSpecGasLimit: finite, so that an endless loop ends).
  void set_gas_limit(uint64_t gas) { m_gas_limit = gas; }
  uint64_t gas_limit() const { return m_gas_limit; }
  /// Modules already compiled for this runner's backend; prepare() takes
  /// them from here instead of compiling. Must outlive the runner; null: none.
  void set_precompiled(const PrecompiledModules* modules) { m_precompiled = modules; }
  /// Starts or stops recording invocations (see take_invocations).
  void set_recording(bool on) { m_recording = on; }
  /// The invocations recorded since the last call, in order.
  std::vector<Invocation> take_invocations() { return std::exchange(m_invocations, {}); }

 private:
  enum class Outcome : uint8_t { Pass, Fail, Skip, Quiet };
  struct CommandResult {
    Outcome outcome = Outcome::Pass;
    std::string detail;  ///< why it failed or was skipped
  };
  /// What an action (invoke or get) did.
  struct ActionResult {
    enum class Kind : uint8_t { Returned, Trapped, Error, Skip } kind = Kind::Returned;
    std::vector<wasm::ValType> types;
    std::vector<runtime::Value> values;
    runtime::TrapKind trap = runtime::TrapKind::None;
    std::string message;  ///< Error: what went wrong; Trapped: the context's message
    uint64_t gas_used = 0;
  };
  /// A module made ready up to (not including) instantiation.
  struct Prepared {
    std::shared_ptr<runtime::CompiledModule> compiled;
    std::vector<runtime::Extern> imports;
  };
  enum class Stage : uint8_t { Load, Compile, Link };

  CommandResult run_command(const nlohmann::json& cmd);
  CommandResult cmd_module(const nlohmann::json& cmd);
  CommandResult cmd_register(const nlohmann::json& cmd);
  CommandResult cmd_assert_return(const nlohmann::json& cmd);
  CommandResult cmd_assert_trap(const nlohmann::json& cmd, bool exhaustion);
  CommandResult cmd_action(const nlohmann::json& cmd);
  CommandResult cmd_assert_rejected(const nlohmann::json& cmd);
  CommandResult cmd_assert_unlinkable(const nlohmann::json& cmd);
  CommandResult cmd_assert_uninstantiable(const nlohmann::json& cmd);

  /// Loads, compiles and links the command's module; on failure `stage` says where.
  Result<Prepared> prepare(const nlohmann::json& cmd, Stage& stage);
  /// Finds every import: "spectest" from the host module, others among registered instances.
  Result<std::vector<runtime::Extern>> resolve_imports(const wasm::Module& module);
  /// Instantiates; the compiled module is kept for the script's lifetime.
  runtime::InstantiateResult instantiate(Prepared& prepared, const std::string& what);
  /// Runs an action and records it when recording is on.
  ActionResult run_action(const nlohmann::json& action);
  ActionResult run_action_unrecorded(const nlohmann::json& action);
  runtime::Instance* find_instance(const nlohmann::json& holder, const char* key);
  runtime::ExecContext make_context() const;

  runtime::Backend& m_backend;
  runtime::Limits m_limits;
  std::string m_dir;
  SpectestHost m_host;
  std::vector<std::shared_ptr<runtime::CompiledModule>> m_compiled;
  std::vector<std::unique_ptr<runtime::Instance>> m_instances;
  std::map<std::string, runtime::Instance*> m_named;       ///< "$M" -> instance
  std::map<std::string, runtime::Instance*> m_registered;  ///< import module name -> instance
  runtime::Instance* m_current = nullptr;                  ///< the last module instantiated
  uint64_t m_gas_limit = kSpecGasLimit;
  /// Bounds every call and instantiation by the limits' timeout_ms.
  runtime::Watchdog m_watchdog;
  const PrecompiledModules* m_precompiled = nullptr;
  bool m_recording = false;
  std::vector<Invocation> m_invocations;
};

}  // namespace ward::spectest
