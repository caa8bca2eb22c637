/* Hash tables: an open-addressing table with Robin Hood probing and
 * backward-shift deletion (64-bit keys, 32-bit values), driven by a mixed
 * workload of inserts, lookups, updates and deletes; then a chained table of
 * byte-string keys counting word frequencies in generated text, with a
 * final walk that finds the most frequent words. Hashing, unpredictable
 * branches, random memory access. */
#include "kernel.h"

#define RH_BITS 15
#define RH_SIZE (1u << RH_BITS)
#define RH_MASK (RH_SIZE - 1)
#define RH_EMPTY 0xFFFFFFFFu

typedef struct {
  uint64_t key;
  uint32_t value;
  uint32_t dist; /* probe distance + 1; RH_EMPTY when the slot is free */
} RhSlot;

static RhSlot g_rh[RH_SIZE];
static uint32_t g_rh_count;

static inline uint64_t mix64(uint64_t x) {
  x ^= x >> 33;
  x *= 0xFF51AFD7ED558CCDull;
  x ^= x >> 33;
  x *= 0xC4CEB9FE1A85EC53ull;
  x ^= x >> 33;
  return x;
}

static void rh_clear(void) {
  for (uint32_t i = 0; i < RH_SIZE; ++i) g_rh[i].dist = RH_EMPTY;
  g_rh_count = 0;
}

/* Inserts or updates; returns 0 when the table is too full. */
static RhSlot* rh_find(uint64_t key);

static int rh_put(uint64_t key, uint32_t value) {
  if (g_rh_count + 1 > RH_SIZE * 7 / 8) {
    RhSlot* s = rh_find(key);
    if (!s) return 0; /* checked before any entry moves */
    s->value = value;
    return 1;
  }
  uint32_t i = (uint32_t)mix64(key) & RH_MASK;
  RhSlot cur = {key, value, 1};
  for (uint32_t probes = 0; probes < RH_SIZE; ++probes) {
    RhSlot* s = &g_rh[i];
    if (s->dist == RH_EMPTY) {
      *s = cur;
      ++g_rh_count;
      return 1;
    }
    if (s->key == cur.key) {
      s->value = cur.value;
      return 1;
    }
    if (s->dist < cur.dist) { /* the richer entry moves on */
      const RhSlot t = *s;
      *s = cur;
      cur = t;
    }
    ++cur.dist;
    i = (i + 1) & RH_MASK;
  }
  return 0;
}

static RhSlot* rh_find(uint64_t key) {
  uint32_t i = (uint32_t)mix64(key) & RH_MASK;
  for (uint32_t d = 1; d <= RH_SIZE; ++d) {
    RhSlot* s = &g_rh[i];
    if (s->dist == RH_EMPTY || s->dist < d) return 0; /* it would have been here */
    if (s->key == key) return s;
    i = (i + 1) & RH_MASK;
  }
  return 0;
}

static int rh_remove(uint64_t key) {
  RhSlot* s = rh_find(key);
  if (!s) return 0;
  uint32_t i = (uint32_t)(s - g_rh);
  /* Backward shift: later entries of the cluster move one slot closer. */
  for (;;) {
    const uint32_t j = (i + 1) & RH_MASK;
    if (g_rh[j].dist == RH_EMPTY || g_rh[j].dist == 1) {
      g_rh[i].dist = RH_EMPTY;
      break;
    }
    g_rh[i] = g_rh[j];
    --g_rh[i].dist;
    i = j;
  }
  --g_rh_count;
  return 1;
}

static uint64_t robin_hood_round(uint32_t seed) {
  rh_clear();
  uint64_t acc = 0;
  uint32_t live = 0;
  for (uint32_t step = 0; step < 60000; ++step) {
    const uint32_t r = kernel_rand(&seed);
    const uint64_t key = (uint64_t)(r % 30000u) * 0x9E3779B97F4A7C15ull;
    switch (r >> 30) {
      case 0:
      case 1:
        if (rh_put(key, step)) ++live;
        break;
      case 2: {
        const RhSlot* s = rh_find(key);
        acc += s ? s->value : 1;
        break;
      }
      default:
        if (rh_remove(key)) --live;
        break;
    }
  }
  /* Walk the table: order-dependent digest of its final layout. */
  for (uint32_t i = 0; i < RH_SIZE; ++i) {
    if (g_rh[i].dist != RH_EMPTY) acc = acc * 31 + (g_rh[i].key >> 17) + g_rh[i].value + g_rh[i].dist;
  }
  return acc + g_rh_count + ((uint64_t)live << 32);
}

/* Word counting: chained buckets of entries in a pool, keys stored in an
 * arena of bytes. */
#define WC_BUCKETS 4096
#define WC_ENTRIES 8192
#define WC_ARENA 65536
#define TEXT_BYTES 60000

typedef struct {
  uint32_t next; /* entry index + 1; 0 ends the chain */
  uint32_t hash;
  uint32_t key_off;
  uint16_t key_len;
  uint32_t count;
} WcEntry;

static uint32_t g_buckets[WC_BUCKETS];
static WcEntry g_entries[WC_ENTRIES];
static uint32_t g_nentries;
static uint8_t g_arena[WC_ARENA];
static uint32_t g_arena_used;
static uint8_t g_text[TEXT_BYTES];

static uint32_t fnv1a(const uint8_t* p, uint32_t n) {
  uint32_t h = 0x811C9DC5u;
  for (uint32_t i = 0; i < n; ++i) h = (h ^ p[i]) * 0x01000193u;
  return h;
}

static int bytes_equal(const uint8_t* a, const uint8_t* b, uint32_t n) {
  for (uint32_t i = 0; i < n; ++i) {
    if (a[i] != b[i]) return 0;
  }
  return 1;
}

/* Counts one occurrence of word; returns 0 when a pool is exhausted. */
static int wc_add(const uint8_t* w, uint32_t n) {
  const uint32_t h = fnv1a(w, n);
  uint32_t* link = &g_buckets[h & (WC_BUCKETS - 1)];
  for (uint32_t e = *link; e != 0; e = g_entries[e - 1].next) {
    WcEntry* x = &g_entries[e - 1];
    if (x->hash == h && x->key_len == n && bytes_equal(g_arena + x->key_off, w, n)) {
      ++x->count;
      return 1;
    }
  }
  if (g_nentries >= WC_ENTRIES || g_arena_used + n > WC_ARENA) return 0;
  WcEntry* x = &g_entries[g_nentries];
  x->next = *link;
  x->hash = h;
  x->key_off = g_arena_used;
  x->key_len = (uint16_t)n;
  x->count = 1;
  for (uint32_t i = 0; i < n; ++i) g_arena[g_arena_used + i] = w[i];
  g_arena_used += n;
  *link = ++g_nentries;
  return 1;
}

/* Words of 1-9 letters with a skewed (roughly Zipf) choice among many. */
static void make_text(uint32_t seed) {
  uint32_t pos = 0;
  while (pos + 12 < TEXT_BYTES) {
    uint32_t r = kernel_rand(&seed);
    /* Small ids are much more likely. */
    uint32_t id = r % 6000;
    id = id * (r >> 20 & 7) / 7;
    uint32_t len = 1 + id % 9;
    uint32_t x = id * 2654435761u;
    for (uint32_t k = 0; k < len; ++k) {
      g_text[pos++] = (uint8_t)('a' + x % 26);
      x = x / 26 + k * 7;
    }
    g_text[pos++] = (r & 0x100) ? ' ' : '\n';
  }
  while (pos < TEXT_BYTES) g_text[pos++] = ' ';
}

static uint64_t word_count_round(uint32_t seed) {
  for (uint32_t i = 0; i < WC_BUCKETS; ++i) g_buckets[i] = 0;
  g_nentries = 0;
  g_arena_used = 0;
  make_text(seed);
  uint32_t start = 0;
  for (uint32_t i = 0; i <= TEXT_BYTES; ++i) {
    const int sep = i == TEXT_BYTES || g_text[i] == ' ' || g_text[i] == '\n';
    if (!sep) continue;
    if (i > start && !wc_add(g_text + start, i - start)) return 0;
    start = i + 1;
  }
  /* The 8 most frequent words (ties: smaller hash first). */
  uint32_t top[8] = {0};
  uint32_t ntop = 0;
  for (uint32_t e = 0; e < g_nentries; ++e) {
    uint32_t pos = ntop;
    while (pos > 0) {
      const WcEntry* a = &g_entries[top[pos - 1]];
      const WcEntry* b = &g_entries[e];
      if (a->count > b->count || (a->count == b->count && a->hash <= b->hash)) break;
      --pos;
    }
    if (pos >= 8) continue;
    const uint32_t last = ntop < 8 ? ntop : 7;
    for (uint32_t k = last; k > pos; --k) top[k] = top[k - 1];
    top[pos] = e;
    if (ntop < 8) ++ntop;
  }
  uint64_t acc = g_nentries;
  for (uint32_t k = 0; k < ntop; ++k) {
    const WcEntry* x = &g_entries[top[k]];
    acc = acc * 1000003u + x->count * 131u + fnv1a(g_arena + x->key_off, x->key_len);
  }
  return acc;
}

KERNEL_ENTRY(hashtab) {
  uint64_t sum = 0;
  for (uint32_t r = 0; r < n; ++r) {
    sum = sum * 31 + robin_hood_round(0x1234567u + r);
    sum = sum * 31 + word_count_round(0xABCDEFu + r);
  }
  return sum;
}
