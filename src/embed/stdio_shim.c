/* ward/embed/stdio_shim.c — Debian's libwabt.a is compiled as position-
 * independent *executable* code: it reaches glibc's stdin/stdout/stderr
 * variables by PC-relative relocations, which a shared library cannot hold
 * for a symbol of another library. libward therefore defines its own hidden
 * stdin/stdout/stderr pointers, bound inside the library, pointing at glibc's
 * standard FILE objects (exported by glibc as _IO_2_1_std*_). libwabt uses
 * them only for diagnostics; an application that assigns these variables
 * does not redirect libwabt's output (docs/adr/0012-embedding-api.md). */
struct _IO_FILE;
extern struct _IO_FILE _IO_2_1_stdin_, _IO_2_1_stdout_, _IO_2_1_stderr_;
__attribute__((visibility("hidden"))) struct _IO_FILE* stdin = &_IO_2_1_stdin_;
__attribute__((visibility("hidden"))) struct _IO_FILE* stdout = &_IO_2_1_stdout_;
__attribute__((visibility("hidden"))) struct _IO_FILE* stderr = &_IO_2_1_stderr_;
