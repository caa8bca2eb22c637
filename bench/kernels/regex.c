/* Regular expressions: a parser (literals, '.', classes [a-z], grouping,
 * alternation, '*', '+', '?') to a Thompson NFA built with an explicit
 * operator stack (no recursion), then matching by a lazily built DFA over
 * NFA state sets (subset construction on demand, a fixed-size cache that is
 * flushed when full). Counts the lines of a generated text that match each
 * of several patterns: table-driven state-machine code with bit-set work. */
#include "kernel.h"

#define MAX_STATES 256
#define SET_WORDS (MAX_STATES / 32)
#define MAX_DSTATES 128
#define TEXT_BYTES 24000
#define MAX_PATTERN 96

/* NFA states: CHAR matches one byte class, SPLIT has two epsilon edges,
 * MATCH accepts. */
enum { N_CHAR, N_SPLIT, N_MATCH };

typedef struct {
  uint8_t kind;
  uint16_t out, out1;
  uint32_t cls[8]; /* N_CHAR: 256-bit byte class */
} NState;

typedef struct {
  NState s[MAX_STATES];
  uint32_t n;
  uint32_t start;
  int error;
} Nfa;

/* A fragment under construction: its start state and a list of dangling
 * exits (threaded through the out fields, as in Thompson's construction). */
typedef struct {
  uint16_t start;
  uint16_t exits[MAX_STATES];
  uint16_t nexits;
} Frag;

typedef struct {
  uint32_t set[SET_WORDS];
  uint16_t next[256]; /* 0xFFFF: not computed yet */
  uint8_t accepting;
} DState;

static Nfa g_nfa;
static Frag g_frags[32];
static DState g_dfa[MAX_DSTATES];
static char g_text[TEXT_BYTES];

static uint16_t new_state(Nfa* nfa, uint8_t kind) {
  if (nfa->n >= MAX_STATES) {
    nfa->error = 1;
    return 0;
  }
  NState* s = &nfa->s[nfa->n];
  s->kind = kind;
  s->out = s->out1 = 0xFFFF;
  for (int i = 0; i < 8; ++i) s->cls[i] = 0;
  return (uint16_t)nfa->n++;
}

static void cls_set(NState* s, uint32_t c) { s->cls[c >> 5] |= 1u << (c & 31); }

/* Exits are encoded as state * 2 + (0: out, 1: out1). */
static void patch(Nfa* nfa, const Frag* f, uint16_t target) {
  for (uint16_t i = 0; i < f->nexits; ++i) {
    const uint16_t e = f->exits[i];
    if (e & 1)
      nfa->s[e >> 1].out1 = target;
    else
      nfa->s[e >> 1].out = target;
  }
}

static void append_exits(Frag* to, const Frag* from, int* error) {
  for (uint16_t i = 0; i < from->nexits; ++i) {
    if (to->nexits >= MAX_STATES) {
      *error = 1;
      return;
    }
    to->exits[to->nexits++] = from->exits[i];
  }
}

/* Postfix form of the pattern: '.' for any byte becomes 0x01, explicit
 * concatenation 0x02, classes are kept as indices into a class table. */
enum { P_ANY = 1, P_CAT = 2, P_ALT = 3, P_STAR = 4, P_PLUS = 5, P_QUEST = 6, P_CLASS = 7 };

typedef struct {
  uint8_t op;
  uint8_t arg;
} PTok;

typedef struct {
  PTok tok[MAX_PATTERN * 2];
  uint32_t n;
  uint32_t classes[16][8];
  uint32_t nclasses;
  int error;
} Postfix;

static Postfix g_post;

static void post_emit(Postfix* p, uint8_t op, uint8_t arg) {
  if (p->n >= MAX_PATTERN * 2) {
    p->error = 1;
    return;
  }
  p->tok[p->n].op = op;
  p->tok[p->n].arg = arg;
  ++p->n;
}

/* Shunting-yard over the pattern with an explicit stack of open groups:
 * per group the number of pending alternatives and atoms. */
static void to_postfix(Postfix* p, const char* re) {
  struct {
    uint32_t nalt, natom;
  } stack[16];
  uint32_t depth = 0;
  uint32_t nalt = 0, natom = 0;
  p->n = 0;
  p->nclasses = 0;
  p->error = 0;
  for (const char* c = re; *c && !p->error; ++c) {
    switch (*c) {
      case '(':
        if (natom > 1) {
          --natom;
          post_emit(p, P_CAT, 0);
        }
        if (depth >= 16) {
          p->error = 1;
          return;
        }
        stack[depth].nalt = nalt;
        stack[depth].natom = natom;
        ++depth;
        nalt = 0;
        natom = 0;
        break;
      case '|':
        if (natom == 0) {
          p->error = 1;
          return;
        }
        while (--natom > 0) post_emit(p, P_CAT, 0);
        ++nalt;
        break;
      case ')':
        if (depth == 0 || natom == 0) {
          p->error = 1;
          return;
        }
        while (--natom > 0) post_emit(p, P_CAT, 0);
        for (; nalt > 0; --nalt) post_emit(p, P_ALT, 0);
        --depth;
        nalt = stack[depth].nalt;
        natom = stack[depth].natom;
        ++natom;
        break;
      case '*':
      case '+':
      case '?':
        if (natom == 0) {
          p->error = 1;
          return;
        }
        post_emit(p, *c == '*' ? P_STAR : *c == '+' ? P_PLUS : P_QUEST, 0);
        break;
      case '[': {
        if (p->nclasses >= 16) {
          p->error = 1;
          return;
        }
        uint32_t* cls = p->classes[p->nclasses];
        for (int i = 0; i < 8; ++i) cls[i] = 0;
        ++c;
        int negate = 0;
        if (*c == '^') {
          negate = 1;
          ++c;
        }
        while (*c && *c != ']') {
          uint32_t lo = (uint8_t)*c, hi = lo;
          if (c[1] == '-' && c[2] && c[2] != ']') {
            hi = (uint8_t)c[2];
            c += 2;
          }
          for (uint32_t x = lo; x <= hi; ++x) cls[x >> 5] |= 1u << (x & 31);
          ++c;
        }
        if (*c != ']') {
          p->error = 1;
          return;
        }
        if (negate) {
          for (int i = 0; i < 8; ++i) cls[i] = ~cls[i];
        }
        if (natom > 1) {
          --natom;
          post_emit(p, P_CAT, 0);
        }
        post_emit(p, P_CLASS, (uint8_t)p->nclasses++);
        ++natom;
        break;
      }
      default:
        if (natom > 1) {
          --natom;
          post_emit(p, P_CAT, 0);
        }
        if (*c == '\\' && c[1]) /* an escaped byte is a literal */
          post_emit(p, 0, (uint8_t)*++c);
        else if (*c == '.')
          post_emit(p, P_ANY, 0);
        else
          post_emit(p, 0, (uint8_t)*c);
        ++natom;
        break;
    }
  }
  if (depth != 0 || natom == 0) {
    p->error = 1;
    return;
  }
  while (--natom > 0) post_emit(p, P_CAT, 0);
  for (; nalt > 0; --nalt) post_emit(p, P_ALT, 0);
}

/* Thompson's construction over the postfix tokens with a fragment stack. */
static void compile_nfa(Nfa* nfa, const Postfix* p) {
  uint32_t sp = 0;
  nfa->n = 0;
  nfa->error = p->error;
  for (uint32_t i = 0; i < p->n && !nfa->error; ++i) {
    const PTok t = p->tok[i];
    switch (t.op) {
      case P_CAT: {
        if (sp < 2) {
          nfa->error = 1;
          break;
        }
        Frag* a = &g_frags[sp - 2];
        Frag* b = &g_frags[sp - 1];
        patch(nfa, a, b->start);
        a->nexits = 0;
        append_exits(a, b, &nfa->error);
        --sp;
        break;
      }
      case P_ALT: {
        if (sp < 2) {
          nfa->error = 1;
          break;
        }
        Frag* a = &g_frags[sp - 2];
        Frag* b = &g_frags[sp - 1];
        const uint16_t s = new_state(nfa, N_SPLIT);
        nfa->s[s].out = a->start;
        nfa->s[s].out1 = b->start;
        a->start = s;
        append_exits(a, b, &nfa->error);
        --sp;
        break;
      }
      case P_STAR:
      case P_PLUS:
      case P_QUEST: {
        if (sp < 1) {
          nfa->error = 1;
          break;
        }
        Frag* a = &g_frags[sp - 1];
        const uint16_t s = new_state(nfa, N_SPLIT);
        nfa->s[s].out = a->start;
        if (t.op == P_QUEST) {
          a->start = s;
          if (a->nexits < MAX_STATES) a->exits[a->nexits++] = (uint16_t)(s * 2 + 1);
        } else {
          patch(nfa, a, s);
          if (t.op == P_STAR) a->start = s;
          a->nexits = 0;
          a->exits[a->nexits++] = (uint16_t)(s * 2 + 1);
        }
        break;
      }
      default: {
        if (sp >= 32) {
          nfa->error = 1;
          break;
        }
        const uint16_t s = new_state(nfa, N_CHAR);
        NState* st = &nfa->s[s];
        if (t.op == P_ANY) {
          for (int k = 0; k < 8; ++k) st->cls[k] = ~0u;
          st->cls[0] &= ~(1u << '\n');
        } else if (t.op == P_CLASS) {
          for (int k = 0; k < 8; ++k) st->cls[k] = p->classes[t.arg][k];
        } else {
          cls_set(st, t.arg);
        }
        Frag* f = &g_frags[sp++];
        f->start = s;
        f->nexits = 1;
        f->exits[0] = (uint16_t)(s * 2);
        break;
      }
    }
  }
  if (nfa->error || sp != 1) {
    nfa->error = 1;
    return;
  }
  const uint16_t m = new_state(nfa, N_MATCH);
  patch(nfa, &g_frags[0], m);
  nfa->start = g_frags[0].start;
}

/* Adds state s and its epsilon closure to set (explicit stack). */
static void add_closure(const Nfa* nfa, uint32_t* set, uint16_t s) {
  uint16_t stack[MAX_STATES];
  uint32_t sp = 0;
  stack[sp++] = s;
  while (sp > 0) {
    const uint16_t x = stack[--sp];
    if (x == 0xFFFF) continue;
    if (set[x >> 5] & (1u << (x & 31))) continue;
    set[x >> 5] |= 1u << (x & 31);
    if (nfa->s[x].kind == N_SPLIT && sp + 2 <= MAX_STATES) {
      stack[sp++] = nfa->s[x].out1;
      stack[sp++] = nfa->s[x].out;
    }
  }
}

static uint32_t g_ndstates;

/* Finds or adds the DFA state of `set`; flushes the cache when full. */
static uint16_t dstate_for(const Nfa* nfa, const uint32_t* set, int* flushed) {
  for (uint32_t i = 0; i < g_ndstates; ++i) {
    int same = 1;
    for (int w = 0; w < SET_WORDS && same; ++w) same = g_dfa[i].set[w] == set[w];
    if (same) return (uint16_t)i;
  }
  if (g_ndstates >= MAX_DSTATES) {
    g_ndstates = 0;
    *flushed = 1;
  }
  DState* d = &g_dfa[g_ndstates];
  d->accepting = 0;
  for (int w = 0; w < SET_WORDS; ++w) d->set[w] = set[w];
  for (int c = 0; c < 256; ++c) d->next[c] = 0xFFFF;
  for (uint32_t x = 0; x < nfa->n; ++x) {
    if ((set[x >> 5] & (1u << (x & 31))) && nfa->s[x].kind == N_MATCH) d->accepting = 1;
  }
  return (uint16_t)g_ndstates++;
}

/* The DFA step from d on byte c, computed on first use. Unanchored search:
 * the start state's closure is added back at every step. */
static uint16_t dstep(const Nfa* nfa, uint16_t d, uint8_t c, uint16_t* start) {
  uint16_t nx = g_dfa[d].next[c];
  if (nx != 0xFFFF) return nx;
  uint32_t set[SET_WORDS];
  for (int w = 0; w < SET_WORDS; ++w) set[w] = 0;
  for (uint32_t x = 0; x < nfa->n; ++x) {
    if (!(g_dfa[d].set[x >> 5] & (1u << (x & 31)))) continue;
    const NState* s = &nfa->s[x];
    if (s->kind == N_CHAR && (s->cls[c >> 5] & (1u << (c & 31)))) add_closure(nfa, set, s->out);
  }
  add_closure(nfa, set, (uint16_t)nfa->start);
  int flushed = 0;
  nx = dstate_for(nfa, set, &flushed);
  if (flushed) {
    /* Every cached state is gone: rebuild the start state and return the new one. */
    uint32_t st[SET_WORDS];
    for (int w = 0; w < SET_WORDS; ++w) st[w] = 0;
    add_closure(nfa, st, (uint16_t)nfa->start);
    int again = 0;
    *start = dstate_for(nfa, st, &again);
    nx = dstate_for(nfa, set, &again);
    return nx;
  }
  g_dfa[d].next[c] = nx;
  return nx;
}

/* Number of lines of text that contain a match. */
static uint32_t count_matching_lines(const Nfa* nfa, const char* text, uint32_t len) {
  g_ndstates = 0;
  uint32_t st[SET_WORDS];
  for (int w = 0; w < SET_WORDS; ++w) st[w] = 0;
  add_closure(nfa, st, (uint16_t)nfa->start);
  int flushed = 0;
  uint16_t start = dstate_for(nfa, st, &flushed);
  uint32_t lines = 0;
  uint16_t d = start;
  int matched = g_dfa[d].accepting;
  for (uint32_t i = 0; i < len; ++i) {
    const uint8_t c = (uint8_t)text[i];
    if (c == '\n') {
      lines += matched ? 1u : 0u;
      matched = 0;
      d = start;
      matched = g_dfa[d].accepting;
      continue;
    }
    if (matched) continue;
    d = dstep(nfa, d, c, &start);
    matched = g_dfa[d].accepting;
  }
  return lines + (matched ? 1u : 0u);
}

/* Lines of pseudo-words, numbers, e-mail-like and key=value tokens. */
static void make_text(uint32_t seed) {
  static const char* const words[] = {"ward",   "state",  "block", "hash",  "node",  "gas",    "call",
                                      "revert", "commit", "merkle", "trie", "event", "module", "export"};
  uint32_t pos = 0;
  while (pos + 64 < TEXT_BYTES) {
    const uint32_t kind = kernel_rand(&seed) % 5;
    const uint32_t nw = 2 + kernel_rand(&seed) % 6;
    for (uint32_t w = 0; w < nw && pos + 40 < TEXT_BYTES; ++w) {
      const char* word = words[kernel_rand(&seed) % 14];
      while (*word) g_text[pos++] = *word++;
      if (kind == 1 && w == 1) {
        g_text[pos++] = '@';
        g_text[pos++] = 'x';
        g_text[pos++] = '.';
        g_text[pos++] = 'o';
        g_text[pos++] = 'r';
        g_text[pos++] = 'g';
      } else if (kind == 2) {
        g_text[pos++] = '=';
        uint32_t v = kernel_rand(&seed) % 100000;
        char digits[8];
        int nd = 0;
        do {
          digits[nd++] = (char)('0' + v % 10);
          v /= 10;
        } while (v);
        while (nd) g_text[pos++] = digits[--nd];
      }
      g_text[pos++] = ' ';
    }
    g_text[pos++] = '\n';
  }
  while (pos < TEXT_BYTES) g_text[pos++] = '\n';
}

static const char* const kPatterns[] = {
    "[a-z]+@[a-z]+\\.(org|com)", "gas=[0-9]+", "(block|node) (hash|state)", "e[a-z]*t ", "(ab|cd)*x",
    "[^ ]+=[1-9][0-9][0-9][0-9]", "m.*e.*r.*k", "(w|s)(a|t)(r|a)(d|t)",
};

KERNEL_ENTRY(regex) {
  uint64_t sum = 0;
  make_text(0x5EED5EEDu);
  for (uint32_t r = 0; r < n; ++r) {
    for (uint32_t p = 0; p < sizeof kPatterns / sizeof kPatterns[0]; ++p) {
      to_postfix(&g_post, kPatterns[p]);
      compile_nfa(&g_nfa, &g_post);
      if (g_nfa.error) return 0xBAD0000u + p;
      const uint32_t lines = count_matching_lines(&g_nfa, g_text, TEXT_BYTES - (r % 64));
      sum = sum * 131 + lines + g_nfa.n * 7 + g_ndstates;
    }
  }
  return sum;
}
