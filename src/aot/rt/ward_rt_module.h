/* ward/aot/rt/ward_rt_module.h — the wasm-rt.h implementation compiled into
 * every AOT shared object (all symbols hidden). It holds no state of its own
 * but the callback table: traps unwind to Ward's per-thread jmp_buf, memory
 * and tables grow through Ward (which charges their dynamic gas, at the
 * rates of the object's gas schedule: WARD_GAS_GROW_PAGE and
 * WARD_GAS_TABLE_ELEMENT, defined by the glue), and function types are
 * interned process-wide by Ward. */
#ifndef WARD_RT_MODULE_H_
#define WARD_RT_MODULE_H_

#include <stdarg.h>

#include "ward_aot_abi.h"

/* W.gas, the gas left, lives in a callee-saved register reserved in every
 * AOT object (gcc on x86-64: r15), so that compiled functions hand it to
 * each other without going through memory. Ward's own code cannot see the
 * register: every way out of the object that may read or charge gas (an
 * imported function, growing a memory or table) saves it to
 * ward_aot_env::gas first (WARD_GAS_OUT) and reloads it after (WARD_GAS_IN),
 * and every way in (the trampolines, instantiation with its start function)
 * loads it and saves it back, keeping
 * the caller's r15. A trap needs neither: it uses up all the gas. With
 * another compiler or CPU, W.gas is the thread state's field itself. */
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
#define WARD_GAS_IN_REGISTER 1
register uint64_t ward_gas_reg __asm__("r15");
#define WARD_GAS ward_gas_reg
#define WARD_GAS_OUT(env) ((env)->gas = (int64_t)ward_gas_reg)
#define WARD_GAS_IN(env) (ward_gas_reg = (uint64_t)(env)->gas)
/* A way in: keep the caller's r15, load the gas; a way in's end: save the
 * gas, give the caller its r15 back. */
#define WARD_GAS_ENTER(env) \
  ward_aot_env* const ward_e = (env); \
  const uint64_t ward_saved = ward_gas_reg; \
  WARD_GAS_IN(ward_e)
#define WARD_GAS_LEAVE() (WARD_GAS_OUT(ward_e), ward_gas_reg = ward_saved)
/* r = call, a call into Ward that may charge gas: the register goes out to
 * the thread state before it and comes back after. */
#define WARD_GAS_AROUND(r, call) \
  do { \
    ward_aot_env* const ward_ge = g_ward_api->thread_env(); \
    WARD_GAS_OUT(ward_ge); \
    r = call; \
    WARD_GAS_IN(ward_ge); \
  } while (0)
#else
#define WARD_GAS_IN_REGISTER 0
#define WARD_GAS (*ward_Z_WZ_gas)
#define WARD_GAS_OUT(env) ((void)(env))
#define WARD_GAS_IN(env) ((void)(env))
#define WARD_GAS_ENTER(env) ((void)0)
#define WARD_GAS_LEAVE() ((void)0)
#define WARD_GAS_AROUND(r, call) ((r) = (call))
#endif

/* A part of a split module (c_split.h) shares the definitions below with
 * the main unit and keeps only the inline helpers. */
#ifndef WARD_AOT_PART
#if !defined(WARD_GAS_GROW_PAGE) || !defined(WARD_GAS_TABLE_ELEMENT)
#error "the glue defines the grow costs of the gas schedule"
#endif
static const ward_aot_api* g_ward_api;

static void ward_bind_api(const ward_aot_api* api) { g_ward_api = api; }

void wasm_rt_init(void) {}
bool wasm_rt_is_initialized(void) { return true; }
void wasm_rt_free(void) {}
void wasm_rt_trap(wasm_rt_trap_t code) { g_ward_api->trap((uint32_t)code); }
const char* wasm_rt_strerror(wasm_rt_trap_t code) { (void)code; return "trap"; }

uint32_t wasm_rt_register_func_type(uint32_t params, uint32_t results, ...) {
  uint32_t types[256];
  uint32_t n = params + results;
  va_list ap;
  va_start(ap, results);
  for (uint32_t i = 0; i < n; ++i) {
    uint32_t t = (uint32_t)va_arg(ap, int);
    if (i < 256) types[i] = t;
  }
  va_end(ap);
  if (n > 256) wasm_rt_trap(WASM_RT_TRAP_EXHAUSTION);
  return g_ward_api->register_type(params, results, types);
}

uint32_t wasm_rt_register_tag(uint32_t size) { (void)size; return 0; }
void wasm_rt_load_exception(uint32_t tag, uint32_t size, const void* values) {
  (void)tag; (void)size; (void)values;
}
void wasm_rt_throw(void) { wasm_rt_trap(WASM_RT_TRAP_UNCAUGHT_EXCEPTION); }
WASM_RT_UNWIND_TARGET* wasm_rt_get_unwind_target(void) { return NULL; }
void wasm_rt_set_unwind_target(WASM_RT_UNWIND_TARGET* target) { (void)target; }
uint32_t wasm_rt_exception_tag(void) { return 0; }
uint32_t wasm_rt_exception_size(void) { return 0; }
void* wasm_rt_exception(void) { return NULL; }

void wasm_rt_allocate_memory(wasm_rt_memory_t* m, uint32_t initial, uint32_t max) {
  (void)m; (void)initial; (void)max;
  wasm_rt_trap(WASM_RT_TRAP_OOB); /* every memory is imported after instrumentation */
}
uint32_t wasm_rt_grow_memory(wasm_rt_memory_t* m, uint32_t delta) {
  uint32_t r;
  WARD_GAS_AROUND(r, g_ward_api->grow_memory(m, delta, WARD_GAS_GROW_PAGE));
  return r;
}
void wasm_rt_free_memory(wasm_rt_memory_t* m) { (void)m; }
void wasm_rt_allocate_funcref_table(wasm_rt_funcref_table_t* t, uint32_t n, uint32_t max) {
  g_ward_api->alloc_funcref_table(t, n, max);
}
void wasm_rt_free_funcref_table(wasm_rt_funcref_table_t* t) { g_ward_api->free_funcref_table(t); }
void wasm_rt_allocate_externref_table(wasm_rt_externref_table_t* t, uint32_t n, uint32_t max) {
  (void)t; (void)n; (void)max;
  wasm_rt_trap(WASM_RT_TRAP_TABLE_OOB); /* every table but Ward's own is imported */
}
void wasm_rt_free_externref_table(wasm_rt_externref_table_t* t) { (void)t; }
uint32_t wasm_rt_grow_funcref_table(wasm_rt_funcref_table_t* t, uint32_t delta, wasm_rt_funcref_t init) {
  uint32_t r;
  WARD_GAS_AROUND(r, g_ward_api->grow_funcref_table(t, delta, init, WARD_GAS_TABLE_ELEMENT));
  return r;
}
uint32_t wasm_rt_grow_externref_table(wasm_rt_externref_table_t* t, uint32_t delta, wasm_rt_externref_t init) {
  uint32_t r;
  WARD_GAS_AROUND(r, g_ward_api->grow_externref_table(t, delta, init, WARD_GAS_TABLE_ELEMENT));
  return r;
}
#endif /* WARD_AOT_PART */

/* call_indirect checks with the spec's three distinct traps. */
static inline void ward_ci_check(uint32_t size, const wasm_rt_funcref_t* data, uint32_t x, uint32_t ft) {
  if (__builtin_expect(x >= size, 0)) wasm_rt_trap(WASM_RT_TRAP_UNDEFINED_ELEMENT);
  if (__builtin_expect(data[x].func == NULL, 0)) wasm_rt_trap(WASM_RT_TRAP_UNINIT_ELEMENT);
  if (__builtin_expect(data[x].func_type != ft, 0)) wasm_rt_trap(WASM_RT_TRAP_TYPE_MISMATCH);
}

/* The canonical NaNs, out of line and cold: the instrumentation's NaN checks
 * become never-taken branches (no data dependency) rather than selects. */
__attribute__((noinline, cold)) static float ward_nan32(void) {
  uint32_t b = 0x7FC00000u;
  float f;
  __builtin_memcpy(&f, &b, 4);
  return f;
}
__attribute__((noinline, cold)) static double ward_nan64(void) {
  uint64_t b = 0x7FF8000000000000ull;
  double d;
  __builtin_memcpy(&d, &b, 8);
  return d;
}

/* An import module pointer reached through a table is a pointer to the
 * instance's field holding it (wasm2c's module_offset convention). */
static inline struct Z_W_instance_t* ward_w(struct Z_W_instance_t* w) {
  if (w->magic == WARD_AOT_ENV_MAGIC) return w;
  return *(struct Z_W_instance_t**)w;
}

#endif /* WARD_RT_MODULE_H_ */
