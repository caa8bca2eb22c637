// Execution of one converted spec script (see script.h). The command set and
// its meaning follow the testsuite's script format (interpreter/README of the
// spec repository) as wast2json encodes it.
#include "spectest/script.h"

#include <exception>
#include <fstream>
#include <iterator>
#include <string_view>

#include <nlohmann/json.hpp>

#include "spectest/text_check.h"
#include "spectest/values.h"

namespace ward::spectest {

namespace {

using nlohmann::json;
using runtime::TrapKind;

bool counts(std::string_view type) { return type != "module" && type != "register"; }

/// Our trap message and the script's expected text agree when one starts
/// with the other (scripts add details such as "uninitialized element 2").
bool trap_text_matches(TrapKind kind, std::string_view expected) {
  const std::string_view ours = runtime::trap_message(kind);
  return ours.starts_with(expected) || expected.starts_with(ours);
}

Result<std::vector<uint8_t>> read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return make_error("cannot read " + path);
  return std::vector<uint8_t>(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

std::string trap_description(TrapKind kind, const std::string& message) {
  std::string s = std::string("trap \"") + runtime::trap_message(kind) + "\"";
  if (!message.empty()) s += " (" + message + ")";
  return s;
}

/// `invoke "f" (i32:1, f64:0x...)` or `get "g"`, with the module when named.
std::string describe_action(const json& action) {
  std::string s = action.value("type", std::string("?"));
  if (action.contains("module")) s += " " + action["module"].get<std::string>();
  s += " \"" + action.value("field", std::string()) + "\"";
  if (s.starts_with("invoke")) {
    s += " (";
    bool first = true;
    for (const json& a : action.value("args", json::array())) {
      if (!first) s += ", ";
      first = false;
      const std::string type = a.value("type", std::string("?"));
      Result<SpecValue> v = a["value"].is_string() ? parse_value(type, a["value"].get<std::string>(), false)
                                                   : Result<SpecValue>(make_error(""));
      s += v ? describe(*v) : type + ":?";
    }
    s += ")";
  }
  return s;
}

std::string describe_results(const std::vector<wasm::ValType>& types, const std::vector<runtime::Value>& values) {
  std::string s = "(";
  for (size_t i = 0; i < types.size(); ++i) {
    if (i > 0) s += ", ";
    s += describe(types[i], values[i]);
  }
  return s + ")";
}

bool has_v128(const json& values) {
  for (const json& v : values) {
    if (v.value("type", std::string()) == "v128") return true;
  }
  return false;
}

}  // namespace

uint64_t count_assertions(const json& script) {
  uint64_t n = 0;
  for (const json& cmd : script.at("commands")) {
    if (counts(cmd.value("type", std::string()))) ++n;
  }
  return n;
}

ScriptRunner::ScriptRunner(runtime::Backend& backend, const runtime::Limits& limits, std::string module_dir)
    : m_backend(backend), m_limits(limits), m_dir(std::move(module_dir)) {}

ScriptRunner::~ScriptRunner() {
  // Later instances may refer to earlier ones: tear down newest first.
  while (!m_instances.empty()) m_instances.pop_back();
  while (!m_compiled.empty()) m_compiled.pop_back();
}

void ScriptRunner::run(const json& script, FileReport& report) {
  for (const json& cmd : script.at("commands")) run_one(cmd, report);
}

void ScriptRunner::run_one(const json& cmd, FileReport& report) {
  CommandResult r;
  std::string type = "?";
  int64_t line = 0;
  try {
    type = cmd.at("type").get<std::string>();
    line = cmd.value("line", int64_t{0});
    r = run_command(cmd);
  } catch (const std::exception& e) {
    r = {Outcome::Fail, std::string("bad command: ") + e.what()};
  }
  switch (r.outcome) {
    case Outcome::Pass: ++report.passed; break;
    case Outcome::Skip: ++report.skipped; break;
    case Outcome::Quiet: break;
    case Outcome::Fail:
      ++report.failed;
      report.failures.push_back("line " + std::to_string(line) + ": " + type + " " + r.detail);
      break;
  }
}

ScriptRunner::CommandResult ScriptRunner::run_command(const json& cmd) {
  const std::string type = cmd.at("type").get<std::string>();
  if (type == "module") return cmd_module(cmd);
  if (type == "register") return cmd_register(cmd);
  if (type == "assert_return") return cmd_assert_return(cmd);
  if (type == "assert_trap") {
    if (cmd.contains("filename")) return cmd_assert_uninstantiable(cmd);
    return cmd_assert_trap(cmd, false);
  }
  if (type == "assert_exhaustion") return cmd_assert_trap(cmd, true);
  if (type == "action") return cmd_action(cmd);
  if (type == "assert_invalid" || type == "assert_malformed") return cmd_assert_rejected(cmd);
  if (type == "assert_unlinkable") return cmd_assert_unlinkable(cmd);
  if (type == "assert_uninstantiable") return cmd_assert_uninstantiable(cmd);
  return {Outcome::Fail, "unknown command type"};
}

runtime::ExecContext ScriptRunner::make_context() const {
  runtime::ExecContext ctx;
  ctx.gas_left = m_gas_limit;
  ctx.limits = &m_limits;
  return ctx;
}

Result<std::vector<runtime::Extern>> ScriptRunner::resolve_imports(const wasm::Module& module) {
  std::vector<runtime::Extern> out;
  out.reserve(module.imports.size());
  for (const wasm::Import& imp : module.imports) {
    const std::string what = "import \"" + imp.module + "\" \"" + imp.field + "\"";
    runtime::Extern e;
    if (imp.module == "spectest") {
      std::optional<runtime::Extern> found = m_host.lookup(imp.field);
      if (!found) return make_error("unknown " + what);
      e = std::move(*found);
    } else {
      auto it = m_registered.find(imp.module);
      if (it == m_registered.end()) return make_error("unknown module of " + what);
      Result<runtime::Extern> found = it->second->get_export(imp.field);
      if (!found) return make_error("unknown " + what + ": " + found.error().message);
      e = std::move(*found);
    }
    if (e.kind != imp.kind) {
      return make_error("incompatible " + what + ": expected " + wasm::to_string(imp.kind) + ", found " +
                        wasm::to_string(e.kind));
    }
    out.push_back(std::move(e));
  }
  return out;
}

Result<ScriptRunner::Prepared> ScriptRunner::prepare(const json& cmd, Stage& stage) {
  stage = Stage::Load;
  const std::string filename = cmd.at("filename").get<std::string>();
  Result<std::vector<uint8_t>> bytes = read_file(m_dir + "/" + filename);
  if (!bytes) return bytes.error();
  Result<std::shared_ptr<const wasm::Module>> module = wasm::load_module(*bytes, m_limits);
  if (!module) return make_error(filename + ": load failed: " + module.error().message);
  stage = Stage::Compile;
  std::optional<Result<std::shared_ptr<runtime::CompiledModule>>> found;
  if (m_precompiled != nullptr) {
    const std::string_view key(reinterpret_cast<const char*>(bytes->data()), bytes->size());
    if (auto it = m_precompiled->find(key); it != m_precompiled->end()) found.emplace(it->second);
  }
  Result<std::shared_ptr<runtime::CompiledModule>> compiled =
      found ? std::move(*found) : m_backend.compile(*module, m_limits, runtime::CompileOptions{});
  if (!compiled) return make_error(filename + ": compile failed: " + compiled.error().message);
  stage = Stage::Link;
  Result<std::vector<runtime::Extern>> imports = resolve_imports(**module);
  if (!imports) return make_error(filename + ": " + imports.error().message);
  return Prepared{std::move(*compiled), std::move(*imports)};
}

runtime::InstantiateResult ScriptRunner::instantiate(Prepared& prepared, const std::string& what) {
  m_compiled.push_back(prepared.compiled);
  runtime::ExecContext ctx = make_context();
  runtime::InstantiateResult r = [&] {
    runtime::Watchdog::Scope bounded(m_watchdog, ctx, m_limits.timeout_ms);
    return prepared.compiled->instantiate(prepared.imports, ctx);
  }();
  if (m_recording) {
    Invocation inv;
    inv.kind = Invocation::Kind::Instantiate;
    inv.what = what;
    inv.has_start = prepared.compiled->module().start.has_value();
    inv.status = static_cast<int>(r.status);
    inv.trap = r.trap;
    inv.gas_used = m_gas_limit - ctx.gas_left;
    m_invocations.push_back(std::move(inv));
  }
  return r;
}

runtime::Instance* ScriptRunner::find_instance(const json& holder, const char* key) {
  if (!holder.contains(key)) return m_current;
  auto it = m_named.find(holder[key].get<std::string>());
  return it == m_named.end() ? nullptr : it->second;
}

ScriptRunner::CommandResult ScriptRunner::cmd_module(const json& cmd) {
  // A failed module leaves no current module: later commands on it fail too.
  m_current = nullptr;
  if (cmd.contains("name")) m_named.erase(cmd["name"].get<std::string>());
  Stage stage;
  Result<Prepared> prepared = prepare(cmd, stage);
  if (!prepared) return {Outcome::Fail, prepared.error().message};
  runtime::InstantiateResult r = instantiate(*prepared, cmd["filename"].get<std::string>());
  if (r.status != runtime::InstantiateResult::Status::Ok || !r.instance) {
    std::string why = r.status == runtime::InstantiateResult::Status::Trapped ? trap_description(r.trap, r.message)
                                                                              : r.message;
    return {Outcome::Fail, cmd["filename"].get<std::string>() + ": instantiation failed: " + why};
  }
  m_current = r.instance.get();
  if (cmd.contains("name")) m_named[cmd["name"].get<std::string>()] = m_current;
  m_instances.push_back(std::move(r.instance));
  return {Outcome::Quiet, {}};
}

ScriptRunner::CommandResult ScriptRunner::cmd_register(const json& cmd) {
  runtime::Instance* inst = find_instance(cmd, "name");
  const std::string as = cmd.at("as").get<std::string>();
  if (inst == nullptr) return {Outcome::Fail, "\"" + as + "\": no such module instance"};
  m_registered[as] = inst;
  return {Outcome::Quiet, {}};
}

ScriptRunner::ActionResult ScriptRunner::run_action(const json& action) {
  ActionResult r = run_action_unrecorded(action);
  if (!m_recording || action.value("type", std::string()) != "invoke" || r.kind == ActionResult::Kind::Skip) return r;
  Invocation inv;
  inv.what = describe_action(action);
  if (r.kind == ActionResult::Kind::Error) {
    inv.kind = Invocation::Kind::NotRun;
  } else {
    inv.trap = r.trap;
    inv.types = r.types;
    if (r.kind == ActionResult::Kind::Returned) inv.values = r.values;
    inv.gas_used = r.gas_used;
  }
  m_invocations.push_back(std::move(inv));
  return r;
}

ScriptRunner::ActionResult ScriptRunner::run_action_unrecorded(const json& action) {
  using Kind = ActionResult::Kind;
  ActionResult r;
  const json& args = action.contains("args") ? action["args"] : json::array();
  if (has_v128(args)) return {Kind::Skip, {}, {}, TrapKind::None, "v128 argument"};
  runtime::Instance* inst = find_instance(action, "module");
  if (inst == nullptr) return {Kind::Error, {}, {}, TrapKind::None, "no module instance (its module failed)"};
  const std::string field = action.at("field").get<std::string>();
  Result<runtime::Extern> ext = inst->get_export(field);
  if (!ext) return {Kind::Error, {}, {}, TrapKind::None, "export: " + ext.error().message};
  const std::string type = action.at("type").get<std::string>();

  if (type == "get") {
    if (ext->kind != wasm::ExternKind::Global || !ext->global) {
      return {Kind::Error, {}, {}, TrapKind::None, "export \"" + field + "\" is not a global"};
    }
    r.types.push_back(ext->global->type.type);
    r.values.push_back(ext->global->value);
    return r;
  }
  if (type != "invoke") return {Kind::Error, {}, {}, TrapKind::None, "unknown action type " + type};
  if (ext->kind != wasm::ExternKind::Func || ext->func == nullptr) {
    return {Kind::Error, {}, {}, TrapKind::None, "export \"" + field + "\" is not a function"};
  }
  const runtime::FuncInst& func = *ext->func;
  if (args.size() != func.type.params.size()) {
    return {Kind::Error, {}, {}, TrapKind::None, "argument count does not match " + wasm::to_string(func.type)};
  }
  std::vector<runtime::Value> argv;
  for (size_t i = 0; i < args.size(); ++i) {
    Result<SpecValue> v = parse_value(args[i].at("type").get<std::string>(), args[i].at("value").get<std::string>(),
                                      false);
    if (!v) return {Kind::Error, {}, {}, TrapKind::None, "argument " + std::to_string(i) + ": " + v.error().message};
    if (v->type != func.type.params[i]) {
      return {Kind::Error, {}, {}, TrapKind::None, "argument types do not match " + wasm::to_string(func.type)};
    }
    argv.push_back(runtime::Value{v->bits});
  }
  r.types = func.type.results;
  r.values.assign(r.types.size(), runtime::Value{});
  runtime::ExecContext ctx = make_context();
  {
    runtime::Watchdog::Scope bounded(m_watchdog, ctx, m_limits.timeout_ms);
    r.trap = inst->invoke(func, argv, r.values, ctx);
  }
  r.gas_used = m_gas_limit - ctx.gas_left;
  if (r.trap != TrapKind::None) {
    r.kind = Kind::Trapped;
    r.message = ctx.message;
  }
  return r;
}

ScriptRunner::CommandResult ScriptRunner::cmd_assert_return(const json& cmd) {
  using Kind = ActionResult::Kind;
  const json& action = cmd.at("action");
  const json& expected = cmd.contains("expected") ? cmd["expected"] : json::array();
  if (has_v128(expected)) return {Outcome::Skip, "v128 result"};
  const std::string what = describe_action(action);
  std::vector<SpecValue> want;
  for (const json& e : expected) {
    Result<SpecValue> v = parse_value(e.at("type").get<std::string>(), e.at("value").get<std::string>(), true);
    if (!v) return {Outcome::Fail, what + ": expected value: " + v.error().message};
    want.push_back(*v);
  }
  ActionResult r = run_action(action);
  if (r.kind == Kind::Skip) return {Outcome::Skip, r.message};
  if (r.kind == Kind::Error) return {Outcome::Fail, what + ": " + r.message};
  if (r.kind == Kind::Trapped) return {Outcome::Fail, what + ": " + trap_description(r.trap, r.message)};
  std::string want_text = "(";
  for (size_t i = 0; i < want.size(); ++i) want_text += (i > 0 ? ", " : "") + describe(want[i]);
  want_text += ")";
  bool ok = want.size() == r.types.size();
  for (size_t i = 0; ok && i < want.size(); ++i) {
    ok = want[i].type == r.types[i] && matches(want[i], r.values[i]);
  }
  if (ok) return {Outcome::Pass, {}};
  return {Outcome::Fail, what + ": expected " + want_text + ", got " + describe_results(r.types, r.values)};
}

ScriptRunner::CommandResult ScriptRunner::cmd_assert_trap(const json& cmd, bool exhaustion) {
  using Kind = ActionResult::Kind;
  const json& action = cmd.at("action");
  const std::string text = cmd.at("text").get<std::string>();
  const std::string what = describe_action(action);
  ActionResult r = run_action(action);
  if (r.kind == Kind::Skip) return {Outcome::Skip, r.message};
  if (r.kind == Kind::Error) return {Outcome::Fail, what + ": " + r.message};
  if (r.kind == Kind::Returned) {
    return {Outcome::Fail, what + ": expected trap \"" + text + "\", returned " + describe_results(r.types, r.values)};
  }
  const bool ok = exhaustion ? r.trap == TrapKind::CallStackExhausted : trap_text_matches(r.trap, text);
  if (ok) return {Outcome::Pass, {}};
  return {Outcome::Fail, what + ": expected trap \"" + text + "\", got " + trap_description(r.trap, r.message)};
}

ScriptRunner::CommandResult ScriptRunner::cmd_action(const json& cmd) {
  using Kind = ActionResult::Kind;
  const json& action = cmd.at("action");
  ActionResult r = run_action(action);
  if (r.kind == Kind::Skip) return {Outcome::Skip, r.message};
  if (r.kind == Kind::Error) return {Outcome::Fail, describe_action(action) + ": " + r.message};
  if (r.kind == Kind::Trapped) {
    return {Outcome::Fail, describe_action(action) + ": " + trap_description(r.trap, r.message)};
  }
  return {Outcome::Pass, {}};
}

ScriptRunner::CommandResult ScriptRunner::cmd_assert_rejected(const json& cmd) {
  const std::string filename = cmd.at("filename").get<std::string>();
  const std::string text = cmd.value("text", std::string());
  Result<std::vector<uint8_t>> bytes = read_file(m_dir + "/" + filename);
  if (!bytes) return {Outcome::Fail, bytes.error().message};
  if (cmd.value("module_type", std::string("binary")) == "text") {
    // Ward reads only binaries; see text_check.cpp.
    TextCheck check = check_text_module(*bytes);
    if (check.rejected) return {Outcome::Pass, {}};
    return {Outcome::Fail, filename + ": text module accepted, expected \"" + text + "\""};
  }
  Result<std::shared_ptr<const wasm::Module>> module = wasm::load_module(*bytes, m_limits);
  if (!module) return {Outcome::Pass, {}};
  return {Outcome::Fail, filename + ": module loaded, expected \"" + text + "\""};
}

ScriptRunner::CommandResult ScriptRunner::cmd_assert_unlinkable(const json& cmd) {
  Stage stage;
  Result<Prepared> prepared = prepare(cmd, stage);
  if (!prepared) {
    if (stage == Stage::Link) return {Outcome::Pass, {}};
    return {Outcome::Fail, prepared.error().message};
  }
  runtime::InstantiateResult r = instantiate(*prepared, cmd["filename"].get<std::string>());
  using Status = runtime::InstantiateResult::Status;
  if (r.status == Status::Unlinkable) return {Outcome::Pass, {}};
  // A module that instantiated stays alive: it may have written into shared objects.
  if (r.instance) m_instances.push_back(std::move(r.instance));
  const std::string filename = cmd["filename"].get<std::string>();
  if (r.status == Status::Ok) return {Outcome::Fail, filename + ": linked, expected \"" + cmd.value("text", "") + "\""};
  return {Outcome::Fail, filename + ": expected unlinkable, got " +
                             (r.status == Status::Trapped ? trap_description(r.trap, r.message) : r.message)};
}

ScriptRunner::CommandResult ScriptRunner::cmd_assert_uninstantiable(const json& cmd) {
  Stage stage;
  Result<Prepared> prepared = prepare(cmd, stage);
  if (!prepared) return {Outcome::Fail, prepared.error().message};
  runtime::InstantiateResult r = instantiate(*prepared, cmd["filename"].get<std::string>());
  using Status = runtime::InstantiateResult::Status;
  const std::string filename = cmd["filename"].get<std::string>();
  const std::string text = cmd.value("text", "");
  if (r.instance) m_instances.push_back(std::move(r.instance));
  if (r.status == Status::Trapped) {
    if (trap_text_matches(r.trap, text)) return {Outcome::Pass, {}};
    return {Outcome::Fail, filename + ": expected trap \"" + text + "\", got " + trap_description(r.trap, r.message)};
  }
  if (r.status == Status::Ok) return {Outcome::Fail, filename + ": instantiated, expected trap \"" + text + "\""};
  return {Outcome::Fail, filename + ": expected trap \"" + text + "\", got failure: " + r.message};
}

}  // namespace ward::spectest
