// The `ward` command: build, inspect, deploy, call, run and spec-test
// (DESIGN.md section 7). Human output by default, --json for scripts.
#include <CLI/CLI.hpp>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <stdexcept>
#include <exception>
#include <iostream>

#include "cli/commands.h"

int main(int argc, char** argv) {
  using namespace ward::cli;
  CLI::App app{"ward: a WebAssembly smart-contract virtual machine"};
  app.set_version_flag("--version", std::string("ward ") + WARD_VERSION);
  app.require_subcommand(1);
  GlobalOptions g;

  InspectOptions inspect;
  auto* c_inspect = app.add_subcommand("inspect", "Show a module's imports, exports, memory, size and policy verdict");
  c_inspect->add_option("FILE", inspect.file, "wasm module")->required();
  c_inspect->add_flag("--json", g.json, "print JSON");

  SpecTestOptions spec;
  auto* c_spec = app.add_subcommand("spec-test", "Run the WebAssembly spec testsuite (.wast files) of a folder");
  c_spec->add_option("DIR", spec.dir, "folder of .wast files")->required();
  c_spec->add_option("--backend", spec.backend, "backend: interp, aot or auto")
      ->check(CLI::IsMember({"interp", "aot", "auto"}));
  c_spec->add_option("--only", spec.only, "run only these files (name without .wast)");
  c_spec->add_flag("-v,--verbose", spec.verbose, "print every failure in full");
  c_spec->add_flag("--differential", spec.differential,
                   "run on interp and aot side by side and compare every call's results, trap and gas");
  c_spec->add_option("--compile-threads", spec.compile_threads, "threads compiling a script's modules for aot (1: none ahead)")
      ->check(CLI::Range(1u, 64u));

  BuildCmdOptions build;
  auto* c_build = app.add_subcommand("build", "Compile a C++ contract to a metered-ready wasm module and its ABI");
  c_build->add_option("SRC", build.source, "contract source (.cpp)")->required();
  c_build->add_option("-o,--output", build.output, "output .wasm (default: SRC with .wasm)");
  c_build->add_flag("--json", g.json, "print JSON");

  DeployOptions deploy;
  auto* c_deploy = app.add_subcommand("deploy", "Deploy a contract (local state, or --node with --key)");
  c_deploy->add_option("FILE", deploy.file, "contract .wasm")->required();
  c_deploy->add_option("--init", deploy.init, "method to run after deploying");
  c_deploy->add_option("--args", deploy.args, "JSON arguments of the init method");
  c_deploy->add_option("--from", deploy.target.from, "deployer address on the local state (default: the development address)");
  c_deploy->add_option("--gas", deploy.gas, "gas limit");
  add_target_options(c_deploy, deploy.target, true);
  c_deploy->add_option("--float-policy", deploy.float_policy, "allow (NaNs canonicalised) or deny floats")
      ->check(CLI::IsMember({"allow", "deny"}));
  c_deploy->add_flag("--immutable", deploy.immutable, "no admin: the contract can never be upgraded or destroyed");
  c_deploy->add_option("--backend", deploy.target.backend, "backend: interp, aot or auto (default)")
      ->check(CLI::IsMember({"interp", "aot", "auto"}));
  c_deploy->add_flag("--json", g.json, "print JSON");

  CallOptions call;
  auto* c_call = app.add_subcommand("call", "Call a method of a deployed contract");
  c_call->add_option("ADDR", call.address, "contract address (0x + 40 hex digits)")->required();
  c_call->add_option("METHOD", call.method, "method name")->required();
  c_call->add_option("ARGS_JSON", call.args, "JSON arguments (object by name, or array by position)");
  c_call->add_option("--from", call.target.from, "caller address on the local state (default: the development address)");
  c_call->add_option("--gas", call.gas, "gas limit");
  add_target_options(c_call, call.target, true);
  c_call->add_option("--value", call.value, "native value to attach (moved from the caller to the contract)");
  c_call->add_flag("--trace", call.trace, "print the call tree (contract, method, gas, outcome, nested calls)");
  c_call->add_flag("--rwset", call.rwset, "print the read and write sets");
  c_call->add_option("--backend", call.target.backend, "backend: interp, aot or auto (default)")
      ->check(CLI::IsMember({"interp", "aot", "auto"}));
  c_call->add_flag("--json", g.json, "print JSON");

  RunOptions run;
  auto* c_run = app.add_subcommand("run", "Run a method of a module on a throw-away state");
  c_run->add_option("FILE", run.file, "wasm module")->required();
  c_run->add_option("METHOD", run.method, "exported function or contract method")->required();
  c_run->add_option("ARGS_JSON", run.args, "JSON arguments (contract: object or array; plain export: array of wasm values)");
  c_run->add_option("--from", run.from, "caller address (default: the development address)");
  c_run->add_option("--gas", run.gas, "gas limit");
  c_run->add_option("--float-policy", run.float_policy, "allow (NaNs canonicalised) or deny floats")
      ->check(CLI::IsMember({"allow", "deny"}));
  c_run->add_option("--backend", run.backend, "backend: interp, aot or auto (default)")
      ->check(CLI::IsMember({"interp", "aot", "auto"}));
  c_run->add_flag("--json", g.json, "print JSON");

  auto run_lifecycle = add_lifecycle_commands(app, g);
  auto run_keys = add_keys_commands(app, g);
  auto run_node = add_node_commands(app, g);
  auto run_chain = add_chain_commands(app, g);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  }

  try {
    if (*c_inspect) return cmd_inspect(g, inspect);
    if (*c_spec) return cmd_spec_test(g, spec);
    if (*c_build) return cmd_build(g, build, argv[0]);
    if (*c_deploy) return cmd_deploy(g, deploy);
    if (*c_call) return cmd_call(g, call);
    if (*c_run) return cmd_run(g, run);
    if (auto rc = run_lifecycle()) return *rc;
    if (auto rc = run_keys()) return *rc;
    if (auto rc = run_node()) return *rc;
    if (auto rc = run_chain()) return *rc;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "ward: error: %s\n", e.what());
    return 2;
  }
  return 2;
}

namespace ward::cli {

std::string read_file(const std::string& path) {
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (!f) throw std::runtime_error("cannot read " + path + ": " + std::strerror(errno));
  std::string data;
  char buf[65536];
  size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, f)) > 0) data.append(buf, n);
  const bool failed = std::ferror(f);
  std::fclose(f);
  if (failed) throw std::runtime_error("cannot read " + path);
  return data;
}

}  // namespace ward::cli
