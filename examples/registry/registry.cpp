// A name -> address registry kept in the contract's default object: field
// "addr:<name>" holds the 20-byte address, "by:<name>" who registered it.
// A storage index "name/<name>" lists the names in order for Names().
//
//   ward build examples/registry/registry.cpp -o registry.wasm
#include <ward/ward.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

/// One answer of Lookup.
struct Entry {
  std::string name;                      ///< the name asked for
  std::optional<ward::Address> address;  ///< where it points, or null
};

namespace {

constexpr size_t k_max_name = 64;

bool valid_name(const std::string& name) {
  if (name.empty() || name.size() > k_max_name) return false;
  for (char c : name) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.';
    if (!ok) return false;
  }
  return true;
}

ward::Object names() { return ward::Object::default_object(); }

}  // namespace

/// Points `name` at `target`. A name belongs to whoever registered it first.
WARD_EXPORT ward::Result<void> Register(std::string name, ward::Address target) {
  if (!valid_name(name)) return ward::Error("invalid name: use 1 to 64 of a-z 0-9 - .");
  ward::Address caller = ward::ctx().sender();
  auto holder = names().get_address("by:" + name);
  if (holder && *holder != caller) return ward::Error("name taken by " + holder->to_hex());
  names().set_address("addr:" + name, target);
  names().set_address("by:" + name, caller);
  ward::storage::put("name/" + name, "");
  ward::ctx().emit("Registered", ward::json::object("name", name, "address", target, "by", caller));
  return ward::ok();
}

/// Gives up `name` (only its registrant may).
WARD_EXPORT ward::Result<void> Release(std::string name) {
  auto holder = names().get_address("by:" + name);
  if (!holder) return ward::Error("unknown name");
  if (*holder != ward::ctx().sender()) return ward::Error("only the registrant may release a name");
  names().set("addr:" + name, "");
  names().set("by:" + name, "");
  ward::storage::del("name/" + name);
  ward::ctx().emit("Released", ward::json::object("name", name));
  return ward::ok();
}

/// Where `name` points, or null.
WARD_VIEW std::optional<ward::Address> Resolve(std::string name) { return names().get_address("addr:" + name); }

/// Resolves several names at once.
WARD_VIEW std::vector<Entry> Lookup(std::vector<std::string> names_to_find) {
  std::vector<Entry> out;
  for (std::string& n : names_to_find) {
    Entry e;
    e.address = names().get_address("addr:" + n);
    e.name = std::move(n);
    out.push_back(std::move(e));
  }
  return out;
}

/// The registered names starting with `prefix`, in order (at most `limit`).
WARD_VIEW std::vector<std::string> Names(std::string prefix, std::optional<uint32_t> limit) {
  std::vector<std::string> out;
  uint32_t max = limit.value_or(100);
  for (const auto& entry : ward::storage::prefix("name/" + prefix)) {
    if (out.size() >= max) break;
    out.push_back(entry.key.substr(5));
  }
  return out;
}

/// The id of the default object holding the registry.
WARD_VIEW ward::ObjectId Home() { return names().id(); }
