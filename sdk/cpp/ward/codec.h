// ward/codec.h — typed values to and from JSON, as the generated dispatch
// code of `ward build` uses them for arguments and results.
//
// Codec<T> exists for bool, every integer type, std::string, ward::Bytes,
// ward::Address, ward::ObjectId, ward::Hash, std::vector<T>,
// std::optional<T>, and the structs `ward build` generates a Codec for.
// 64-bit integers are read from JSON numbers or decimal strings (JavaScript
// clients lose no precision) and written as JSON numbers. Decoding names the
// failing value: "argument 'amount': expected u64, got string \"abc\"".
// Header-only, no host imports: also usable (and tested) outside wasm.
#pragma once

#include <cstddef>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "ward/address.h"
#include "ward/json.h"
#include "ward/types.h"

namespace ward::abi {

/// Where a value sits in the arguments: "amount", "order.items[2].price".
/// A chain of frames on the stack; the text is built only for a message.
struct Path {
  const Path* parent = nullptr;  ///< the enclosing value, or none
  std::string_view name;         ///< a parameter or field name (when !is_index)
  size_t index = 0;              ///< an array index (when is_index)
  bool is_index = false;         ///< which of the two

  /// The path as text.
  std::string str() const {
    std::string out = parent ? parent->str() : std::string();
    if (is_index) return out + "[" + std::to_string(index) + "]";
    if (!out.empty()) out += '.';
    out += name;
    return out;
  }
  /// The path of field `field` of this value.
  Path field(std::string_view field_name) const { return Path{this, field_name, 0, false}; }
  /// The path of element `i` of this value.
  Path element(size_t i) const { return Path{this, {}, i, true}; }
};

/// A short description of a JSON value for messages: `string "abc"`,
/// `number -3`, `bool true`, `null`, `object`, `array`, `nothing`.
inline std::string describe(json::Value v) {
  constexpr size_t k_max = 40;
  switch (v.type()) {
    case json::Type::Missing: return "nothing";
    case json::Type::Null: return "null";
    case json::Type::Bool: return "bool " + std::string(v.text());
    case json::Type::Array: return "array";
    case json::Type::Object: return "object";
    case json::Type::Number: return "number " + std::string(v.text().substr(0, k_max));
    case json::Type::String: {
      std::string_view t = v.text();
      if (t.size() <= k_max + 2) return "string " + std::string(t);
      return "string " + std::string(t.substr(0, k_max + 1)) + "...\"";
    }
  }
  return "?";
}

/// The message of a value that does not decode as `expected`.
inline std::string mismatch(const Path& path, std::string_view expected, json::Value got, std::string_view why = {}) {
  std::string msg = "argument '" + path.str() + "': expected " + std::string(expected) + ", got " + describe(got);
  if (!why.empty()) msg += " (" + std::string(why) + ")";
  return msg;
}

/// Encodes and decodes a T. Specialised below; `ward build` specialises it
/// for the structs a contract uses. Members:
///   static std::string type_name();  // the ABI type, e.g. "u64", "address[]"
///   static bool decode(json::Value v, T& out, const Path& path, std::string& error);
///   static void encode(json::Writer& w, const T& value);
template <class T, class Enable = void>
struct Codec;

/// Decodes `v` into `out`; on failure sets `error` and returns false.
template <class T>
bool decode(json::Value v, T& out, const Path& path, std::string& error) {
  return Codec<T>::decode(v, out, path, error);
}

/// Appends `value` as JSON.
template <class T>
void encode(json::Writer& w, const T& value) {
  Codec<T>::encode(w, value);
}

/// `value` as JSON text.
template <class T>
std::string to_json(const T& value) {
  json::Writer w;
  encode(w, value);
  return w.take();
}

/// Integers: a JSON number without fraction or exponent, or a string of
/// decimal digits (with an optional '-' for signed types), in range.
template <class T>
struct Codec<T, std::enable_if_t<std::is_integral_v<T> && !std::is_same_v<T, bool>>> {
  static std::string type_name() {
    return (std::is_signed_v<T> ? "i" : "u") + std::to_string(sizeof(T) * 8);
  }
  static bool decode(json::Value v, T& out, const Path& path, std::string& error) {
    if (!v.is_number() && !v.is_string()) return error = mismatch(path, type_name(), v), false;
    if constexpr (std::is_signed_v<T>) {
      auto n = v.as_i64();
      if (!n) return error = mismatch(path, type_name(), v, integer_problem(v)), false;
      if (*n < static_cast<int64_t>(std::numeric_limits<T>::min()) ||
          *n > static_cast<int64_t>(std::numeric_limits<T>::max())) {
        return error = mismatch(path, type_name(), v, "out of range"), false;
      }
      out = static_cast<T>(*n);
    } else {
      auto n = v.as_u64();
      if (!n) return error = mismatch(path, type_name(), v, integer_problem(v)), false;
      if (*n > static_cast<uint64_t>(std::numeric_limits<T>::max())) {
        return error = mismatch(path, type_name(), v, "out of range"), false;
      }
      out = static_cast<T>(*n);
    }
    return true;
  }
  static void encode(json::Writer& w, const T& value) { w.value(value); }

 private:
  static std::string_view integer_problem(json::Value v) {
    std::string_view t = v.text();
    if (v.is_string()) t = t.substr(1, t.size() - 2);
    bool negative = !t.empty() && t[0] == '-';
    std::string_view digits = negative ? t.substr(1) : t;
    bool all_digits = !digits.empty();
    for (char c : digits) all_digits = all_digits && c >= '0' && c <= '9';
    if (all_digits && negative && !std::is_signed_v<T>) return "negative";
    if (all_digits) return "out of range";
    if (v.is_number()) return "not an integer";
    return {};
  }
};

/// `true` or `false`.
template <>
struct Codec<bool> {
  static std::string type_name() { return "bool"; }
  static bool decode(json::Value v, bool& out, const Path& path, std::string& error) {
    auto b = v.as_bool();
    if (!b) return error = mismatch(path, "bool", v), false;
    out = *b;
    return true;
  }
  static void encode(json::Writer& w, bool value) { w.value(value); }
};

/// A JSON string.
template <>
struct Codec<std::string> {
  static std::string type_name() { return "string"; }
  static bool decode(json::Value v, std::string& out, const Path& path, std::string& error) {
    auto s = v.as_string();
    if (!s) return error = mismatch(path, "string", v), false;
    out = std::move(*s);
    return true;
  }
  static void encode(json::Writer& w, const std::string& value) { w.value(value); }
};

/// "0x" + 40 hex digits.
template <>
struct Codec<Address> {
  static std::string type_name() { return "address"; }
  static bool decode(json::Value v, Address& out, const Path& path, std::string& error) {
    auto a = v.as_address();
    if (!a) return error = mismatch(path, "address", v, v.is_string() ? "not 0x + 40 hex digits" : ""), false;
    out = *a;
    return true;
  }
  static void encode(json::Writer& w, const Address& value) { w.value(value); }
};

/// "0x" + 64 hex digits, for ObjectId and Hash.
template <class T>
struct Codec<T, std::enable_if_t<std::is_same_v<T, ObjectId> || std::is_same_v<T, Hash>>> {
  static std::string type_name() { return std::is_same_v<T, ObjectId> ? "object_id" : "hash"; }
  static bool decode(json::Value v, T& out, const Path& path, std::string& error) {
    std::optional<T> id;
    if (auto s = v.as_string()) id = T::from_hex(*s);
    if (!id) return error = mismatch(path, type_name(), v, v.is_string() ? "not 0x + 64 hex digits" : ""), false;
    out = *id;
    return true;
  }
  static void encode(json::Writer& w, const T& value) { w.value(value.to_hex()); }
};

/// Bytes: "0x" + an even number of hex digits.
template <>
struct Codec<Bytes> {
  static std::string type_name() { return "bytes"; }
  static bool decode(json::Value v, Bytes& out, const Path& path, std::string& error) {
    std::optional<Bytes> b;
    if (auto s = v.as_string()) b = bytes_from_hex(*s);
    if (!b) return error = mismatch(path, "bytes", v, v.is_string() ? "not 0x + an even number of hex digits" : ""), false;
    out = std::move(*b);
    return true;
  }
  static void encode(json::Writer& w, const Bytes& value) { w.value(to_hex(value)); }
};

/// A JSON array of T.
template <class T>
struct Codec<std::vector<T>, std::enable_if_t<!std::is_same_v<T, uint8_t>>> {
  static std::string type_name() { return Codec<T>::type_name() + "[]"; }
  static bool decode(json::Value v, std::vector<T>& out, const Path& path, std::string& error) {
    if (!v.is_array()) return error = mismatch(path, type_name(), v), false;
    out.clear();
    bool ok = true;
    v.for_each_element([&](json::Value e) {
      Path p = path.element(out.size());
      out.emplace_back();
      ok = Codec<T>::decode(e, out.back(), p, error);
      return ok;
    });
    return ok;
  }
  static void encode(json::Writer& w, const std::vector<T>& value) {
    w.begin_array();
    for (const T& e : value) Codec<T>::encode(w, e);
    w.end_array();
  }
};

/// A T or null (also: an argument that may be left out).
template <class T>
struct Codec<std::optional<T>> {
  static std::string type_name() { return Codec<T>::type_name() + "?"; }
  static bool decode(json::Value v, std::optional<T>& out, const Path& path, std::string& error) {
    if (v.is_missing() || v.is_null()) {
      out.reset();
      return true;
    }
    out.emplace();
    return Codec<T>::decode(v, *out, path, error);
  }
  static void encode(json::Writer& w, const std::optional<T>& value) {
    if (value) {
      Codec<T>::encode(w, *value);
    } else {
      w.value(nullptr);
    }
  }
};

/// True for types that may be left out of the arguments (std::optional).
template <class T>
inline constexpr bool is_optional_v = false;
template <class T>
inline constexpr bool is_optional_v<std::optional<T>> = true;

/// Decodes the member `name` of a struct value into `out` (used by the
/// Codec specialisations `ward build` generates). A missing member is an
/// error unless the field is a std::optional.
template <class T>
bool decode_field(json::Value object, std::string_view name, T& out, const Path& path, std::string& error) {
  Path p = path.field(name);
  json::Value v = object.get(name);
  if (v.is_missing() && !is_optional_v<T>) {
    error = "argument '" + p.str() + "': missing (expected " + Codec<T>::type_name() + ")";
    return false;
  }
  return Codec<T>::decode(v, out, p, error);
}

/// Checks that a struct value is a JSON object.
inline bool expect_object(json::Value v, std::string_view type, const Path& path, std::string& error) {
  if (v.is_object()) return true;
  error = mismatch(path, type, v);
  return false;
}

}  // namespace ward::abi
