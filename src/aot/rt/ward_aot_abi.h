/* ward/aot/rt/ward_aot_abi.h — the binary interface between Ward and an AOT
 * shared object: the per-thread execution state the instrumented code reads
 * and writes, the callbacks Ward gives the object, and the one symbol the
 * object exports (ward_aot_module). Compiled both into Ward and into every
 * shared object; bump WARD_AOT_ABI on any change (it is part of the cache key). */
#ifndef WARD_AOT_ABI_H_
#define WARD_AOT_ABI_H_

#include <stdint.h>

#include "wasm-rt.h"

#ifdef __cplusplus
extern "C" {
#endif

#define WARD_AOT_ABI 4u
#define WARD_AOT_ENV_MAGIC 0x5741524441454e56ull

/** Per-thread state of running AOT code (imported as mutable globals W.gas,
 *  W.stack, W.why by the instrumented module). */
typedef struct ward_aot_env {
  int64_t gas;        /**< gas left (a clamp of ExecContext::gas_left) */
  int64_t stack;      /**< call depth and stack slots still allowed, packed (aot/stack_counter.h) */
  uint32_t why;       /**< reason for the next `unreachable`: 0 real, 1 out of gas, 2 stack */
  uint32_t metering;
  void* ctx;          /**< the running runtime::ExecContext */
  uint64_t max_depth; /**< the running module's Limits::max_call_depth (to pack and unpack stack) */
  uint64_t max_slots; /**< its Limits::max_stack_slots */
} ward_aot_env;

/** The import module instance ("W") of one AOT instance. */
struct Z_W_instance_t {
  uint64_t magic;             /**< WARD_AOT_ENV_MAGIC */
  void* owner;                /**< the AotInstance */
  ward_aot_env* env;
  void** globals;             /**< per global index: pointer to its storage */
  wasm_rt_memory_t* memory;   /**< memory 0 or null */
  void** tables;              /**< per table index: wasm_rt_*_table_t* */
};

/** Callbacks Ward gives a shared object (ward_aot_module.bind). */
typedef struct ward_aot_api {
  WASM_RT_NO_RETURN void (*trap)(uint32_t wasm_rt_trap_code);
  uint32_t (*register_type)(uint32_t np, uint32_t nr, const uint32_t* types);
  /** Growth, charging `gas_per_page` / `gas_per_element` per unit added (the
   *  object's gas schedule, WARD_GAS_GROW_PAGE / WARD_GAS_TABLE_ELEMENT). */
  uint32_t (*grow_memory)(wasm_rt_memory_t* mem, uint32_t delta, uint64_t gas_per_page);
  uint32_t (*grow_funcref_table)(wasm_rt_funcref_table_t* t, uint32_t delta, wasm_rt_funcref_t init,
                                 uint64_t gas_per_element);
  uint32_t (*grow_externref_table)(wasm_rt_externref_table_t* t, uint32_t delta, wasm_rt_externref_t init,
                                   uint64_t gas_per_element);
  void (*alloc_funcref_table)(wasm_rt_funcref_table_t* t, uint32_t n, uint32_t max);
  void (*free_funcref_table)(wasm_rt_funcref_table_t* t);
  /** Calls function import `index` of the instance; returns a TrapKind (0 = none). */
  uint32_t (*call_import)(struct Z_W_instance_t* w, uint32_t index, const uint64_t* args, uint64_t* results);
  wasm_rt_funcref_t (*ref_to_funcref)(uint64_t bits);
  uint64_t (*funcref_to_ref)(const wasm_rt_funcref_t* ref);
  /** Traps with a Ward TrapKind (after a failed call_import). */
  WASM_RT_NO_RETURN void (*trap_kind)(uint32_t kind);
  /** The calling thread's state (where the gas register is saved while
   *  Ward's code runs: WARD_GAS_OUT / WARD_GAS_IN of ward_rt_module.h). */
  ward_aot_env* (*thread_env)(void);
} ward_aot_api;

/** Calls a wasm function of any signature: args and results as 8-byte values. */
typedef void (*ward_aot_tramp)(wasm_rt_function_ptr_t fn, void* module_instance, const uint64_t* args,
                               uint64_t* results);

/** What a shared object exports (symbol `ward_aot_module`). */
typedef struct ward_aot_module_info {
  uint32_t abi;                  /**< WARD_AOT_ABI */
  uint32_t instance_size;        /**< bytes of the generated instance struct */
  void (*bind)(const ward_aot_api* api);
  void (*init_module)(void);
  void (*instantiate)(void* instance, struct Z_W_instance_t* w);
  void (*free_instance)(void* instance);
  void (*rebind)(void* instance, ward_aot_env* env);
  wasm_rt_funcref_table_t* (*functions)(void* instance);  /**< every function, by index */
  uint32_t num_types;
  const ward_aot_tramp* tramps;  /**< per type index */
} ward_aot_module_info;

#ifdef __cplusplus
}
#endif

#endif /* WARD_AOT_ABI_H_ */
