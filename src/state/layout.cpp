// ward/state/layout.cpp — key layout and typed state helpers.
#include "state/layout.h"

#include <sodium.h>

#include <nlohmann/json.hpp>

namespace ward::state {
namespace {

std::string tagged(char tag, std::span<const uint8_t> bytes) {
  std::string k;
  k.reserve(2 + bytes.size());
  k.push_back(tag);
  k.push_back('/');
  k.append(reinterpret_cast<const char*>(bytes.data()), bytes.size());
  return k;
}

template <size_t N>
bool parse_fixed(const nlohmann::json& j, const char* field, std::array<uint8_t, N>& out) {
  auto it = j.find(field);
  if (it == j.end() || !it->is_string()) return false;
  const std::string& s = it->template get_ref<const std::string&>();
  if (s.size() != 2 + 2 * N || s[0] != '0' || s[1] != 'x') return false;
  auto bytes = hex_decode(std::string_view(s).substr(2));
  if (!bytes) return false;
  std::copy(bytes->begin(), bytes->end(), out.begin());
  return true;
}

}  // namespace

Hash sha256(std::span<const uint8_t> data) {
  Hash h{};
  crypto_hash_sha256(h.data(), data.data(), data.size());
  return h;
}

Hash sha256(std::string_view data) {
  return sha256(std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(data.data()), data.size()));
}

std::string hex_encode(std::span<const uint8_t> bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string s;
  s.reserve(bytes.size() * 2);
  for (uint8_t b : bytes) {
    s.push_back(kDigits[b >> 4]);
    s.push_back(kDigits[b & 15]);
  }
  return s;
}

std::optional<std::string> hex_decode(std::string_view hex) {
  if (hex.size() % 2 != 0) return std::nullopt;
  auto nibble = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  std::string out;
  out.reserve(hex.size() / 2);
  for (size_t i = 0; i < hex.size(); i += 2) {
    int hi = nibble(hex[i]), lo = nibble(hex[i + 1]);
    if (hi < 0 || lo < 0) return std::nullopt;
    out.push_back(static_cast<char>(hi << 4 | lo));
  }
  return out;
}

std::string encode_u64(uint64_t v) {
  std::string s(8, '\0');
  for (int i = 7; i >= 0; --i) {
    s[i] = static_cast<char>(v & 0xff);
    v >>= 8;
  }
  return s;
}

std::string encode_u32(uint32_t v) {
  std::string s(4, '\0');
  for (int i = 3; i >= 0; --i) {
    s[i] = static_cast<char>(v & 0xff);
    v >>= 8;
  }
  return s;
}

std::optional<uint32_t> decode_u32(std::string_view bytes) {
  if (bytes.size() != 4) return std::nullopt;
  uint32_t v = 0;
  for (char c : bytes) v = v << 8 | static_cast<uint8_t>(c);
  return v;
}

std::optional<uint64_t> decode_u64(std::string_view bytes) {
  if (bytes.size() != 8) return std::nullopt;
  uint64_t v = 0;
  for (char c : bytes) v = v << 8 | static_cast<uint8_t>(c);
  return v;
}

std::string contract_key(const Address& addr) { return tagged('c', addr); }
std::string code_key(const Hash& code_hash) { return tagged('k', code_hash); }
std::string code_refs_key(const Hash& code_hash) { return tagged('r', code_hash); }
std::string storage_prefix(const Address& addr) { return tagged('s', addr) + '/'; }
std::string storage_key(const Address& addr, std::string_view key) {
  std::string k = storage_prefix(addr);
  k.append(key);
  return k;
}
std::string nonce_key(const Address& addr) { return tagged('n', addr); }

std::string encode_contract(const ContractRecord& record) {
  nlohmann::json j = {
      {"code_hash", "0x" + hex_encode(record.code_hash)},
      {"deployer", "0x" + hex_encode(record.deployer)},
      {"created_at", record.created_at},
      {"created_time", record.created_time},
      {"admin", record.admin ? nlohmann::json("0x" + hex_encode(*record.admin)) : nlohmann::json(nullptr)},
      {"status", record.destroyed ? "destroyed" : "active"},
  };
  return j.dump();
}

Result<ContractRecord> decode_contract(std::string_view json_text) {
  nlohmann::json j = nlohmann::json::parse(json_text, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded() || !j.is_object()) return make_error("corrupt contract record: not a JSON object");
  ContractRecord r;
  if (!parse_fixed(j, "code_hash", r.code_hash)) return make_error("corrupt contract record: bad code_hash");
  if (!parse_fixed(j, "deployer", r.deployer)) return make_error("corrupt contract record: bad deployer");
  auto at = j.find("created_at");
  if (at == j.end() || !at->is_number_unsigned()) return make_error("corrupt contract record: bad created_at");
  r.created_at = at->get<uint64_t>();
  auto time = j.find("created_time");
  if (time == j.end() || !time->is_number_integer()) return make_error("corrupt contract record: bad created_time");
  r.created_time = time->get<int64_t>();
  auto admin = j.find("admin");
  if (admin == j.end()) {
    r.admin = r.deployer;
  } else if (!admin->is_null()) {
    Address a{};
    if (!parse_fixed(j, "admin", a)) return make_error("corrupt contract record: bad admin");
    r.admin = a;
  }
  auto status = j.find("status");
  if (status != j.end()) {
    if (!status->is_string() || (*status != "active" && *status != "destroyed"))
      return make_error("corrupt contract record: bad status");
    r.destroyed = *status == "destroyed";
  }
  return r;
}

Result<std::optional<ContractRecord>> get_contract(Overlay& state, const Address& addr) {
  auto v = state.get(contract_key(addr));
  if (!v) return v.error();
  if (!v.value()) return std::optional<ContractRecord>{};
  auto rec = decode_contract(*v.value());
  if (!rec) return make_error(rec.error().message + " at 0x" + hex_encode(addr));
  return std::optional<ContractRecord>{rec.value()};
}

void put_contract(Overlay& state, const Address& addr, const ContractRecord& record) {
  state.put(contract_key(addr), encode_contract(record));
}

Result<std::optional<std::string>> get_code(Overlay& state, const Hash& code_hash) {
  return state.get(code_key(code_hash));
}

Result<bool> put_code(Overlay& state, const Hash& code_hash, std::string_view code) {
  auto existing = state.get(code_key(code_hash));
  if (!existing) return existing.error();
  if (existing.value()) return false;
  state.put(code_key(code_hash), code);
  return true;
}

Result<uint64_t> get_code_refs(Overlay& state, const Hash& code_hash) {
  auto v = state.get(code_refs_key(code_hash));
  if (!v) return v.error();
  if (!v.value()) return uint64_t{0};
  auto n = decode_u64(*v.value());
  if (!n) return make_error("corrupt reference count of code 0x" + hex_encode(code_hash));
  return *n;
}

void put_code_refs(Overlay& state, const Hash& code_hash, uint64_t refs) {
  if (refs == 0) {
    state.del(code_refs_key(code_hash));
  } else {
    state.put(code_refs_key(code_hash), encode_u64(refs));
  }
}

Result<uint64_t> get_nonce(Overlay& state, const Address& addr) {
  auto v = state.get(nonce_key(addr));
  if (!v) return v.error();
  if (!v.value()) return uint64_t{0};
  auto n = decode_u64(*v.value());
  if (!n) return make_error("corrupt nonce of 0x" + hex_encode(addr));
  return *n;
}

void put_nonce(Overlay& state, const Address& addr, uint64_t nonce) {
  state.put(nonce_key(addr), encode_u64(nonce));
}

Result<uint64_t> get_height(Overlay& state) {
  auto v = state.get(kHeightKey);
  if (!v) return v.error();
  if (!v.value()) return uint64_t{0};
  auto n = decode_u64(*v.value());
  if (!n) return make_error("corrupt height record");
  return *n;
}

void put_height(Overlay& state, uint64_t height) { state.put(kHeightKey, encode_u64(height)); }

}  // namespace ward::state
