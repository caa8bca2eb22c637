// `ward deploy` and `ward call`: on the local state (a block of one
// transaction) or, with --node, signed and sent to a node (chain_access.h).
#include <cstdio>
#include <filesystem>
#include <stdexcept>

#include "build/build.h"
#include "cli/chain_access.h"
#include "cli/commands.h"
#include "cli/output.h"

namespace ward::cli {

int cmd_deploy(const GlobalOptions& g, const DeployOptions& o) {
  if (o.init.empty() && o.args) throw std::runtime_error("--args is for the init method: give --init METHOD too");
  chain::DeployAction a;
  // A source file (C++, Rust) is built first, as `ward build` would.
  const bool from_source = std::filesystem::exists(o.file) && !is_wasm_file(o.file) && build::detect_language(o.file);
  if (from_source) {
    BuiltSource built = build_source_for_deploy(o.file, "");
    a.code = std::move(built.code);
    a.abi = std::move(built.abi);
  } else {
    a.code = read_file(o.file);
  }
  if (!o.init.empty()) a.init_method = o.init;
  a.init_args = o.init.empty() ? std::string() : o.args.value_or("{}");
  a.immutable = o.immutable;
  a.float_policy = o.float_policy == "deny" ? wasm::FloatPolicy::Deny : wasm::FloatPolicy::Allow;
  // The ABI written by `ward build` beside the module travels with it.
  std::filesystem::path abi = std::filesystem::path(o.file).replace_extension(".abi.json");
  if (!from_source && std::filesystem::exists(abi)) a.abi = read_file(abi.string());
  Submitted s = submit(o.target, a, o.gas, /*create=*/true);
  if (!s.receipt) {
    return print_pending(s.tx_hash, g.json);
  }
  print_debug(s.receipt->debug);
  return print_deploy(*s.receipt, g.json, !o.target.node.empty());
}

int cmd_call(const GlobalOptions& g, const CallOptions& o) {
  const chain::Address to = parse_address_arg(o.address, "contract address");
  chain::CallAction a{to, o.method, o.args, o.value};
  Submitted s = submit(o.target, a, o.gas, /*create=*/false);
  if (!s.receipt) {
    return print_pending(s.tx_hash, g.json);
  }
  print_debug(s.receipt->debug);
  Outcome out = outcome_of(*s.receipt);
  out.show_tx = !o.target.node.empty();
  if (o.trace) out.trace = s.receipt->trace;
  if (o.rwset) out.access = s.receipt->access;
  return print_outcome(out, g.json);
}

}  // namespace ward::cli
