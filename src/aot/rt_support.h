/* ward/aot/rt_support.h — entering and leaving AOT code (rt_support.c).
 * Thread-safety: per-thread state only. */
#ifndef WARD_AOT_RT_SUPPORT_H_
#define WARD_AOT_RT_SUPPORT_H_

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Trap codes passed to ward_aot_unwind: wasm_rt_trap_t values, or
 *  WARD_AOT_KIND_BASE + a runtime::TrapKind. */
#define WARD_AOT_KIND_BASE 1000u

/** Runs fn(arg); returns 0, or the code given to ward_aot_unwind by a trap. */
uint32_t ward_aot_protected(void (*fn)(void*), void* arg);

/** Unwinds to the innermost ward_aot_protected of this thread with `code`. */
__attribute__((noreturn)) void ward_aot_unwind(uint32_t code);

#ifdef __cplusplus
}
#endif

#endif /* WARD_AOT_RT_SUPPORT_H_ */
