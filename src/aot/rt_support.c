/* ward/aot/rt_support.c — the one place where AOT code is entered and left:
 * a setjmp per call into a shared object and the longjmp of every trap. Kept
 * in C so that no C++ object with a destructor sits between the two; the
 * jmp_buf is per thread, shared by all loaded shared objects. */
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>

#include "aot/rt_support.h"

static __thread jmp_buf* tl_jmp;
static __thread uint32_t tl_code;

uint32_t ward_aot_protected(void (*fn)(void*), void* arg) {
  jmp_buf jb;
  jmp_buf* volatile prev = tl_jmp;
  tl_jmp = &jb;
  if (setjmp(jb) != 0) {
    tl_jmp = prev;
    return tl_code;
  }
  fn(arg);
  tl_jmp = prev;
  return 0;
}

void ward_aot_unwind(uint32_t code) {
  if (tl_jmp == NULL) abort(); /* a trap outside any AOT call: a bug in Ward */
  tl_code = code;
  longjmp(*tl_jmp, 1);
}
