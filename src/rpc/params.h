// ward/rpc/params.h — reading JSON-RPC params by position or by name, with
// -32602 errors that name the parameter and what was wrong (docs/rpc.md).
// Thread-safety: plain value types.
#pragma once

#include <initializer_list>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "chain/address.h"
#include "rpc/dispatcher.h"

namespace ward::rpc {

/// Throws RpcError{kInvalidParams, message}.
[[noreturn]] void invalid_params(const std::string& message);

/// The params of one call: an array (positional, in `names` order) or an
/// object (named; unknown names are refused), or null (none).
class Params {
 public:
  /// `params` must outlive this object (it is kept by reference). `prefix`
  /// goes before every name in the error messages ("action." for the
  /// members of a nested object).
  Params(const nlohmann::json& params, std::initializer_list<const char*> names, std::string prefix = "");
  /// The parameter, or null when absent.
  const nlohmann::json* get(const char* name) const;
  /// A required parameter (error "missing parameter 'NAME'").
  const nlohmann::json& need(const char* name) const;

  std::string string(const char* name) const;
  std::optional<std::string> opt_string(const char* name) const;
  /// A u64: a non-negative JSON integer or a decimal string (JavaScript
  /// cannot hold every u64 in a number).
  uint64_t u64(const char* name) const;
  std::optional<uint64_t> opt_u64(const char* name) const;
  bool opt_bool(const char* name, bool fallback) const;
  chain::Address address(const char* name) const;
  std::optional<chain::Address> opt_address(const char* name) const;
  chain::Hash hash(const char* name) const;
  /// 0x-prefixed (or bare) hex, decoded.
  std::string hex_bytes(const char* name) const;

 private:
  std::vector<std::string> m_names;
  std::string m_prefix;
  const nlohmann::json& m_params;
};

/// Parses a u64 from JSON (number or decimal string); nullopt otherwise.
std::optional<uint64_t> json_u64(const nlohmann::json& j);

}  // namespace ward::rpc
