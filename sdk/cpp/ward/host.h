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

// Contract model functions (docs/host-abi.md, "Contract model functions").

/// Writes the 20-byte address of the account that signed the outermost call.
void ward_v1_origin(void* ptr) WARD_IMPORT("origin");
/// Native value attached to this call.
int64_t ward_v1_call_value() WARD_IMPORT("call_value");
/// Opens an iterator over the keys starting with the prefix; returns a handle.
int32_t ward_v1_storage_iter_prefix(const void* prefix_ptr, int32_t prefix_len) WARD_IMPORT("storage_iter_prefix");
/// Opens an iterator over the keys in [start, end); end_len 0: no upper bound.
int32_t ward_v1_storage_iter_range(const void* start_ptr, int32_t start_len, const void* end_ptr, int32_t end_len)
    WARD_IMPORT("storage_iter_range");
/// Advances; 1 and the key and value lengths (two u32 LE) at lens_ptr, or 0 at the end.
int32_t ward_v1_storage_iter_next(int32_t handle, void* lens_ptr) WARD_IMPORT("storage_iter_next");
/// Copies the current key.
void ward_v1_storage_iter_key(int32_t handle, void* ptr) WARD_IMPORT("storage_iter_key");
/// Copies the current value.
void ward_v1_storage_iter_value(int32_t handle, void* ptr) WARD_IMPORT("storage_iter_value");
/// Closes an iterator; its handle is reused by the next one opened.
void ward_v1_storage_iter_close(int32_t handle) WARD_IMPORT("storage_iter_close");
/// Creates an object owned by the 20-byte owner; writes its 32-byte id.
void ward_v1_object_create(const void* owner_ptr, void* id_out_ptr) WARD_IMPORT("object_create");
/// 1 when the object exists, else 0 (id_len 0: the default object).
int32_t ward_v1_object_exists(const void* id_ptr, int32_t id_len) WARD_IMPORT("object_exists");
/// Writes the owner and returns 0, or -1 when there is no such object.
int32_t ward_v1_object_owner(const void* id_ptr, int32_t id_len, void* out_ptr) WARD_IMPORT("object_owner");
/// Writes the id of the first object owned by the address and returns 1, or 0.
int32_t ward_v1_object_by_owner(const void* owner_ptr, void* id_out_ptr) WARD_IMPORT("object_by_owner");
/// Reads a field, as storage_get; -1 when the field or the object is absent.
int32_t ward_v1_object_get_field(const void* id_ptr, int32_t id_len, const void* name_ptr, int32_t name_len,
                                 void* val_ptr, int32_t val_cap) WARD_IMPORT("object_get_field");
/// Writes a field (needs permission).
void ward_v1_object_set_field(const void* id_ptr, int32_t id_len, const void* name_ptr, int32_t name_len,
                              const void* val_ptr, int32_t val_len) WARD_IMPORT("object_set_field");
/// Gives the object to a new owner (needs permission).
void ward_v1_object_set_owner(const void* id_ptr, int32_t id_len, const void* owner_ptr)
    WARD_IMPORT("object_set_owner");
/// Deletes the object and its fields (needs permission).
void ward_v1_object_delete(const void* id_ptr, int32_t id_len) WARD_IMPORT("object_delete");
/// Native balance of the address.
int64_t ward_v1_balance(const void* addr_ptr) WARD_IMPORT("balance");
/// Moves `amount` from the running contract to `to`: 0, or 1 when the balance is short.
int32_t ward_v1_transfer(const void* to_ptr, int64_t amount) WARD_IMPORT("transfer");
/// Calls another contract: 0 ok, 1 reverted, 2 failed otherwise.
int32_t ward_v1_call(const void* addr_ptr, const void* method_ptr, int32_t method_len, const void* args_ptr,
                     int32_t args_len, int64_t value, int64_t gas) WARD_IMPORT("call");
/// Bytes of the last call's result JSON (ok) or error text.
int32_t ward_v1_call_result_size() WARD_IMPORT("call_result_size");
/// Copies them.
void ward_v1_call_result_read(void* ptr) WARD_IMPORT("call_result_read");
/// Writes the 32-byte SHA-256 of the bytes.
void ward_v1_sha256(const void* ptr, int32_t len, void* out_ptr) WARD_IMPORT("sha256");
/// Writes the 32-byte Keccak-256 of the bytes.
void ward_v1_keccak256(const void* ptr, int32_t len, void* out_ptr) WARD_IMPORT("keccak256");
/// 1 when the 64-byte signature of the message verifies under the 32-byte key.
int32_t ward_v1_ed25519_verify(const void* sig_ptr, const void* pk_ptr, const void* msg_ptr, int32_t msg_len)
    WARD_IMPORT("ed25519_verify");

}  // extern "C"
