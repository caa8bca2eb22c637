#include "cli/output.h"

#include <cstdio>

namespace ward::cli {

nlohmann::json json_or_string(const std::string& text) { return chain::json_or_string(text); }

int print_pending(const chain::Hash& tx_hash, bool json) {
  if (json) {
    nlohmann::ordered_json j = {{"status", "pending"}, {"tx_hash", chain::format_hash(tx_hash)}};
    std::printf("%s\n", j.dump(2).c_str());
  } else {
    std::printf("tx:       %s (sent; not waiting for inclusion)\n", chain::format_hash(tx_hash).c_str());
  }
  std::fflush(stdout);
  return 0;
}

void print_debug(const std::vector<std::string>& lines) {
  for (const auto& l : lines) std::fprintf(stderr, "%s\n", l.c_str());
  std::fflush(stderr);
}

Outcome outcome_of(const chain::CallReceipt& r) {
  Outcome o;
  o.status = chain::to_string(r.status);
  o.result = json_or_string(r.result);
  o.gas_used = r.gas_used;
  o.events = r.events;
  o.error = r.error;
  if (r.exit_code != 0) o.exit_code = r.exit_code;
  return o;
}

using chain::events_json;

Outcome outcome_of(const chain::Receipt& r) {
  chain::CallReceipt c;
  c.status = r.status;
  c.result = r.result;
  c.gas_used = r.gas_used;
  c.events = r.events;
  c.error = r.error;
  c.exit_code = r.exit_code;
  Outcome o = outcome_of(c);
  o.tx_hash = r.tx_hash;
  o.height = r.height;
  o.fee = r.fee;
  return o;
}

static void print_events(const std::vector<chain::ReceiptEvent>& events) {
  std::printf("events:   %zu\n", events.size());
  for (const auto& e : events) std::printf("  %s %s\n", e.name.c_str(), json_or_string(e.data).dump().c_str());
}

namespace {

void print_trace(const chain::CallTrace& root) {
  // Iterative pre-order walk: the call tree's depth is bounded by
  // max_contract_call_depth, but no recursion is needed anyway.
  std::vector<std::pair<const chain::CallTrace*, int>> stack{{&root, 0}};
  while (!stack.empty()) {
    auto [t, depth] = stack.back();
    stack.pop_back();
    std::string line(2 * (depth + 1), ' ');
    line += chain::format_address(t->contract);
    if (!t->method.empty()) line += " " + t->method;
    if (t->value != 0) line += " value " + std::to_string(t->value);
    line += std::string(" -> ") + chain::to_string(t->status);
    if (!t->error.empty()) line += " (" + t->error + ")";
    line += ", gas " + std::to_string(t->gas_used) + "/" + std::to_string(t->gas_limit);
    std::printf("%s\n", line.c_str());
    for (auto it = t->calls.rbegin(); it != t->calls.rend(); ++it) stack.push_back({&*it, depth + 1});
  }
}

void add_tx_fields(nlohmann::ordered_json& j, const std::optional<chain::Hash>& tx_hash, uint64_t height,
                   uint64_t fee) {
  if (!tx_hash) return;
  j["tx_hash"] = chain::format_hash(*tx_hash);
  j["height"] = height;
  j["fee"] = fee;
}

}  // namespace

int print_outcome(const Outcome& o, bool json) {
  const bool ok = o.status == "ok";
  if (json) {
    nlohmann::ordered_json j = {{"status", o.status}, {"result", o.result}, {"gas_used", o.gas_used},
                        {"events", events_json(o.events)},
                        {"error", o.error.empty() ? nlohmann::json(nullptr) : nlohmann::json(o.error)}};
    if (o.exit_code) j["exit_code"] = *o.exit_code;
    if (o.trace) j["trace"] = trace_json(*o.trace);
    if (o.access) j["rwset"] = access_json(*o.access);
    add_tx_fields(j, o.tx_hash, o.height, o.fee);
    std::printf("%s\n", chain::dump_json(j, 2).c_str());
  } else {
    std::printf("status:   %s\n", o.status.c_str());
    if (!o.error.empty()) std::printf("error:    %s\n", o.error.c_str());
    if (!o.result.is_null()) std::printf("result:   %s\n", o.result.dump().c_str());
    std::printf("gas used: %llu\n", static_cast<unsigned long long>(o.gas_used));
    if (o.show_tx && o.tx_hash) {
      std::printf("fee:      %llu\n", static_cast<unsigned long long>(o.fee));
      std::printf("tx:       %s\n", chain::format_hash(*o.tx_hash).c_str());
      std::printf("block:    %llu\n", static_cast<unsigned long long>(o.height));
    }
    if (!o.events.empty()) print_events(o.events);
    if (o.exit_code) std::printf("exit:     %d\n", *o.exit_code);
    if (o.trace) {
      std::printf("trace:\n");
      print_trace(*o.trace);
    }
    if (o.access) {
      std::printf("reads:    %zu\n", o.access->reads.size());
      for (const auto& k : o.access->reads) std::printf("  %s\n", format_state_key(k).c_str());
      std::printf("writes:   %zu\n", o.access->writes.size());
      for (const auto& k : o.access->writes) std::printf("  %s\n", format_state_key(k).c_str());
      for (const auto& r : o.access->ranges) {
        std::printf("  range [%s, %s)\n", format_state_key(r.start).c_str(),
                    r.end.empty() ? "end" : format_state_key(r.end).c_str());
      }
    }
  }
  std::fflush(stdout);
  if (o.exit_code) return *o.exit_code;
  return ok ? 0 : 1;
}

namespace {

/// Deploy/upgrade output; `tx` adds "tx_hash", "height", "fee" to the JSON
/// and, when `show_tx`, "fee:", "tx:", "block:" lines.
int print_deploy_impl(const chain::DeployReceipt& r, bool json, const chain::Receipt* tx, bool show_tx) {
  if (json) {
    nlohmann::ordered_json j = {{"address", chain::format_address(r.address)},
                        {"gas_used", r.gas_used},
                        {"status", chain::to_string(r.status)},
                        {"code_hash", r.code_hash == chain::Hash{} ? nlohmann::json(nullptr)
                                                                   : nlohmann::json(chain::format_hash(r.code_hash))},
                        {"result", json_or_string(r.result)},
                        {"events", events_json(r.events)},
                        {"error", r.error.empty() ? nlohmann::json(nullptr) : nlohmann::json(r.error)}};
    if (tx) add_tx_fields(j, tx->tx_hash, tx->height, tx->fee);
    std::printf("%s\n", chain::dump_json(j, 2).c_str());
  } else {
    std::printf("status:    %s\n", chain::to_string(r.status));
    if (!r.error.empty()) std::printf("error:     %s\n", r.error.c_str());
    if (r.ok()) std::printf("address:   %s\n", chain::format_address(r.address).c_str());
    if (r.code_hash != chain::Hash{}) {  // all zero: the request stopped before the code was read
      std::printf("code hash: %s%s%s\n", chain::format_hash(r.code_hash).c_str(),
                  r.code_was_new || !r.ok() ? "" : " (already stored)", r.compressed ? " (from gzip)" : "");
    }
    if (r.ok() && !r.result.empty()) std::printf("result:    %s\n", chain::dump_json(json_or_string(r.result)).c_str());
    std::printf("gas used:  %llu\n", static_cast<unsigned long long>(r.gas_used));
    if (tx && show_tx) {
      std::printf("fee:       %llu\ntx:        %s\nblock:     %llu\n", static_cast<unsigned long long>(tx->fee),
                  chain::format_hash(tx->tx_hash).c_str(), static_cast<unsigned long long>(tx->height));
    }
    if (!r.events.empty()) print_events(r.events);
  }
  std::fflush(stdout);
  return r.ok() ? 0 : 1;
}

}  // namespace

int print_deploy(const chain::DeployReceipt& r, bool json) { return print_deploy_impl(r, json, nullptr, false); }

int print_deploy(const chain::Receipt& r, bool json, bool show_tx) {
  chain::DeployReceipt d;
  d.status = r.status;
  d.address = r.contract.value_or(chain::Address{});
  d.code_hash = r.code_hash.value_or(chain::Hash{});
  d.code_was_new = r.code_was_new;
  d.compressed = r.compressed;
  d.gas_used = r.gas_used;
  d.events = r.events;
  d.result = r.result;
  d.error = r.error;
  return print_deploy_impl(d, json, &r, show_tx);
}

}  // namespace ward::cli
