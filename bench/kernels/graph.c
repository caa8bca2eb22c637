/* Graph algorithms on a generated sparse graph in compressed adjacency
 * form: breadth-first search (hop counts), Dijkstra's shortest paths with
 * an indexed binary heap (decrease-key), and Kruskal's minimum spanning
 * forest (edges ordered by an in-place heapsort, union-find with path
 * halving and union by size). Irregular memory access and data-dependent
 * branches. */
#include "kernel.h"

#define V 6000
#define E 36000 /* directed edges; each undirected edge is stored twice */
#define INF 0xFFFFFFFFu

typedef struct {
  uint32_t u, v, w;
} Edge;

static Edge g_edges[E / 2];
static uint32_t g_start[V + 1];  /* CSR: neighbours of u are adj[start[u] .. start[u + 1]) */
static uint32_t g_adj[E];
static uint32_t g_wt[E];
static uint32_t g_fill[V];

static uint32_t g_dist[V];
static uint32_t g_queue[V];
static uint32_t g_heap[V];     /* vertices */
static uint32_t g_heap_pos[V]; /* position of a vertex in the heap, INF when absent */
static uint32_t g_heap_n;

static uint32_t g_parent[V];
static uint32_t g_size[V];

/* A graph with a ring (so it is connected) plus random chords with
 * weights 1..1000. */
static void make_graph(uint32_t seed) {
  uint32_t ne = 0;
  for (uint32_t u = 0; u < V && ne < E / 2; ++u) {
    g_edges[ne].u = u;
    g_edges[ne].v = (u + 1) % V;
    g_edges[ne].w = 1 + kernel_rand(&seed) % 1000;
    ++ne;
  }
  while (ne < E / 2) {
    const uint32_t u = kernel_rand(&seed) % V;
    /* Mostly local chords, some long ones. */
    const uint32_t r = kernel_rand(&seed);
    const uint32_t v = (r & 3) ? (u + 2 + (r >> 4) % 50) % V : (r >> 4) % V;
    if (u == v) continue;
    g_edges[ne].u = u;
    g_edges[ne].v = v;
    g_edges[ne].w = 1 + (r >> 12) % 1000;
    ++ne;
  }
  for (uint32_t u = 0; u <= V; ++u) g_start[u] = 0;
  for (uint32_t i = 0; i < E / 2; ++i) {
    ++g_start[g_edges[i].u + 1];
    ++g_start[g_edges[i].v + 1];
  }
  for (uint32_t u = 0; u < V; ++u) g_start[u + 1] += g_start[u];
  for (uint32_t u = 0; u < V; ++u) g_fill[u] = g_start[u];
  for (uint32_t i = 0; i < E / 2; ++i) {
    const Edge* e = &g_edges[i];
    g_adj[g_fill[e->u]] = e->v;
    g_wt[g_fill[e->u]++] = e->w;
    g_adj[g_fill[e->v]] = e->u;
    g_wt[g_fill[e->v]++] = e->w;
  }
}

static uint64_t bfs(uint32_t src) {
  for (uint32_t u = 0; u < V; ++u) g_dist[u] = INF;
  uint32_t qh = 0, qt = 0;
  g_dist[src] = 0;
  g_queue[qt++] = src;
  while (qh < qt) {
    const uint32_t u = g_queue[qh++];
    for (uint32_t k = g_start[u]; k < g_start[u + 1]; ++k) {
      const uint32_t v = g_adj[k];
      if (g_dist[v] == INF) {
        g_dist[v] = g_dist[u] + 1;
        g_queue[qt++] = v;
      }
    }
  }
  uint64_t acc = qt;
  for (uint32_t u = 0; u < V; ++u) acc = acc * 3 + g_dist[u];
  return acc;
}

static void heap_swap(uint32_t i, uint32_t j) {
  const uint32_t a = g_heap[i], b = g_heap[j];
  g_heap[i] = b;
  g_heap[j] = a;
  g_heap_pos[b] = i;
  g_heap_pos[a] = j;
}

static void sift_up(uint32_t i) {
  while (i > 0) {
    const uint32_t p = (i - 1) / 2;
    if (g_dist[g_heap[p]] <= g_dist[g_heap[i]]) break;
    heap_swap(i, p);
    i = p;
  }
}

static void sift_down(uint32_t i) {
  for (;;) {
    const uint32_t l = 2 * i + 1, r = l + 1;
    uint32_t m = i;
    if (l < g_heap_n && g_dist[g_heap[l]] < g_dist[g_heap[m]]) m = l;
    if (r < g_heap_n && g_dist[g_heap[r]] < g_dist[g_heap[m]]) m = r;
    if (m == i) return;
    heap_swap(i, m);
    i = m;
  }
}

static uint64_t dijkstra(uint32_t src) {
  for (uint32_t u = 0; u < V; ++u) {
    g_dist[u] = INF;
    g_heap_pos[u] = INF;
  }
  g_heap_n = 0;
  g_dist[src] = 0;
  g_heap[0] = src;
  g_heap_pos[src] = 0;
  g_heap_n = 1;
  uint32_t settled = 0;
  while (g_heap_n > 0) {
    const uint32_t u = g_heap[0];
    heap_swap(0, g_heap_n - 1);
    --g_heap_n;
    g_heap_pos[u] = INF;
    sift_down(0);
    ++settled;
    for (uint32_t k = g_start[u]; k < g_start[u + 1]; ++k) {
      const uint32_t v = g_adj[k];
      const uint32_t nd = g_dist[u] + g_wt[k];
      if (nd >= g_dist[v]) continue;
      const int fresh = g_dist[v] == INF;
      g_dist[v] = nd;
      if (fresh) {
        g_heap[g_heap_n] = v;
        g_heap_pos[v] = g_heap_n;
        ++g_heap_n;
        sift_up(g_heap_n - 1);
      } else if (g_heap_pos[v] != INF) {
        sift_up(g_heap_pos[v]);
      }
    }
  }
  uint64_t acc = settled;
  for (uint32_t u = 0; u < V; ++u) acc = acc * 5 + g_dist[u];
  return acc;
}

/* Heapsort of the edges by (weight, u, v). */
static int edge_less(const Edge* a, const Edge* b) {
  if (a->w != b->w) return a->w < b->w;
  if (a->u != b->u) return a->u < b->u;
  return a->v < b->v;
}

static void edge_sift(Edge* a, uint32_t i, uint32_t n) {
  for (;;) {
    const uint32_t l = 2 * i + 1, r = l + 1;
    uint32_t m = i;
    if (l < n && edge_less(&a[m], &a[l])) m = l;
    if (r < n && edge_less(&a[m], &a[r])) m = r;
    if (m == i) return;
    const Edge t = a[i];
    a[i] = a[m];
    a[m] = t;
    i = m;
  }
}

static void sort_edges(Edge* a, uint32_t n) {
  for (uint32_t i = n / 2; i-- > 0;) edge_sift(a, i, n);
  for (uint32_t end = n; end-- > 1;) {
    const Edge t = a[0];
    a[0] = a[end];
    a[end] = t;
    edge_sift(a, 0, end);
  }
}

static uint32_t find(uint32_t x) {
  while (g_parent[x] != x) {
    g_parent[x] = g_parent[g_parent[x]];
    x = g_parent[x];
  }
  return x;
}

static uint64_t kruskal(void) {
  sort_edges(g_edges, E / 2);
  for (uint32_t u = 0; u < V; ++u) {
    g_parent[u] = u;
    g_size[u] = 1;
  }
  uint64_t total = 0;
  uint32_t used = 0;
  for (uint32_t i = 0; i < E / 2 && used + 1 < V; ++i) {
    uint32_t a = find(g_edges[i].u), b = find(g_edges[i].v);
    if (a == b) continue;
    if (g_size[a] < g_size[b]) {
      const uint32_t t = a;
      a = b;
      b = t;
    }
    g_parent[b] = a;
    g_size[a] += g_size[b];
    total += g_edges[i].w;
    ++used;
  }
  return total * 100003u + used;
}

KERNEL_ENTRY(graph) {
  uint64_t sum = 0;
  for (uint32_t r = 0; r < n; ++r) {
    make_graph(0x6A09E667u + r);
    sum = sum * 31 + bfs(r % V);
    sum = sum * 31 + dijkstra((r * 977) % V);
    sum = sum * 31 + dijkstra((r * 977 + V / 2) % V);
    sum = sum * 31 + kruskal();
  }
  return sum;
}
