// ward/contract.h — the method markers (WARD_EXPORT, WARD_VIEW, WARD_METHOD),
// and what a method uses: raw arguments (ward::args()), its result
// (ward::ret), the call context (sender, self, block), events, revert and
// debug printing. ward/context.h groups all of it under ward::Context.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "ward/address.h"
#include "ward/host.h"
#include "ward/json.h"

#if defined(__wasm__)
/// Makes a function the wasm export `name` (used by WARD_METHOD and by the
/// dispatch code `ward build` generates).
#define WARD_EXPORT_NAME(name) __attribute__((export_name(name)))
#else
#define WARD_EXPORT_NAME(name)
#endif

/// Marks a function as a public contract method. `ward build` finds it (with
/// libclang), decodes the JSON arguments into its typed parameters by name or
/// position, calls it and encodes its return value as the JSON result:
/// `WARD_EXPORT ward::Result<bool> Transfer(ward::Address to, uint64_t amount) { ... }`.
#if defined(__clang__)
#define WARD_EXPORT __attribute__((annotate("ward::export")))
#else
#define WARD_EXPORT
#endif

/// Like WARD_EXPORT, for a read-only method: it is flagged read-only in the
/// ABI, and any write it attempts (storage, objects, events, transfers,
/// calls with value) reverts.
#if defined(__clang__)
#define WARD_VIEW __attribute__((annotate("ward::view")))
#else
#define WARD_VIEW
#endif

/// Marks a method payable: it may receive native value with the call
/// (ward::ctx().value()). Every other typed method, views included, reverts
/// before its body runs when a call carries value ("method M is not payable
/// ..."), so value is never stuck in a contract that did not ask for it.
/// Implies WARD_EXPORT; the ABI flags the method `"payable": true`.
/// `WARD_PAYABLE ward::Result<void> Deposit() { ... }`.
#if defined(__clang__)
#define WARD_PAYABLE __attribute__((annotate("ward::payable")))
#else
#define WARD_PAYABLE
#endif

/// Defines a raw public contract method: an export `Name` of type () -> ()
/// that reads ward::args() and sets its result with ward::ret itself.
/// `WARD_METHOD(Transfer) { ... }`. The C++ symbol is ward_method_Name, so a
/// method may have any name, even one that libc uses.
#define WARD_METHOD(Name) \
  extern "C" WARD_EXPORT_NAME(#Name) WARD_RAW_MARK void ward_method_##Name()

#if defined(__clang__)
#define WARD_RAW_MARK __attribute__((annotate("ward::method")))
#else
#define WARD_RAW_MARK
#endif

namespace ward {

namespace detail {
inline int32_t len32(size_t n) { return static_cast<int32_t>(n); }

/// The read-only method running, or null (set by the generated dispatch of a
/// WARD_VIEW method).
inline const char*& read_only_method() {
  static const char* name = nullptr;
  return name;
}
}  // namespace detail

/// Stops the call with status `reverted` and `message` as the reason; every
/// storage write and event of the call is discarded.
[[noreturn]] inline void revert(std::string_view message) {
  ward_v1_revert(message.data(), detail::len32(message.size()));
}

namespace detail {
/// Reverts when a read-only method tries `what` ("write storage", ...).
inline void check_writable(std::string_view what) {
  if (const char* m = read_only_method()) {
    std::string msg = "read-only method ";
    msg += m;
    msg += " cannot ";
    msg += what;
    revert(msg);
  }
}
}  // namespace detail

/// Writes text to the debug log (shown by `ward run`).
inline void print(std::string_view text) { ward_v1_debug_print(text.data(), detail::len32(text.size())); }

/// Reverts with `message` unless `condition` holds.
inline void require(bool condition, std::string_view message) {
  if (!condition) revert(message);
}

/// The raw call input (JSON text; may be empty), read once per call.
inline const std::string& input_text() {
  static const std::string text = [] {
    std::string s(static_cast<size_t>(ward_v1_input_size()), '\0');
    if (!s.empty()) ward_v1_input_read(s.data());
    return s;
  }();
  return text;
}

/// The call's arguments: a JSON object (by name) or array (by position).
/// Every accessor takes both the name and the position, so either form of
/// call input works. The typed accessors revert with a message naming the
/// argument when it is missing or has the wrong type.
class Args {
 public:
  /// Wraps the parsed input (missing or null: no arguments).
  explicit Args(json::Value root) : m_root(root) {}

  /// The whole input.
  json::Value root() const { return m_root; }

  /// The argument `name` (object input) or at `position` (array input);
  /// missing when absent.
  json::Value get(std::string_view name, size_t position) const {
    if (m_root.is_object()) return m_root.get(name);
    if (m_root.is_array()) return m_root.at(position);
    return {};
  }

  /// True when the argument is present and not null.
  bool has(std::string_view name, size_t position) const {
    auto v = get(name, position);
    return !v.is_missing() && !v.is_null();
  }

  /// An unsigned 64-bit integer (a JSON number or a decimal string).
  uint64_t u64(std::string_view name, size_t position) const {
    auto v = required(name, position).as_u64();
    if (!v) fail(name, "an unsigned 64-bit integer (number or decimal string)");
    return *v;
  }

  /// Like u64(), but `fallback` when absent or null.
  uint64_t u64_or(std::string_view name, size_t position, uint64_t fallback) const {
    return has(name, position) ? u64(name, position) : fallback;
  }

  /// A signed 64-bit integer (a JSON number or a decimal string).
  int64_t i64(std::string_view name, size_t position) const {
    auto v = required(name, position).as_i64();
    if (!v) fail(name, "a signed 64-bit integer (number or decimal string)");
    return *v;
  }

  /// `true` or `false`.
  bool boolean(std::string_view name, size_t position) const {
    auto v = required(name, position).as_bool();
    if (!v) fail(name, "true or false");
    return *v;
  }

  /// A string, decoded.
  std::string str(std::string_view name, size_t position) const {
    auto v = required(name, position).as_string();
    if (!v) fail(name, "a string");
    return *v;
  }

  /// An address "0x" + 40 hex digits.
  Address address(std::string_view name, size_t position) const {
    auto v = required(name, position).as_address();
    if (!v) fail(name, "an address (\"0x\" + 40 hex digits)");
    return *v;
  }

 private:
  json::Value required(std::string_view name, size_t position) const {
    auto v = get(name, position);
    if (v.is_missing()) fail(name, nullptr);
    return v;
  }

  [[noreturn]] static void fail(std::string_view name, const char* expected) {
    std::string msg = "argument '";
    msg += name;
    msg += expected ? "': expected " : "': missing";
    if (expected) msg += expected;
    revert(msg);
  }

  json::Value m_root;
};

/// The call's arguments, parsed once. Reverts with "invalid call input"
/// when the input is not JSON, or not an object, array or null.
inline const Args& args() {
  static const Args parsed = [] {
    const std::string& text = input_text();
    if (text.find_first_not_of(" \t\r\n") == std::string::npos) return Args(json::Value());
    auto root = json::parse(text);
    if (!root) revert("invalid call input: not valid JSON");
    if (!root->is_object() && !root->is_array() && !root->is_null()) {
      revert("invalid call input: expected a JSON object or array");
    }
    return Args(*root);
  }();
  return parsed;
}

/// Sets the method's result to raw JSON text (must be valid JSON).
inline void ret_json(std::string_view json_text) {
  ward_v1_result_write(json_text.data(), detail::len32(json_text.size()));
}

/// Sets the method's result to one value encoded as JSON: an integer (JSON
/// number), bool, string, Address, nullptr, json::Raw or json::Value.
template <class T>
void ret(const T& value) {
  json::Writer w;
  w.value(value);
  ret_json(w.str());
}

/// Sets the method's result to what `w` wrote.
inline void ret(const json::Writer& w) { ret_json(w.str()); }

/// Emits the event `name` with JSON `data` (an object, e.g. json::object(...)).
inline void emit(std::string_view name, std::string_view data) {
  detail::check_writable("emit events");
  ward_v1_log(name.data(), detail::len32(name.size()), data.data(), detail::len32(data.size()));
}

/// Emits the event `name` with what `w` wrote.
inline void emit(std::string_view name, const json::Writer& w) { emit(name, std::string_view(w.str())); }

/// The caller's address.
inline Address sender() {
  Address a;
  ward_v1_sender(a.bytes.data());
  return a;
}

/// The running contract's address.
inline Address self() {
  Address a;
  ward_v1_self_address(a.bytes.data());
  return a;
}

/// Height of the block the call runs in.
inline uint64_t block_height() { return static_cast<uint64_t>(ward_v1_block_height()); }

/// Time of that block, seconds since the Unix epoch.
inline int64_t block_time() { return ward_v1_block_time(); }

/// Gas remaining.
inline int64_t gas_left() { return ward_v1_gas_left(); }

}  // namespace ward
