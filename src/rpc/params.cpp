// ward/rpc/params.cpp — params access with precise -32602 errors (params.h).
#include "rpc/params.h"

#include "state/layout.h"
#include "util/decimal.h"

namespace ward::rpc {

void invalid_params(const std::string& message) { throw RpcError{kInvalidParams, "invalid params: " + message, nullptr}; }

std::optional<uint64_t> json_u64(const nlohmann::json& j) {
  if (j.is_number_unsigned()) return j.get<uint64_t>();
  if (!j.is_string()) return std::nullopt;  // negative, fractional, or not a number
  return parse_u64_decimal(j.get_ref<const std::string&>());
}

Params::Params(const nlohmann::json& params, std::initializer_list<const char*> names, std::string prefix)
    : m_prefix(std::move(prefix)), m_params(params) {
  for (const char* n : names) m_names.emplace_back(n);
  if (params.is_null()) return;
  if (params.is_array()) {
    if (params.size() > m_names.size()) {
      invalid_params("expected at most " + std::to_string(m_names.size()) + " parameters, got " +
                     std::to_string(params.size()));
    }
    return;
  }
  if (!params.is_object()) invalid_params("params must be an array or an object");
  for (auto it = params.begin(); it != params.end(); ++it) {
    bool known = false;
    for (const auto& n : m_names) known = known || n == it.key();
    if (!known) invalid_params("unknown parameter '" + m_prefix + it.key() + "'");
  }
}

const nlohmann::json* Params::get(const char* name) const {
  if (m_params.is_array()) {
    for (size_t i = 0; i < m_names.size(); ++i) {
      if (m_names[i] == name) return i < m_params.size() && !m_params[i].is_null() ? &m_params[i] : nullptr;
    }
    return nullptr;
  }
  if (m_params.is_object()) {
    auto it = m_params.find(name);
    return it == m_params.end() || it->is_null() ? nullptr : &*it;
  }
  return nullptr;
}

const nlohmann::json& Params::need(const char* name) const {
  const auto* j = get(name);
  if (j == nullptr) invalid_params("missing parameter '" + m_prefix + name + "'");
  return *j;
}

std::string Params::string(const char* name) const {
  const auto& j = need(name);
  if (!j.is_string()) invalid_params("'" + m_prefix + name + "' must be a string");
  return j.get<std::string>();
}

std::optional<std::string> Params::opt_string(const char* name) const {
  if (get(name) == nullptr) return std::nullopt;
  return string(name);
}

uint64_t Params::u64(const char* name) const {
  auto v = json_u64(need(name));
  if (!v) invalid_params("'" + m_prefix + name + "' must be an unsigned 64-bit integer (number or decimal string)");
  return *v;
}

std::optional<uint64_t> Params::opt_u64(const char* name) const {
  if (get(name) == nullptr) return std::nullopt;
  return u64(name);
}

bool Params::opt_bool(const char* name, bool fallback) const {
  const auto* j = get(name);
  if (j == nullptr) return fallback;
  if (!j->is_boolean()) invalid_params("'" + m_prefix + name + "' must be a boolean");
  return j->get<bool>();
}

chain::Address Params::address(const char* name) const {
  auto a = chain::parse_address(string(name));
  if (!a) invalid_params("'" + m_prefix + name + "' must be an address (0x followed by 40 hex digits)");
  return *a;
}

std::optional<chain::Address> Params::opt_address(const char* name) const {
  if (get(name) == nullptr) return std::nullopt;
  return address(name);
}

chain::Hash Params::hash(const char* name) const {
  auto h = chain::parse_hash(string(name));
  if (!h) invalid_params("'" + m_prefix + name + "' must be a hash (0x followed by 64 hex digits)");
  return *h;
}

std::string Params::hex_bytes(const char* name) const {
  std::string s = string(name);
  std::string_view v = s;
  if (v.size() >= 2 && v[0] == '0' && (v[1] == 'x' || v[1] == 'X')) v.remove_prefix(2);
  auto b = state::hex_decode(v);
  if (!b) invalid_params("'" + m_prefix + name + "' must be hex bytes (an even number of hex digits)");
  return *b;
}

}  // namespace ward::rpc
