// ward/cli/commands.h — the subcommands of the `ward` program. Each returns
// the process exit code. The CLI may use exceptions; they stop at main().
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "chain/address.h"
#include "chain/crypto.h"
#include "cli/chain_access.h"
#include "runtime/backend.h"
#include "util/result.h"

namespace CLI {
class App;
}
namespace ward::chain {
class Executor;
}

namespace ward::cli {

/// Options shared by every subcommand.
struct GlobalOptions {
  bool json = false;  ///< machine-readable output
};

struct InspectOptions { std::string file; };
struct SpecTestOptions {
  std::string dir;
  std::string backend = "interp";
  std::vector<std::string> only;
  bool verbose = false;
  bool differential = false;
  unsigned compile_threads = 2;
  uint64_t gas = 10'000'000'000ull;  ///< gas limit of every invoke and instantiation
  uint64_t timeout_ms = 60'000;      ///< wall-clock limit of every invoke and instantiation
};
struct BuildCmdOptions { std::string source; std::string output; };
struct DeployOptions {
  std::string file;
  std::string init;
  std::optional<std::string> args;     ///< JSON arguments of the init method (--args or --args-file)
  std::optional<uint64_t> gas;
  std::string float_policy = "allow";  ///< "allow" or "deny" (wasm::FloatPolicy)
  bool immutable = false;              ///< no admin: never upgraded nor destroyed
  Target target;                       ///< local state (--state, --from, --backend) or --node/--key
};
struct CallOptions {
  std::string address;
  std::string method;
  std::string args = "{}";
  std::optional<uint64_t> gas;
  uint64_t value = 0;   ///< native value attached to the call
  bool trace = false;   ///< print the call tree (local state)
  bool rwset = false;   ///< print the read and write sets (local state)
  Target target;
};
struct RunOptions {
  std::string file;
  std::string method;
  std::string args;
  std::optional<std::string> from;     ///< omitted: the development address
  std::optional<uint64_t> gas;
  std::string float_policy = "allow";  ///< "allow" or "deny" (wasm::FloatPolicy)
  std::string backend = "auto";        ///< interp, aot or auto (make_cli_backend)
};

/// The backend of `--backend`: "interp", "aot" (compiled, cached on disk) or
/// "auto" (interpreter until the AOT build is ready). Unknown names: interp.
std::unique_ptr<runtime::Backend> make_cli_backend(const std::string& name);

int cmd_inspect(const GlobalOptions&, const InspectOptions&);
int cmd_spec_test(const GlobalOptions&, const SpecTestOptions&);
int cmd_build(const GlobalOptions&, const BuildCmdOptions&, const std::string& argv0);
/// True when the file starts with the wasm magic bytes.
bool is_wasm_file(const std::string& path);
/// A contract built from source for `ward deploy SRC`: module bytes and ABI JSON.
struct BuiltSource {
  std::string code;  ///< the wasm module
  std::string abi;   ///< the ABI JSON `ward build` writes
};
/// Builds `source` (any language `ward build` accepts) in a temporary
/// directory and checks it as `ward build` does; throws std::runtime_error
/// with the build's error.
BuiltSource build_source_for_deploy(const std::string& source, const std::string& argv0);
int cmd_deploy(const GlobalOptions&, const DeployOptions&);
int cmd_call(const GlobalOptions&, const CallOptions&);
int cmd_run(const GlobalOptions&, const RunOptions&);

/// Adds transfer, balance, upgrade and destroy (cmd_lifecycle.cpp) to `app`;
/// the returned function runs the one chosen (nullopt when none was).
std::function<std::optional<int>()> add_lifecycle_commands(CLI::App& app, GlobalOptions& g);
/// Parses an address argument; throws "<what> '<text>' is not an address
/// ..." for anything else, the empty text included.
chain::Address parse_address_arg(const std::string& text, const char* what);
/// An optional address option: omitted gives the development address.
chain::Address parse_address_arg(const std::optional<std::string>& text, const char* what);
/// Gives a fresh local state its genesis balance (chain::Executor::ensure_genesis); throws on a store error.
void open_genesis(chain::Executor& executor);

/// Adds `keys` (new, list, show, import, export; cmd_keys.cpp) to `app`; the
/// returned function runs the one chosen (nullopt when `keys` was not).
std::function<std::optional<int>()> add_keys_commands(CLI::App& app, GlobalOptions& g);
/// The key pair `name` of the keystore folder `keystore` (empty: ~/.ward/keys),
/// for commands signing with `--key NAME`. An encrypted key's passphrase comes
/// from WARD_PASSPHRASE, else from the terminal (no echo). Errors: those of
/// chain::Keystore::load, "no passphrase: set WARD_PASSPHRASE or run on a terminal".
Result<chain::KeyPair> load_key(const std::string& keystore, const std::string& name);

/// Adds `node` (cmd_node.cpp) to `app`.
std::function<std::optional<int>()> add_node_commands(CLI::App& app, GlobalOptions& g);
/// Adds query, tx, block, events and chain-info (cmd_chain.cpp) to `app`.
std::function<std::optional<int>()> add_chain_commands(CLI::App& app, GlobalOptions& g);

/// The value of `r`, or throws std::runtime_error with its message (the CLI's
/// edge turns it into "ward: error: ...").
template <class T>
T unwrap(Result<T> r) {
  if (!r) throw std::runtime_error(r.error().message);
  return std::move(r.value());
}
inline void unwrap(Result<void> r) {
  if (!r) throw std::runtime_error(r.error().message);
}

/// Reads a whole file; throws std::runtime_error naming the file on failure.
std::string read_file(const std::string& path);

}  // namespace ward::cli
