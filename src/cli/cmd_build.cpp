// `ward build SRC -o OUT.wasm`: compile a contract (C++ .cpp; Rust lib.rs,
// Cargo.toml or crate directory), then check the result with Ward's own
// loader and deploy policy. Also the build step of `ward deploy SRC`.
#include <stdlib.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <stdexcept>

#include <nlohmann/json.hpp>

#include "build/build.h"
#include "cli/commands.h"
#include "host/host.h"
#include "wasm/module.h"
#include "wasm/policy.h"

namespace ward::cli {

namespace {

/// The default output of `ward build SRC`: SRC without its extension +
/// ".wasm"; for a crate directory or Cargo.toml, the crate directory + ".wasm".
std::string default_output(const std::string& source) {
  namespace fs = std::filesystem;
  std::error_code ec;
  std::string out = source;
  if (fs::is_directory(source, ec)) {
    while (out.size() > 1 && out.back() == '/') out.pop_back();
    return out + ".wasm";
  }
  if (fs::path(source).filename() == "Cargo.toml") {
    std::string dir = fs::path(source).parent_path().string();
    return (dir.empty() ? std::string("contract") : dir) + ".wasm";
  }
  const auto dot = out.rfind('.');
  if (dot != std::string::npos && out.find('/', dot) == std::string::npos) out.resize(dot);
  return out + ".wasm";
}

/// Ward's own check of a built module: its loader and the deploy policy.
std::string check_with_ward(const std::string& bytes) {
  runtime::Limits limits;
  auto loaded = wasm::load_module({reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size()}, limits);
  if (!loaded) return "the module does not load: " + loaded.error().message;
  auto verdict = wasm::check_policy(**loaded, host::host_import_specs(), wasm::FloatPolicy::Allow);
  if (!verdict) return "the deploy policy rejects the module: " + verdict.error().message;
  return {};
}

}  // namespace

bool is_wasm_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  char magic[4] = {};
  return in.read(magic, 4) && magic[0] == 0 && magic[1] == 'a' && magic[2] == 's' && magic[3] == 'm';
}

BuiltSource build_source_for_deploy(const std::string& source, const std::string& argv0) {
  namespace fs = std::filesystem;
  std::error_code ec;
  fs::path base = fs::temp_directory_path(ec);
  if (ec) base = "/tmp";
  std::string dir = (base / "ward-deploy-XXXXXX").string();
  if (::mkdtemp(dir.data()) == nullptr) throw std::runtime_error("cannot create a temporary directory in " + base.string());
  struct Cleanup {
    std::string path;
    ~Cleanup() {
      std::error_code e;
      fs::remove_all(path, e);
    }
  } cleanup{dir};
  build::BuildOptions bo;
  bo.source = source;
  bo.output = (fs::path(dir) / "contract.wasm").string();
  bo.sdk_include_dir = build::default_sdk_include_dir(argv0);
  auto built = build::build_contract(bo);
  if (!built) throw std::runtime_error("building " + source + ": " + built.error().message);
  BuiltSource out{read_file(built->output_path), read_file(built->abi_path)};
  if (std::string err = check_with_ward(out.code); !err.empty()) throw std::runtime_error("building " + source + ": " + err);
  return out;
}

int cmd_build(const GlobalOptions& g, const BuildCmdOptions& o, const std::string& argv0) {
  build::BuildOptions bo;
  bo.source = o.source;
  bo.output = o.output.empty() ? default_output(o.source) : o.output;
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
  if (std::string err = check_with_ward(read_file(built->output_path)); !err.empty()) return failed(err);
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
