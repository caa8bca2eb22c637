/* examples/embed/main.c — embedding Ward from C (docs/embedding.md).
 *
 * Usage: ward-embed-example CONTRACT.wasm [BACKEND]
 *
 * Loads a contract (counter.wat of this folder, compiled with wat2wasm),
 * keeps its storage in a small in-memory table behind Ward's storage
 * callbacks, calls its methods, prints each outcome with the gas used, and
 * checks that the count persisted between calls (and between two contexts)
 * through the callbacks. Exits 0 when every check holds. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <ward/ward.h>

/* --- the embedder's storage: a growable array of key/value pairs --- */
typedef struct entry {
  uint8_t* key;
  size_t key_len;
  uint8_t* value;
  size_t value_len;
} entry;

typedef struct store {
  entry* entries;
  size_t count;
  size_t cap;
  uint64_t height; /* block height handed to the contract */
  size_t events;   /* events received through the callback */
} store;

static entry* find(store* s, const uint8_t* key, size_t key_len) {
  for (size_t i = 0; i < s->count; ++i) {
    if (s->entries[i].key_len == key_len && memcmp(s->entries[i].key, key, key_len) == 0) return &s->entries[i];
  }
  return NULL;
}

static uint8_t* copy(const uint8_t* data, size_t len) {
  uint8_t* p = malloc(len ? len : 1);
  if (p && len) memcpy(p, data, len);
  return p;
}

static int storage_get(void* user, const uint8_t* key, size_t key_len, ward_value* value, ward_error* err) {
  (void)err;
  entry* e = find(user, key, key_len);
  if (!e) return WARD_STORAGE_OK; /* absent */
  ward_value_set(value, e->value, e->value_len);
  return WARD_STORAGE_FOUND;
}

static int storage_put(void* user, const uint8_t* key, size_t key_len, const uint8_t* value, size_t value_len,
                       ward_error* err) {
  store* s = user;
  entry* e = find(s, key, key_len);
  uint8_t* v = copy(value, value_len);
  if (!v) goto oom;
  if (e) {
    free(e->value);
    e->value = v;
    e->value_len = value_len;
    return WARD_STORAGE_OK;
  }
  if (s->count == s->cap) {
    size_t cap = s->cap ? 2 * s->cap : 8;
    entry* grown = realloc(s->entries, cap * sizeof *grown);
    if (!grown) goto oom_v;
    s->entries = grown;
    s->cap = cap;
  }
  uint8_t* k = copy(key, key_len);
  if (!k) goto oom_v;
  s->entries[s->count++] = (entry){k, key_len, v, value_len};
  return WARD_STORAGE_OK;
oom_v:
  free(v);
oom:
  snprintf(err->message, sizeof err->message, "example store: out of memory");
  return WARD_STORAGE_ERROR;
}

static int storage_delete(void* user, const uint8_t* key, size_t key_len, ward_error* err) {
  (void)err;
  store* s = user;
  entry* e = find(s, key, key_len);
  if (!e) return WARD_STORAGE_OK;
  free(e->key);
  free(e->value);
  *e = s->entries[--s->count];
  return WARD_STORAGE_OK;
}

static void on_event(void* user, const char* name, size_t name_len, const char* data, size_t data_len) {
  store* s = user;
  s->events++;
  printf("  event %.*s %.*s\n", (int)name_len, name, (int)data_len, data);
}

static uint64_t block_height(void* user) { return ((store*)user)->height; }

static int failures = 0;

#define CHECK(cond, ...)                           \
  do {                                             \
    if (!(cond)) {                                 \
      fprintf(stderr, "check failed: " __VA_ARGS__); \
      fprintf(stderr, "\n");                       \
      failures++;                                  \
    }                                              \
  } while (0)

/* Calls a method and prints "METHOD: STATUS result=R gas=G [error=E]". */
static ward_call_result call(ward_context* ctx, const char* method) {
  ward_call_result r;
  int rc = ward_call(ctx, method, (const uint8_t*)"{}", 2, &r);
  printf("%s: %s", method, ward_status_name(r.status));
  if (r.result) printf(" result=%.*s", (int)r.result_len, (const char*)r.result);
  printf(" gas=%" PRIu64, r.gas_used);
  if (r.error[0]) printf(" error=%s", r.error);
  printf("\n");
  CHECK(rc == WARD_OK, "ward_call(%s) returned %d", method, rc);
  return r;
}

static int result_is(const ward_call_result* r, const char* text) {
  return r->status == WARD_STATUS_OK && r->result && r->result_len == strlen(text) &&
         memcmp(r->result, text, r->result_len) == 0;
}

static uint8_t* read_file(const char* path, size_t* len) {
  FILE* f = fopen(path, "rb");
  if (!f) return NULL;
  uint8_t* buf = NULL;
  size_t n = 0, cap = 0;
  for (;;) {
    if (n == cap) {
      cap = cap ? 2 * cap : 4096;
      uint8_t* grown = realloc(buf, cap);
      if (!grown) break;
      buf = grown;
    }
    size_t got = fread(buf + n, 1, cap - n, f);
    n += got;
    if (got == 0) break;
  }
  fclose(f);
  *len = n;
  return buf;
}

int main(int argc, char** argv) {
  if (argc < 2) {
    fprintf(stderr, "usage: %s CONTRACT.wasm [interp|aot|auto]\n", argv[0]);
    return 2;
  }
  const char* backend = argc > 2 ? argv[2] : "interp";
  size_t len = 0;
  uint8_t* wasm = read_file(argv[1], &len);
  if (!wasm) {
    fprintf(stderr, "cannot read %s\n", argv[1]);
    return 2;
  }

  ward_error err;
  ward_engine* engine = ward_engine_new(backend, &err);
  if (!engine) {
    fprintf(stderr, "ward_engine_new: %s (code %d)\n", err.message, err.code);
    return 1;
  }
  ward_code* code = ward_code_new(engine, wasm, len, &err);
  free(wasm);
  if (!code) {
    fprintf(stderr, "ward_code_new: %s (code %d)\n", err.message, err.code);
    return 1;
  }

  /* A module that is not wasm: a precise error, no crash. */
  const uint8_t junk[] = {0x00, 0x61, 0x73, 0x6d, 0x02, 0x00, 0x00, 0x00};
  CHECK(ward_code_new(engine, junk, sizeof junk, &err) == NULL && err.code == WARD_ERR_INVALID_MODULE,
        "bad module accepted");
  printf("bad module: code %d: %s\n", err.code, err.message);

  store s = {0};
  ward_host_callbacks cb = {0};
  cb.storage_get = storage_get;
  cb.storage_put = storage_put;
  cb.storage_delete = storage_delete;
  cb.event = on_event;
  cb.block_height = block_height;

  ward_context* ctx = ward_context_new(code, &cb, &s, 1000000, &err);
  if (!ctx) {
    fprintf(stderr, "ward_context_new: %s (code %d)\n", err.message, err.code);
    return 1;
  }
  printf("backend: %s\n", backend);

  ward_call_result r = call(ctx, "get");
  CHECK(result_is(&r, "0"), "fresh count is not 0");
  for (int i = 1; i <= 3; ++i) {
    s.height = (uint64_t)i;
    char want[8];
    snprintf(want, sizeof want, "%d", i);
    r = call(ctx, "increment");
    CHECK(result_is(&r, want), "increment %d gave the wrong count", i);
    CHECK(r.event_count == 1, "increment %d: %zu events", i, r.event_count);
  }
  r = call(ctx, "fail");
  CHECK(r.status == WARD_STATUS_REVERTED && strcmp(r.error, "reverted: nope") == 0, "fail did not revert");
  r = call(ctx, "boom");
  CHECK(r.status == WARD_STATUS_TRAPPED && strcmp(r.error, "trapped: unreachable") == 0, "boom did not trap");
  r = call(ctx, "spin");
  CHECK(r.status == WARD_STATUS_TRAPPED && r.gas_used == 1000000 && strcmp(r.error, "out of gas") == 0,
        "spin did not run out of gas");
  ward_context_free(ctx);

  /* The count lives in the embedder's table: a new context sees it. */
  entry* count = find(&s, (const uint8_t*)"count", 5);
  CHECK(count && count->value_len == 8 && count->value[0] == 3, "the store does not hold count = 3");
  ctx = ward_context_new(code, &cb, &s, 0, &err);
  CHECK(ctx != NULL, "second context: %s", err.message);
  if (ctx) {
    r = call(ctx, "get");
    CHECK(result_is(&r, "3"), "the count did not persist across contexts");
    ward_context_free(ctx);
  }
  printf("storage keys: %zu, events received: %zu\n", s.count, s.events);
  CHECK(s.count == 1 && s.events == 3, "unexpected storage or event count");

  ward_code_free(code);
  ward_engine_free(engine);
  for (size_t i = 0; i < s.count; ++i) {
    free(s.entries[i].key);
    free(s.entries[i].value);
  }
  free(s.entries);
  if (failures) {
    fprintf(stderr, "%d check(s) failed\n", failures);
    return 1;
  }
  printf("all checks passed\n");
  return 0;
}
