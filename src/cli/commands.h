// ward/cli/commands.h — the subcommands of the `ward` program. Each returns
// the process exit code. The CLI may use exceptions; they stop at main().
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace ward::cli {

/// Options shared by every subcommand.
struct GlobalOptions {
  bool json = false;  ///< machine-readable output
};

struct InspectOptions { std::string file; };
struct SpecTestOptions { std::string dir; std::string backend = "interp"; std::vector<std::string> only; bool verbose = false; };
struct BuildCmdOptions { std::string source; std::string output; };
struct DeployOptions {
  std::string file;
  std::string init;
  std::string args = "{}";
  std::string from;
  std::string state_dir = ".ward-state";
  std::optional<uint64_t> gas;
  std::string float_policy = "allow";  ///< "allow" or "deny" (wasm::FloatPolicy)
};
struct CallOptions {
  std::string address;
  std::string method;
  std::string args = "{}";
  std::string from;
  std::string state_dir = ".ward-state";
  std::optional<uint64_t> gas;
};
struct RunOptions {
  std::string file;
  std::string method;
  std::string args;
  std::string from;
  std::optional<uint64_t> gas;
  std::string float_policy = "allow";  ///< "allow" or "deny" (wasm::FloatPolicy)
};

int cmd_inspect(const GlobalOptions&, const InspectOptions&);
int cmd_spec_test(const GlobalOptions&, const SpecTestOptions&);
int cmd_build(const GlobalOptions&, const BuildCmdOptions&, const std::string& argv0);
int cmd_deploy(const GlobalOptions&, const DeployOptions&);
int cmd_call(const GlobalOptions&, const CallOptions&);
int cmd_run(const GlobalOptions&, const RunOptions&);

/// Reads a whole file; throws std::runtime_error naming the file on failure.
std::string read_file(const std::string& path);

}  // namespace ward::cli
