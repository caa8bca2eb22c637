/* ward/ward.h — the C API of Ward's engine, in the shape of XuperChain's XVM:
 * an engine (a backend by name), a code (a compiled module, from bytes), a
 * context (a contract: the code plus the embedder's storage callbacks and a
 * gas limit) and calls. Contracts use Ward's host ABI v1 (docs/host-abi.md);
 * their storage_get/put/delete reach the embedder's callbacks. Usable from
 * C, Go (cgo), Java (JNI/Panama) and Python (ctypes/cffi). docs/embedding.md
 * is the guide.
 *
 * Errors: functions return NULL (constructors) or a WARD_ERR_* code, and
 * fill a caller-provided ward_error (which may be NULL) with the code and a
 * NUL-terminated message. No C++ exception ever leaves a function of this
 * API; an allocation failure gives WARD_ERR_OUT_OF_MEMORY.
 * Ownership: every object returned by a *_new function is freed by the
 * matching *_free (NULL is accepted). A ward_code may be freed while
 * contexts made from it live (they keep what they need). Buffers in a
 * ward_call_result belong to the context: valid until the next ward_call on
 * it or ward_context_free.
 * Thread-safety: an engine and a code may be used from several threads; a
 * context by one thread at a time. Callbacks run on the thread that called
 * ward_call (or ward_context_new).
 */
#ifndef WARD_WARD_H
#define WARD_WARD_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(__GNUC__)
#define WARD_EXPORT __attribute__((visibility("default")))
#else
#define WARD_EXPORT
#endif

/* Error codes (equal to ward::ErrorCode). */
#define WARD_OK 0
#define WARD_ERR_INVALID_ARGUMENT 1 /* a NULL pointer, bad length, malformed input */
#define WARD_ERR_UNKNOWN_BACKEND 2  /* backend other than "interp", "aot", "auto" */
#define WARD_ERR_INVALID_MODULE 3   /* not a valid module, over a limit, rejected by the deploy policy */
#define WARD_ERR_COMPILE 4          /* the backend could not compile it */
#define WARD_ERR_INSTANTIATE 5      /* imports did not link, a segment or the start function trapped */
#define WARD_ERR_STORAGE 6          /* a storage callback failed */
#define WARD_ERR_OUT_OF_MEMORY 7    /* an allocation failed */
#define WARD_ERR_INTERNAL 8         /* anything else; see the message */

/* An error: code and NUL-terminated message (truncated to fit). */
typedef struct ward_error {
  int code;
  char message[256];
} ward_error;

/* Call status (ward_call_result.status). */
#define WARD_STATUS_OK 0       /* returned; writes handed to the callbacks, events emitted */
#define WARD_STATUS_REVERTED 1 /* the contract called revert; nothing written */
#define WARD_STATUS_TRAPPED 2  /* trap, out of gas or host error; nothing written */
#define WARD_STATUS_FAILED 3   /* did not run or finish: unknown method, bad args, storage error */

/* Return values of the storage callbacks. */
#define WARD_STORAGE_FOUND 1     /* storage_get: the value was set with ward_value_set */
#define WARD_STORAGE_OK 0        /* storage_get: absent; put/delete/scan: done */
#define WARD_STORAGE_ERROR (-1)  /* failure; the callback may describe it in *err */

typedef struct ward_engine ward_engine;
typedef struct ward_code ward_code;
typedef struct ward_context ward_context;
/* Where storage_get hands a value to Ward (valid during the callback only). */
typedef struct ward_value ward_value;

/* Copies `len` bytes at `data` as the value storage_get found. */
WARD_EXPORT void ward_value_set(ward_value* out, const uint8_t* data, size_t len);

/* Receives one key/value pair of a scan; return 0 to go on, non-zero to stop. */
typedef int (*ward_scan_visit)(void* visit_ctx, const uint8_t* key, size_t key_len, const uint8_t* value,
                               size_t value_len);

/* The embedder's host. Keys and values are the contract's own (what it
 * passes to storage_get/put/delete), arbitrary bytes; pointers are valid
 * during the callback only. `err` may be filled on WARD_STORAGE_ERROR (its
 * message becomes part of the call's error). NULL entries: see each. */
typedef struct ward_host_callbacks {
  /* Required. Looks up a key: WARD_STORAGE_FOUND after ward_value_set,
   * WARD_STORAGE_OK when absent, WARD_STORAGE_ERROR on failure. */
  int (*storage_get)(void* user, const uint8_t* key, size_t key_len, ward_value* value, ward_error* err);
  /* Required. Writes a key. Called only after a call ended ok, once per
   * changed key, in ascending key order. */
  int (*storage_put)(void* user, const uint8_t* key, size_t key_len, const uint8_t* value, size_t value_len,
                     ward_error* err);
  /* Required. Removes a key (no effect when absent). Called as put. */
  int (*storage_delete)(void* user, const uint8_t* key, size_t key_len, ward_error* err);
  /* Optional (NULL: contracts that iterate storage fail with a storage
   * error). Visits keys in [start, end) ascending; end_len 0: no bound. */
  int (*storage_scan)(void* user, const uint8_t* start, size_t start_len, const uint8_t* end, size_t end_len,
                      ward_scan_visit visit, void* visit_ctx, ward_error* err);
  /* Optional. Receives each event of a call that ended ok, in order, before
   * ward_call returns: name (UTF-8) and data (JSON text). */
  void (*event)(void* user, const char* name, size_t name_len, const char* data, size_t data_len);
  /* Optional (NULL: 0). Height and time (seconds since the Unix epoch) of
   * the current block, read at the start of every call. */
  uint64_t (*block_height)(void* user);
  int64_t (*block_time)(void* user);
  /* Optional (NULL: 20 zero bytes). Writes the caller's 20-byte address,
   * read at the start of every call. */
  void (*sender)(void* user, uint8_t out[20]);
} ward_host_callbacks;

/* The outcome of ward_call. `result` (JSON text the contract wrote, not
 * NUL-terminated; NULL when none) and `error` (NUL-terminated; "" when ok)
 * belong to the context: valid until the next ward_call or
 * ward_context_free. */
typedef struct ward_call_result {
  int status;          /* WARD_STATUS_* */
  uint64_t gas_used;   /* gas units; the whole limit when out of gas */
  const uint8_t* result;
  size_t result_len;
  const char* error;   /* e.g. "out of gas", "reverted: <reason>", "host error: storage_get: storage error: ..." */
  size_t event_count;  /* events emitted (also passed to the event callback) */
} ward_call_result;

/* Creates an engine: backend "interp", "aot" or "auto" (NULL: "interp").
 * NULL on failure (WARD_ERR_UNKNOWN_BACKEND). Free with ward_engine_free. */
WARD_EXPORT ward_engine* ward_engine_new(const char* backend, ward_error* err);
WARD_EXPORT void ward_engine_free(ward_engine* engine);

/* Decodes, validates and compiles `len` bytes of wasm with Ward's default
 * limits. NULL on failure (WARD_ERR_INVALID_MODULE, WARD_ERR_COMPILE).
 * The bytes are copied. Free with ward_code_free. */
WARD_EXPORT ward_code* ward_code_new(ward_engine* engine, const uint8_t* wasm, size_t len, ward_error* err);
WARD_EXPORT void ward_code_free(ward_code* code);

/* Makes a context: the code as a contract whose storage is reached through
 * `cb` (copied; `user` is passed to every callback) and whose calls get
 * `gas_limit` gas each (0: the default, 10,000,000). Runs the deploy checks
 * (only host-ABI imports, at least one method, instantiation and start
 * function): NULL with WARD_ERR_INVALID_MODULE when they fail,
 * WARD_ERR_INVALID_ARGUMENT when a required callback is NULL or the gas
 * limit exceeds the maximum. Free with ward_context_free. */
WARD_EXPORT ward_context* ward_context_new(ward_code* code, const ward_host_callbacks* cb, void* user,
                                           uint64_t gas_limit, ward_error* err);
WARD_EXPORT void ward_context_free(ward_context* ctx);

/* The contract's 20-byte address (what self_address returns) into out. */
WARD_EXPORT void ward_context_address(const ward_context* ctx, uint8_t out[20]);

/* Calls `method` with JSON input `args` (`args_len` bytes; NULL or 0: "{}").
 * Fills *out. Returns WARD_OK when the call ran to an outcome (look at
 * out->status: a revert or a trap is not an API error); otherwise an error
 * code (out->status is WARD_STATUS_FAILED and out->error says why):
 * WARD_ERR_STORAGE when a callback failed, WARD_ERR_OUT_OF_MEMORY,
 * WARD_ERR_INVALID_ARGUMENT for NULL pointers. */
WARD_EXPORT int ward_call(ward_context* ctx, const char* method, const uint8_t* args, size_t args_len,
                          ward_call_result* out);

/* "ok", "reverted", "trapped", "failed" (static strings). */
WARD_EXPORT const char* ward_status_name(int status);
/* Ward's version, e.g. "0.1.0" (a static string). */
WARD_EXPORT const char* ward_version(void);

#ifdef __cplusplus
}
#endif

#endif /* WARD_WARD_H */
