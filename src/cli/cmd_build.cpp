// `ward build SRC.cpp -o OUT.wasm`: compile a C++ contract, then check the
// result with Ward's own loader and deploy policy.
#include <cstdio>
#include <stdexcept>

#include <nlohmann/json.hpp>

#include "build/build.h"
#include "cli/commands.h"
#include "host/host.h"
#include "wasm/module.h"
#include "wasm/policy.h"

namespace ward::cli {

int cmd_build(const GlobalOptions& g, const BuildCmdOptions& o, const std::string& argv0) {
  build::BuildOptions bo;
  bo.source = o.source;
  bo.output = o.output;
  if (bo.output.empty()) {
    bo.output = o.source;
    const auto dot = bo.output.rfind('.');
    if (dot != std::string::npos && bo.output.find('/', dot) == std::string::npos) bo.output.resize(dot);
    bo.output += ".wasm";
  }
  bo.sdk_include_dir = build::default_sdk_include_dir(argv0);
  int step = 0;
  const int steps = static_cast<int>(build::build_step_count(bo)) + 1;  // + Ward's own check
  bo.progress = [&](std::string_view s) {
    if (!g.json) std::fprintf(stderr, "[%d/%d] %.*s\n", ++step, steps, static_cast<int>(s.size()), s.data());
  };
  auto built = build::build_contract(bo);
  // With --json, a failure is the JSON error of main() (exit code 2).
  auto failed = [&](const std::string& message) {
    if (g.json) throw std::runtime_error(message);
    std::fprintf(stderr, "ward build: %s\n", message.c_str());
    return 1;
  };
  if (!built) return failed(built.error().message);
  bo.progress("checking with Ward's loader and deploy policy");
  const std::string bytes = read_file(built->output_path);
  runtime::Limits limits;
  auto loaded = wasm::load_module({reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size()}, limits);
  if (!loaded) return failed("the module does not load: " + loaded.error().message);
  auto verdict = wasm::check_policy(**loaded, host::host_import_specs(), wasm::FloatPolicy::Allow);
  if (!verdict) return failed("the deploy policy rejects the module: " + verdict.error().message);
  if (g.json) {
    nlohmann::ordered_json j = {{"output", built->output_path}, {"abi", built->abi_path}, {"size", built->module_size},
                        {"methods", built->methods}};
    std::printf("%s\n", j.dump(2).c_str());
  } else {
    if (!built->diagnostics.empty()) std::fprintf(stderr, "%s", built->diagnostics.c_str());
    std::printf("built:   %s (%zu bytes)\n", built->output_path.c_str(), built->module_size);
    std::printf("abi:     %s\n", built->abi_path.c_str());
    std::printf("methods:\n");
    for (const auto& m : built->model.methods) std::printf("  %s\n", build::method_signature(m).c_str());
  }
  return 0;
}

}  // namespace ward::cli
