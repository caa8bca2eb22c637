/* A bytecode interpreter: a stack machine with locals, calls and a switch
 * dispatch loop, plus a small assembler that writes its programs (label
 * fix-ups, a constant pool). Runs three programs per round: a prime sieve
 * over the VM's own heap, an iterative fib with 32-bit wrap-around, and a
 * string-hash loop that calls a subroutine. Dispatch-bound integer code:
 * what a contract written for a scripting VM running inside wasm does. */
#include "kernel.h"

enum {
  OP_HALT,
  OP_PUSH,  /* imm: constant pool index */
  OP_PUSHI, /* imm: small immediate */
  OP_POP,
  OP_DUP,
  OP_SWAP,
  OP_OVER,
  OP_ADD,
  OP_SUB,
  OP_MUL,
  OP_DIVU,
  OP_REMU,
  OP_AND,
  OP_OR,
  OP_XOR,
  OP_SHL,
  OP_SHRU,
  OP_ROTL,
  OP_EQ,
  OP_LTU,
  OP_GTU,
  OP_NOT,
  OP_LOAD,  /* imm: local */
  OP_STORE, /* imm: local */
  OP_INC,   /* imm: local, adds the top of stack */
  OP_HLOAD, /* heap[pop] */
  OP_HSTORE, /* heap[addr] = value; pops value, addr */
  OP_JMP,   /* imm: target */
  OP_JZ,    /* imm: target */
  OP_JNZ,   /* imm: target */
  OP_CALL,  /* imm: target; a new frame of locals */
  OP_RET,
  OP_COUNT
};

#define CODE_MAX 1024
#define CONST_MAX 64
#define STACK_MAX 256
#define FRAMES_MAX 32
#define LOCALS 8
#define HEAP_WORDS 8192
#define LABELS 32
#define FIXUPS 64

typedef struct {
  uint16_t op;
  uint16_t imm;
} Insn;

typedef struct {
  Insn code[CODE_MAX];
  uint32_t len;
  uint32_t consts[CONST_MAX];
  uint32_t nconsts;
  int32_t labels[LABELS];
  struct {
    uint32_t at;
    uint32_t label;
  } fixups[FIXUPS];
  uint32_t nfixups;
  int error;
} Asm;

typedef struct {
  uint32_t ret;
  uint32_t locals[LOCALS];
} Frame;

typedef struct {
  uint32_t stack[STACK_MAX];
  Frame frames[FRAMES_MAX];
  uint32_t heap[HEAP_WORDS];
  uint64_t steps;
} Vm;

static Asm g_asm;
static Vm g_vm;

static void asm_reset(Asm* a) {
  a->len = 0;
  a->nconsts = 0;
  a->nfixups = 0;
  a->error = 0;
  for (int i = 0; i < LABELS; ++i) a->labels[i] = -1;
}

static void emit(Asm* a, uint32_t op, uint32_t imm) {
  if (a->len >= CODE_MAX) {
    a->error = 1;
    return;
  }
  a->code[a->len].op = (uint16_t)op;
  a->code[a->len].imm = (uint16_t)imm;
  ++a->len;
}

/* Pushes a 32-bit constant: small ones inline, others from the pool. */
static void emit_const(Asm* a, uint32_t v) {
  if (v < 0x8000u) {
    emit(a, OP_PUSHI, v);
    return;
  }
  for (uint32_t i = 0; i < a->nconsts; ++i) {
    if (a->consts[i] == v) {
      emit(a, OP_PUSH, i);
      return;
    }
  }
  if (a->nconsts >= CONST_MAX) {
    a->error = 1;
    return;
  }
  a->consts[a->nconsts] = v;
  emit(a, OP_PUSH, a->nconsts++);
}

static void label(Asm* a, uint32_t l) { a->labels[l] = (int32_t)a->len; }

/* A jump or call to a label that may not be placed yet. */
static void emit_to(Asm* a, uint32_t op, uint32_t l) {
  if (a->nfixups >= FIXUPS) {
    a->error = 1;
    return;
  }
  a->fixups[a->nfixups].at = a->len;
  a->fixups[a->nfixups].label = l;
  ++a->nfixups;
  emit(a, op, 0);
}

static void asm_link(Asm* a) {
  for (uint32_t i = 0; i < a->nfixups; ++i) {
    const int32_t t = a->labels[a->fixups[i].label];
    if (t < 0) {
      a->error = 1;
      return;
    }
    a->code[a->fixups[i].at].imm = (uint16_t)t;
  }
}

/* Runs from pc 0 with local 0 = arg; returns the top of stack at HALT, or
 * a marker on a VM fault. */
static uint32_t vm_exec(Vm* vm, const Asm* a, uint32_t arg) {
  uint32_t sp = 0, fp = 0, pc = 0;
  uint32_t* st = vm->stack;
  for (int i = 0; i < LOCALS; ++i) vm->frames[0].locals[i] = 0;
  vm->frames[0].locals[0] = arg;
  vm->frames[0].ret = 0;
  for (;;) {
    if (pc >= a->len) return 0xDEAD0001u;
    const Insn in = a->code[pc++];
    ++vm->steps;
    switch (in.op) {
      case OP_HALT: return sp ? st[sp - 1] : 0;
      case OP_PUSH:
        if (sp >= STACK_MAX) return 0xDEAD0002u;
        st[sp++] = a->consts[in.imm];
        break;
      case OP_PUSHI:
        if (sp >= STACK_MAX) return 0xDEAD0002u;
        st[sp++] = in.imm;
        break;
      case OP_POP: --sp; break;
      case OP_DUP:
        if (sp >= STACK_MAX) return 0xDEAD0002u;
        st[sp] = st[sp - 1];
        ++sp;
        break;
      case OP_SWAP: {
        const uint32_t t = st[sp - 1];
        st[sp - 1] = st[sp - 2];
        st[sp - 2] = t;
        break;
      }
      case OP_OVER:
        if (sp >= STACK_MAX) return 0xDEAD0002u;
        st[sp] = st[sp - 2];
        ++sp;
        break;
      case OP_ADD: --sp; st[sp - 1] += st[sp]; break;
      case OP_SUB: --sp; st[sp - 1] -= st[sp]; break;
      case OP_MUL: --sp; st[sp - 1] *= st[sp]; break;
      case OP_DIVU:
        --sp;
        if (st[sp] == 0) return 0xDEAD0003u;
        st[sp - 1] /= st[sp];
        break;
      case OP_REMU:
        --sp;
        if (st[sp] == 0) return 0xDEAD0003u;
        st[sp - 1] %= st[sp];
        break;
      case OP_AND: --sp; st[sp - 1] &= st[sp]; break;
      case OP_OR: --sp; st[sp - 1] |= st[sp]; break;
      case OP_XOR: --sp; st[sp - 1] ^= st[sp]; break;
      case OP_SHL: --sp; st[sp - 1] <<= (st[sp] & 31); break;
      case OP_SHRU: --sp; st[sp - 1] >>= (st[sp] & 31); break;
      case OP_ROTL: {
        --sp;
        const uint32_t r = st[sp] & 31, v = st[sp - 1];
        st[sp - 1] = r ? (v << r) | (v >> (32 - r)) : v;
        break;
      }
      case OP_EQ: --sp; st[sp - 1] = st[sp - 1] == st[sp]; break;
      case OP_LTU: --sp; st[sp - 1] = st[sp - 1] < st[sp]; break;
      case OP_GTU: --sp; st[sp - 1] = st[sp - 1] > st[sp]; break;
      case OP_NOT: st[sp - 1] = !st[sp - 1]; break;
      case OP_LOAD:
        if (sp >= STACK_MAX) return 0xDEAD0002u;
        st[sp++] = vm->frames[fp].locals[in.imm & (LOCALS - 1)];
        break;
      case OP_STORE: vm->frames[fp].locals[in.imm & (LOCALS - 1)] = st[--sp]; break;
      case OP_INC: vm->frames[fp].locals[in.imm & (LOCALS - 1)] += st[--sp]; break;
      case OP_HLOAD: st[sp - 1] = vm->heap[st[sp - 1] % HEAP_WORDS]; break;
      case OP_HSTORE: {
        const uint32_t v = st[--sp];
        const uint32_t addr = st[--sp];
        vm->heap[addr % HEAP_WORDS] = v;
        break;
      }
      case OP_JMP: pc = in.imm; break;
      case OP_JZ:
        if (st[--sp] == 0) pc = in.imm;
        break;
      case OP_JNZ:
        if (st[--sp] != 0) pc = in.imm;
        break;
      case OP_CALL: {
        if (fp + 1 >= FRAMES_MAX) return 0xDEAD0004u;
        Frame* f = &vm->frames[++fp];
        f->ret = pc;
        for (int i = 0; i < LOCALS; ++i) f->locals[i] = 0;
        f->locals[0] = st[--sp]; /* one argument */
        pc = in.imm;
        break;
      }
      case OP_RET:
        if (fp == 0) return 0xDEAD0005u;
        pc = vm->frames[fp--].ret;
        break;
      default: return 0xDEAD0006u;
    }
  }
}

/* Sieve of Eratosthenes over heap[0..limit): returns the number of primes
 * below limit (local 0). Locals: 0 limit, 1 i, 2 j, 3 count. */
static void program_sieve(Asm* a) {
  enum { L_CLEAR, L_CLEAR_END, L_OUTER, L_OUTER_END, L_INNER, L_INNER_END, L_SKIP, L_COUNT, L_COUNT_END, L_NOTP };
  asm_reset(a);
  /* for i in 0..limit: heap[i] = 1 */
  emit(a, OP_PUSHI, 0);
  emit(a, OP_STORE, 1);
  label(a, L_CLEAR);
  emit(a, OP_LOAD, 1);
  emit(a, OP_LOAD, 0);
  emit(a, OP_LTU, 0);
  emit_to(a, OP_JZ, L_CLEAR_END);
  emit(a, OP_LOAD, 1);
  emit(a, OP_PUSHI, 1);
  emit(a, OP_HSTORE, 0);
  emit(a, OP_PUSHI, 1);
  emit(a, OP_INC, 1);
  emit_to(a, OP_JMP, L_CLEAR);
  label(a, L_CLEAR_END);
  /* for i = 2; i * i < limit; ++i: if heap[i]: for j = i*i; j < limit; j += i: heap[j] = 0 */
  emit(a, OP_PUSHI, 2);
  emit(a, OP_STORE, 1);
  label(a, L_OUTER);
  emit(a, OP_LOAD, 1);
  emit(a, OP_DUP, 0);
  emit(a, OP_MUL, 0);
  emit(a, OP_LOAD, 0);
  emit(a, OP_LTU, 0);
  emit_to(a, OP_JZ, L_OUTER_END);
  emit(a, OP_LOAD, 1);
  emit(a, OP_HLOAD, 0);
  emit_to(a, OP_JZ, L_SKIP);
  emit(a, OP_LOAD, 1);
  emit(a, OP_DUP, 0);
  emit(a, OP_MUL, 0);
  emit(a, OP_STORE, 2);
  label(a, L_INNER);
  emit(a, OP_LOAD, 2);
  emit(a, OP_LOAD, 0);
  emit(a, OP_LTU, 0);
  emit_to(a, OP_JZ, L_INNER_END);
  emit(a, OP_LOAD, 2);
  emit(a, OP_PUSHI, 0);
  emit(a, OP_HSTORE, 0);
  emit(a, OP_LOAD, 1);
  emit(a, OP_INC, 2);
  emit_to(a, OP_JMP, L_INNER);
  label(a, L_INNER_END);
  label(a, L_SKIP);
  emit(a, OP_PUSHI, 1);
  emit(a, OP_INC, 1);
  emit_to(a, OP_JMP, L_OUTER);
  label(a, L_OUTER_END);
  /* count = sum of heap[2..limit) */
  emit(a, OP_PUSHI, 0);
  emit(a, OP_STORE, 3);
  emit(a, OP_PUSHI, 2);
  emit(a, OP_STORE, 1);
  label(a, L_COUNT);
  emit(a, OP_LOAD, 1);
  emit(a, OP_LOAD, 0);
  emit(a, OP_LTU, 0);
  emit_to(a, OP_JZ, L_COUNT_END);
  emit(a, OP_LOAD, 1);
  emit(a, OP_HLOAD, 0);
  emit(a, OP_INC, 3);
  emit(a, OP_PUSHI, 1);
  emit(a, OP_INC, 1);
  emit_to(a, OP_JMP, L_COUNT);
  label(a, L_COUNT_END);
  emit(a, OP_LOAD, 3);
  emit(a, OP_HALT, 0);
  asm_link(a);
}

/* fib(local 0) mod 2^32, iteratively. Locals: 0 n, 1 a, 2 b. */
static void program_fib(Asm* a) {
  enum { L_LOOP, L_END };
  asm_reset(a);
  emit(a, OP_PUSHI, 0);
  emit(a, OP_STORE, 1);
  emit(a, OP_PUSHI, 1);
  emit(a, OP_STORE, 2);
  label(a, L_LOOP);
  emit(a, OP_LOAD, 0);
  emit_to(a, OP_JZ, L_END);
  emit(a, OP_LOAD, 1);
  emit(a, OP_LOAD, 2);
  emit(a, OP_DUP, 0);
  emit(a, OP_STORE, 1);
  emit(a, OP_ADD, 0);
  emit(a, OP_STORE, 2);
  emit(a, OP_LOAD, 0);
  emit(a, OP_PUSHI, 1);
  emit(a, OP_SUB, 0);
  emit(a, OP_STORE, 0);
  emit_to(a, OP_JMP, L_LOOP);
  label(a, L_END);
  emit(a, OP_LOAD, 1);
  emit(a, OP_HALT, 0);
  asm_link(a);
}

/* Hashes heap words 0..local 0 with a subroutine per word (a mix
 * function), calling it once per word. Locals of main: 0 n, 1 i, 2 h.
 * The subroutine takes x and returns a 32-bit mix of it. */
static void program_hash(Asm* a) {
  enum { L_LOOP, L_END, L_MIX };
  asm_reset(a);
  emit_const(a, 0x811C9DC5u);
  emit(a, OP_STORE, 2);
  emit(a, OP_PUSHI, 0);
  emit(a, OP_STORE, 1);
  label(a, L_LOOP);
  emit(a, OP_LOAD, 1);
  emit(a, OP_LOAD, 0);
  emit(a, OP_LTU, 0);
  emit_to(a, OP_JZ, L_END);
  emit(a, OP_LOAD, 1);
  emit(a, OP_HLOAD, 0);
  emit(a, OP_LOAD, 1);
  emit(a, OP_XOR, 0);
  emit_to(a, OP_CALL, L_MIX);
  emit(a, OP_LOAD, 2);
  emit(a, OP_XOR, 0);
  emit_const(a, 0x01000193u);
  emit(a, OP_MUL, 0);
  emit(a, OP_STORE, 2);
  emit(a, OP_PUSHI, 1);
  emit(a, OP_INC, 1);
  emit_to(a, OP_JMP, L_LOOP);
  label(a, L_END);
  emit(a, OP_LOAD, 2);
  emit(a, OP_HALT, 0);
  /* mix(x): x ^= x >> 16; x *= 0x7feb352d; x ^= x >> 15; x *= 0x846ca68b; x ^= x >> 16 */
  label(a, L_MIX);
  emit(a, OP_LOAD, 0);
  emit(a, OP_DUP, 0);
  emit(a, OP_PUSHI, 16);
  emit(a, OP_SHRU, 0);
  emit(a, OP_XOR, 0);
  emit_const(a, 0x7FEB352Du);
  emit(a, OP_MUL, 0);
  emit(a, OP_DUP, 0);
  emit(a, OP_PUSHI, 15);
  emit(a, OP_SHRU, 0);
  emit(a, OP_XOR, 0);
  emit_const(a, 0x846CA68Bu);
  emit(a, OP_MUL, 0);
  emit(a, OP_DUP, 0);
  emit(a, OP_PUSHI, 16);
  emit(a, OP_SHRU, 0);
  emit(a, OP_XOR, 0);
  emit(a, OP_PUSHI, 5);
  emit(a, OP_ROTL, 0);
  emit(a, OP_RET, 0);
  asm_link(a);
}

KERNEL_ENTRY(vm) {
  uint64_t sum = 0;
  g_vm.steps = 0;
  for (uint32_t r = 0; r < n; ++r) {
    program_sieve(&g_asm);
    if (g_asm.error) return 1;
    const uint32_t primes = vm_exec(&g_vm, &g_asm, 6000 + r % 7);
    program_fib(&g_asm);
    if (g_asm.error) return 2;
    const uint32_t fib = vm_exec(&g_vm, &g_asm, 3000 + r);
    program_hash(&g_asm);
    if (g_asm.error) return 3;
    const uint32_t hash = vm_exec(&g_vm, &g_asm, 4000);
    sum = sum * 1000003u + primes;
    sum = sum * 1000003u + fib;
    sum = sum * 1000003u + hash;
  }
  return sum ^ g_vm.steps;
}
