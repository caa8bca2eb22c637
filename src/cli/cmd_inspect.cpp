// `ward inspect FILE.wasm`: what a module imports and exports, its memory,
// its size, and whether the deploy policy accepts it.
#include <cstdio>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "host/host.h"
#include "runtime/limits.h"
#include "wasm/module.h"
#include "wasm/policy.h"

namespace ward::cli {
namespace {

std::string describe_import(const wasm::Module& m, const wasm::Import& im) {
  switch (im.kind) {
    case wasm::ExternKind::Func: return "func " + wasm::to_string(m.types[im.type_index]);
    case wasm::ExternKind::Table: return fmt::format("table {} min {}", wasm::to_string(im.table.elem), im.table.limits.min);
    case wasm::ExternKind::Memory: return fmt::format("memory min {} pages", im.memory.limits.min);
    case wasm::ExternKind::Global: return fmt::format("global {}{}", im.global.mut ? "mut " : "", wasm::to_string(im.global.type));
  }
  return "?";
}

std::string describe_export(const wasm::Module& m, const wasm::Export& ex) {
  if (ex.kind == wasm::ExternKind::Func) return "func " + wasm::to_string(m.func_type(ex.index));
  return wasm::to_string(ex.kind);
}

}  // namespace

int cmd_inspect(const GlobalOptions& g, const InspectOptions& o) {
  const std::string bytes = read_file(o.file);
  runtime::Limits limits;
  auto loaded = wasm::load_module({reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size()}, limits);
  if (!loaded) {
    if (g.json) {
      nlohmann::ordered_json j = {{"file", o.file}, {"size", bytes.size()}, {"valid", false}, {"error", loaded.error().message}};
      std::printf("%s\n", j.dump(2).c_str());
    } else {
      std::printf("module:  %s (%zu bytes)\nvalid:   no\nerror:   %s\n", o.file.c_str(), bytes.size(),
                  loaded.error().message.c_str());
    }
    return 1;
  }
  const wasm::Module& m = **loaded;
  auto verdict = wasm::check_policy(m, host::host_import_specs(), wasm::FloatPolicy::Allow);

  nlohmann::ordered_json imports = nlohmann::ordered_json::array(), exports = nlohmann::ordered_json::array();
  for (const auto& im : m.imports)
    imports.push_back({{"module", im.module}, {"name", im.field}, {"kind", wasm::to_string(im.kind)},
                       {"type", describe_import(m, im)}});
  for (const auto& ex : m.exports)
    exports.push_back({{"name", ex.name}, {"kind", wasm::to_string(ex.kind)}, {"type", describe_export(m, ex)}});
  nlohmann::ordered_json memory = nullptr;
  const wasm::SizeLimits* mem = nullptr;
  if (!m.memories.empty()) mem = &m.memories[0].limits;
  for (const auto& im : m.imports)
    if (im.kind == wasm::ExternKind::Memory) mem = &im.memory.limits;
  if (mem) {
    memory = {{"initial_pages", mem->min}};
    memory["max_pages"] = mem->has_max ? nlohmann::ordered_json(mem->max) : nlohmann::ordered_json(nullptr);
  }

  if (g.json) {
    nlohmann::ordered_json j = {{"file", o.file}, {"size", bytes.size()}, {"valid", true}, {"imports", imports},
                        {"exports", exports}, {"memory", memory}, {"functions", m.num_funcs()},
                        {"uses_floats", m.uses_floats},
                        {"policy", verdict ? "accepted" : "rejected"}};
    if (!verdict) j["policy_error"] = verdict.error().message;
    std::printf("%s\n", j.dump(2).c_str());
    return verdict ? 0 : 1;
  }
  std::printf("module:    %s (%zu bytes, %u functions)\n", o.file.c_str(), bytes.size(), m.num_funcs());
  std::printf("imports:   %zu\n", m.imports.size());
  for (const auto& im : m.imports)
    std::printf("  %s.%s: %s\n", im.module.c_str(), im.field.c_str(), describe_import(m, im).c_str());
  std::printf("exports:   %zu\n", m.exports.size());
  for (const auto& ex : m.exports) std::printf("  %s: %s\n", ex.name.c_str(), describe_export(m, ex).c_str());
  if (mem)
    std::printf("memory:    %llu pages initial, %s\n", static_cast<unsigned long long>(mem->min),
                mem->has_max ? fmt::format("{} pages max", mem->max).c_str() : "no maximum");
  else
    std::printf("memory:    none\n");
  std::printf("floats:    %s\n", m.uses_floats ? "used" : "not used");
  if (verdict)
    std::printf("policy:    accepted\n");
  else
    std::printf("policy:    rejected: %s\n", verdict.error().message.c_str());
  return verdict ? 0 : 1;
}

}  // namespace ward::cli
