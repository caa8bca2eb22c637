/* ward/aot/rt_support.h — entering and leaving AOT code (rt_support.c).
 * Thread-safety: per-thread state only; the fault handler is installed once
 * per process. */
#ifndef WARD_AOT_RT_SUPPORT_H_
#define WARD_AOT_RT_SUPPORT_H_

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Trap codes passed to ward_aot_unwind: wasm_rt_trap_t values, or
 *  WARD_AOT_KIND_BASE + a runtime::TrapKind. */
#define WARD_AOT_KIND_BASE 1000u

/** Runs fn(arg); returns 0, or the code given to ward_aot_unwind by a trap
 *  (or WASM_RT_TRAP_OOB after a fault inside a guarded memory reservation). */
uint32_t ward_aot_protected(void (*fn)(void*), void* arg);

/** Unwinds to the innermost ward_aot_protected of this thread with `code`. */
__attribute__((noreturn)) void ward_aot_unwind(uint32_t code);

/** Around a host (or cross-instance) call made from generated code: while
 *  out, a fault is never turned into a trap. enter returns the state that
 *  leave restores. */
int ward_aot_enter_host(void);
void ward_aot_leave_host(int saved);

/** Installs the SIGSEGV/SIGBUS handler (once per process; later calls do
 *  nothing). A fault at an address inside a guarded memory reservation
 *  (runtime::in_guard_reservation), taken while this thread runs generated
 *  code, unwinds as WASM_RT_TRAP_OOB; any other fault goes to the handler
 *  that was installed before, or gets the default action. Returns 0 on
 *  success, -1 when sigaction failed (guard pages must not be used then). */
int ward_aot_install_fault_handler(void);

/** Implemented by Ward (runtime_api.cpp): runtime::in_guard_reservation. */
int ward_aot_in_guard_reservation(const void* addr);

#ifdef __cplusplus
}
#endif

#endif /* WARD_AOT_RT_SUPPORT_H_ */
