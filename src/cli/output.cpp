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

namespace {

bool printable(std::string_view s) {
  if (s.empty()) return false;
  for (unsigned char c : s) {
    if (c < 0x20 || c > 0x7e) return false;
  }
  return true;
}

std::string hex_of(std::string_view bytes) {
  return "0x" + state::hex_encode({reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size()});
}

std::string text_or_hex(std::string_view s) { return printable(s) ? std::string(s) : hex_of(s); }

void print_trace(const chain::CallTrace& t, int depth) {
  std::string line(2 * (depth + 1), ' ');
  line += chain::format_address(t.contract);
  if (!t.method.empty()) line += " " + t.method;
  if (t.value != 0) line += " value " + std::to_string(t.value);
  line += std::string(" -> ") + chain::to_string(t.status);
  if (!t.error.empty()) line += " (" + t.error + ")";
  line += ", gas " + std::to_string(t.gas_used) + "/" + std::to_string(t.gas_limit);
  std::printf("%s\n", line.c_str());
  for (const auto& c : t.calls) print_trace(c, depth + 1);
}

}  // namespace

std::string format_state_key(std::string_view key) {
  if (key.size() < 2 || key[1] != '/') return text_or_hex(key);
  const char tag = key[0];
  std::string_view rest = key.substr(2);
  const size_t id = (tag == 'k' || tag == 'r') ? 32 : 20;
  if (rest.size() < id) return std::string(key.substr(0, 2)) + text_or_hex(rest);
  std::string out = std::string(key.substr(0, 2)) + hex_of(rest.substr(0, id));
  rest = rest.substr(id);
  if (!rest.empty() && rest[0] == '/') {
    out += "/" + (rest.size() > 1 ? text_or_hex(rest.substr(1)) : std::string());
  } else if (!rest.empty()) {
    out += "/" + hex_of(rest);
  }
  return out;
}

nlohmann::ordered_json trace_json(const chain::CallTrace& t) {
  nlohmann::ordered_json calls = nlohmann::ordered_json::array();
  for (const auto& c : t.calls) calls.push_back(trace_json(c));
  return {{"contract", chain::format_address(t.contract)},
          {"method", t.method},
          {"value", t.value},
          {"gas_limit", t.gas_limit},
          {"gas_used", t.gas_used},
          {"status", chain::to_string(t.status)},
          {"error", t.error.empty() ? nlohmann::json(nullptr) : nlohmann::json(t.error)},
          {"calls", std::move(calls)}};
}

nlohmann::ordered_json access_json(const state::AccessLog& a) {
  nlohmann::ordered_json reads = nlohmann::ordered_json::array(), writes = nlohmann::ordered_json::array(),
                         ranges = nlohmann::ordered_json::array();
  for (const auto& k : a.reads) reads.push_back(format_state_key(k));
  for (const auto& k : a.writes) writes.push_back(format_state_key(k));
  for (const auto& r : a.ranges) {
    ranges.push_back({format_state_key(r.start), r.end.empty() ? nlohmann::json(nullptr) : nlohmann::json(format_state_key(r.end))});
  }
  return {{"reads", std::move(reads)}, {"writes", std::move(writes)}, {"ranges", std::move(ranges)}};
}

int print_outcome(const Outcome& o, bool json) {
  const bool ok = o.status == "ok";
  if (json) {
    nlohmann::ordered_json j = {{"status", o.status}, {"result", o.result}, {"gas_used", o.gas_used},
                        {"events", events_json(o.events)},
                        {"error", o.error.empty() ? nlohmann::json(nullptr) : nlohmann::json(o.error)}};
    if (o.exit_code) j["exit_code"] = *o.exit_code;
    if (o.trace) j["trace"] = trace_json(*o.trace);
    if (o.access) j["rwset"] = access_json(*o.access);
    std::printf("%s\n", j.dump(2).c_str());
  } else {
    std::printf("status:   %s\n", o.status.c_str());
    if (!o.error.empty()) std::printf("error:    %s\n", o.error.c_str());
    if (!o.result.is_null()) std::printf("result:   %s\n", o.result.dump().c_str());
    std::printf("gas used: %llu\n", static_cast<unsigned long long>(o.gas_used));
    if (!o.events.empty()) print_events(o.events);
    if (o.exit_code) std::printf("exit:     %d\n", *o.exit_code);
    if (o.trace) {
      std::printf("trace:\n");
      print_trace(*o.trace, 0);
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

int print_deploy(const chain::DeployReceipt& r, bool json) {
  if (json) {
    nlohmann::ordered_json j = {{"address", chain::format_address(r.address)},
                        {"gas_used", r.gas_used},
                        {"status", chain::to_string(r.status)},
                        {"code_hash", r.code_hash == chain::Hash{} ? nlohmann::json(nullptr)
                                                                   : nlohmann::json(chain::format_hash(r.code_hash))},
                        {"result", json_or_string(r.result)},
                        {"events", events_json(r.events)},
                        {"error", r.error.empty() ? nlohmann::json(nullptr) : nlohmann::json(r.error)}};
    std::printf("%s\n", j.dump(2).c_str());
  } else {
    std::printf("status:    %s\n", chain::to_string(r.status));
    if (!r.error.empty()) std::printf("error:     %s\n", r.error.c_str());
    if (r.ok()) std::printf("address:   %s\n", chain::format_address(r.address).c_str());
    if (r.code_hash != chain::Hash{}) {  // all zero: the request stopped before the code was read
      std::printf("code hash: %s%s%s\n", chain::format_hash(r.code_hash).c_str(),
                  r.code_was_new || !r.ok() ? "" : " (already stored)", r.compressed ? " (from gzip)" : "");
    }
    std::printf("gas used:  %llu\n", static_cast<unsigned long long>(r.gas_used));
    if (!r.events.empty()) print_events(r.events);
  }
  std::fflush(stdout);
  return r.ok() ? 0 : 1;
}

}  // namespace ward::cli
