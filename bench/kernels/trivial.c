/* The smallest method a contract has: returns a constant. The module has a
 * memory and a data segment like any compiled contract; used to measure the
 * fixed cost of instantiate + call + tear down. */
#include "kernel.h"

static const char g_greeting[16] = "ward benchmarks";

KERNEL_EXPORT("noop") uint32_t trivial_noop(void) { return 42; }

KERNEL_ENTRY(trivial) { return (uint64_t)g_greeting[n & 15]; }
