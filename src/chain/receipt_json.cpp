// ward/chain/receipt_json.cpp — the receipt codec (receipt_json.h).
#include "chain/receipt_json.h"

#include <utility>

#include "util/json_depth.h"

namespace ward::chain {
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

/// Takes `n` raw bytes from the front of `rest` as 0x hex; false when too short.
bool take_hex(std::string_view& rest, size_t n, std::string& out) {
  if (rest.size() < n) return false;
  out += hex_of(rest.substr(0, n));
  rest.remove_prefix(n);
  return true;
}

/// Takes a "/" separator; false when absent.
bool take_slash(std::string_view& rest, std::string& out) {
  if (rest.empty() || rest[0] != '/') return false;
  out += '/';
  rest.remove_prefix(1);
  return true;
}

nlohmann::json null_or(const std::string& s) { return s.empty() ? nlohmann::json(nullptr) : nlohmann::json(s); }

}  // namespace

std::string dump_json(const nlohmann::ordered_json& j, int indent) {
  return j.dump(indent, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::string dump_json(const nlohmann::json& j, int indent) {
  return j.dump(indent, ' ', false, nlohmann::json::error_handler_t::replace);
}

nlohmann::json json_or_string(std::string_view text) {
  if (text.empty()) return nullptr;
  if (json_depth(text) > 64) return std::string(text);
  auto j = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) return std::string(text);
  return j;
}

nlohmann::ordered_json events_json(const std::vector<ReceiptEvent>& events) {
  nlohmann::ordered_json a = nlohmann::ordered_json::array();
  for (const auto& e : events) {
    a.push_back({{"contract", format_address(e.contract)}, {"name", e.name}, {"data", json_or_string(e.data)}});
  }
  return a;
}

std::string format_state_key(std::string_view key) {
  if (key.size() < 2 || key[1] != '/') return text_or_hex(key);
  const char tag = key[0];
  std::string_view rest = key.substr(2);
  std::string out(key.substr(0, 2));
  bool ok = true;
  switch (tag) {
    case 'c': case 'n': case 'b': case 'g':  // <address>
      ok = take_hex(rest, 20, out);
      break;
    case 'k': case 'r': case 'o':  // <code hash> or <object id>
      ok = take_hex(rest, 32, out);
      break;
    case 's':  // <address>/<key>
      ok = take_hex(rest, 20, out) && take_slash(rest, out);
      break;
    case 'f':  // <object id>/<field>
      ok = take_hex(rest, 32, out) && take_slash(rest, out);
      break;
    case 'i':  // <contract>/<owner>/<id>
      ok = take_hex(rest, 20, out) && take_slash(rest, out) && take_hex(rest, 20, out) && take_slash(rest, out) &&
           take_hex(rest, 32, out);
      break;
    default:
      return text_or_hex(key);
  }
  if (!ok) return text_or_hex(key);
  if (!rest.empty()) {
    if (tag == 's' || tag == 'f') {
      out += text_or_hex(rest);
    } else {
      out += "/" + hex_of(rest);
    }
  }
  return out;
}

nlohmann::ordered_json trace_json(const CallTrace& root) {
  // Iterative post-order: a node's JSON is built once all its calls are.
  struct Item {
    const CallTrace* t;
    nlohmann::ordered_json calls = nlohmann::ordered_json::array();
    size_t next = 0;
  };
  auto node_json = [](const CallTrace& t, nlohmann::ordered_json calls) {
    return nlohmann::ordered_json{{"contract", format_address(t.contract)},
                                  {"method", t.method},
                                  {"value", t.value},
                                  {"gas_limit", t.gas_limit},
                                  {"gas_used", t.gas_used},
                                  {"status", to_string(t.status)},
                                  {"error", null_or(t.error)},
                                  {"calls", std::move(calls)}};
  };
  std::vector<Item> stack;
  stack.push_back(Item{&root});
  nlohmann::ordered_json done;
  while (!stack.empty()) {
    Item& top = stack.back();
    if (top.next < top.t->calls.size()) {
      const CallTrace* child = &top.t->calls[top.next++];
      stack.push_back(Item{child});
      continue;
    }
    nlohmann::ordered_json j = node_json(*top.t, std::move(top.calls));
    stack.pop_back();
    if (stack.empty()) {
      done = std::move(j);
    } else {
      stack.back().calls.push_back(std::move(j));
    }
  }
  return done;
}

nlohmann::ordered_json access_json(const state::AccessLog& a) {
  nlohmann::ordered_json reads = nlohmann::ordered_json::array(), writes = nlohmann::ordered_json::array(),
                         ranges = nlohmann::ordered_json::array();
  for (const auto& k : a.reads) reads.push_back(format_state_key(k));
  for (const auto& k : a.writes) writes.push_back(format_state_key(k));
  for (const auto& r : a.ranges) {
    ranges.push_back({format_state_key(r.start),
                      r.end.empty() ? nlohmann::json(nullptr) : nlohmann::json(format_state_key(r.end))});
  }
  return {{"reads", std::move(reads)}, {"writes", std::move(writes)}, {"ranges", std::move(ranges)}};
}

nlohmann::ordered_json receipt_json(const Receipt& r) {
  return {{"tx_hash", format_hash(r.tx_hash)},
          {"height", r.height},
          {"position", r.position},
          {"from", format_address(r.from)},
          {"kind", r.kind},
          {"status", to_string(r.status)},
          {"result", json_or_string(r.result)},
          {"gas_used", r.gas_used},
          {"gas_price", r.gas_price},
          {"fee", r.fee},
          {"events", events_json(r.events)},
          {"error", null_or(r.error)},
          {"contract", r.contract ? nlohmann::json(format_address(*r.contract)) : nlohmann::json(nullptr)},
          {"code_hash", r.code_hash ? nlohmann::json(format_hash(*r.code_hash)) : nlohmann::json(nullptr)},
          {"exit_code", r.exit_code},
          {"code_was_new", r.code_hash ? nlohmann::json(r.code_was_new) : nlohmann::json(nullptr)}};
}

Result<Receipt> receipt_from_json(std::string_view text) {
  if (json_depth(text) > 80) return make_error("receipt: nesting too deep");
  auto j = nlohmann::json::parse(text, nullptr, false);
  if (j.is_discarded() || !j.is_object()) return make_error("receipt: not a JSON object");
  Receipt r;
  auto field = [&](const char* name) -> const nlohmann::json* {
    auto it = j.find(name);
    return it == j.end() ? nullptr : &*it;
  };
  auto u64 = [&](const char* name, uint64_t& out) -> std::string {
    const auto* f = field(name);
    if (!f || !f->is_number_unsigned()) return std::string("receipt: field '") + name + "' missing or not a u64";
    out = f->get<uint64_t>();
    return {};
  };
  auto str = [&](const char* name, std::string& out, bool nullable) -> std::string {
    const auto* f = field(name);
    if (f && f->is_null() && nullable) return {};
    if (!f || !f->is_string()) return std::string("receipt: field '") + name + "' missing or not a string";
    out = f->get<std::string>();
    return {};
  };
  std::string s, err;
  uint64_t pos = 0;
  if (!(err = str("tx_hash", s, false)).empty()) return make_error(err);
  auto h = parse_hash(s);
  if (!h) return make_error("receipt: field 'tx_hash' is not a hash");
  r.tx_hash = *h;
  if (!(err = u64("height", r.height)).empty() || !(err = u64("position", pos)).empty() ||
      !(err = u64("gas_used", r.gas_used)).empty() || !(err = u64("gas_price", r.gas_price)).empty() ||
      !(err = u64("fee", r.fee)).empty()) {
    return make_error(err);
  }
  r.position = static_cast<uint32_t>(pos);
  if (!(err = str("from", s, false)).empty()) return make_error(err);
  auto from = parse_address(s);
  if (!from) return make_error("receipt: field 'from' is not an address");
  r.from = *from;
  if (!(err = str("kind", r.kind, false)).empty()) return make_error(err);
  if (!(err = str("status", s, false)).empty()) return make_error(err);
  if (s == "ok") r.status = Status::Ok;
  else if (s == "reverted") r.status = Status::Reverted;
  else if (s == "trapped") r.status = Status::Trapped;
  else if (s == "failed") r.status = Status::Failed;
  else return make_error("receipt: unknown status '" + s + "'");
  if (const auto* res = field("result"); res && !res->is_null()) r.result = res->dump();
  if (!(err = str("error", r.error, true)).empty()) return make_error(err);
  if (const auto* ev = field("events"); ev && ev->is_array()) {
    for (const auto& e : *ev) {
      if (!e.is_object() || !e.contains("contract") || !e.contains("name")) return make_error("receipt: malformed event");
      auto c = parse_address(e["contract"].is_string() ? e["contract"].get<std::string>() : "");
      if (!c || !e["name"].is_string()) return make_error("receipt: malformed event");
      const auto& d = e.contains("data") ? e["data"] : nlohmann::json(nullptr);
      r.events.push_back(ReceiptEvent{*c, e["name"].get<std::string>(), d.is_null() ? std::string() : d.dump()});
    }
  } else {
    return make_error("receipt: field 'events' missing or not an array");
  }
  if (const auto* c = field("contract"); c && c->is_string()) {
    auto a = parse_address(c->get<std::string>());
    if (!a) return make_error("receipt: field 'contract' is not an address");
    r.contract = *a;
  }
  if (const auto* c = field("code_hash"); c && c->is_string()) {
    auto a = parse_hash(c->get<std::string>());
    if (!a) return make_error("receipt: field 'code_hash' is not a hash");
    r.code_hash = *a;
  }
  if (const auto* c = field("exit_code"); c && c->is_number_integer()) r.exit_code = c->get<int32_t>();
  if (const auto* c = field("code_was_new"); c && c->is_boolean()) r.code_was_new = c->get<bool>();
  return r;
}

const char* to_string(ApplyFault fault) {
  switch (fault) {
    case ApplyFault::None: return "none";
    case ApplyFault::Invalid: return "invalid";
    case ApplyFault::StorageFault: return "storage_fault";
  }
  return "unknown";
}

bool is_storage_error(std::string_view message) { return message.rfind("storage error: ", 0) == 0; }

}  // namespace ward::chain
