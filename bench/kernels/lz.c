/* Compression: an LZ77 compressor with hash chains (3-byte hashes, a 32 KiB
 * window, lazy matching one byte ahead) writing a byte-oriented token
 * format, its decompressor, and a table-driven CRC-32 over the input, the
 * compressed stream and the round trip. The input is generated text with
 * repetitions plus a noisy binary section. Byte loads and stores, tight
 * compare loops, table lookups. */
#include "kernel.h"

#define INPUT_BYTES 65536
#define OUTPUT_BYTES (INPUT_BYTES + INPUT_BYTES / 8 + 64)
#define WINDOW 32768
#define HASH_BITS 14
#define HASH_SIZE (1u << HASH_BITS)
#define MIN_MATCH 4
#define MAX_MATCH 258
#define MAX_CHAIN 48

static uint8_t g_input[INPUT_BYTES];
static uint8_t g_packed[OUTPUT_BYTES];
static uint8_t g_unpacked[INPUT_BYTES];
static int32_t g_head[HASH_SIZE];
static int32_t g_prev[WINDOW];
static uint32_t g_crc_table[256];

static void crc_init(void) {
  for (uint32_t i = 0; i < 256; ++i) {
    uint32_t c = i;
    for (int k = 0; k < 8; ++k) c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
    g_crc_table[i] = c;
  }
}

static uint32_t crc32(const uint8_t* p, uint32_t n) {
  uint32_t c = 0xFFFFFFFFu;
  for (uint32_t i = 0; i < n; ++i) c = g_crc_table[(c ^ p[i]) & 0xFF] ^ (c >> 8);
  return c ^ 0xFFFFFFFFu;
}

static inline uint32_t hash3(const uint8_t* p) {
  const uint32_t v = (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16);
  return (v * 2654435761u) >> (32 - HASH_BITS);
}

/* Token format: a control byte per group of 8 tokens (bit set: match);
 * a literal is one byte; a match is a 3-byte (length - MIN_MATCH, distance)
 * pair: length in one byte (4..259), distance in two (1..32768). */
typedef struct {
  uint8_t* out;
  uint32_t pos;
  uint32_t ctrl_pos;
  uint32_t nbits;
  uint32_t cap;
  int overflow;
} Writer;

static void put_byte(Writer* w, uint8_t b) {
  if (w->pos >= w->cap) {
    w->overflow = 1;
    return;
  }
  w->out[w->pos++] = b;
}

static void begin_token(Writer* w, int is_match) {
  if (w->nbits == 0) {
    w->ctrl_pos = w->pos;
    put_byte(w, 0);
  }
  if (is_match && !w->overflow) w->out[w->ctrl_pos] |= (uint8_t)(1u << w->nbits);
  w->nbits = (w->nbits + 1) & 7;
}

static void insert_hash(const uint8_t* in, uint32_t i, uint32_t n) {
  if (i + 2 >= n) return;
  const uint32_t h = hash3(in + i);
  g_prev[i & (WINDOW - 1)] = g_head[h];
  g_head[h] = (int32_t)i;
}

/* The longest match for position i within the window; its length (0 when
 * shorter than MIN_MATCH) and distance. */
static uint32_t longest_match(const uint8_t* in, uint32_t i, uint32_t n, uint32_t* dist) {
  if (i + MIN_MATCH > n) return 0;
  const uint32_t limit = n - i < MAX_MATCH ? n - i : MAX_MATCH;
  int32_t cand = g_head[hash3(in + i)];
  uint32_t best = 0, chain = 0;
  while (cand >= 0 && chain++ < MAX_CHAIN) {
    const uint32_t c = (uint32_t)cand;
    if (c >= i || i - c > WINDOW - 1) break;
    if (in[c + best] == in[i + best] && in[c] == in[i]) {
      uint32_t len = 0;
      while (len < limit && in[c + len] == in[i + len]) ++len;
      if (len > best) {
        best = len;
        *dist = i - c;
        if (len == limit) break;
      }
    }
    const int32_t nx = g_prev[c & (WINDOW - 1)];
    if (nx >= cand) break; /* an older slot was overwritten: end of chain */
    cand = nx;
  }
  return best >= MIN_MATCH ? best : 0;
}

static uint32_t compress(const uint8_t* in, uint32_t n, uint8_t* out, uint32_t cap, int* overflow) {
  for (uint32_t i = 0; i < HASH_SIZE; ++i) g_head[i] = -1;
  for (uint32_t i = 0; i < WINDOW; ++i) g_prev[i] = -1;
  Writer w = {out, 0, 0, 0, cap, 0};
  /* Header: the uncompressed size, 4 bytes little-endian. */
  for (int k = 0; k < 4; ++k) put_byte(&w, (uint8_t)(n >> (8 * k)));
  uint32_t i = 0;
  while (i < n) {
    uint32_t dist = 0, dist2 = 0;
    uint32_t len = longest_match(in, i, n, &dist);
    if (len > 0 && len < 32 && i + 1 < n) {
      /* Lazy matching: a longer match one byte later wins. */
      insert_hash(in, i, n);
      const uint32_t len2 = longest_match(in, i + 1, n, &dist2);
      if (len2 > len + 1) {
        begin_token(&w, 0);
        put_byte(&w, in[i]);
        ++i;
        len = len2;
        dist = dist2;
      } else {
        /* position i is already in the chains */
        begin_token(&w, 1);
        put_byte(&w, (uint8_t)(len - MIN_MATCH));
        put_byte(&w, (uint8_t)((dist - 1) & 0xFF));
        put_byte(&w, (uint8_t)((dist - 1) >> 8));
        for (uint32_t k = 1; k < len; ++k) insert_hash(in, i + k, n);
        i += len;
        continue;
      }
    }
    if (len == 0) {
      insert_hash(in, i, n);
      begin_token(&w, 0);
      put_byte(&w, in[i]);
      ++i;
      continue;
    }
    begin_token(&w, 1);
    put_byte(&w, (uint8_t)(len - MIN_MATCH));
    put_byte(&w, (uint8_t)((dist - 1) & 0xFF));
    put_byte(&w, (uint8_t)((dist - 1) >> 8));
    for (uint32_t k = 0; k < len; ++k) insert_hash(in, i + k, n);
    i += len;
  }
  *overflow = w.overflow;
  return w.pos;
}

/* Returns the decompressed size, or 0xFFFFFFFF on a malformed stream. */
static uint32_t decompress(const uint8_t* in, uint32_t n, uint8_t* out, uint32_t cap) {
  if (n < 4) return 0xFFFFFFFFu;
  const uint32_t size = (uint32_t)in[0] | ((uint32_t)in[1] << 8) | ((uint32_t)in[2] << 16) | ((uint32_t)in[3] << 24);
  if (size > cap) return 0xFFFFFFFFu;
  uint32_t ip = 4, op = 0;
  while (op < size) {
    if (ip >= n) return 0xFFFFFFFFu;
    const uint8_t ctrl = in[ip++];
    for (int bit = 0; bit < 8 && op < size; ++bit) {
      if (ctrl & (1u << bit)) {
        if (ip + 3 > n) return 0xFFFFFFFFu;
        const uint32_t len = (uint32_t)in[ip] + MIN_MATCH;
        const uint32_t dist = ((uint32_t)in[ip + 1] | ((uint32_t)in[ip + 2] << 8)) + 1;
        ip += 3;
        if (dist > op || op + len > size) return 0xFFFFFFFFu;
        const uint8_t* src = out + op - dist;
        for (uint32_t k = 0; k < len; ++k) out[op + k] = src[k]; /* may overlap: byte by byte */
        op += len;
      } else {
        if (ip >= n) return 0xFFFFFFFFu;
        out[op++] = in[ip++];
      }
    }
  }
  return op;
}

/* Text made of a vocabulary with repeats, then a section of noisy bytes
 * (runs and random values), so both matches and literals occur. */
static void make_input(uint32_t seed) {
  static const char* const words[] = {"the ",   "state ", "root ",  "of ",     "block ", "height ", "is ",
                                      "hash ",  "gas ",   "used ",  "by ",     "call ",  "to ",     "contract ",
                                      "with ",  "value ", "and ",   "event ",  "log ",   "\n"};
  uint32_t pos = 0;
  const uint32_t text_end = INPUT_BYTES * 3 / 4;
  while (pos < text_end) {
    const char* w = words[kernel_rand(&seed) % 20];
    while (*w && pos < text_end) g_input[pos++] = (uint8_t)*w++;
    if ((kernel_rand(&seed) & 15) == 0 && pos + 8 < text_end) {
      uint32_t v = kernel_rand(&seed);
      for (int k = 0; k < 8; ++k) {
        g_input[pos++] = (uint8_t)('0' + v % 10);
        v /= 10;
      }
    }
  }
  while (pos < INPUT_BYTES) {
    const uint32_t r = kernel_rand(&seed);
    if ((r & 7) == 0) {
      const uint32_t run = 3 + (r >> 8) % 20;
      for (uint32_t k = 0; k < run && pos < INPUT_BYTES; ++k) g_input[pos++] = (uint8_t)(r >> 16);
    } else {
      g_input[pos++] = (uint8_t)(r >> 24);
    }
  }
}

KERNEL_ENTRY(lz) {
  crc_init();
  uint64_t sum = 0;
  for (uint32_t r = 0; r < n; ++r) {
    make_input(0xC0FFEE00u + r);
    int overflow = 0;
    const uint32_t packed = compress(g_input, INPUT_BYTES, g_packed, OUTPUT_BYTES, &overflow);
    if (overflow) return 1;
    const uint32_t unpacked = decompress(g_packed, packed, g_unpacked, INPUT_BYTES);
    if (unpacked != INPUT_BYTES) return 2;
    const uint32_t crc_in = crc32(g_input, INPUT_BYTES);
    if (crc32(g_unpacked, unpacked) != crc_in) return 3;
    sum = sum * 1000003u + packed;
    sum = sum * 1000003u + crc_in;
    sum = sum * 1000003u + crc32(g_packed, packed);
  }
  return sum;
}
