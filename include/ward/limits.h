// ward/limits.h — the one struct holding every consensus limit of Ward
// (docs/limits.md). Nothing reads a limit from anywhere else: the engine's
// layers (wasm, runtime, the backends, host, chain) and the embedding API
// (engine.h) all use this type; runtime::Limits is an alias of it.
// A bottom-layer header: it includes only the standard library.
// Thread-safety: plain value type.
#pragma once

#include <cstdint>

namespace ward {

/// Every limit, with its default. Deploy-time limits are checked before any
/// compile work (wasm layer); run-time limits are enforced deterministically
/// by the backends and the host. docs/limits.md gives each default's reason.
struct Limits {
  // --- deploy time (wasm layer: pre-scan, load_module, policy) ---
  uint64_t max_module_bytes = 4u << 20;        ///< bytes of the binary module
  uint32_t max_types = 4096;
  uint32_t max_functions = 16384;              ///< defined + imported
  uint32_t max_imports = 1024;
  uint32_t max_exports = 1024;
  uint32_t max_globals = 1024;
  uint32_t max_data_segments = 16384;
  uint32_t max_elem_segments = 16384;
  uint32_t max_locals_per_function = 50000;    ///< params + declared locals
  uint32_t max_function_body_bytes = 512u << 10;
  uint32_t max_block_depth = 1024;             ///< nesting of block/loop/if
  uint32_t max_br_table_targets = 65536;
  uint32_t max_tables = 64;                    ///< imported + defined tables
  uint32_t max_table_elements = 1u << 20;      ///< initial and maximum size of any table
  uint32_t max_memory_pages = 1024;            ///< initial and grown size (64 MiB)
  uint64_t max_data_bytes = 4u << 20;          ///< total bytes of all data segments

  // --- run time (backends, host) ---
  uint32_t max_call_depth = 1024;              ///< nested wasm calls in one call
  uint32_t max_contract_call_depth = 8;        ///< contracts on one chain of cross-contract calls (the outermost counts)
  uint64_t max_stack_slots = 1u << 20;         ///< 8-byte value-stack slots per call (locals + operands)
  uint64_t default_gas = 10'000'000;           ///< gas limit when a caller gives none
  uint64_t max_gas = 1'000'000'000'000ull;     ///< highest gas limit a caller may give
  uint32_t max_host_arg_bytes = 1u << 20;      ///< largest buffer a host function accepts
  uint32_t max_result_bytes = 1u << 20;        ///< largest method result
  uint32_t max_events = 1024;                  ///< events one call may emit
  uint32_t max_storage_key_bytes = 1024;
  uint32_t max_storage_value_bytes = 1u << 20;
  uint32_t max_iterators_per_call = 64;        ///< storage iterators one call may open
  uint32_t max_object_field_name_bytes = 256;  ///< longest object field name
  uint32_t max_json_depth = 64;                ///< nesting of arrays/objects in args, results and event data
  uint64_t max_tx_write_bytes = 64u << 20;     ///< bytes of pending writes (and their undo copies) one transaction holds
  uint64_t max_call_access_bytes = 64u << 20;  ///< bytes of state keys in one call's read and write sets (receipt access log)
  uint32_t timeout_ms = 10'000;                ///< wall-clock safety net, never consensus
};

}  // namespace ward
