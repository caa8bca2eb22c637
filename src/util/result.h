// ward/util/result.h — a small value-or-error type used across the core.
// Core, interpreter and host code never throw: failures are values.
// Thread-safety: plain value type.
#pragma once

#include <string>
#include <utility>
#include <variant>

namespace ward {

/// An error: a human-readable message that names what was wrong and where
/// (byte offset, function index, limit name and value found).
struct Error {
  std::string message;
};

/// Either a value of type T or an Error. Modelled on std::expected (C++23).
template <class T>
class [[nodiscard]] Result {
 public:
  Result(T value) : m_v(std::move(value)) {}            // NOLINT: implicit by design
  Result(Error error) : m_v(std::move(error)) {}        // NOLINT: implicit by design
  bool ok() const noexcept { return m_v.index() == 0; }
  explicit operator bool() const noexcept { return ok(); }
  T& value() & { return std::get<0>(m_v); }
  const T& value() const& { return std::get<0>(m_v); }
  T&& value() && { return std::get<0>(std::move(m_v)); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const Error& error() const { return std::get<1>(m_v); }

 private:
  std::variant<T, Error> m_v;
};

/// Result with no value: success, or an Error.
template <>
class [[nodiscard]] Result<void> {
 public:
  Result() = default;
  Result(Error error) : m_err(std::move(error)), m_failed(true) {}  // NOLINT
  bool ok() const noexcept { return !m_failed; }
  explicit operator bool() const noexcept { return ok(); }
  const Error& error() const { return m_err; }

 private:
  Error m_err;
  bool m_failed = false;
};

/// Shorthand for building an Error.
inline Error make_error(std::string message) { return Error{std::move(message)}; }

}  // namespace ward
