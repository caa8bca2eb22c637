// ward/json.h — a small JSON reader and writer for contracts.
// The reader validates a text once (no recursion: nesting is tracked in a
// 64-bit stack, so at most 64 levels) and then hands out views into it; every
// lookup rescans the text, which is cheap for call inputs. The writer appends
// to a std::string. No exceptions, no iostreams, no floating point.
// Header-only, no host imports: also usable (and tested) outside wasm.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>

#include "ward/address.h"

namespace ward::json {

/// The kind of a JSON value; Missing for a member or element that is absent.
enum class Type : uint8_t { Missing, Null, Bool, Number, String, Array, Object };

/// Most nested arrays/objects the reader accepts.
inline constexpr unsigned k_max_depth = 64;

namespace detail {

inline constexpr size_t k_bad = static_cast<size_t>(-1);

inline size_t skip_ws(std::string_view s, size_t p) noexcept {
  while (p < s.size() && (s[p] == ' ' || s[p] == '\t' || s[p] == '\n' || s[p] == '\r')) ++p;
  return p;
}

inline bool is_digit(char c) noexcept { return c >= '0' && c <= '9'; }

inline int hex_digit(char c) noexcept {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

/// Scans a string starting at the opening quote; returns the position after
/// the closing quote, or k_bad.
inline size_t scan_string(std::string_view s, size_t p) noexcept {
  if (p >= s.size() || s[p] != '"') return k_bad;
  for (++p; p < s.size(); ++p) {
    auto c = static_cast<unsigned char>(s[p]);
    if (c == '"') return p + 1;
    if (c < 0x20) return k_bad;
    if (c == '\\') {
      if (++p >= s.size()) return k_bad;
      switch (s[p]) {
        case '"': case '\\': case '/': case 'b': case 'f': case 'n': case 'r': case 't': break;
        case 'u':
          if (p + 4 >= s.size()) return k_bad;
          for (size_t i = 1; i <= 4; ++i) {
            if (hex_digit(s[p + i]) < 0) return k_bad;
          }
          p += 4;
          break;
        default: return k_bad;
      }
    }
  }
  return k_bad;
}

inline size_t scan_number(std::string_view s, size_t p) noexcept {
  if (p < s.size() && s[p] == '-') ++p;
  if (p >= s.size() || !is_digit(s[p])) return k_bad;
  if (s[p] == '0') {
    ++p;
  } else {
    while (p < s.size() && is_digit(s[p])) ++p;
  }
  if (p < s.size() && s[p] == '.') {
    ++p;
    if (p >= s.size() || !is_digit(s[p])) return k_bad;
    while (p < s.size() && is_digit(s[p])) ++p;
  }
  if (p < s.size() && (s[p] == 'e' || s[p] == 'E')) {
    ++p;
    if (p < s.size() && (s[p] == '+' || s[p] == '-')) ++p;
    if (p >= s.size() || !is_digit(s[p])) return k_bad;
    while (p < s.size() && is_digit(s[p])) ++p;
  }
  return p;
}

/// Scans `"key" :` inside an object; returns the position after the colon.
inline size_t scan_key(std::string_view s, size_t p) noexcept {
  p = scan_string(s, skip_ws(s, p));
  if (p == k_bad) return k_bad;
  p = skip_ws(s, p);
  if (p >= s.size() || s[p] != ':') return k_bad;
  return p + 1;
}

/// Scans one complete value starting at or after `p` (leading whitespace is
/// skipped); returns the position after it, or k_bad when the text is not
/// valid JSON there. Iterative: nesting is a bit stack (1 = object).
inline size_t scan_value(std::string_view s, size_t p) noexcept {
  uint64_t stack = 0;
  unsigned depth = 0;
  for (;;) {
    p = skip_ws(s, p);
    if (p >= s.size()) return k_bad;
    char c = s[p];
    bool value_done = true;
    if (c == '{' || c == '[') {
      if (depth == k_max_depth) return k_bad;
      bool obj = c == '{';
      stack = stack << 1 | (obj ? 1 : 0);
      ++depth;
      p = skip_ws(s, p + 1);
      if (p < s.size() && s[p] == (obj ? '}' : ']')) {
        ++p;
        --depth;
        stack >>= 1;
      } else {
        if (obj && (p = scan_key(s, p)) == k_bad) return k_bad;
        value_done = false;
      }
    } else if (c == '"') {
      p = scan_string(s, p);
    } else if (s.substr(p, 4) == "true" || s.substr(p, 4) == "null") {
      p += 4;
    } else if (s.substr(p, 5) == "false") {
      p += 5;
    } else {
      p = scan_number(s, p);
    }
    if (p == k_bad) return k_bad;
    if (!value_done) continue;
    // After a value: close containers or move to the next element.
    for (;;) {
      if (depth == 0) return p;
      p = skip_ws(s, p);
      if (p >= s.size()) return k_bad;
      bool obj = (stack & 1) != 0;
      if (s[p] == ',') {
        ++p;
        if (obj && (p = scan_key(s, p)) == k_bad) return k_bad;
        break;
      }
      if (s[p] != (obj ? '}' : ']')) return k_bad;
      ++p;
      --depth;
      stack >>= 1;
    }
  }
}

/// Appends the UTF-8 encoding of a code point.
inline void append_utf8(std::string& out, uint32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | cp >> 6);
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | cp >> 12);
    out += static_cast<char>(0x80 | (cp >> 6 & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | cp >> 18);
    out += static_cast<char>(0x80 | (cp >> 12 & 0x3F));
    out += static_cast<char>(0x80 | (cp >> 6 & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

/// Decodes a validated string literal (with its quotes).
inline std::string unescape(std::string_view lit) {
  std::string out;
  out.reserve(lit.size());
  for (size_t p = 1; p + 1 < lit.size(); ++p) {
    char c = lit[p];
    if (c != '\\') {
      out += c;
      continue;
    }
    c = lit[++p];
    switch (c) {
      case 'b': out += '\b'; break;
      case 'f': out += '\f'; break;
      case 'n': out += '\n'; break;
      case 'r': out += '\r'; break;
      case 't': out += '\t'; break;
      case 'u': {
        auto read4 = [&](size_t at) {
          uint32_t v = 0;
          for (size_t i = 0; i < 4; ++i) v = v << 4 | static_cast<uint32_t>(hex_digit(lit[at + i]));
          return v;
        };
        uint32_t cp = read4(p + 1);
        p += 4;
        if (cp >= 0xD800 && cp < 0xDC00 && p + 6 < lit.size() && lit[p + 1] == '\\' && lit[p + 2] == 'u') {
          uint32_t lo = read4(p + 3);
          if (lo >= 0xDC00 && lo < 0xE000) {
            cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
            p += 6;
          }
        }
        if (cp >= 0xD800 && cp < 0xE000) cp = 0xFFFD;  // lone surrogate
        append_utf8(out, cp);
        break;
      }
      default: out += c; break;  // " \ /
    }
  }
  return out;
}

/// Parses unsigned decimal digits (no sign); empty on overflow or other text.
inline std::optional<uint64_t> parse_u64_digits(std::string_view d) noexcept {
  if (d.empty() || d.size() > 20) return std::nullopt;
  uint64_t v = 0;
  for (char c : d) {
    if (!is_digit(c)) return std::nullopt;
    uint64_t digit = static_cast<uint64_t>(c - '0');
    if (v > (UINT64_MAX - digit) / 10) return std::nullopt;
    v = v * 10 + digit;
  }
  return v;
}

}  // namespace detail

/// A view of one JSON value inside a text validated by parse(). Cheap to
/// copy; valid while the text lives.
class Value {
 public:
  /// A missing value.
  Value() = default;
  /// Wraps the exact text of one valid JSON value (no surrounding spaces).
  explicit Value(std::string_view text) noexcept : m_text(text) {}

  /// The raw JSON text of this value (empty when missing).
  std::string_view text() const noexcept { return m_text; }

  /// What kind of value this is.
  Type type() const noexcept {
    if (m_text.empty()) return Type::Missing;
    switch (m_text[0]) {
      case 'n': return Type::Null;
      case 't': case 'f': return Type::Bool;
      case '"': return Type::String;
      case '[': return Type::Array;
      case '{': return Type::Object;
      default: return Type::Number;
    }
  }
  bool is_missing() const noexcept { return type() == Type::Missing; }  ///< absent
  bool is_null() const noexcept { return type() == Type::Null; }        ///< `null`
  bool is_object() const noexcept { return type() == Type::Object; }    ///< `{...}`
  bool is_array() const noexcept { return type() == Type::Array; }      ///< `[...]`
  bool is_string() const noexcept { return type() == Type::String; }    ///< `"..."`
  bool is_number() const noexcept { return type() == Type::Number; }    ///< a number

  /// The member `name` of an object (the last one when repeated); missing
  /// when absent or when this is not an object.
  Value get(std::string_view name) const {
    Value found;
    if (!is_object()) return found;
    for_each_member([&](std::string_view key_literal, Value v) {
      if (key_equals(key_literal, name)) found = v;
      return true;
    });
    return found;
  }

  /// The element at `index` of an array; missing when out of range or when
  /// this is not an array.
  Value at(size_t index) const {
    Value found;
    if (!is_array()) return found;
    size_t i = 0;
    for_each_element([&](Value v) {
      if (i++ == index) {
        found = v;
        return false;
      }
      return true;
    });
    return found;
  }

  /// Elements of an array or members of an object; 0 for anything else.
  size_t size() const {
    size_t n = 0;
    if (is_array()) for_each_element([&](Value) { return ++n, true; });
    if (is_object()) for_each_member([&](std::string_view, Value) { return ++n, true; });
    return n;
  }

  /// Calls `fn(Value)` for each array element until it returns false.
  template <class Fn>
  void for_each_element(Fn&& fn) const {
    if (!is_array()) return;
    size_t p = detail::skip_ws(m_text, 1);
    if (m_text[p] == ']') return;
    for (;;) {
      size_t start = detail::skip_ws(m_text, p);
      size_t end = detail::scan_value(m_text, start);
      if (!fn(Value(m_text.substr(start, end - start)))) return;
      p = detail::skip_ws(m_text, end);
      if (m_text[p] != ',') return;
      ++p;
    }
  }

  /// Calls `fn(key_literal, Value)` for each object member until it returns
  /// false; `key_literal` is the quoted, still escaped key (see key_string()).
  template <class Fn>
  void for_each_member(Fn&& fn) const {
    if (!is_object()) return;
    size_t p = detail::skip_ws(m_text, 1);
    if (m_text[p] == '}') return;
    for (;;) {
      size_t key_start = detail::skip_ws(m_text, p);
      size_t key_end = detail::scan_string(m_text, key_start);
      size_t start = detail::skip_ws(m_text, detail::skip_ws(m_text, key_end) + 1);
      size_t end = detail::scan_value(m_text, start);
      if (!fn(m_text.substr(key_start, key_end - key_start), Value(m_text.substr(start, end - start)))) return;
      p = detail::skip_ws(m_text, end);
      if (m_text[p] != ',') return;
      ++p;
    }
  }

  /// Decodes a quoted key literal as given to for_each_member().
  static std::string key_string(std::string_view key_literal) { return detail::unescape(key_literal); }

  /// The decoded string; empty when not a string.
  std::optional<std::string> as_string() const {
    if (!is_string()) return std::nullopt;
    return detail::unescape(m_text);
  }

  /// `true`/`false`; empty for anything else.
  std::optional<bool> as_bool() const noexcept {
    if (m_text == "true") return true;
    if (m_text == "false") return false;
    return std::nullopt;
  }

  /// A non-negative integer that fits 64 bits, written as a JSON number
  /// without fraction or exponent, or as a string of decimal digits (so that
  /// JavaScript clients lose no precision).
  std::optional<uint64_t> as_u64() const noexcept { return detail::parse_u64_digits(digits()); }

  /// A signed integer that fits 64 bits, as a number or a decimal string
  /// (an optional leading '-').
  std::optional<int64_t> as_i64() const noexcept {
    std::string_view d = digits();
    bool negative = !d.empty() && d[0] == '-';
    if (negative) d.remove_prefix(1);
    auto magnitude = detail::parse_u64_digits(d);
    if (!magnitude) return std::nullopt;
    if (negative) {
      if (*magnitude > uint64_t{1} << 63) return std::nullopt;
      return static_cast<int64_t>(0 - *magnitude);
    }
    if (*magnitude > static_cast<uint64_t>(INT64_MAX)) return std::nullopt;
    return static_cast<int64_t>(*magnitude);
  }

  /// A string "0x" + 40 hex digits.
  std::optional<Address> as_address() const noexcept {
    if (!is_string()) return std::nullopt;
    return Address::from_hex(m_text.substr(1, m_text.size() - 2));
  }

 private:
  /// The digits of a number, or of a string that holds no escapes.
  std::string_view digits() const noexcept {
    if (is_number()) return m_text;
    if (is_string()) return m_text.substr(1, m_text.size() - 2);
    return {};
  }

  static bool key_equals(std::string_view key_literal, std::string_view name) {
    std::string_view raw = key_literal.substr(1, key_literal.size() - 2);
    if (raw.find('\\') == std::string_view::npos) return raw == name;
    return detail::unescape(key_literal) == name;
  }

  std::string_view m_text;
};

/// Validates `text` as exactly one JSON value with optional surrounding
/// whitespace; returns a view of it, or empty when the text is not valid
/// JSON or nests deeper than k_max_depth.
inline std::optional<Value> parse(std::string_view text) noexcept {
  size_t start = detail::skip_ws(text, 0);
  size_t end = detail::scan_value(text, start);
  if (end == detail::k_bad || detail::skip_ws(text, end) != text.size()) return std::nullopt;
  return Value(text.substr(start, end - start));
}

/// Already-encoded JSON text to insert as a value.
struct Raw {
  std::string_view text;  ///< must be one valid JSON value
};

/// Builds JSON text. Commas and colons are placed automatically:
/// `w.begin_object().field("a", 1).key("b").begin_array().value(true).end_array().end_object()`.
class Writer {
 public:
  Writer& begin_object() { return open('{'); }  ///< starts `{`
  Writer& end_object() { return close('}'); }   ///< ends `}`
  Writer& begin_array() { return open('['); }   ///< starts `[`
  Writer& end_array() { return close(']'); }    ///< ends `]`

  /// Writes an object key; the next call writes its value.
  Writer& key(std::string_view name) {
    before_value();
    append_string(name);
    m_out += ':';
    m_after_key = true;
    return *this;
  }

  Writer& value(std::nullptr_t) { return raw("null"); }                      ///< `null`
  Writer& value(bool b) { return raw(b ? "true" : "false"); }                ///< `true`/`false`
  Writer& value(const char* s) { return value(std::string_view(s)); }        ///< a string
  Writer& value(const std::string& s) { return value(std::string_view(s)); } ///< a string
  Writer& value(const Address& a) { return value(std::string_view(a.to_hex())); }  ///< "0x..."
  Writer& value(Raw r) { return raw(r.text); }                               ///< raw JSON
  Writer& value(Value v) { return raw(v.is_missing() ? std::string_view("null") : v.text()); }  ///< a parsed value

  /// A JSON string, escaped.
  Writer& value(std::string_view s) {
    before_value();
    append_string(s);
    return *this;
  }

  /// An integer, as a JSON number.
  template <class T>
    requires(std::is_integral_v<T> && !std::is_same_v<T, bool> && !std::is_same_v<T, char>)
  Writer& value(T n) {
    before_value();
    uint64_t magnitude;
    if constexpr (std::is_signed_v<T>) {
      if (n < 0) {
        m_out += '-';
        magnitude = 0 - static_cast<uint64_t>(n);
      } else {
        magnitude = static_cast<uint64_t>(n);
      }
    } else {
      magnitude = n;
    }
    char buf[20];
    size_t len = 0;
    do {
      buf[len++] = static_cast<char>('0' + magnitude % 10);
      magnitude /= 10;
    } while (magnitude != 0);
    while (len > 0) m_out += buf[--len];
    return *this;
  }

  /// `key(name)` then `value(v)`.
  template <class T>
  Writer& field(std::string_view name, const T& v) {
    key(name);
    return value(v);
  }

  /// The text written so far.
  const std::string& str() const noexcept { return m_out; }
  /// Moves the text out, leaving the writer empty.
  std::string take() {
    m_need_comma = false;
    m_after_key = false;
    return std::move(m_out);
  }

 private:
  Writer& raw(std::string_view text) {
    before_value();
    m_out += text;
    return *this;
  }
  Writer& open(char c) {
    before_value();
    m_out += c;
    m_need_comma = false;
    return *this;
  }
  Writer& close(char c) {
    m_out += c;
    m_need_comma = true;
    return *this;
  }
  void before_value() {
    if (m_after_key) {
      m_after_key = false;
    } else if (m_need_comma) {
      m_out += ',';
    }
    m_need_comma = true;
  }
  void append_string(std::string_view s) {
    static constexpr char k_hex[] = "0123456789abcdef";
    m_out += '"';
    for (char ch : s) {
      auto c = static_cast<unsigned char>(ch);
      switch (c) {
        case '"': m_out += "\\\""; break;
        case '\\': m_out += "\\\\"; break;
        case '\n': m_out += "\\n"; break;
        case '\r': m_out += "\\r"; break;
        case '\t': m_out += "\\t"; break;
        default:
          if (c < 0x20) {
            m_out += "\\u00";
            m_out += k_hex[c >> 4];
            m_out += k_hex[c & 0xf];
          } else {
            m_out += ch;
          }
      }
    }
    m_out += '"';
  }

  std::string m_out;
  bool m_need_comma = false;
  bool m_after_key = false;
};

namespace detail {
inline void add_fields(Writer&) {}
template <class V, class... Rest>
void add_fields(Writer& w, std::string_view name, const V& v, const Rest&... rest) {
  w.field(name, v);
  add_fields(w, rest...);
}
template <class... Items>
void add_items(Writer& w, const Items&... items) {
  (w.value(items), ...);
}
}  // namespace detail

/// A JSON object from name/value pairs: `object("to", addr, "amount", 5)`.
template <class... Pairs>
std::string object(const Pairs&... pairs) {
  static_assert(sizeof...(Pairs) % 2 == 0, "json::object takes name/value pairs");
  Writer w;
  w.begin_object();
  detail::add_fields(w, pairs...);
  w.end_object();
  return w.take();
}

/// A JSON array of the given values: `array(1, "two", true)`.
template <class... Items>
std::string array(const Items&... items) {
  Writer w;
  w.begin_array();
  detail::add_items(w, items...);
  w.end_array();
  return w.take();
}

}  // namespace ward::json
