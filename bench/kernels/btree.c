/* A B+ tree of 32-bit keys and values in a node pool (order 16): insert
 * with node splits (an explicit path stack, no recursion), point lookups,
 * deletes that borrow from or merge with a sibling, and range scans along
 * the leaf chain. The access pattern of an ordered key-value store, which
 * is what contract storage looks like from the inside. */
#include "kernel.h"

#define ORDER 16 /* max keys per node */
#define MIN_KEYS (ORDER / 2)
#define POOL 8192
#define NONE 0xFFFFFFFFu
#define MAX_DEPTH 16

typedef struct {
  uint32_t n;      /* keys in use */
  uint32_t leaf;   /* 1: leaf (vals, next), 0: inner (kids) */
  uint32_t next;   /* leaf chain */
  uint32_t keys[ORDER];
  uint32_t vals[ORDER + 1]; /* leaf: values; inner: children (n + 1) */
} BNode;

static BNode g_pool[POOL];
static uint32_t g_free_list;
static uint32_t g_used;
static uint32_t g_root;
static int g_oom;

static uint32_t node_new(uint32_t leaf) {
  uint32_t i;
  if (g_free_list != NONE) {
    i = g_free_list;
    g_free_list = g_pool[i].next;
  } else if (g_used < POOL) {
    i = g_used++;
  } else {
    g_oom = 1;
    return 0;
  }
  g_pool[i].n = 0;
  g_pool[i].leaf = leaf;
  g_pool[i].next = NONE;
  return i;
}

static void node_free(uint32_t i) {
  g_pool[i].next = g_free_list;
  g_free_list = i;
}

static void tree_init(void) {
  g_free_list = NONE;
  g_used = 0;
  g_oom = 0;
  g_root = node_new(1);
}

/* Index of the first key >= k (binary search). */
static uint32_t lower_bound(const BNode* b, uint32_t k) {
  uint32_t lo = 0, hi = b->n;
  while (lo < hi) {
    const uint32_t mid = (lo + hi) / 2;
    if (b->keys[mid] < k) lo = mid + 1; else hi = mid;
  }
  return lo;
}

/* Child slot of an inner node for key k: keys[i] separates kids i and i + 1
 * (kids[i + 1] holds keys >= keys[i]). */
static uint32_t child_slot(const BNode* b, uint32_t k) {
  uint32_t i = lower_bound(b, k);
  if (i < b->n && b->keys[i] == k) ++i;
  return i;
}

static int tree_get(uint32_t k, uint32_t* v) {
  uint32_t x = g_root;
  while (!g_pool[x].leaf) x = g_pool[x].vals[child_slot(&g_pool[x], k)];
  const BNode* b = &g_pool[x];
  const uint32_t i = lower_bound(b, k);
  if (i < b->n && b->keys[i] == k) {
    *v = b->vals[i];
    return 1;
  }
  return 0;
}

/* Inserts or replaces; splits full nodes on the way back up. */
static void tree_put(uint32_t k, uint32_t v) {
  uint32_t path[MAX_DEPTH], slot[MAX_DEPTH], depth = 0;
  uint32_t x = g_root;
  while (!g_pool[x].leaf) {
    if (depth >= MAX_DEPTH) {
      g_oom = 1;
      return;
    }
    const uint32_t s = child_slot(&g_pool[x], k);
    path[depth] = x;
    slot[depth++] = s;
    x = g_pool[x].vals[s];
  }
  BNode* b = &g_pool[x];
  uint32_t i = lower_bound(b, k);
  if (i < b->n && b->keys[i] == k) {
    b->vals[i] = v;
    return;
  }
  /* Insert into the leaf (it has room for ORDER keys; split when it would overflow). */
  uint32_t keys[ORDER + 1], vals[ORDER + 2];
  for (uint32_t j = 0; j < b->n; ++j) {
    keys[j + (j >= i)] = b->keys[j];
    vals[j + (j >= i)] = b->vals[j];
  }
  keys[i] = k;
  vals[i] = v;
  uint32_t n = b->n + 1;
  if (n <= ORDER) {
    for (uint32_t j = 0; j < n; ++j) {
      b->keys[j] = keys[j];
      b->vals[j] = vals[j];
    }
    b->n = n;
    return;
  }
  /* Leaf split: the right half moves to a new leaf; its first key goes up. */
  uint32_t right = node_new(1);
  if (g_oom) return;
  b = &g_pool[x];
  BNode* r = &g_pool[right];
  const uint32_t half = n / 2;
  b->n = half;
  for (uint32_t j = 0; j < half; ++j) {
    b->keys[j] = keys[j];
    b->vals[j] = vals[j];
  }
  r->n = n - half;
  for (uint32_t j = half; j < n; ++j) {
    r->keys[j - half] = keys[j];
    r->vals[j - half] = vals[j];
  }
  r->next = b->next;
  b->next = right;
  uint32_t up_key = r->keys[0], up_child = right;
  /* Insert (up_key, up_child) into the parents, splitting as needed. */
  while (depth > 0) {
    const uint32_t p = path[--depth], s = slot[depth];
    BNode* pb = &g_pool[p];
    uint32_t pk[ORDER + 1], pc[ORDER + 2];
    for (uint32_t j = 0; j < pb->n; ++j) pk[j + (j >= s)] = pb->keys[j];
    for (uint32_t j = 0; j <= pb->n; ++j) pc[j + (j > s)] = pb->vals[j];
    pk[s] = up_key;
    pc[s + 1] = up_child;
    const uint32_t pn = pb->n + 1;
    if (pn <= ORDER) {
      for (uint32_t j = 0; j < pn; ++j) pb->keys[j] = pk[j];
      for (uint32_t j = 0; j <= pn; ++j) pb->vals[j] = pc[j];
      pb->n = pn;
      return;
    }
    /* Inner split: the middle key moves up. */
    const uint32_t nr = node_new(0);
    if (g_oom) return;
    pb = &g_pool[p];
    BNode* rb = &g_pool[nr];
    const uint32_t mid = pn / 2;
    pb->n = mid;
    for (uint32_t j = 0; j < mid; ++j) pb->keys[j] = pk[j];
    for (uint32_t j = 0; j <= mid; ++j) pb->vals[j] = pc[j];
    rb->n = pn - mid - 1;
    for (uint32_t j = mid + 1; j < pn; ++j) rb->keys[j - mid - 1] = pk[j];
    for (uint32_t j = mid + 1; j <= pn; ++j) rb->vals[j - mid - 1] = pc[j];
    up_key = pk[mid];
    up_child = nr;
  }
  /* The root split: a new root. */
  const uint32_t nroot = node_new(0);
  if (g_oom) return;
  g_pool[nroot].n = 1;
  g_pool[nroot].keys[0] = up_key;
  g_pool[nroot].vals[0] = g_root;
  g_pool[nroot].vals[1] = up_child;
  g_root = nroot;
}

/* Removes key k; an underfull node borrows from a sibling or merges with
 * it, up the path. Returns 1 when k was present. */
static int tree_del(uint32_t k) {
  uint32_t path[MAX_DEPTH], slot[MAX_DEPTH], depth = 0;
  uint32_t x = g_root;
  while (!g_pool[x].leaf) {
    if (depth >= MAX_DEPTH) return 0;
    const uint32_t s = child_slot(&g_pool[x], k);
    path[depth] = x;
    slot[depth++] = s;
    x = g_pool[x].vals[s];
  }
  BNode* b = &g_pool[x];
  const uint32_t i = lower_bound(b, k);
  if (i >= b->n || b->keys[i] != k) return 0;
  for (uint32_t j = i; j + 1 < b->n; ++j) {
    b->keys[j] = b->keys[j + 1];
    b->vals[j] = b->vals[j + 1];
  }
  --b->n;
  while (depth > 0 && g_pool[x].n < MIN_KEYS) {
    const uint32_t p = path[--depth], s = slot[depth];
    BNode* pb = &g_pool[p];
    BNode* c = &g_pool[x];
    /* Prefer the left sibling. */
    const int left = s > 0;
    const uint32_t sib = pb->vals[left ? s - 1 : s + 1];
    BNode* sb = &g_pool[sib];
    const uint32_t sep = left ? s - 1 : s; /* separator key index in the parent */
    if (sb->n > MIN_KEYS) { /* borrow one entry */
      if (c->leaf) {
        if (left) {
          for (uint32_t j = c->n; j > 0; --j) {
            c->keys[j] = c->keys[j - 1];
            c->vals[j] = c->vals[j - 1];
          }
          c->keys[0] = sb->keys[sb->n - 1];
          c->vals[0] = sb->vals[sb->n - 1];
          --sb->n;
          ++c->n;
          pb->keys[sep] = c->keys[0];
        } else {
          c->keys[c->n] = sb->keys[0];
          c->vals[c->n] = sb->vals[0];
          ++c->n;
          for (uint32_t j = 0; j + 1 < sb->n; ++j) {
            sb->keys[j] = sb->keys[j + 1];
            sb->vals[j] = sb->vals[j + 1];
          }
          --sb->n;
          pb->keys[sep] = sb->keys[0];
        }
      } else {
        if (left) { /* rotate right through the parent */
          for (uint32_t j = c->n; j > 0; --j) c->keys[j] = c->keys[j - 1];
          for (uint32_t j = c->n + 1; j > 0; --j) c->vals[j] = c->vals[j - 1];
          c->keys[0] = pb->keys[sep];
          c->vals[0] = sb->vals[sb->n];
          pb->keys[sep] = sb->keys[sb->n - 1];
          --sb->n;
          ++c->n;
        } else { /* rotate left */
          c->keys[c->n] = pb->keys[sep];
          c->vals[c->n + 1] = sb->vals[0];
          ++c->n;
          pb->keys[sep] = sb->keys[0];
          for (uint32_t j = 0; j + 1 < sb->n; ++j) sb->keys[j] = sb->keys[j + 1];
          for (uint32_t j = 0; j < sb->n; ++j) sb->vals[j] = sb->vals[j + 1];
          --sb->n;
        }
      }
      return 1;
    }
    /* Merge the right node of the pair into the left one. */
    const uint32_t li = left ? sib : x, ri = left ? x : sib;
    BNode* lb = &g_pool[li];
    BNode* rb = &g_pool[ri];
    if (lb->leaf) {
      for (uint32_t j = 0; j < rb->n; ++j) {
        lb->keys[lb->n + j] = rb->keys[j];
        lb->vals[lb->n + j] = rb->vals[j];
      }
      lb->n += rb->n;
      lb->next = rb->next;
    } else {
      lb->keys[lb->n] = pb->keys[sep];
      for (uint32_t j = 0; j < rb->n; ++j) lb->keys[lb->n + 1 + j] = rb->keys[j];
      for (uint32_t j = 0; j <= rb->n; ++j) lb->vals[lb->n + 1 + j] = rb->vals[j];
      lb->n += rb->n + 1;
    }
    node_free(ri);
    /* Drop the separator and the right child from the parent. */
    for (uint32_t j = sep; j + 1 < pb->n; ++j) pb->keys[j] = pb->keys[j + 1];
    for (uint32_t j = sep + 1; j < pb->n; ++j) pb->vals[j] = pb->vals[j + 1];
    --pb->n;
    x = p;
  }
  if (!g_pool[g_root].leaf && g_pool[g_root].n == 0) { /* the root lost its last key */
    const uint32_t old = g_root;
    g_root = g_pool[old].vals[0];
    node_free(old);
  }
  return 1;
}

/* Sum of values of keys in [lo, hi) by walking the leaf chain. */
static uint64_t tree_scan(uint32_t lo, uint32_t hi, uint32_t* count) {
  uint32_t x = g_root;
  while (!g_pool[x].leaf) x = g_pool[x].vals[child_slot(&g_pool[x], lo)];
  uint64_t acc = 0;
  uint32_t n = 0;
  uint32_t i = lower_bound(&g_pool[x], lo);
  while (x != NONE) {
    const BNode* b = &g_pool[x];
    for (; i < b->n; ++i) {
      if (b->keys[i] >= hi) {
        *count = n;
        return acc;
      }
      acc += b->vals[i] ^ b->keys[i];
      ++n;
    }
    x = b->next;
    i = 0;
  }
  *count = n;
  return acc;
}

/* Checks the leaf chain is strictly increasing; returns the number of keys. */
static uint32_t check_order(int* ok) {
  uint32_t x = g_root;
  while (!g_pool[x].leaf) x = g_pool[x].vals[0];
  uint32_t n = 0, last = 0;
  for (; x != NONE; x = g_pool[x].next) {
    for (uint32_t i = 0; i < g_pool[x].n; ++i, ++n) {
      if (n > 0 && g_pool[x].keys[i] <= last) *ok = 0;
      last = g_pool[x].keys[i];
    }
  }
  return n;
}

KERNEL_ENTRY(btree) {
  uint64_t sum = 0;
  for (uint32_t r = 0; r < n; ++r) {
    tree_init();
    uint32_t seed = 0x2545F491u + r;
    uint64_t acc = 0;
    for (uint32_t i = 0; i < 30000; ++i) {
      const uint32_t x = kernel_rand(&seed);
      const uint32_t key = (x >> 4) % 50000;
      switch (x & 7) {
        case 0:
        case 1:
        case 2:
        case 3: tree_put(key, x); break;
        case 4:
        case 5: {
          uint32_t v = 0;
          acc += tree_get(key, &v) ? v : 7;
          break;
        }
        case 6: acc += (uint64_t)tree_del(key) * 3; break;
        default: {
          uint32_t cnt = 0;
          acc += tree_scan(key, key + 400, &cnt) + cnt;
          break;
        }
      }
      if (g_oom) return 1;
    }
    int ok = 1;
    const uint32_t keys = check_order(&ok);
    if (!ok) return 2;
    sum = sum * 1000003u + acc;
    sum = sum * 1000003u + keys + ((uint64_t)g_used << 32);
  }
  return sum;
}
