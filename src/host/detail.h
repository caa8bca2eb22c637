// ward/host/detail.h — internal helpers shared by the host function
// implementations (ward_v1.cpp, wasi.cpp): gas charging from the table
// entry, bounds-checked memory access with the messages of
// docs/host-abi.md, little-endian stores. Not part of the public API.
// Thread-safety: acts on one call's state.
#pragma once

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <optional>
#include <string>
#include <string_view>

#include "host/host.h"

namespace ward::host::detail {

using runtime::HostCall;
using runtime::TrapKind;
using runtime::Value;

/// The view of one host call a host function works with.
class Call {
 public:
  explicit Call(HostCall& call)
      : m_call(call),
        m_fn(static_cast<const HostFunction*>(call.func.host_data)),
        m_env(static_cast<CallEnv*>(call.ctx.host_env)) {}

  /// False when the call has no CallEnv or no table entry (a wiring bug).
  bool valid() const noexcept { return m_fn != nullptr && m_env != nullptr && m_call.ctx.limits != nullptr; }
  /// Trap for !valid().
  TrapKind fail_unwired() { return m_call.fail(std::string(name()) + ": no call environment"); }

  std::string_view name() const noexcept { return m_fn ? m_fn->name : std::string_view("host"); }
  CallEnv& env() noexcept { return *m_env; }
  runtime::ExecContext& ctx() noexcept { return m_call.ctx; }
  const runtime::Limits& limits() const noexcept { return *m_call.ctx.limits; }

  /// "<function>: <message>", TrapKind::Host.
  TrapKind fail(std::string_view message) {
    return m_call.fail(std::string(name()) + ": " + std::string(message));
  }
  /// "<function>: <what> of N bytes exceeds <limit> (M)", TrapKind::Host.
  TrapKind too_big(std::string_view what, uint64_t n, std::string_view limit, uint64_t max) {
    return fail(std::string(what) + " of " + std::to_string(n) + " bytes exceeds " + std::string(limit) +
                " (" + std::to_string(max) + ")");
  }
  /// Traps "<function>: read and write sets exceed max_call_access_bytes (N)"
  /// when the keys this call has recorded (CallEnv::access, kept in memory
  /// for the receipt) passed the limit. Checked by WARD_HOST_CHARGE before
  /// every host function does its work, so a call overshoots by at most one
  /// function's keys.
  TrapKind check_access_log() {
    const uint64_t max = limits().max_call_access_bytes;
    if (m_env->access.bytes <= max) return TrapKind::None;
    return fail("read and write sets exceed max_call_access_bytes (" + std::to_string(max) + ")");
  }
  /// Charges base + per_byte * bytes of the call's gas schedule
  /// (CallEnv::gas); false when gas runs out (return TrapKind::OutOfGas).
  bool charge(uint64_t bytes) { return m_call.ctx.charge(m_env->gas->host_gas(m_fn->id, bytes)); }
  /// Charges per_byte * bytes only (the second part of a two-step charge).
  bool charge_more(uint64_t bytes) { return m_call.ctx.charge(m_env->gas->host_gas_bytes(m_fn->id, bytes)); }

  /// TrapKind::None when [ptr, ptr+len) lies in memory, else a Host trap
  /// "<function>: out of bounds memory range [a, b) (memory is N bytes)".
  TrapKind check_range(uint32_t ptr, uint64_t len) {
    runtime::Memory* mem = m_call.memory;
    uint64_t size = mem ? mem->size_bytes() : 0;
    if (mem != nullptr && mem->in_bounds(ptr, len)) return TrapKind::None;
    return fail("out of bounds memory range [" + std::to_string(ptr) + ", " + std::to_string(uint64_t{ptr} + len) +
                ") (memory is " + std::to_string(size) + " bytes)");
  }
  /// Pointer to checked memory (call check_range first).
  uint8_t* at(uint32_t ptr) noexcept { return m_call.memory->data() + ptr; }
  std::string_view view(uint32_t ptr, uint32_t len) noexcept {
    return {reinterpret_cast<const char*>(at(ptr)), len};
  }
  void store_u32(uint32_t ptr, uint32_t v) noexcept {
    uint8_t b[4];
    for (int i = 0; i < 4; ++i) b[i] = static_cast<uint8_t>(v >> (8 * i));
    std::memcpy(at(ptr), b, 4);
  }
  void store_u64(uint32_t ptr, uint64_t v) noexcept {
    uint8_t b[8];
    for (int i = 0; i < 8; ++i) b[i] = static_cast<uint8_t>(v >> (8 * i));
    std::memcpy(at(ptr), b, 8);
  }
  uint32_t load_u32(uint32_t ptr) noexcept {
    uint8_t b[4];
    std::memcpy(b, at(ptr), 4);
    return uint32_t{b[0]} | uint32_t{b[1]} << 8 | uint32_t{b[2]} << 16 | uint32_t{b[3]} << 24;
  }

 private:
  HostCall& m_call;
  const HostFunction* m_fn;
  CallEnv* m_env;
};

/// Attaches the call's access log (CallEnv::access) to its overlay while a
/// host function reads or writes state, so that the read and write sets
/// record exactly the keys the function touches. Restores the previous log.
class AccessScope {
 public:
  explicit AccessScope(CallEnv& env)
      : m_state(env.state), m_old(env.state ? env.state->set_access_log(&env.access) : nullptr) {}
  ~AccessScope() {
    if (m_state) m_state->set_access_log(m_old);
  }
  AccessScope(const AccessScope&) = delete;
  AccessScope& operator=(const AccessScope&) = delete;

 private:
  state::Overlay* m_state;
  state::AccessLog* m_old;
};

/// The i32 argument `i` as an unsigned offset or length.
inline uint32_t arg_u32(const Value* args, int i) { return args[i].as_i32(); }
/// The 20-byte address at `ptr` (range already checked).
inline state::Address load_address(Call& c, uint32_t ptr) {
  state::Address a;
  std::memcpy(a.data(), c.at(ptr), a.size());
  return a;
}

/// Returns early from a host function when `expr` (a TrapKind) is a trap.
#define WARD_HOST_TRY(expr)                                        \
  do {                                                             \
    ::ward::runtime::TrapKind ward_host_trap_ = (expr);            \
    if (ward_host_trap_ != ::ward::runtime::TrapKind::None) return ward_host_trap_; \
  } while (0)

/// Charges gas for `bytes` or returns TrapKind::OutOfGas.
/// Also checks the call's read and write sets (Call::check_access_log).
#define WARD_HOST_CHARGE(call, bytes)                                       \
  do {                                                                      \
    WARD_HOST_TRY((call).check_access_log());                               \
    if (!(call).charge(bytes)) return ::ward::runtime::TrapKind::OutOfGas;  \
  } while (0)

/// True when `text` is valid JSON; otherwise false with a parser message in *error.
bool validate_json(std::string_view text, std::string* error);

/// Checks a JSON text that will enter a receipt (a result, event data):
/// nesting (json_depth, linear, before any parser sees it) at most
/// Limits::max_json_depth, valid JSON, valid UTF-8. TrapKind::None, or a
/// trap "<function>: <what> nesting exceeds max_json_depth (64)",
/// "<function>: <what> is not valid JSON: ..." or "<function>: <what> is not
/// valid UTF-8".
TrapKind check_output_json(Call& c, std::string_view text, std::string_view what);

/// The `*_size` host function of a string the call's environment holds
/// (`field`: CallEnv::input, method, call_result): results[0] = its length
/// in bytes (i32), for the base cost.
TrapKind env_string_size(HostCall& hc, Value* results, std::string CallEnv::*field);
/// The matching `*_read(ptr)`: copies the string to [ptr, ptr + length) of
/// linear memory, for the base cost plus the per-byte cost of its length;
/// traps when the range is outside memory.
TrapKind env_string_read(HostCall& hc, const Value* args, std::string CallEnv::*field);

/// Bytes a write of fixed-size records (balances, object records, owner
/// index entries) is counted as against Limits::max_tx_write_bytes.
inline constexpr uint64_t kSmallWriteBytes = 256;

/// Traps with "<function>: transaction writes exceed max_tx_write_bytes (N)"
/// when the bytes the overlay holds for this transaction's writes
/// (state::Overlay::held_bytes() beyond CallEnv::write_base), plus `bytes`
/// (what the write about to happen adds), would exceed the limit. Call it
/// before every state change.
inline TrapKind check_tx_writes(Call& c, uint64_t bytes) {
  const state::Overlay* o = c.env().state;
  if (o == nullptr) return TrapKind::None;
  const uint64_t held = o->held_bytes();
  const uint64_t base = c.env().write_base;
  const uint64_t used = held > base ? held - base : 0;
  const uint64_t max = c.limits().max_tx_write_bytes;
  if (bytes <= max && used <= max - bytes) return TrapKind::None;
  return c.fail("transaction writes exceed max_tx_write_bytes (" + std::to_string(max) + ")");
}
/// True when `text` is well-formed UTF-8.
bool valid_utf8(std::string_view text);

// ward_v1 (ward_v1.cpp)
TrapKind input_size(HostCall&, const Value*, Value*);
TrapKind input_read(HostCall&, const Value*, Value*);
TrapKind result_write(HostCall&, const Value*, Value*);
TrapKind revert(HostCall&, const Value*, Value*);
TrapKind storage_get(HostCall&, const Value*, Value*);
TrapKind storage_put(HostCall&, const Value*, Value*);
TrapKind storage_delete(HostCall&, const Value*, Value*);
TrapKind sender(HostCall&, const Value*, Value*);
TrapKind self_address(HostCall&, const Value*, Value*);
TrapKind block_height(HostCall&, const Value*, Value*);
TrapKind block_time(HostCall&, const Value*, Value*);
TrapKind gas_left(HostCall&, const Value*, Value*);
TrapKind log(HostCall&, const Value*, Value*);
TrapKind debug_print(HostCall&, const Value*, Value*);

// ward_v1, contract model (context.cpp, storage_iter.cpp, objects.cpp, crypto.cpp)
TrapKind origin(HostCall&, const Value*, Value*);
TrapKind call_value(HostCall&, const Value*, Value*);
TrapKind storage_iter_prefix(HostCall&, const Value*, Value*);
TrapKind storage_iter_range(HostCall&, const Value*, Value*);
TrapKind storage_iter_next(HostCall&, const Value*, Value*);
TrapKind storage_iter_key(HostCall&, const Value*, Value*);
TrapKind storage_iter_value(HostCall&, const Value*, Value*);
TrapKind storage_iter_close(HostCall&, const Value*, Value*);
TrapKind object_create(HostCall&, const Value*, Value*);
TrapKind object_exists(HostCall&, const Value*, Value*);
TrapKind object_owner(HostCall&, const Value*, Value*);
TrapKind object_by_owner(HostCall&, const Value*, Value*);
TrapKind object_get_field(HostCall&, const Value*, Value*);
TrapKind object_set_field(HostCall&, const Value*, Value*);
TrapKind object_set_owner(HostCall&, const Value*, Value*);
TrapKind object_delete(HostCall&, const Value*, Value*);
TrapKind balance(HostCall&, const Value*, Value*);
TrapKind transfer(HostCall&, const Value*, Value*);
TrapKind call(HostCall&, const Value*, Value*);
TrapKind call_result_size(HostCall&, const Value*, Value*);
TrapKind call_result_read(HostCall&, const Value*, Value*);
TrapKind sha256(HostCall&, const Value*, Value*);
TrapKind keccak256(HostCall&, const Value*, Value*);
TrapKind ed25519_verify(HostCall&, const Value*, Value*);
TrapKind method_size(HostCall&, const Value*, Value*);
TrapKind method_read(HostCall&, const Value*, Value*);

// wasi_snapshot_preview1 (wasi.cpp)
TrapKind wasi_fd_write(HostCall&, const Value*, Value*);
TrapKind wasi_fd_read(HostCall&, const Value*, Value*);
TrapKind wasi_fd_close(HostCall&, const Value*, Value*);
TrapKind wasi_fd_seek(HostCall&, const Value*, Value*);
TrapKind wasi_fd_fdstat_get(HostCall&, const Value*, Value*);
TrapKind wasi_fd_fdstat_set_flags(HostCall&, const Value*, Value*);
TrapKind wasi_fd_filestat_get(HostCall&, const Value*, Value*);
TrapKind wasi_fd_prestat_get(HostCall&, const Value*, Value*);
TrapKind wasi_fd_prestat_dir_name(HostCall&, const Value*, Value*);
TrapKind wasi_not_capable(HostCall&, const Value*, Value*);
TrapKind wasi_sizes_get(HostCall&, const Value*, Value*);
TrapKind wasi_list_get(HostCall&, const Value*, Value*);
TrapKind wasi_clock_time_get(HostCall&, const Value*, Value*);
TrapKind wasi_clock_res_get(HostCall&, const Value*, Value*);
TrapKind wasi_random_get(HostCall&, const Value*, Value*);
TrapKind wasi_poll_oneoff(HostCall&, const Value*, Value*);
TrapKind wasi_sched_yield(HostCall&, const Value*, Value*);
TrapKind wasi_proc_exit(HostCall&, const Value*, Value*);

/// Ends a read into a caller's buffer of `cap` bytes at `ptr` (storage_get,
/// object_get_field; docs/host-abi.md): result -1 when the value is absent;
/// else charges the value's full length, copies min(length, cap) bytes and
/// returns the full length. The buffer range must already be checked.
inline TrapKind finish_capped_read(Call& c, const Result<std::optional<std::string>>& value, uint32_t ptr,
                                   uint32_t cap, Value* results) {
  if (!value) return c.fail("storage error: " + value.error().message);
  if (!value.value()) {
    results[0] = Value::i32(static_cast<uint32_t>(-1));
    return TrapKind::None;
  }
  const std::string& v = *value.value();
  if (!c.charge_more(v.size())) return TrapKind::OutOfGas;
  const size_t n = std::min<size_t>(v.size(), cap);
  if (n != 0) std::memcpy(c.at(ptr), v.data(), n);
  results[0] = Value::i32(static_cast<uint32_t>(v.size()));
  return TrapKind::None;
}

}  // namespace ward::host::detail
