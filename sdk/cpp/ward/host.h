// ward/host.h — the raw host functions of ABI v1 (module "ward_v1"), exactly
// as listed in docs/host-abi.md. Contracts normally use the typed wrappers of
// ward/contract.h and ward/storage.h instead.
// The C symbols carry a ward_v1_ prefix so that they never collide with libc
// (`log`, for instance); the wasm import names are the ABI's names.
#pragma once

#include <cstdint>

#if defined(__wasm__)
/// Declares a function imported from the host module "ward_v1".
#define WARD_IMPORT(name) __attribute__((import_module("ward_v1"), import_name(name)))
#else
#define WARD_IMPORT(name)
#endif

extern "C" {

/// Bytes of the call input (UTF-8 JSON).
int32_t ward_v1_input_size() WARD_IMPORT("input_size");
/// Copies the whole call input to `ptr`.
void ward_v1_input_read(void* ptr) WARD_IMPORT("input_read");
/// Sets the method's result (JSON text).
void ward_v1_result_write(const void* ptr, int32_t len) WARD_IMPORT("result_write");
/// Stops the call with status `reverted` and the given reason.
[[noreturn]] void ward_v1_revert(const void* ptr, int32_t len) WARD_IMPORT("revert");
/// Reads a storage value: -1 when absent, else its full length (copies at most `val_cap` bytes).
int32_t ward_v1_storage_get(const void* key_ptr, int32_t key_len, void* val_ptr, int32_t val_cap)
    WARD_IMPORT("storage_get");
/// Writes a storage value.
void ward_v1_storage_put(const void* key_ptr, int32_t key_len, const void* val_ptr, int32_t val_len)
    WARD_IMPORT("storage_put");
/// Removes a storage key.
void ward_v1_storage_delete(const void* key_ptr, int32_t key_len) WARD_IMPORT("storage_delete");
/// Writes the caller's 20-byte address.
void ward_v1_sender(void* ptr) WARD_IMPORT("sender");
/// Writes the running contract's 20-byte address.
void ward_v1_self_address(void* ptr) WARD_IMPORT("self_address");
/// Height of the current block.
int64_t ward_v1_block_height() WARD_IMPORT("block_height");
/// Time of the current block, seconds since the Unix epoch.
int64_t ward_v1_block_time() WARD_IMPORT("block_time");
/// Gas remaining.
int64_t ward_v1_gas_left() WARD_IMPORT("gas_left");
/// Emits an event: a name and JSON data.
void ward_v1_log(const void* name_ptr, int32_t name_len, const void* data_ptr, int32_t data_len)
    WARD_IMPORT("log");
/// Writes text to the debug log.
void ward_v1_debug_print(const void* ptr, int32_t len) WARD_IMPORT("debug_print");

}  // extern "C"
