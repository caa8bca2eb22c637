// ward/host/host_table.cpp — the engine's table of host functions: module,
// name, signature, id in the gas schedule (wasm::HostFn) and callback, generated from
// src/host/abi_v1.def like docs/host-abi.md and the SDK declarations. The
// deploy policy's import specs and the instantiation imports derive from it.
#include <new>
#include <optional>

#include <nlohmann/json.hpp>

#include "host/detail.h"
#include "util/json_depth.h"
#include "util/utf8.h"

namespace ward::host {
namespace {

using namespace detail;  // NOLINT: the callbacks

/// One row of the table; the signature is "params:results" with i = i32, I = i64.
struct Row {
  std::string_view module;
  std::string_view name;
  std::string_view sig;
  wasm::HostFn id;
  runtime::HostFn fn;
};

constexpr std::string_view kWard = "ward_v1";
constexpr std::string_view kWasi = "wasi_snapshot_preview1";

// The rows come from src/host/abi_v1.def (scripts/gen-host-abi writes
// host_table.inc; CTest host_abi_generated fails when it is stale).
constexpr Row kRows[] = {
#include "host/host_table.inc"
};

constexpr size_t kCount = sizeof(kRows) / sizeof(kRows[0]);

/// Row i is wasm::HostFn i: the gas schedule's host costs are indexed by it.
constexpr bool rows_in_host_fn_order() {
  for (size_t i = 0; i < kCount; ++i) {
    if (static_cast<size_t>(kRows[i].id) != i) return false;
  }
  return kCount == wasm::kHostFnCount;
}
static_assert(rows_in_host_fn_order(), "host_table.inc and wasm/host_gas_v1.inc list the functions alike");

wasm::FuncType parse_sig(std::string_view sig) {
  wasm::FuncType t;
  bool results = false;
  for (char ch : sig) {
    if (ch == ':') {
      results = true;
      continue;
    }
    wasm::ValType v = ch == 'I' ? wasm::ValType::I64 : wasm::ValType::I32;
    (results ? t.results : t.params).push_back(v);
  }
  return t;
}

/// The callback every host FuncInst points at: runs the table entry's
/// function and turns a std::bad_alloc it throws into a trap, so that no
/// exception crosses the backend's frames (the AOT backend's are C). The
/// call's CallEnv::out_of_memory is set and the executor reports the call as
/// trapped with "out of memory". Nothing is allocated on that path.
TrapKind guarded(HostCall& call, const Value* args, Value* results) {
  const auto* f = static_cast<const HostFunction*>(call.func.host_data);
  try {
    return f->fn(call, args, results);
  } catch (const std::bad_alloc&) {
    if (auto* env = static_cast<CallEnv*>(call.ctx.host_env)) env->out_of_memory = true;
    try {
      call.ctx.message = "out of memory";
    } catch (...) {  // NOLINT: leave the message as it is
    }
    return TrapKind::Host;
  }
}

/// The table, built once: entries, import specs and FuncInst objects, all
/// with static storage; nothing is resized after construction.
struct Table {
  std::vector<HostFunction> functions;
  std::vector<wasm::ImportSpec> specs;
  std::vector<runtime::FuncInst> insts;

  Table() {
    functions.reserve(kCount);
    for (const Row& r : kRows) {
      functions.push_back(HostFunction{r.module, r.name, parse_sig(r.sig), r.id, r.fn});
    }
    specs.reserve(kCount);
    insts.resize(kCount);
    for (size_t i = 0; i < kCount; ++i) {
      const HostFunction& f = functions[i];
      specs.push_back(wasm::ImportSpec{f.module, f.name, f.type});
      runtime::FuncInst& fi = insts[i];
      fi.type = f.type;
      fi.type_id = runtime::canonical_type_id(f.type);
      fi.host = guarded;
      fi.host_data = const_cast<HostFunction*>(&f);
      fi.name = std::string(f.module) + "." + std::string(f.name);
    }
  }
};

Table& table() {
  static Table t;
  return t;
}

std::optional<size_t> find_index(std::string_view module, std::string_view name) {
  const auto& fns = table().functions;
  for (size_t i = 0; i < fns.size(); ++i) {
    if (fns[i].module == module && fns[i].name == name) return i;
  }
  return std::nullopt;
}

/// SAX handler that accepts everything and keeps the first parse error.
struct JsonChecker {
  using json = nlohmann::json;
  std::string error;
  bool null() { return true; }
  bool boolean(bool) { return true; }
  bool number_integer(json::number_integer_t) { return true; }
  bool number_unsigned(json::number_unsigned_t) { return true; }
  bool number_float(json::number_float_t, const json::string_t&) { return true; }
  bool string(json::string_t&) { return true; }
  bool binary(json::binary_t&) { return true; }
  bool start_object(std::size_t) { return true; }
  bool key(json::string_t&) { return true; }
  bool end_object() { return true; }
  bool start_array(std::size_t) { return true; }
  bool end_array() { return true; }
  bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception& ex) {
    error = ex.what();
    return false;
  }
};

}  // namespace

namespace detail {

bool validate_json(std::string_view text, std::string* error) {
  JsonChecker checker;
  bool ok = false;
  try {
    // The SAX parser is iterative: deep nesting cannot overflow the stack.
    ok = nlohmann::json::sax_parse(text.begin(), text.end(), &checker);
  } catch (const std::exception& ex) {
    checker.error = ex.what();
    ok = false;
  }
  if (ok) return true;
  std::string msg = checker.error.empty() ? std::string("parse error") : checker.error;
  if (msg.rfind("[json.exception.", 0) == 0) {
    size_t close = msg.find("] ");
    if (close != std::string::npos) msg.erase(0, close + 2);
  }
  for (char& ch : msg) {
    if (static_cast<unsigned char>(ch) >= 0x80) ch = '?';  // keep messages valid UTF-8
  }
  *error = std::move(msg);
  return false;
}

bool valid_utf8(std::string_view s) { return ward::valid_utf8(s); }

TrapKind check_output_json(Call& c, std::string_view text, std::string_view what) {
  const uint32_t max = c.limits().max_json_depth;
  if (json_depth(text) > max) {
    return c.fail(std::string(what) + " nesting exceeds max_json_depth (" + std::to_string(max) + ")");
  }
  std::string error;
  if (!validate_json(text, &error)) return c.fail(std::string(what) + " is not valid JSON: " + error);
  if (!valid_utf8(text)) return c.fail(std::string(what) + " is not valid UTF-8");
  return TrapKind::None;
}

}  // namespace detail

std::span<const HostFunction> host_functions() { return table().functions; }

const HostFunction* find_host_function(std::string_view module, std::string_view name) {
  auto i = find_index(module, name);
  return i ? &table().functions[*i] : nullptr;
}

std::span<const wasm::ImportSpec> host_import_specs() { return table().specs; }

Result<std::vector<runtime::Extern>> resolve_imports(const wasm::Module& module) {
  std::vector<runtime::Extern> out;
  out.reserve(module.imports.size());
  for (const wasm::Import& imp : module.imports) {
    std::string where = "import " + imp.module + "." + imp.field;
    if (imp.kind != wasm::ExternKind::Func) {
      return make_error(where + ": only functions may be imported (found " + wasm::to_string(imp.kind) + ")");
    }
    auto i = find_index(imp.module, imp.field);
    if (!i) return make_error(where + ": unknown host function");
    if (imp.type_index >= module.types.size()) return make_error(where + ": bad type index");
    const wasm::FuncType& want = module.types[imp.type_index];
    runtime::FuncInst& fi = table().insts[*i];
    if (!(want == fi.type)) {
      return make_error(where + ": type " + wasm::to_string(want) + " does not match " + wasm::to_string(fi.type));
    }
    runtime::Extern e;
    e.kind = wasm::ExternKind::Func;
    e.func = &fi;
    out.push_back(std::move(e));
  }
  return out;
}

void CallEnv::debug_write(std::string_view text) {
  size_t start = 0;
  while (true) {
    size_t nl = text.find('\n', start);
    if (nl == std::string_view::npos) {
      debug_partial.append(text.substr(start));
      return;
    }
    debug_partial.append(text.substr(start, nl - start));
    if (debug_sink) debug_sink(debug_partial);
    debug_lines.push_back(std::move(debug_partial));
    debug_partial.clear();
    start = nl + 1;
  }
}

void CallEnv::debug_line(std::string_view line) {
  debug_flush();
  if (!line.empty() && line.back() == '\n') line.remove_suffix(1);
  if (debug_sink) debug_sink(line);
  debug_lines.emplace_back(line);
}

void CallEnv::debug_flush() {
  if (debug_partial.empty()) return;
  if (debug_sink) debug_sink(debug_partial);
  debug_lines.push_back(std::move(debug_partial));
  debug_partial.clear();
}

}  // namespace ward::host
