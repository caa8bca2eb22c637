// ward/runtime/objects.cpp — process-wide interning of function types.
#include <map>
#include <mutex>
#include <string>

#include "runtime/objects.h"

namespace ward::runtime {

uint32_t canonical_type_id(const wasm::FuncType& type) {
  static std::mutex mu;
  static std::map<std::string, uint32_t> ids;
  std::string key;
  key.reserve(type.params.size() + type.results.size() + 1);
  for (wasm::ValType t : type.params) key.push_back(static_cast<char>(t));
  key.push_back('\0');
  for (wasm::ValType t : type.results) key.push_back(static_cast<char>(t));
  std::lock_guard<std::mutex> lock(mu);
  auto [it, inserted] = ids.emplace(std::move(key), static_cast<uint32_t>(ids.size() + 1));
  return it->second;
}

}  // namespace ward::runtime
