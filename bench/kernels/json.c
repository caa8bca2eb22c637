/* A small JSON parser (objects, arrays, strings with escapes, integers,
 * fractions, true/false/null) over a generated ~24 KiB document, n times.
 * Byte-at-a-time branchy code and recursion. The parse folds what it sees
 * into a checksum instead of building a tree. */
#include "kernel.h"

#define DOC_CAP 32768
static char g_doc[DOC_CAP];
static uint32_t g_len;

typedef struct {
  const char* p;
  const char* end;
  uint64_t sum;
  int error;
} parser;

static void put_str(const char* s) {
  while (*s && g_len < DOC_CAP - 1) g_doc[g_len++] = *s++;
}
static void put_uint(uint32_t v) {
  char tmp[12];
  int k = 0;
  do {
    tmp[k++] = (char)('0' + v % 10);
    v /= 10;
  } while (v != 0);
  while (k > 0 && g_len < DOC_CAP - 1) g_doc[g_len++] = tmp[--k];
}

static void generate(void) {
  static const char* const k_names[8] = {"alpha", "beta", "gamma \\\"quoted\\\"", "delta\\n", "epsilon",
                                         "zeta", "eta \\u00e9", "theta"};
  uint32_t seed = 0xDEADBEEFu;
  g_len = 0;
  put_str("{\"version\": 3, \"items\": [");
  for (uint32_t i = 0; i < 200; ++i) {
    if (i != 0) put_str(", ");
    put_str("{\"id\": ");
    put_uint(i);
    put_str(", \"name\": \"");
    put_str(k_names[kernel_rand(&seed) & 7]);
    put_str("\", \"balance\": ");
    if (kernel_rand(&seed) & 1) put_str("-");
    put_uint(kernel_rand(&seed) % 1000000);
    put_str(".");
    put_uint(kernel_rand(&seed) % 100);
    put_str(", \"active\": ");
    put_str((kernel_rand(&seed) & 1) ? "true" : "false");
    put_str(", \"tags\": [\"a\", \"bb\", null, ");
    put_uint(kernel_rand(&seed) % 1000);
    put_str("], \"owner\": {\"key\": \"0x");
    for (int k = 0; k < 8; ++k) put_uint(kernel_rand(&seed) % 10);
    put_str("\", \"nonce\": ");
    put_uint(kernel_rand(&seed));
    put_str("}}");
  }
  put_str("]}");
  g_doc[g_len] = 0;
}

static void skip_ws(parser* ps) {
  while (ps->p < ps->end && (*ps->p == ' ' || *ps->p == '\n' || *ps->p == '\t' || *ps->p == '\r')) ++ps->p;
}

static int is_hex(char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }

static void parse_value(parser* ps, int depth);

static void parse_string(parser* ps) {
  ++ps->p; /* opening quote */
  uint32_t h = 2166136261u;
  while (ps->p < ps->end && *ps->p != '"') {
    char c = *ps->p++;
    if (c == '\\') {
      if (ps->p >= ps->end) break;
      c = *ps->p++;
      if (c == 'u') {
        for (int k = 0; k < 4; ++k) {
          if (ps->p >= ps->end || !is_hex(*ps->p)) {
            ps->error = 1;
            return;
          }
          ++ps->p;
        }
      }
    }
    h = (h ^ (uint8_t)c) * 16777619u;
  }
  if (ps->p >= ps->end) {
    ps->error = 1;
    return;
  }
  ++ps->p;
  ps->sum += h;
}

static void parse_number(parser* ps) {
  int neg = 0;
  uint64_t v = 0;
  if (*ps->p == '-') {
    neg = 1;
    ++ps->p;
  }
  while (ps->p < ps->end && *ps->p >= '0' && *ps->p <= '9') v = v * 10 + (uint64_t)(*ps->p++ - '0');
  if (ps->p < ps->end && *ps->p == '.') {
    ++ps->p;
    while (ps->p < ps->end && *ps->p >= '0' && *ps->p <= '9') v = v * 10 + (uint64_t)(*ps->p++ - '0');
  }
  ps->sum += neg ? (uint64_t)0 - v : v;
}

static int literal(parser* ps, const char* word) {
  while (*word) {
    if (ps->p >= ps->end || *ps->p != *word) return 0;
    ++ps->p;
    ++word;
  }
  return 1;
}

static void parse_value(parser* ps, int depth) {
  if (depth > 64) {
    ps->error = 1;
    return;
  }
  skip_ws(ps);
  if (ps->p >= ps->end) {
    ps->error = 1;
    return;
  }
  const char c = *ps->p;
  if (c == '{' || c == '[') {
    const char close = c == '{' ? '}' : ']';
    ++ps->p;
    skip_ws(ps);
    if (ps->p < ps->end && *ps->p == close) {
      ++ps->p;
      return;
    }
    for (;;) {
      if (close == '}') {
        skip_ws(ps);
        if (ps->p >= ps->end || *ps->p != '"') {
          ps->error = 1;
          return;
        }
        parse_string(ps);
        skip_ws(ps);
        if (ps->p >= ps->end || *ps->p != ':') {
          ps->error = 1;
          return;
        }
        ++ps->p;
      }
      parse_value(ps, depth + 1);
      if (ps->error) return;
      skip_ws(ps);
      if (ps->p < ps->end && *ps->p == ',') {
        ++ps->p;
        continue;
      }
      if (ps->p < ps->end && *ps->p == close) {
        ++ps->p;
        ps->sum = ps->sum * 3 + 1;
        return;
      }
      ps->error = 1;
      return;
    }
  }
  if (c == '"') {
    parse_string(ps);
  } else if (c == '-' || (c >= '0' && c <= '9')) {
    parse_number(ps);
  } else if (literal(ps, c == 't' ? "true" : c == 'f' ? "false" : "null")) {
    ps->sum += (uint64_t)c;
  } else {
    ps->error = 1;
  }
}

KERNEL_ENTRY(json) {
  generate();
  uint64_t total = 0;
  for (uint32_t r = 0; r < n; ++r) {
    parser ps = {g_doc, g_doc + g_len, r, 0};
    parse_value(&ps, 0);
    if (ps.error) return 0;
    total = total * 7 + ps.sum;
  }
  return total ^ g_len;
}
