// ward/runtime/trap.h — traps and other ways a call stops early, as values.
// Thread-safety: constant data only.
#pragma once

#include <cstdint>

namespace ward::runtime {

/// Why execution stopped. None means the call returned normally. The first
/// group are the traps of the spec (4.4); then Ward's own resource traps; then
/// controlled stops requested by the contract through the host.
enum class TrapKind : uint8_t {
  None = 0,
  Unreachable,               ///< "unreachable"
  MemoryOutOfBounds,         ///< "out of bounds memory access"
  TableOutOfBounds,          ///< "out of bounds table access"
  IntDivByZero,              ///< "integer divide by zero"
  IntOverflow,               ///< "integer overflow"
  InvalidConversion,         ///< "invalid conversion to integer"
  IndirectCallTypeMismatch,  ///< "indirect call type mismatch"
  UndefinedElement,          ///< "undefined element" (index past the table)
  UninitializedElement,      ///< "uninitialized element" (null entry)
  CallStackExhausted,        ///< "call stack exhausted" (call depth or stack slots)
  OutOfGas,                  ///< "out of gas"
  Timeout,                   ///< "timeout" (wall-clock safety net, not consensus)
  Host,                      ///< a host function failed; ExecContext::message says why
  Revert,                    ///< the contract called revert; message is its reason
  Exit,                      ///< WASI proc_exit; ExecContext::exit_code holds the code
};

/// Whether a call that stops with `k` uses up all the gas it was given
/// (docs/gas.md, docs/adr/0015-gas-checks-at-loop-heads.md): every trap does,
/// as out of gas always did; a normal return, a revert and a WASI exit keep
/// the exact count. Applied for every backend by runtime::settle_gas.
constexpr bool uses_all_gas(TrapKind k) {
  return k != TrapKind::None && k != TrapKind::Revert && k != TrapKind::Exit;
}

/// The spec's message for a trap kind ("out of bounds memory access", ...).
constexpr const char* trap_message(TrapKind k) {
  switch (k) {
    case TrapKind::None: return "ok";
    case TrapKind::Unreachable: return "unreachable";
    case TrapKind::MemoryOutOfBounds: return "out of bounds memory access";
    case TrapKind::TableOutOfBounds: return "out of bounds table access";
    case TrapKind::IntDivByZero: return "integer divide by zero";
    case TrapKind::IntOverflow: return "integer overflow";
    case TrapKind::InvalidConversion: return "invalid conversion to integer";
    case TrapKind::IndirectCallTypeMismatch: return "indirect call type mismatch";
    case TrapKind::UndefinedElement: return "undefined element";
    case TrapKind::UninitializedElement: return "uninitialized element";
    case TrapKind::CallStackExhausted: return "call stack exhausted";
    case TrapKind::OutOfGas: return "out of gas";
    case TrapKind::Timeout: return "timeout";
    case TrapKind::Host: return "host error";
    case TrapKind::Revert: return "reverted";
    case TrapKind::Exit: return "exit";
  }
  return "unknown trap";
}

}  // namespace ward::runtime
