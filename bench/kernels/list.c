/* Linked structures: singly linked lists in a node pool sorted by an
 * iterative (bottom-up) merge sort, reversed, split and merged; and an LRU
 * cache (a doubly linked recency list plus a hash index) serving a skewed
 * stream of requests. Pointer chasing with poor locality: the kind of work
 * an object graph in a contract does. */
#include "kernel.h"

#define NODES 20000

typedef struct Node {
  struct Node* next;
  uint32_t key;
  uint32_t payload;
} Node;

static Node g_nodes[NODES];

/* Merges two sorted lists (stable: a's nodes first on ties). */
static Node* merge(Node* a, Node* b) {
  Node head;
  Node* tail = &head;
  while (a && b) {
    if (b->key < a->key) {
      tail->next = b;
      b = b->next;
    } else {
      tail->next = a;
      a = a->next;
    }
    tail = tail->next;
  }
  tail->next = a ? a : b;
  return head.next;
}

/* Cuts the first n nodes off *list and returns them. */
static Node* take(Node** list, uint32_t n) {
  Node* first = *list;
  Node* p = first;
  for (uint32_t i = 1; p && i < n; ++i) p = p->next;
  if (!p) {
    *list = 0;
    return first;
  }
  *list = p->next;
  p->next = 0;
  return first;
}

/* Bottom-up merge sort: runs of width 1, 2, 4, ... merged pairwise. */
static Node* merge_sort(Node* list) {
  if (!list || !list->next) return list;
  for (uint32_t width = 1;; width *= 2) {
    Node* rest = list;
    Node head;
    Node* tail = &head;
    uint32_t merges = 0;
    while (rest) {
      Node* a = take(&rest, width);
      Node* b = take(&rest, width);
      tail->next = merge(a, b);
      while (tail->next) tail = tail->next;
      ++merges;
    }
    list = head.next;
    if (merges <= 1) return list;
  }
}

static Node* reverse(Node* list) {
  Node* prev = 0;
  while (list) {
    Node* nx = list->next;
    list->next = prev;
    prev = list;
    list = nx;
  }
  return prev;
}

/* Splits into nodes with even and odd keys, keeping order. */
static void split_parity(Node* list, Node** even, Node** odd) {
  Node he, ho;
  Node* te = &he;
  Node* to = &ho;
  for (; list; list = list->next) {
    if (list->key & 1) {
      to->next = list;
      to = list;
    } else {
      te->next = list;
      te = list;
    }
  }
  te->next = 0;
  to->next = 0;
  *even = he.next;
  *odd = ho.next;
}

/* An order-dependent digest of a list; indices, not addresses, so that it
 * is the same on 32- and 64-bit targets. */
static uint64_t digest(const Node* list, uint32_t* count) {
  uint64_t h = 0;
  uint32_t n = 0;
  for (; list; list = list->next, ++n) h = h * 1000003u + list->key + (uint64_t)(list - g_nodes) * 7;
  *count = n;
  return h;
}

static uint64_t list_round(uint32_t seed) {
  for (uint32_t i = 0; i < NODES; ++i) {
    /* Nodes linked in a scrambled order, so the walk jumps around the pool. */
    const uint32_t j = (i * 7919u) % NODES;
    g_nodes[j].key = kernel_rand(&seed) % 100000;
    g_nodes[j].payload = i;
    g_nodes[j].next = i + 1 < NODES ? &g_nodes[((i + 1) * 7919u) % NODES] : 0;
  }
  Node* list = &g_nodes[0];
  list = merge_sort(list);
  uint32_t n1 = 0, n2 = 0, n3 = 0;
  uint64_t h = digest(list, &n1);
  for (const Node* p = list; p && p->next; p = p->next) {
    if (p->key > p->next->key) return 0; /* not sorted */
  }
  list = reverse(list);
  Node *even, *odd;
  split_parity(list, &even, &odd);
  even = merge_sort(even);
  odd = reverse(odd);
  h = h * 31 + digest(even, &n2);
  h = h * 31 + digest(odd, &n3);
  list = merge(even, merge_sort(odd));
  uint32_t n4 = 0;
  h = h * 31 + digest(list, &n4);
  return h + n1 + n2 + n3 + n4;
}

/* LRU cache of CAP entries: recency list (head = most recent) and an
 * open-addressing index of key -> entry. */
#define CAP 2048
#define INDEX 8192

typedef struct Entry {
  struct Entry* prev;
  struct Entry* next;
  uint32_t key;
  uint32_t value;
  uint32_t slot; /* its index slot */
} Entry;

static Entry g_entries[CAP];
static Entry* g_index[INDEX];
static Entry* g_head;
static Entry* g_tail;
static uint32_t g_used;

static inline uint32_t slot_of(uint32_t key) { return (key * 2654435761u) >> 19; } /* 13 bits */

static void unlink_entry(Entry* e) {
  if (e->prev) e->prev->next = e->next; else g_head = e->next;
  if (e->next) e->next->prev = e->prev; else g_tail = e->prev;
}

static void push_front(Entry* e) {
  e->prev = 0;
  e->next = g_head;
  if (g_head) g_head->prev = e;
  g_head = e;
  if (!g_tail) g_tail = e;
}

/* Removes e from the index (linear probing, with re-insertion of the rest
 * of its cluster). */
static void index_remove(Entry* e) {
  uint32_t i = e->slot;
  g_index[i] = 0;
  for (uint32_t j = (i + 1) & (INDEX - 1); g_index[j]; j = (j + 1) & (INDEX - 1)) {
    Entry* x = g_index[j];
    g_index[j] = 0;
    uint32_t k = slot_of(x->key);
    while (g_index[k]) k = (k + 1) & (INDEX - 1);
    g_index[k] = x;
    x->slot = k;
  }
}

static Entry* index_find(uint32_t key) {
  for (uint32_t i = slot_of(key);; i = (i + 1) & (INDEX - 1)) {
    if (!g_index[i]) return 0;
    if (g_index[i]->key == key) return g_index[i];
  }
}

static void index_insert(Entry* e) {
  uint32_t i = slot_of(e->key);
  while (g_index[i]) i = (i + 1) & (INDEX - 1);
  g_index[i] = e;
  e->slot = i;
}

/* A request: a hit moves the entry to the front; a miss evicts the least
 * recently used entry when full. Returns 1 on a hit. */
static int lru_get(uint32_t key, uint32_t* value) {
  Entry* e = index_find(key);
  if (e) {
    unlink_entry(e);
    push_front(e);
    *value = e->value;
    return 1;
  }
  if (g_used < CAP) {
    e = &g_entries[g_used++];
  } else {
    e = g_tail;
    unlink_entry(e);
    index_remove(e);
  }
  e->key = key;
  e->value = key * 3 + 1;
  index_insert(e);
  push_front(e);
  *value = e->value;
  return 0;
}

static uint64_t lru_round(uint32_t seed) {
  for (uint32_t i = 0; i < INDEX; ++i) g_index[i] = 0;
  g_head = g_tail = 0;
  g_used = 0;
  uint32_t hits = 0;
  uint64_t acc = 0;
  for (uint32_t i = 0; i < 40000; ++i) {
    const uint32_t r = kernel_rand(&seed);
    /* A hot set of 1024 keys and a long tail of 20000. */
    const uint32_t key = (r & 3) ? (r >> 8) % 1024 : 1024 + (r >> 8) % 20000;
    uint32_t v = 0;
    hits += (uint32_t)lru_get(key, &v);
    acc += v;
  }
  /* The recency order of the first 64 entries. */
  const Entry* e = g_head;
  for (uint32_t k = 0; k < 64 && e; ++k, e = e->next) acc = acc * 31 + e->key;
  return acc + ((uint64_t)hits << 40);
}

KERNEL_ENTRY(list) {
  uint64_t sum = 0;
  for (uint32_t r = 0; r < n; ++r) {
    sum = sum * 1000003u + list_round(0xFACE0000u + r);
    sum = sum * 1000003u + lru_round(0xBEAD0000u + r);
  }
  return sum;
}
