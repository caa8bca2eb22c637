/* A RISC-V RV32IM emulator: instruction decode (opcode, funct3, funct7,
 * the five immediate formats), 32 registers, a little-endian memory with
 * byte/half/word loads and stores, M-extension multiply and divide with
 * the ISA's division-by-zero and overflow results. A small assembler in C
 * writes the guest programs: an insertion sort, a recursive Fibonacci on
 * the guest stack, a CRC-32 bit loop and a GCD/multiply-accumulate loop.
 * Decode-and-dispatch code with bit-field extraction. */
#include "kernel.h"

#define MEM_BYTES 65536
#define MEM_MASK (MEM_BYTES - 1)
#define CODE_BASE 0x0000u
#define DATA_BASE 0x4000u
#define STACK_TOP 0xFFF0u

typedef struct {
  uint32_t x[32];
  uint32_t pc;
  uint64_t retired;
  uint8_t mem[MEM_BYTES];
} Cpu;

static Cpu g_cpu;

/* ---- memory ------------------------------------------------------------ */

static inline uint32_t ld8(const Cpu* c, uint32_t a) { return c->mem[a & MEM_MASK]; }
static inline uint32_t ld16(const Cpu* c, uint32_t a) { return ld8(c, a) | (ld8(c, a + 1) << 8); }
static inline uint32_t ld32(const Cpu* c, uint32_t a) { return ld16(c, a) | (ld16(c, a + 2) << 16); }
static inline void st8(Cpu* c, uint32_t a, uint32_t v) { c->mem[a & MEM_MASK] = (uint8_t)v; }
static inline void st16(Cpu* c, uint32_t a, uint32_t v) {
  st8(c, a, v);
  st8(c, a + 1, v >> 8);
}
static inline void st32(Cpu* c, uint32_t a, uint32_t v) {
  st16(c, a, v);
  st16(c, a + 2, v >> 16);
}

/* ---- the emulator -------------------------------------------------------- */

static inline int32_t sext(uint32_t v, int bits) { return (int32_t)(v << (32 - bits)) >> (32 - bits); }

/* Runs until ECALL (returns a0) or `budget` instructions (returns a marker). */
static uint32_t run(Cpu* c, uint64_t budget) {
  uint32_t* x = c->x;
  while (budget--) {
    const uint32_t in = ld32(c, c->pc);
    const uint32_t op = in & 0x7F, rd = (in >> 7) & 31, f3 = (in >> 12) & 7, rs1 = (in >> 15) & 31,
                   rs2 = (in >> 20) & 31, f7 = in >> 25;
    uint32_t next = c->pc + 4;
    uint32_t val = 0;
    int write = 1;
    ++c->retired;
    switch (op) {
      case 0x37: val = in & 0xFFFFF000u; break;          /* LUI */
      case 0x17: val = c->pc + (in & 0xFFFFF000u); break; /* AUIPC */
      case 0x6F: {                                        /* JAL */
        const uint32_t imm = ((in >> 31) << 20) | (((in >> 12) & 0xFF) << 12) | (((in >> 20) & 1) << 11) |
                             (((in >> 21) & 0x3FF) << 1);
        val = next;
        next = c->pc + (uint32_t)sext(imm, 21);
        break;
      }
      case 0x67: /* JALR */
        val = next;
        next = (x[rs1] + (uint32_t)sext(in >> 20, 12)) & ~1u;
        break;
      case 0x63: { /* branches */
        const uint32_t imm = ((in >> 31) << 12) | (((in >> 7) & 1) << 11) | (((in >> 25) & 0x3F) << 5) |
                             (((in >> 8) & 0xF) << 1);
        const uint32_t a = x[rs1], b = x[rs2];
        int take = 0;
        switch (f3) {
          case 0: take = a == b; break;
          case 1: take = a != b; break;
          case 4: take = (int32_t)a < (int32_t)b; break;
          case 5: take = (int32_t)a >= (int32_t)b; break;
          case 6: take = a < b; break;
          case 7: take = a >= b; break;
          default: return 0xBAD00001u;
        }
        if (take) next = c->pc + (uint32_t)sext(imm, 13);
        write = 0;
        break;
      }
      case 0x03: { /* loads */
        const uint32_t a = x[rs1] + (uint32_t)sext(in >> 20, 12);
        switch (f3) {
          case 0: val = (uint32_t)sext(ld8(c, a), 8); break;
          case 1: val = (uint32_t)sext(ld16(c, a), 16); break;
          case 2: val = ld32(c, a); break;
          case 4: val = ld8(c, a); break;
          case 5: val = ld16(c, a); break;
          default: return 0xBAD00002u;
        }
        break;
      }
      case 0x23: { /* stores */
        const uint32_t a = x[rs1] + (uint32_t)sext(((in >> 25) << 5) | ((in >> 7) & 31), 12);
        switch (f3) {
          case 0: st8(c, a, x[rs2]); break;
          case 1: st16(c, a, x[rs2]); break;
          case 2: st32(c, a, x[rs2]); break;
          default: return 0xBAD00003u;
        }
        write = 0;
        break;
      }
      case 0x13: { /* OP-IMM */
        const uint32_t imm = (uint32_t)sext(in >> 20, 12), a = x[rs1], sh = (in >> 20) & 31;
        switch (f3) {
          case 0: val = a + imm; break;
          case 1: val = a << sh; break;
          case 2: val = (int32_t)a < (int32_t)imm; break;
          case 3: val = a < imm; break;
          case 4: val = a ^ imm; break;
          case 5: val = (f7 & 0x20) ? (uint32_t)((int32_t)a >> sh) : a >> sh; break;
          case 6: val = a | imm; break;
          default: val = a & imm; break;
        }
        break;
      }
      case 0x33: { /* OP */
        const uint32_t a = x[rs1], b = x[rs2];
        if (f7 == 1) { /* M extension */
          switch (f3) {
            case 0: val = a * b; break;
            case 1: val = (uint32_t)(((int64_t)(int32_t)a * (int64_t)(int32_t)b) >> 32); break;
            case 2: val = (uint32_t)(((int64_t)(int32_t)a * (int64_t)(uint64_t)b) >> 32); break;
            case 3: val = (uint32_t)(((uint64_t)a * (uint64_t)b) >> 32); break;
            case 4: /* DIV */
              if (b == 0) val = 0xFFFFFFFFu;
              else if (a == 0x80000000u && b == 0xFFFFFFFFu) val = a;
              else val = (uint32_t)((int32_t)a / (int32_t)b);
              break;
            case 5: val = b == 0 ? 0xFFFFFFFFu : a / b; break; /* DIVU */
            case 6:                                           /* REM */
              if (b == 0) val = a;
              else if (a == 0x80000000u && b == 0xFFFFFFFFu) val = 0;
              else val = (uint32_t)((int32_t)a % (int32_t)b);
              break;
            default: val = b == 0 ? a : a % b; break; /* REMU */
          }
        } else {
          switch (f3) {
            case 0: val = (f7 & 0x20) ? a - b : a + b; break;
            case 1: val = a << (b & 31); break;
            case 2: val = (int32_t)a < (int32_t)b; break;
            case 3: val = a < b; break;
            case 4: val = a ^ b; break;
            case 5: val = (f7 & 0x20) ? (uint32_t)((int32_t)a >> (b & 31)) : a >> (b & 31); break;
            case 6: val = a | b; break;
            default: val = a & b; break;
          }
        }
        break;
      }
      case 0x73: return x[10]; /* ECALL: stop with a0 */
      default: return 0xBAD00004u;
    }
    if (write && rd != 0) x[rd] = val;
    c->pc = next;
  }
  return 0xBAD00005u;
}

/* ---- the assembler --------------------------------------------------------- */

typedef struct {
  uint32_t pc; /* next instruction address */
  uint32_t labels[16];
  struct {
    uint32_t at, label, kind; /* kind 0: branch, 1: jal */
  } fix[32];
  uint32_t nfix;
} Asm;

static Asm g_asm;

enum { ZERO = 0, RA = 1, SP = 2, T0 = 5, T1 = 6, T2 = 7, S0 = 8, S1 = 9, A0 = 10, A1 = 11, A2 = 12, A3 = 13, A4 = 14 };

static void put(uint32_t insn) {
  st32(&g_cpu, g_asm.pc, insn);
  g_asm.pc += 4;
}
static void r_type(uint32_t f7, uint32_t rs2, uint32_t rs1, uint32_t f3, uint32_t rd, uint32_t op) {
  put((f7 << 25) | (rs2 << 20) | (rs1 << 15) | (f3 << 12) | (rd << 7) | op);
}
static void i_type(int32_t imm, uint32_t rs1, uint32_t f3, uint32_t rd, uint32_t op) {
  put(((uint32_t)imm << 20) | (rs1 << 15) | (f3 << 12) | (rd << 7) | op);
}
static void s_type(int32_t imm, uint32_t rs2, uint32_t rs1, uint32_t f3) {
  const uint32_t u = (uint32_t)imm;
  put(((u >> 5) << 25) | (rs2 << 20) | (rs1 << 15) | (f3 << 12) | ((u & 31) << 7) | 0x23);
}
static uint32_t b_bits(int32_t off) {
  const uint32_t u = (uint32_t)off;
  return (((u >> 12) & 1) << 31) | (((u >> 5) & 0x3F) << 25) | (((u >> 1) & 0xF) << 8) | (((u >> 11) & 1) << 7);
}
static uint32_t j_bits(int32_t off) {
  const uint32_t u = (uint32_t)off;
  return (((u >> 20) & 1) << 31) | (((u >> 1) & 0x3FF) << 21) | (((u >> 11) & 1) << 20) | (((u >> 12) & 0xFF) << 12);
}

static void addi(uint32_t rd, uint32_t rs, int32_t imm) { i_type(imm, rs, 0, rd, 0x13); }
static void li(uint32_t rd, uint32_t v) {
  const uint32_t lo = v & 0xFFF, hi = (v + 0x800) & 0xFFFFF000u;
  if (hi) {
    put(hi | (rd << 7) | 0x37);
    if (lo) addi(rd, rd, sext(lo, 12));
  } else {
    addi(rd, ZERO, sext(lo, 12));
  }
}
static void add(uint32_t rd, uint32_t a, uint32_t b) { r_type(0, b, a, 0, rd, 0x33); }
static void sub(uint32_t rd, uint32_t a, uint32_t b) { r_type(0x20, b, a, 0, rd, 0x33); }
static void mul(uint32_t rd, uint32_t a, uint32_t b) { r_type(1, b, a, 0, rd, 0x33); }
static void remu(uint32_t rd, uint32_t a, uint32_t b) { r_type(1, b, a, 7, rd, 0x33); }
static void divs(uint32_t rd, uint32_t a, uint32_t b) { r_type(1, b, a, 4, rd, 0x33); }
static void xor_(uint32_t rd, uint32_t a, uint32_t b) { r_type(0, b, a, 4, rd, 0x33); }
static void srli(uint32_t rd, uint32_t rs, uint32_t sh) { i_type((int32_t)sh, rs, 5, rd, 0x13); }
static void slli(uint32_t rd, uint32_t rs, uint32_t sh) { i_type((int32_t)sh, rs, 1, rd, 0x13); }
static void andi(uint32_t rd, uint32_t rs, int32_t imm) { i_type(imm, rs, 7, rd, 0x13); }
static void lw(uint32_t rd, uint32_t rs, int32_t off) { i_type(off, rs, 2, rd, 0x03); }
static void lbu(uint32_t rd, uint32_t rs, int32_t off) { i_type(off, rs, 4, rd, 0x03); }
static void sw(uint32_t rs2, uint32_t rs1, int32_t off) { s_type(off, rs2, rs1, 2); }
static void ecall(void) { put(0x73); }
static void ret(void) { i_type(0, RA, 0, ZERO, 0x67); }
static void here(uint32_t l) { g_asm.labels[l] = g_asm.pc; }
static void branch(uint32_t f3, uint32_t a, uint32_t b, uint32_t l) {
  g_asm.fix[g_asm.nfix].at = g_asm.pc;
  g_asm.fix[g_asm.nfix].label = l;
  g_asm.fix[g_asm.nfix].kind = 0;
  ++g_asm.nfix;
  put((b << 20) | (a << 15) | (f3 << 12) | 0x63);
}
static void jal(uint32_t rd, uint32_t l) {
  g_asm.fix[g_asm.nfix].at = g_asm.pc;
  g_asm.fix[g_asm.nfix].label = l;
  g_asm.fix[g_asm.nfix].kind = 1;
  ++g_asm.nfix;
  put((rd << 7) | 0x6F);
}
static void beq(uint32_t a, uint32_t b, uint32_t l) { branch(0, a, b, l); }
static void bne(uint32_t a, uint32_t b, uint32_t l) { branch(1, a, b, l); }
static void blt(uint32_t a, uint32_t b, uint32_t l) { branch(4, a, b, l); }
static void bge(uint32_t a, uint32_t b, uint32_t l) { branch(5, a, b, l); }
static void bltu(uint32_t a, uint32_t b, uint32_t l) { branch(6, a, b, l); }

static void begin(uint32_t at) {
  g_asm.pc = at;
  g_asm.nfix = 0;
}
static void finish(void) {
  for (uint32_t i = 0; i < g_asm.nfix; ++i) {
    const uint32_t at = g_asm.fix[i].at;
    const int32_t off = (int32_t)(g_asm.labels[g_asm.fix[i].label] - at);
    st32(&g_cpu, at, ld32(&g_cpu, at) | (g_asm.fix[i].kind ? j_bits(off) : b_bits(off)));
  }
}

/* ---- guest programs -------------------------------------------------------- */

/* Insertion sort of a0 words at DATA_BASE (signed), then a0 = a checksum. */
static void prog_sort(void) {
  enum { OUTER, INNER, PLACE, NEXT, SUM, DONE };
  begin(CODE_BASE);
  li(A1, DATA_BASE);
  li(T0, 1);  /* i */
  here(OUTER);
  bge(T0, A0, SUM);
  slli(T1, T0, 2);
  add(T1, T1, A1);
  lw(T2, T1, 0); /* v = a[i] */
  addi(A2, T1, -4); /* p = &a[i - 1] */
  here(INNER);
  bltu(A2, A1, PLACE);
  lw(A3, A2, 0);
  bge(T2, A3, PLACE);
  sw(A3, A2, 4);
  addi(A2, A2, -4);
  jal(ZERO, INNER);
  here(PLACE);
  sw(T2, A2, 4);
  addi(T0, T0, 1);
  jal(ZERO, OUTER);
  here(SUM); /* h = h * 31 + a[k] */
  li(T0, 0);
  li(A4, 0);
  li(T1, 31);
  here(NEXT);
  bge(T0, A0, DONE);
  slli(T2, T0, 2);
  add(T2, T2, A1);
  lw(T2, T2, 0);
  mul(A4, A4, T1);
  add(A4, A4, T2);
  addi(T0, T0, 1);
  jal(ZERO, NEXT);
  here(DONE);
  addi(A0, A4, 0);
  ecall();
  finish();
}

/* Recursive fib(a0) on the guest stack. */
static void prog_fib(void) {
  enum { FIB, BASE, ENTRY };
  begin(CODE_BASE);
  li(SP, STACK_TOP);
  jal(RA, FIB);
  ecall();
  here(FIB);
  li(T0, 2);
  blt(A0, T0, BASE);
  addi(SP, SP, -12);
  sw(RA, SP, 8);
  sw(S0, SP, 4);
  sw(S1, SP, 0);
  addi(S0, A0, 0);
  addi(A0, S0, -1);
  jal(RA, FIB);
  addi(S1, A0, 0);
  addi(A0, S0, -2);
  jal(RA, FIB);
  add(A0, A0, S1);
  lw(S1, SP, 0);
  lw(S0, SP, 4);
  lw(RA, SP, 8);
  addi(SP, SP, 12);
  here(BASE);
  ret();
  finish();
}

/* Bitwise CRC-32 of a0 bytes at DATA_BASE. */
static void prog_crc(void) {
  enum { BYTE, BIT, NOXOR, DONE };
  begin(CODE_BASE);
  li(A1, DATA_BASE);
  add(A2, A1, A0); /* end */
  li(A3, 0xFFFFFFFFu);
  li(A4, 0xEDB88320u);
  here(BYTE);
  bge(A1, A2, DONE);
  lbu(T0, A1, 0);
  xor_(A3, A3, T0);
  li(T1, 8);
  here(BIT);
  andi(T2, A3, 1);
  srli(A3, A3, 1);
  beq(T2, ZERO, NOXOR);
  xor_(A3, A3, A4);
  here(NOXOR);
  addi(T1, T1, -1);
  bne(T1, ZERO, BIT);
  addi(A1, A1, 1);
  jal(ZERO, BYTE);
  here(DONE);
  li(T0, 0xFFFFFFFFu);
  xor_(A0, A3, T0);
  ecall();
  finish();
}

/* Sum over i < a0 of gcd(i * 7919 + 1, i * 104729 + 3) plus signed
 * quotients: division and remainder in a loop. */
static void prog_gcd(void) {
  enum { LOOP, GCD, GCD_END, DONE };
  begin(CODE_BASE);
  li(A4, 0);
  li(T0, 0);
  li(S0, 7919);
  li(S1, 104729);
  here(LOOP);
  bge(T0, A0, DONE);
  mul(A1, T0, S0);
  addi(A1, A1, 1);
  mul(A2, T0, S1);
  addi(A2, A2, 3);
  sub(T2, A2, A1);
  divs(T2, T2, S0); /* a signed quotient, may be negative */
  add(A4, A4, T2);
  here(GCD);
  beq(A2, ZERO, GCD_END);
  remu(T1, A1, A2);
  addi(A1, A2, 0);
  addi(A2, T1, 0);
  jal(ZERO, GCD);
  here(GCD_END);
  add(A4, A4, A1);
  addi(T0, T0, 1);
  jal(ZERO, LOOP);
  here(DONE);
  addi(A0, A4, 0);
  ecall();
  finish();
}

static uint32_t start(uint32_t a0) {
  for (int i = 0; i < 32; ++i) g_cpu.x[i] = 0;
  g_cpu.x[A0] = a0;
  g_cpu.pc = CODE_BASE;
  return run(&g_cpu, 50000000u);
}

KERNEL_ENTRY(riscv) {
  uint64_t sum = 0;
  g_cpu.retired = 0;
  for (uint32_t r = 0; r < n; ++r) {
    uint32_t seed = 0x13579BDFu + r;
    for (uint32_t i = 0; i < 600; ++i) st32(&g_cpu, DATA_BASE + 4 * i, kernel_rand(&seed));
    prog_sort();
    sum = sum * 1000003u + start(600);
    prog_crc();
    sum = sum * 1000003u + start(2400);
    prog_fib();
    sum = sum * 1000003u + start(18 + r % 3);
    prog_gcd();
    sum = sum * 1000003u + start(2000);
  }
  return sum ^ g_cpu.retired;
}
