/* A spreadsheet: generated formulas over cells (integer arithmetic,
 * comparisons, min/max, references to other cells) are tokenised, turned
 * into postfix code by the shunting-yard algorithm, ordered by their
 * references (Kahn's topological sort; cycles are detected and reported as
 * errors) and evaluated on a value stack. Then cells change and the sheet
 * is re-evaluated. Text scanning, small-stack manipulation and a work list:
 * the shape of a parser and evaluator inside a contract. */
#include "kernel.h"

#define CELLS 1024
#define FORMULA_MAX 96
#define CODE_MAX 64
#define REFS_MAX 8
#define STACK_MAX 32

enum {
  T_END, T_NUM, T_REF, T_LPAREN, T_RPAREN, T_COMMA,
  T_ADD, T_SUB, T_MUL, T_DIV, T_MOD, T_LT, T_GT, T_MIN, T_MAX, T_NEG
};

typedef struct {
  uint8_t kind;
  int64_t value; /* T_NUM: the number; T_REF: the cell */
} Tok;

typedef struct {
  char text[FORMULA_MAX];
  Tok code[CODE_MAX]; /* postfix */
  uint32_t ncode;
  uint32_t refs[REFS_MAX];
  uint32_t nrefs;
  int64_t value;
  uint8_t error; /* 1: syntax, 2: cycle, 3: division by zero or a bad input */
} Cell;

static Cell g_cells[CELLS];
static uint32_t g_order[CELLS];
static uint32_t g_indeg[CELLS];
/* Reverse edges (who refers to a cell) in CSR form. */
static uint32_t g_rstart[CELLS + 1];
static uint32_t g_redges[CELLS * REFS_MAX];

/* ---- tokeniser ----------------------------------------------------------- */

/* Reads the next token from *p; T_END at the end or on a bad character
 * (then *bad is set). References are written C<digits>. */
static Tok next_token(const char** p, int* bad) {
  Tok t = {T_END, 0};
  const char* s = *p;
  while (*s == ' ') ++s;
  const char c = *s;
  if (c == 0) {
    *p = s;
    return t;
  }
  if (c >= '0' && c <= '9') {
    int64_t v = 0;
    while (*s >= '0' && *s <= '9') v = v * 10 + (*s++ - '0');
    t.kind = T_NUM;
    t.value = v;
  } else if (c == 'C') {
    ++s;
    int64_t v = 0;
    int digits = 0;
    while (*s >= '0' && *s <= '9') {
      v = v * 10 + (*s++ - '0');
      ++digits;
    }
    if (!digits || v >= CELLS) *bad = 1;
    t.kind = T_REF;
    t.value = v;
  } else if (c == 'm' && s[1] == 'i' && s[2] == 'n') {
    s += 3;
    t.kind = T_MIN;
  } else if (c == 'm' && s[1] == 'a' && s[2] == 'x') {
    s += 3;
    t.kind = T_MAX;
  } else {
    ++s;
    switch (c) {
      case '(': t.kind = T_LPAREN; break;
      case ')': t.kind = T_RPAREN; break;
      case ',': t.kind = T_COMMA; break;
      case '+': t.kind = T_ADD; break;
      case '-': t.kind = T_SUB; break;
      case '*': t.kind = T_MUL; break;
      case '/': t.kind = T_DIV; break;
      case '%': t.kind = T_MOD; break;
      case '<': t.kind = T_LT; break;
      case '>': t.kind = T_GT; break;
      default: *bad = 1; break;
    }
  }
  *p = s;
  return t;
}

static int precedence(uint8_t k) {
  switch (k) {
    case T_LT:
    case T_GT: return 1;
    case T_ADD:
    case T_SUB: return 2;
    case T_MUL:
    case T_DIV:
    case T_MOD: return 3;
    case T_NEG: return 4;
    default: return 0;
  }
}

/* ---- shunting-yard ----------------------------------------------------------- */

static int emit(Cell* cell, Tok t) {
  if (cell->ncode >= CODE_MAX) return 0;
  cell->code[cell->ncode++] = t;
  if (t.kind == T_REF) {
    for (uint32_t i = 0; i < cell->nrefs; ++i) {
      if (cell->refs[i] == (uint32_t)t.value) return 1;
    }
    if (cell->nrefs >= REFS_MAX) return 0;
    cell->refs[cell->nrefs++] = (uint32_t)t.value;
  }
  return 1;
}

/* Compiles cell->text into postfix code; sets error 1 on a syntax error. */
static void compile_cell(Cell* cell) {
  Tok ops[STACK_MAX];
  uint32_t nops = 0;
  int expect_operand = 1, bad = 0;
  cell->ncode = 0;
  cell->nrefs = 0;
  cell->error = 0;
  const char* p = cell->text;
  for (;;) {
    Tok t = next_token(&p, &bad);
    if (bad) break;
    if (t.kind == T_END) break;
    if (t.kind == T_NUM || t.kind == T_REF) {
      if (!expect_operand || !emit(cell, t)) {
        bad = 1;
        break;
      }
      expect_operand = 0;
    } else if (t.kind == T_MIN || t.kind == T_MAX || t.kind == T_LPAREN) {
      if (!expect_operand || nops >= STACK_MAX) {
        bad = 1;
        break;
      }
      ops[nops++] = t;
    } else if (t.kind == T_COMMA || t.kind == T_RPAREN) {
      if (expect_operand) {
        bad = 1;
        break;
      }
      while (nops > 0 && ops[nops - 1].kind != T_LPAREN) {
        if (!emit(cell, ops[--nops])) bad = 1;
      }
      if (nops == 0 || bad) {
        bad = 1;
        break;
      }
      if (t.kind == T_RPAREN) {
        --nops; /* the '(' */
        if (nops > 0 && (ops[nops - 1].kind == T_MIN || ops[nops - 1].kind == T_MAX)) {
          if (!emit(cell, ops[--nops])) {
            bad = 1;
            break;
          }
        }
      } else {
        expect_operand = 1;
      }
    } else { /* a binary operator, or unary minus */
      if (expect_operand) {
        if (t.kind != T_SUB || nops >= STACK_MAX) {
          bad = 1;
          break;
        }
        t.kind = T_NEG;
        ops[nops++] = t;
        continue;
      }
      const int prec = precedence(t.kind);
      while (nops > 0 && precedence(ops[nops - 1].kind) >= prec) {
        if (!emit(cell, ops[--nops])) bad = 1;
      }
      if (bad || nops >= STACK_MAX) {
        bad = 1;
        break;
      }
      ops[nops++] = t;
      expect_operand = 1;
    }
  }
  if (expect_operand) bad = 1;
  while (!bad && nops > 0) {
    const Tok t = ops[--nops];
    if (t.kind == T_LPAREN || t.kind == T_MIN || t.kind == T_MAX || !emit(cell, t)) bad = 1;
  }
  if (bad) {
    cell->error = 1;
    cell->value = 0;
    cell->ncode = 0;
    cell->nrefs = 0;
  }
}

/* ---- evaluation ------------------------------------------------------------- */

static void eval_cell(Cell* cell) {
  if (cell->error == 1 || cell->error == 2) return;
  int64_t st[STACK_MAX];
  uint32_t sp = 0;
  cell->error = 0;
  for (uint32_t i = 0; i < cell->ncode; ++i) {
    const Tok t = cell->code[i];
    if (t.kind == T_NUM) {
      if (sp >= STACK_MAX) goto fail;
      st[sp++] = t.value;
      continue;
    }
    if (t.kind == T_REF) {
      const Cell* r = &g_cells[t.value];
      if (sp >= STACK_MAX) goto fail;
      st[sp++] = r->error ? 0 : r->value; /* a cell in error reads as 0: errors do not spread */
      continue;
    }
    if (t.kind == T_NEG) {
      if (sp < 1) goto fail;
      st[sp - 1] = (int64_t)(0 - (uint64_t)st[sp - 1]);
      continue;
    }
    if (sp < 2) goto fail;
    const int64_t b = st[--sp], a = st[sp - 1];
    int64_t v;
    switch (t.kind) {
      case T_ADD: v = (int64_t)((uint64_t)a + (uint64_t)b); break;
      case T_SUB: v = (int64_t)((uint64_t)a - (uint64_t)b); break;
      case T_MUL: v = (int64_t)((uint64_t)a * (uint64_t)b); break;
      case T_DIV:
        if (b == 0 || (a == INT64_MIN && b == -1)) goto fail;
        v = a / b;
        break;
      case T_MOD:
        if (b == 0 || (a == INT64_MIN && b == -1)) goto fail;
        v = a % b;
        break;
      case T_LT: v = a < b; break;
      case T_GT: v = a > b; break;
      case T_MIN: v = a < b ? a : b; break;
      case T_MAX: v = a > b ? a : b; break;
      default: goto fail;
    }
    st[sp - 1] = v;
  }
  if (sp != 1) goto fail;
  cell->value = st[0];
  return;
fail:
  cell->error = 3;
  cell->value = 0;
}

/* Orders the cells so that every cell comes after the cells it refers to;
 * cells on or behind a cycle are marked error 2. Returns the number ordered. */
static uint32_t order_cells(void) {
  for (uint32_t i = 0; i <= CELLS; ++i) g_rstart[i] = 0;
  for (uint32_t c = 0; c < CELLS; ++c) {
    g_indeg[c] = g_cells[c].nrefs;
    for (uint32_t k = 0; k < g_cells[c].nrefs; ++k) ++g_rstart[g_cells[c].refs[k] + 1];
  }
  for (uint32_t i = 0; i < CELLS; ++i) g_rstart[i + 1] += g_rstart[i];
  static uint32_t fill[CELLS];
  for (uint32_t i = 0; i < CELLS; ++i) fill[i] = g_rstart[i];
  for (uint32_t c = 0; c < CELLS; ++c) {
    for (uint32_t k = 0; k < g_cells[c].nrefs; ++k) g_redges[fill[g_cells[c].refs[k]]++] = c;
  }
  uint32_t head = 0, tail = 0;
  for (uint32_t c = 0; c < CELLS; ++c) {
    if (g_indeg[c] == 0) g_order[tail++] = c;
  }
  while (head < tail) {
    const uint32_t c = g_order[head++];
    for (uint32_t k = g_rstart[c]; k < g_rstart[c + 1]; ++k) {
      const uint32_t d = g_redges[k];
      if (--g_indeg[d] == 0) g_order[tail++] = d;
    }
  }
  for (uint32_t c = 0; c < CELLS; ++c) {
    if (g_indeg[c] != 0 && g_cells[c].error == 0) {
      g_cells[c].error = 2;
      g_cells[c].value = 0;
    }
  }
  return tail;
}

/* ---- generated sheets -------------------------------------------------------- */

static uint32_t put_num(char* s, uint32_t pos, uint32_t v) {
  char d[12];
  int n = 0;
  do {
    d[n++] = (char)('0' + v % 10);
    v /= 10;
  } while (v);
  while (n) s[pos++] = d[--n];
  return pos;
}

/* A formula for cell c: mostly references to earlier cells (a few to later
 * ones, which may close cycles), numbers, operators, min/max calls; now and
 * then a deliberate syntax error. */
static void make_formula(Cell* cell, uint32_t c, uint32_t* seed) {
  static const char ops[] = "+-*/%<>";
  char* s = cell->text;
  uint32_t pos = 0;
  const uint32_t terms = 1 + kernel_rand(seed) % 4;
  for (uint32_t k = 0; k < terms && pos + 24 < FORMULA_MAX; ++k) {
    if (k > 0) {
      s[pos++] = ' ';
      s[pos++] = ops[kernel_rand(seed) % 7];
      s[pos++] = ' ';
    }
    const uint32_t r = kernel_rand(seed);
    if ((r & 7) == 0 && c > 0 && pos + 30 < FORMULA_MAX) {
      s[pos++] = 'm';
      s[pos++] = (r & 8) ? 'i' : 'a';
      s[pos++] = (r & 8) ? 'n' : 'x';
      s[pos++] = '(';
      pos = put_num(s, pos, (r >> 8) % 1000);
      s[pos++] = ',';
      s[pos++] = ' ';
      s[pos++] = 'C';
      pos = put_num(s, pos, (r >> 4) % c);
      s[pos++] = ')';
    } else if ((r & 3) == 1 || c == 0) {
      if ((r & 0x30) == 0) s[pos++] = '-';
      pos = put_num(s, pos, 1 + (r >> 8) % 500);
    } else {
      s[pos++] = '(';
      s[pos++] = 'C';
      /* 1 in 1024 references a later cell (and may close a cycle). */
      const uint32_t target = ((r >> 6) & 1023) == 0 ? (c + 1 + (r >> 12) % 16) % CELLS : (r >> 12) % c;
      pos = put_num(s, pos, target);
      s[pos++] = ')';
    }
  }
  if ((kernel_rand(seed) & 127) == 0) s[pos++] = '(';
  s[pos] = 0;
}

static uint64_t sheet_digest(void) {
  uint64_t h = 0;
  for (uint32_t c = 0; c < CELLS; ++c) h = h * 1000003u + (uint64_t)g_cells[c].value * 3 + g_cells[c].error;
  return h;
}

KERNEL_ENTRY(expr) {
  uint64_t sum = 0;
  for (uint32_t r = 0; r < n; ++r) {
    uint32_t seed = 0x0DDBA11u + r;
    for (uint32_t c = 0; c < CELLS; ++c) {
      make_formula(&g_cells[c], c, &seed);
      compile_cell(&g_cells[c]);
    }
    const uint32_t ordered = order_cells();
    for (uint32_t i = 0; i < ordered; ++i) eval_cell(&g_cells[g_order[i]]);
    sum = sum * 31 + sheet_digest() + ordered;
    /* Edits: rewrite a few cells, recompile, re-order, re-evaluate all. */
    for (uint32_t e = 0; e < 4; ++e) {
      for (uint32_t k = 0; k < 16; ++k) {
        const uint32_t c = kernel_rand(&seed) % CELLS;
        make_formula(&g_cells[c], c, &seed);
        compile_cell(&g_cells[c]);
      }
      for (uint32_t c = 0; c < CELLS; ++c) {
        if (g_cells[c].error == 2 || g_cells[c].error == 3) g_cells[c].error = 0;
      }
      const uint32_t again = order_cells();
      for (uint32_t i = 0; i < again; ++i) eval_cell(&g_cells[g_order[i]]);
      sum = sum * 31 + sheet_digest() + again;
    }
  }
  return sum;
}
