// The `ward` command: build, inspect, deploy, call, run and spec-test
// (DESIGN.md section 7). Human output by default, --json for scripts.
#include <CLI/CLI.hpp>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <stdexcept>
#include <exception>
#include <filesystem>
#include <iostream>
#include <string_view>

#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "cli/options.h"

int main(int argc, char** argv) {
  using namespace ward::cli;
  CLI::App app{"ward: a WebAssembly smart-contract virtual machine", "ward"};
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
      ->capture_default_str()
      ->check(CLI::IsMember({"interp", "aot", "auto"}));
  c_spec->add_option("--only", spec.only, "run only these files (name without .wast)");
  c_spec->add_flag("-v,--verbose", spec.verbose, "print every failure in full");
  c_spec->add_flag("--differential", spec.differential,
                   "run on interp and aot side by side and compare every call's results, trap and gas");
  add_uint_option(c_spec, "--compile-threads", spec.compile_threads,
                  "threads compiling a script's modules for aot (1: none ahead)", 1, 64);
  add_uint_option(c_spec, "--gas", spec.gas, "gas limit of every invoke and instantiation", 1);
  add_uint_option(c_spec, "--timeout-ms", spec.timeout_ms, "wall-clock limit of every invoke and instantiation, ms", 1,
                  UINT32_MAX);

  BuildCmdOptions build;
  auto* c_build = app.add_subcommand("build", "Compile a contract (C++, Rust) to a metered-ready wasm module and its ABI");
  c_build->add_option("SRC", build.source, "contract source: .cpp; Rust lib.rs, Cargo.toml or crate directory")->required();
  c_build->add_option("-o,--output", build.output, "output .wasm (default: SRC with .wasm)");
  c_build->add_flag("--json", g.json, "print JSON");

  DeployOptions deploy;
  auto* c_deploy = app.add_subcommand("deploy", "Deploy a contract (local state, or --node with --key)");
  c_deploy->add_option("FILE", deploy.file, "contract .wasm, or a source `ward build` accepts (built first)")->required();
  c_deploy->add_option("--init", deploy.init, "method to run after deploying");
  auto* deploy_args = c_deploy->add_option("--args", deploy.args, "JSON arguments of the init method");
  add_args_file_option(c_deploy, deploy.args, deploy_args);
  c_deploy->add_option("--from", deploy.target.from, "deployer address on the local state (default: the development address)");
  add_gas_option(c_deploy, deploy.gas);
  add_target_options(c_deploy, deploy.target, true);
  c_deploy->add_option("--float-policy", deploy.float_policy, "allow (NaNs canonicalised) or deny floats")
      ->capture_default_str()
      ->check(CLI::IsMember({"allow", "deny"}));
  c_deploy->add_flag("--immutable", deploy.immutable, "no admin: the contract can never be upgraded or destroyed");
  c_deploy->add_option("--backend", deploy.target.backend, "backend: interp, aot or auto")
      ->capture_default_str()
      ->check(CLI::IsMember({"interp", "aot", "auto"}));
  c_deploy->add_flag("--json", g.json, "print JSON");

  CallOptions call;
  auto* c_call = app.add_subcommand("call", "Call a method of a deployed contract");
  c_call->add_option("ADDR", call.address, "contract address (0x + 40 hex digits)")->required();
  c_call->add_option("METHOD", call.method, "method name")->required();
  auto* call_args = c_call->add_option("ARGS_JSON", call.args, "JSON arguments (object by name, or array by position)")
                        ->capture_default_str();
  add_args_file_option(c_call, call.args, call_args);
  c_call->add_option("--from", call.target.from, "caller address on the local state (default: the development address)");
  add_gas_option(c_call, call.gas);
  add_target_options(c_call, call.target, true);
  add_uint_option(c_call, "--value", call.value, "native value to attach (moved from the caller to the contract)");
  c_call->add_flag("--trace", call.trace, "print the call tree (contract, method, gas, outcome, nested calls)");
  c_call->add_flag("--rwset", call.rwset, "print the read and write sets");
  c_call->add_option("--backend", call.target.backend, "backend: interp, aot or auto")
      ->capture_default_str()
      ->check(CLI::IsMember({"interp", "aot", "auto"}));
  c_call->add_flag("--json", g.json, "print JSON");

  RunOptions run;
  auto* c_run = app.add_subcommand("run", "Run a method of a module on a throw-away state");
  c_run->add_option("FILE", run.file, "wasm module")->required();
  c_run->add_option("METHOD", run.method, "exported function or contract method")->required();
  auto* run_args = c_run->add_option("ARGS_JSON", run.args,
                                     "JSON arguments (contract: object or array; plain export: array of wasm values)");
  add_args_file_option(c_run, run.args, run_args);
  c_run->add_option("--from", run.from, "caller address (default: the development address)");
  add_gas_option(c_run, run.gas);
  c_run->add_option("--float-policy", run.float_policy, "allow (NaNs canonicalised) or deny floats")
      ->capture_default_str()
      ->check(CLI::IsMember({"allow", "deny"}));
  c_run->add_option("--backend", run.backend, "backend: interp, aot or auto")
      ->capture_default_str()
      ->check(CLI::IsMember({"interp", "aot", "auto"}));
  c_run->add_flag("--json", g.json, "print JSON");

  auto run_lifecycle = add_lifecycle_commands(app, g);
  auto run_keys = add_keys_commands(app, g);
  auto run_node = add_node_commands(app, g);
  auto run_chain = add_chain_commands(app, g);

  // Errors: "ward: error: ..." on stderr, or with --json anywhere on the
  // command line {"status": "error", "error": "..."} on stdout; exit code 2.
  bool json_errors = false;
  for (int i = 1; i < argc; ++i) json_errors = json_errors || std::string_view(argv[i]) == "--json";
  auto fail = [&](const std::string& message, bool usage) {
    if (json_errors) {
      const nlohmann::ordered_json j = {{"status", "error"}, {"error", message}};
      std::printf("%s\n", j.dump(2).c_str());
      std::fflush(stdout);
    } else {
      std::fprintf(stderr, "ward: error: %s\n", message.c_str());
      if (usage) std::fprintf(stderr, "Run with --help for more information.\n");
    }
    return 2;
  };

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    if (e.get_exit_code() == 0) return app.exit(e);  // --help, --version
    return fail(e.what(), true);
  } catch (const std::exception& e) {  // --args-file that cannot be read
    return fail(e.what(), false);
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
    return fail(e.what(), false);
  }
  return 2;
}

namespace ward::cli {

std::string read_file(const std::string& path) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) throw std::runtime_error("cannot read " + path + ": it is a folder");
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (!f) throw std::runtime_error("cannot read " + path + ": " + std::strerror(errno));
  std::string data;
  char buf[65536];
  size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, f)) > 0) data.append(buf, n);
  const int err = std::ferror(f) ? errno : 0;
  std::fclose(f);
  if (err != 0) throw std::runtime_error("cannot read " + path + ": " + std::strerror(err));
  return data;
}

}  // namespace ward::cli
