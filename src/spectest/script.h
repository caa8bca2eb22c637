// ward/spectest/script.h — runs the commands of one converted spec script
// (the JSON written by wast2json) against a backend: modules, registration,
// import resolution and every kind of assertion.
// Thread-safety: a ScriptRunner is used by one thread.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "runtime/backend.h"
#include "spectest/spectest_host.h"

namespace ward::spectest {

/// Counts and failure details of one script.
struct FileReport {
  uint64_t passed = 0;
  uint64_t failed = 0;
  uint64_t skipped = 0;
  std::vector<std::string> failures;  ///< "line 12: assert_return invoke \"f\" (): expected i32:1, got i32:2"
};

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
  runtime::InstantiateResult instantiate(Prepared& prepared);
  ActionResult run_action(const nlohmann::json& action);
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
};

}  // namespace ward::spectest
