// ward/storage.h — the error type of the embedding API and the two storage
// interfaces an embedder implements: ContractStorage (one contract's own
// key/value space, behind the host functions storage_get/put/delete and the
// storage iterators) and KvStore (the whole state of a chain, for
// ward::Chain). Implementations decide where the bytes live; a failure is
// reported as a message and ends the call with a storage error.
// Thread-safety: Ward calls a storage object only from the thread running
// the call that uses it.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>

#include "ward/types.h"

namespace ward {

/// What kind of failure an embedding call met. Numerically equal to the C
/// API's WARD_ERR_* codes (ward.h).
enum class ErrorCode : int {
  Ok = 0,
  InvalidArgument = 1,  ///< a null pointer, an unknown option, malformed input
  UnknownBackend = 2,   ///< a backend name other than "interp", "aot", "auto"
  InvalidModule = 3,    ///< the bytes are not a valid module, or exceed a Limits field
  Compile = 4,          ///< the backend could not compile the module (aot: C compiler failed)
  Instantiate = 5,      ///< imports did not link, or a segment / start function trapped
  Storage = 6,          ///< the embedder's storage reported a failure
  OutOfMemory = 7,      ///< an allocation failed (std::bad_alloc)
  Internal = 8,         ///< anything else; the message says what
};

/// An error of the embedding API: a code and a human-readable message naming what was wrong.
struct ApiError {
  ErrorCode code = ErrorCode::Internal;
  std::string message;
};

/// A value of type T or an ApiError (in the manner of C++23 std::expected).
template <class T>
class [[nodiscard]] Expected {
 public:
  Expected(T value) : m_value(std::move(value)) {}     // NOLINT: implicit by design
  Expected(ApiError error) : m_error(std::move(error)) {}  // NOLINT: implicit by design
  bool ok() const noexcept { return m_value.has_value(); }
  explicit operator bool() const noexcept { return ok(); }
  /// The value; only when ok().
  T& value() & { return *m_value; }
  const T& value() const& { return *m_value; }
  T&& value() && { return std::move(*m_value); }
  T* operator->() { return &*m_value; }
  const T* operator->() const { return &*m_value; }
  /// The error; meaningful only when !ok().
  const ApiError& error() const noexcept { return m_error; }

 private:
  std::optional<T> m_value;
  ApiError m_error;
};

/// Outcome of a storage operation: nullopt on success, else the failure's
/// message (it ends the running call with status Failed or Trapped and an
/// error that contains "storage error: <message>").
using StorageStatus = std::optional<std::string>;

/// Visitor of a scan: each key and value in ascending byte order; return
/// false to stop early.
using ScanVisitor = std::function<bool(std::string_view key, std::string_view value)>;

/// One contract's own key/value space: the keys and values exactly as the
/// contract passes them to storage_get/storage_put/storage_delete
/// (docs/host-abi.md). Keys are at most Limits::max_storage_key_bytes,
/// values at most Limits::max_storage_value_bytes bytes.
class ContractStorage {
 public:
  virtual ~ContractStorage() = default;
  /// Sets `value` to the key's value, or nullopt when absent.
  virtual StorageStatus get(std::string_view key, std::optional<std::string>& value) = 0;
  /// Writes a key. Called only after a call ended ok (writes are buffered
  /// by Ward during the call), in ascending key order.
  virtual StorageStatus put(std::string_view key, std::string_view value) = 0;
  /// Removes a key; no effect when absent. Called as put.
  virtual StorageStatus del(std::string_view key) = 0;
  /// Visits the keys in [start, end) in ascending byte order (empty `end`:
  /// no upper bound), for storage_iter_*. The default reports that
  /// iteration is not supported, so a contract that iterates fails with a
  /// storage error.
  virtual StorageStatus scan(std::string_view start, std::string_view end, const ScanVisitor& visit) {
    return std::string("storage iteration is not supported by this storage");
  }
};

/// A whole-state key/value store for ward::Chain (keys in Ward's state
/// layout, docs/host-abi.md "State layout"; arbitrary bytes).
class KvStore {
 public:
  /// One operation of an atomic write: value nullopt deletes the key.
  struct WriteOp {
    std::string_view key;
    std::optional<std::string_view> value;
  };
  virtual ~KvStore() = default;
  /// Sets `value` to the key's value, or nullopt when absent.
  virtual StorageStatus get(std::string_view key, std::optional<std::string>& value) = 0;
  /// Applies every operation, in order, all together or not at all.
  virtual StorageStatus write(std::span<const WriteOp> ops) = 0;
  /// Visits the keys in [start, end) in ascending byte order (empty `end`:
  /// no upper bound); reads only as far as `visit` goes.
  virtual StorageStatus scan(std::string_view start, std::string_view end, const ScanVisitor& visit) = 0;
};

}  // namespace ward
