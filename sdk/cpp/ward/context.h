// ward/context.h — ward::Context: everything a method may ask of the chain,
// in one place: who called (sender, origin), where it runs (self, block),
// the value attached, native balances and transfers, cross-contract calls,
// storage, objects, events and crypto. Get it with ward::ctx(); it holds no
// state, so copies are free.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "ward/address.h"
#include "ward/codec.h"
#include "ward/contract.h"
#include "ward/host.h"
#include "ward/json.h"
#include "ward/object.h"
#include "ward/storage.h"
#include "ward/types.h"

namespace ward {

/// The block a call runs in.
struct Block {
  uint64_t height = 0;  ///< block height
  int64_t time = 0;     ///< seconds since the Unix epoch
};

/// How a cross-contract call ended (the host's status codes).
enum class CallStatus : int32_t {
  ok = 0,        ///< the callee returned; `data` is its result JSON
  reverted = 1,  ///< the callee reverted; `data` is the error text
  failed = 2,    ///< trapped, out of gas, unknown contract or method, reentrant, too deep; `data` says which
};

/// The outcome of Context::call(). The callee's writes are already undone
/// when it did not end ok.
struct CallResult {
  CallStatus status = CallStatus::failed;  ///< how it ended
  std::string data;                        ///< result JSON (ok) or error text

  /// True when the callee ended ok.
  bool ok() const noexcept { return status == CallStatus::ok; }

  /// The result decoded as T, or an Error with the callee's error (or the
  /// decoding error): `auto r = ctx().call(token, "GetBalance", args).as<uint64_t>();`.
  template <class T>
  Result<T> as() const {
    if (!ok()) return Error(data);
    auto v = json::parse(data);
    if (!v) return Error("call result is not JSON");
    T out{};
    std::string error;
    abi::Path path{nullptr, "result", 0, false};
    if (!abi::decode(*v, out, path, error)) return Error(error);
    return out;
  }
};

/// The contract's own key/value space (see ward/storage.h).
struct Storage {
  /// The value at `key`, or empty.
  std::optional<std::string> get(std::string_view key) const { return storage::get(key); }
  /// True when `key` holds a value.
  bool has(std::string_view key) const { return storage::has(key); }
  /// Writes `value` at `key`.
  void put(std::string_view key, std::string_view value) const { storage::put(key, value); }
  /// Removes `key`.
  void del(std::string_view key) const { storage::del(key); }
  /// The u64 at `key`, `fallback` when absent.
  uint64_t get_u64(std::string_view key, uint64_t fallback = 0) const { return storage::get_u64(key, fallback); }
  /// Writes a u64 at `key`.
  void put_u64(std::string_view key, uint64_t value) const { storage::put_u64(key, value); }
  /// Keys starting with `p`, in order.
  storage::Iterator prefix(std::string_view p) const { return storage::prefix(p); }
  /// Keys in [start, end), in order; empty `end`: no upper bound.
  storage::Iterator range(std::string_view start, std::string_view end) const { return storage::range(start, end); }
};

/// The contract's objects (see ward/object.h).
struct Objects {
  /// Creates an object owned by `owner`.
  Object create(const Address& owner) const { return Object::create(owner); }
  /// The object `id`, or empty.
  std::optional<Object> get(const ObjectId& id) const { return Object::get(id); }
  /// The first object owned by `owner`, or empty.
  std::optional<Object> by_owner(const Address& owner) const { return Object::by_owner(owner); }
  /// The contract's default object.
  Object default_object() const { return Object::default_object(); }
};

/// Hashes and signatures, computed by the host.
struct Crypto {
  /// SHA-256 of `data`.
  Hash sha256(std::string_view data) const {
    Hash h;
    ward_v1_sha256(data.data(), detail::len32(data.size()), h.bytes.data());
    return h;
  }
  /// Keccak-256 (Ethereum's padding) of `data`.
  Hash keccak256(std::string_view data) const {
    Hash h;
    ward_v1_keccak256(data.data(), detail::len32(data.size()), h.bytes.data());
    return h;
  }
  /// True when the 64-byte `signature` of `message` verifies under the
  /// 32-byte `public_key`; false also for other lengths.
  bool ed25519_verify(const Bytes& signature, const Bytes& public_key, std::string_view message) const {
    if (signature.size() != 64 || public_key.size() != 32) return false;
    return ward_v1_ed25519_verify(signature.data(), public_key.data(), message.data(),
                                  detail::len32(message.size())) == 1;
  }
};

/// The chain as the running method sees it.
class Context {
 public:
  /// The immediate caller: the signer, or the calling contract.
  Address sender() const { return ward::sender(); }
  /// The account that signed the outermost call.
  Address origin() const {
    Address a;
    ward_v1_origin(a.bytes.data());
    return a;
  }
  /// The running contract.
  Address self() const { return ward::self(); }
  /// The block the call runs in.
  Block block() const { return {ward::block_height(), ward::block_time()}; }
  /// Native value attached to this call (already credited to self()).
  uint64_t value() const { return static_cast<uint64_t>(ward_v1_call_value()); }
  /// Gas remaining.
  int64_t gas_left() const { return ward::gas_left(); }

  /// Native balance of `account`.
  uint64_t balance(const Address& account) const { return static_cast<uint64_t>(ward_v1_balance(account.bytes.data())); }
  /// Native balance of the running contract.
  uint64_t balance() const { return balance(self()); }
  /// Moves `amount` of the contract's native balance to `to`; false (and
  /// nothing moves) when the balance is short.
  bool transfer(const Address& to, uint64_t amount) const {
    detail::check_writable("transfer value");
    return ward_v1_transfer(to.bytes.data(), static_cast<int64_t>(amount)) == 0;
  }

  /// Calls `method` of `contract` with JSON `args` (e.g. json::object(...)),
  /// attaching `value` from this contract and at most `gas` gas (0: all that
  /// is left). The callee sees this contract as its sender; if it fails, its
  /// writes are undone and this method goes on.
  CallResult call(const Address& contract, std::string_view method, std::string_view args = "{}",
                  uint64_t value = 0, uint64_t gas = 0) const {
    if (value != 0) detail::check_writable("transfer value");
    CallResult r;
    r.status = static_cast<CallStatus>(ward_v1_call(contract.bytes.data(), method.data(),
                                                    detail::len32(method.size()), args.data(),
                                                    detail::len32(args.size()), static_cast<int64_t>(value),
                                                    static_cast<int64_t>(gas)));
    r.data.assign(static_cast<size_t>(ward_v1_call_result_size()), '\0');
    if (!r.data.empty()) ward_v1_call_result_read(r.data.data());
    return r;
  }

  /// Emits the event `name` with JSON `data`.
  void emit(std::string_view name, std::string_view data) const { ward::emit(name, data); }
  /// Emits the event `name` with a typed value encoded as JSON.
  template <class T>
  void emit_value(std::string_view name, const T& data) const {
    ward::emit(name, abi::to_json(data));
  }

  /// The contract's key/value space.
  Storage storage() const { return {}; }
  /// The contract's objects.
  Objects objects() const { return {}; }
  /// Hashes and signatures.
  Crypto crypto() const { return {}; }
};

/// The context of the running call.
inline Context ctx() { return {}; }

}  // namespace ward
