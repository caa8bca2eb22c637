#include "cli/output.h"

#include <cstdio>

namespace ward::cli {

nlohmann::json json_or_string(const std::string& text) {
  if (text.empty()) return nullptr;
  auto j = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) return text;
  return j;
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

static nlohmann::ordered_json events_json(const std::vector<chain::ReceiptEvent>& events) {
  nlohmann::ordered_json a = nlohmann::ordered_json::array();
  for (const auto& e : events)
    a.push_back({{"contract", chain::format_address(e.contract)}, {"name", e.name}, {"data", json_or_string(e.data)}});
  return a;
}

static void print_events(const std::vector<chain::ReceiptEvent>& events) {
  std::printf("events:   %zu\n", events.size());
  for (const auto& e : events) std::printf("  %s %s\n", e.name.c_str(), json_or_string(e.data).dump().c_str());
}

int print_outcome(const Outcome& o, bool json) {
  const bool ok = o.status == "ok";
  if (json) {
    nlohmann::ordered_json j = {{"status", o.status}, {"result", o.result}, {"gas_used", o.gas_used},
                        {"events", events_json(o.events)},
                        {"error", o.error.empty() ? nlohmann::json(nullptr) : nlohmann::json(o.error)}};
    if (o.exit_code) j["exit_code"] = *o.exit_code;
    std::printf("%s\n", j.dump(2).c_str());
  } else {
    std::printf("status:   %s\n", o.status.c_str());
    if (!o.error.empty()) std::printf("error:    %s\n", o.error.c_str());
    if (!o.result.is_null()) std::printf("result:   %s\n", o.result.dump().c_str());
    std::printf("gas used: %llu\n", static_cast<unsigned long long>(o.gas_used));
    if (!o.events.empty()) print_events(o.events);
    if (o.exit_code) std::printf("exit:     %d\n", *o.exit_code);
  }
  std::fflush(stdout);
  if (o.exit_code) return *o.exit_code;
  return ok ? 0 : 1;
}

int print_deploy(const chain::DeployReceipt& r, bool json) {
  if (json) {
    nlohmann::ordered_json j = {{"address", chain::format_address(r.address)},
                        {"gas_used", r.gas_used},
                        {"status", chain::to_string(r.status)},
                        {"code_hash", chain::format_hash(r.code_hash)},
                        {"result", json_or_string(r.result)},
                        {"events", events_json(r.events)},
                        {"error", r.error.empty() ? nlohmann::json(nullptr) : nlohmann::json(r.error)}};
    std::printf("%s\n", j.dump(2).c_str());
  } else {
    std::printf("status:    %s\n", chain::to_string(r.status));
    if (!r.error.empty()) std::printf("error:     %s\n", r.error.c_str());
    if (r.ok()) std::printf("address:   %s\n", chain::format_address(r.address).c_str());
    std::printf("code hash: %s%s\n", chain::format_hash(r.code_hash).c_str(), r.code_was_new ? "" : " (already stored)");
    std::printf("gas used:  %llu\n", static_cast<unsigned long long>(r.gas_used));
    if (!r.events.empty()) print_events(r.events);
  }
  std::fflush(stdout);
  return r.ok() ? 0 : 1;
}

}  // namespace ward::cli
