// `ward query`, `ward tx`, `ward block`, `ward events`, `ward chain-info`:
// reads of the local state or of a node (--node URL), through the node's
// JSON-RPC methods (chain_access.h), printed as lines or, with --json, as
// the RPC result.
#include <CLI/CLI.hpp>

#include <cstdio>
#include <memory>

#include "chain/receipt_json.h"
#include "cli/chain_access.h"
#include "cli/commands.h"
#include "cli/options.h"
#include "cli/output.h"

namespace ward::cli {
namespace {

struct ChainCmdOptions {
  Target target;
  std::string address, method, args = "{}", hash, block, name;
  std::optional<std::string> contract, from_addr;
  std::optional<uint64_t> from_height, to_height, gas;
  uint64_t limit = 100;
};

void print_json(const nlohmann::json& j) {
  std::printf("%s\n", chain::dump_json(j, 2).c_str());
  std::fflush(stdout);
}

std::string text_of(const nlohmann::json& j) { return j.is_string() ? j.get<std::string>() : chain::dump_json(j); }

int cmd_query(const GlobalOptions& g, const ChainCmdOptions& o) {
  const chain::Address to = parse_address_arg(o.address, "contract address");
  nlohmann::json params = {{"to", chain::format_address(to)}, {"method", o.method}, {"args", o.args}};
  if (o.from_addr) params["from"] = chain::format_address(parse_address_arg(*o.from_addr, "--from"));
  if (o.gas) params["gas"] = *o.gas;
  const nlohmann::json r = read_rpc(o.target, "ward_call", params);
  Outcome out;
  out.status = r.value("status", std::string("failed"));
  out.result = r.contains("result") ? r["result"] : nlohmann::json(nullptr);
  out.gas_used = r.value("gas_used", uint64_t{0});
  out.error = r["error"].is_string() ? r["error"].get<std::string>() : std::string();
  for (const auto& e : r.value("events", nlohmann::json::array())) {
    chain::ReceiptEvent ev;
    ev.contract = chain::parse_address(e.value("contract", std::string())).value_or(chain::Address{});
    ev.name = e.value("name", std::string());
    ev.data = chain::dump_json(e.contains("data") ? e["data"] : nlohmann::json(nullptr));
    out.events.push_back(std::move(ev));
  }
  return print_outcome(out, g.json);
}

int cmd_tx(const GlobalOptions& g, const ChainCmdOptions& o) {
  const nlohmann::json r = read_rpc(o.target, "ward_getTransaction", nlohmann::json::array({o.hash}));
  if (r.is_null()) throw std::runtime_error("no transaction " + o.hash);
  if (g.json) {
    print_json(r);
    return 0;
  }
  if (r.value("pending", false)) {
    std::printf("hash:     %s\nstatus:   pending (in the mempool)\n", o.hash.c_str());
    return 0;
  }
  const nlohmann::json& rc = r.contains("receipt") ? r["receipt"] : nlohmann::json(nullptr);
  std::printf("hash:     %s\n", o.hash.c_str());
  std::printf("block:    %s, position %s\n", text_of(r["height"]).c_str(), text_of(r["position"]).c_str());
  std::printf("from:     %s\n", text_of(r.value("from", nlohmann::json(""))).c_str());
  std::printf("nonce:    %s\n", text_of(r.value("nonce", nlohmann::json(0))).c_str());
  std::printf("action:   %s\n", text_of(r.value("action", nlohmann::json::object())).c_str());
  if (!rc.is_null()) {
    std::printf("status:   %s\n", text_of(rc["status"]).c_str());
    if (!rc["error"].is_null()) std::printf("error:    %s\n", text_of(rc["error"]).c_str());
    if (!rc["result"].is_null()) std::printf("result:   %s\n", chain::dump_json(rc["result"]).c_str());
    std::printf("gas used: %s\nfee:      %s\n", text_of(rc["gas_used"]).c_str(), text_of(rc["fee"]).c_str());
    std::printf("events:   %zu\n", rc["events"].size());
    for (const auto& e : rc["events"]) {
      std::printf("  %s %s\n", text_of(e["name"]).c_str(), chain::dump_json(e["data"]).c_str());
    }
  }
  return 0;
}

int cmd_block(const GlobalOptions& g, const ChainCmdOptions& o) {
  nlohmann::json sel = o.block.empty() ? nlohmann::json("latest") : nlohmann::json(nullptr);
  if (!o.block.empty()) {
    if (o.block.rfind("0x", 0) == 0) {
      sel = nlohmann::json{{"hash", o.block}};
    } else if (!o.block.empty() && o.block.find_first_not_of("0123456789") == std::string::npos) {
      sel = nlohmann::json{{"height", std::to_string(parse_uint_arg(o.block, "N", 0, UINT64_MAX))}};
    } else {
      throw std::runtime_error("block '" + o.block + "' is not a height or a 0x block hash");
    }
  }
  const nlohmann::json r = read_rpc(o.target, "ward_getBlock", nlohmann::json::array({sel, false}));
  if (r.is_null()) throw std::runtime_error("no block " + o.block);
  if (g.json) {
    print_json(r);
    return 0;
  }
  for (const char* k : {"height", "hash", "parent_hash", "time_ms", "producer", "tx_count", "gas_used", "state_root",
                        "tx_root", "receipts_root"}) {
    std::printf("%-14s %s\n", (std::string(k) + ":").c_str(), text_of(r[k]).c_str());
  }
  for (const auto& h : r["transactions"]) std::printf("  tx %s\n", text_of(h).c_str());
  return 0;
}

int cmd_events(const GlobalOptions& g, const ChainCmdOptions& o) {
  nlohmann::json params = {{"fromHeight", o.from_height.value_or(0)}, {"limit", o.limit}};
  if (o.contract) params["contract"] = chain::format_address(parse_address_arg(*o.contract, "--contract"));
  if (!o.name.empty()) params["name"] = o.name;
  if (o.to_height) params["toHeight"] = *o.to_height;
  if (!o.to_height && !o.from_height) {
    // Default range: the last 10,000 blocks.
    const nlohmann::json info = read_rpc(o.target, "ward_chainInfo", nlohmann::json::array());
    const uint64_t head = info["head_height"].get<uint64_t>();
    params["fromHeight"] = head >= 9'999 ? head - 9'999 : 0;
  }
  const nlohmann::json r = read_rpc(o.target, "ward_getEvents", params);
  if (g.json) {
    print_json(r);
    return 0;
  }
  for (const auto& e : r["events"]) {
    std::printf("%s:%s %s %s %s\n", text_of(e["height"]).c_str(), text_of(e["position"]).c_str(),
                text_of(e["contract"]).c_str(), text_of(e["name"]).c_str(), chain::dump_json(e["data"]).c_str());
  }
  std::printf("events:   %zu%s\n", r["events"].size(), r["cursor"].is_null() ? "" : " (more: raise --limit)");
  return 0;
}

int cmd_chain_info(const GlobalOptions& g, const ChainCmdOptions& o) {
  const nlohmann::json r = read_rpc(o.target, "ward_chainInfo", nlohmann::json::array());
  if (g.json) {
    print_json(r);
    return 0;
  }
  for (auto it = r.begin(); it != r.end(); ++it) {
    std::printf("%-16s %s\n", (it.key() + ":").c_str(), text_of(it.value()).c_str());
  }
  return 0;
}

}  // namespace

std::function<std::optional<int>()> add_chain_commands(CLI::App& app, GlobalOptions& g) {
  auto o = std::make_shared<ChainCmdOptions>();
  auto* q = app.add_subcommand("query", "Read-only call of a contract method at the head (nothing is committed)");
  q->add_option("ADDR", o->address, "contract address")->required();
  q->add_option("METHOD", o->method, "method name")->required();
  auto* q_args = q->add_option("ARGS_JSON", o->args, "JSON arguments")->capture_default_str();
  add_args_file_option(q, o->args, q_args);
  q->add_option("--from", o->from_addr, "caller address seen by the contract");
  add_gas_option(q, o->gas);
  add_target_options(q, o->target, false);
  q->add_flag("--json", g.json, "print JSON");

  auto* t = app.add_subcommand("tx", "Show a transaction and its receipt");
  t->add_option("HASH", o->hash, "transaction hash (0x + 64 hex digits)")->required();
  add_target_options(t, o->target, false);
  t->add_flag("--json", g.json, "print JSON");

  auto* b = app.add_subcommand("block", "Show a block (default: the latest)");
  b->add_option("N", o->block, "height or 0x block hash");
  add_target_options(b, o->target, false);
  b->add_flag("--json", g.json, "print JSON");

  auto* e = app.add_subcommand("events", "List events by contract and name over a range of heights");
  e->add_option("--contract", o->contract, "contract address");
  e->add_option("--name", o->name, "event name");
  add_uint_option(e, "--from", o->from_height, "first height (default: head - 9,999)");
  add_uint_option(e, "--to", o->to_height, "last height (default: the head)");
  add_uint_option(e, "--limit", o->limit, "most events to print", 1, 10000);
  add_target_options(e, o->target, false);
  e->add_flag("--json", g.json, "print JSON");

  auto* c = app.add_subcommand("chain-info", "Chain id, head, genesis, gas rules");
  add_target_options(c, o->target, false);
  c->add_flag("--json", g.json, "print JSON");

  return [=, &g]() -> std::optional<int> {
    if (*q) return cmd_query(g, *o);
    if (*t) return cmd_tx(g, *o);
    if (*b) return cmd_block(g, *o);
    if (*e) return cmd_events(g, *o);
    if (*c) return cmd_chain_info(g, *o);
    return std::nullopt;
  };
}

}  // namespace ward::cli
