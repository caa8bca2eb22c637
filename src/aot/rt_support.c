/* ward/aot/rt_support.c — the one place where AOT code is entered and left:
 * a setjmp per call into a shared object and the longjmp of every trap,
 * including the fault handler that turns an access to a guarded memory's
 * inaccessible pages into the out-of-bounds trap. Kept in C so that no C++
 * object with a destructor sits between the two; the jmp_buf is per thread,
 * shared by all loaded shared objects. */
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "aot/rt/wasm-rt.h"
#include "aot/rt_support.h"

static __thread jmp_buf* tl_jmp;
static __thread uint32_t tl_code;
/* 1 while this thread runs generated code (0 inside host calls). */
static __thread volatile sig_atomic_t tl_in_code;

uint32_t ward_aot_protected(void (*fn)(void*), void* arg) {
  jmp_buf jb;
  jmp_buf* volatile prev = tl_jmp;
  volatile sig_atomic_t prev_in = tl_in_code;
  tl_jmp = &jb;
  if (setjmp(jb) != 0) {
    tl_jmp = prev;
    tl_in_code = prev_in;
    return tl_code;
  }
  tl_in_code = 1;
  fn(arg);
  tl_jmp = prev;
  tl_in_code = prev_in;
  return 0;
}

void ward_aot_unwind(uint32_t code) {
  if (tl_jmp == NULL) abort(); /* a trap outside any AOT call: a bug in Ward */
  tl_code = code;
  longjmp(*tl_jmp, 1);
}

int ward_aot_enter_host(void) {
  const int saved = (int)tl_in_code;
  tl_in_code = 0;
  return saved;
}

void ward_aot_leave_host(int saved) { tl_in_code = saved; }

static struct sigaction g_prev_segv, g_prev_bus;
static int g_install_result = -1;
static pthread_once_t g_install_once = PTHREAD_ONCE_INIT;

static void ward_fault_handler(int sig, siginfo_t* si, void* uc) {
  /* si_code > 0: raised by the kernel for this instruction (not sent). */
  if (tl_in_code && tl_jmp != NULL && si != NULL && si->si_code > 0 && ward_aot_in_guard_reservation(si->si_addr)) {
    /* The handler leaves by longjmp (the jmp_buf holds no signal mask):
     * unblock the signal the kernel blocked on entry. */
    sigset_t s;
    sigemptyset(&s);
    sigaddset(&s, sig);
    sigprocmask(SIG_UNBLOCK, &s, NULL);
    tl_code = WASM_RT_TRAP_OOB;
    longjmp(*tl_jmp, 1);
  }
  const struct sigaction* prev = sig == SIGBUS ? &g_prev_bus : &g_prev_segv;
  if ((prev->sa_flags & SA_SIGINFO) != 0 && prev->sa_sigaction != NULL) {
    prev->sa_sigaction(sig, si, uc);
    return;
  }
  if (prev->sa_handler != SIG_DFL && prev->sa_handler != SIG_IGN && prev->sa_handler != NULL) {
    prev->sa_handler(sig);
    return;
  }
  /* Default action: restore it; a fault recurs when the instruction runs
   * again, a sent signal is raised again. */
  struct sigaction dfl;
  dfl.sa_handler = SIG_DFL;
  dfl.sa_flags = 0;
  sigemptyset(&dfl.sa_mask);
  sigaction(sig, &dfl, NULL);
  if (si == NULL || si->si_code <= 0) raise(sig);
}

static void install_once(void) {
  struct sigaction sa;
  sa.sa_sigaction = ward_fault_handler;
  sa.sa_flags = SA_SIGINFO | SA_ONSTACK;
  sigemptyset(&sa.sa_mask);
  if (sigaction(SIGSEGV, &sa, &g_prev_segv) != 0) return;
  if (sigaction(SIGBUS, &sa, &g_prev_bus) != 0) {
    sigaction(SIGSEGV, &g_prev_segv, NULL);
    return;
  }
  g_install_result = 0;
}

int ward_aot_install_fault_handler(void) {
  pthread_once(&g_install_once, install_once);
  return g_install_result;
}
