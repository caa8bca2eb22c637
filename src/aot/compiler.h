// ward/aot/compiler.h — runs the system C compiler on generated C in a child
// process with CPU-time, address-space and wall-clock limits. The compiler
// runs inside a fresh build folder on relative file names (and with TMPDIR
// pointing into it), so the object does not depend on the folder's name
// (two builds of the same C give byte-identical objects) and every file the
// compiler makes is removed with the folder.
// Thread-safety: compile_shared_object may run on several threads at once.
#pragma once

#include <atomic>
#include <cstdint>
#include <string>
#include <vector>

#include "aot/c_split.h"
#include "util/result.h"

namespace ward::aot {

/// The runtime headers written next to generated C (rt_headers.cpp).
extern const char* const kRtWasmRtH;
extern const char* const kRtAbiH;
extern const char* const kRtModuleH;

/// How the C compiler runs.
struct CompilerConfig {
  std::string cc = "cc";       ///< the compiler; $WARD_AOT_CC overrides it
  /// Flags: exact float semantics (errno is never read), position
  /// independent, hidden symbols, no hardening code in the generated
  /// functions (-O3 measured no faster than -O2 and compiles slower).
  std::vector<std::string> flags = {"-O2", "-fPIC", "-shared", "-ffp-contract=off", "-fno-fast-math",
                                    "-fsignaling-nans", "-fno-math-errno", "-fno-stack-protector",
                                    "-fcf-protection=none", "-fvisibility=hidden", "-fno-strict-aliasing", "-w", "-Wl,-z,defs"};
  std::vector<std::string> libs = {"-lm"};  ///< after the sources
  uint32_t cpu_seconds = 300;            ///< RLIMIT_CPU of the child
  uint64_t memory_bytes = 4ull << 30;    ///< RLIMIT_AS of the child
  uint32_t wall_seconds = 600;           ///< the child is killed after this
  /// When set and it becomes true, a running compiler is killed (its whole
  /// process group) and the build fails with "cancelled"; not owned.
  const std::atomic<bool>* cancel = nullptr;
};

/// The default configuration (honours $WARD_AOT_CC).
CompilerConfig default_compiler_config();

/// "<cc> | <first line of cc --version>", computed once per compiler.
std::string compiler_identity(const CompilerConfig& config);

/// Writes m.c, m.h, unit.c and the runtime headers into a fresh folder
/// "build-<Cache::owner_tag()>XXXXXX" (mkdtemp, mode 0700) under `work_dir`,
/// compiles unit.c into a shared object, removes the folder and returns the
/// object's bytes. Errors say whether the compiler failed, timed out, ran
/// out of a limit or was cancelled, with the start of its diagnostics.
Result<std::string> compile_shared_object(const std::string& work_dir, const std::string& c_source,
                                          const std::string& c_header, const std::string& unit,
                                          const CompilerConfig& config);

/// Compiler processes of one split build that run at once.
inline constexpr size_t kMaxCompilers = 2;

/// As compile_shared_object for a split module: writes m_shared.h, m.c
/// (split.main), unit.c and part<i>.c, compiles unit.c and every part to an
/// object (at most kMaxCompilers processes at once, each under the limits of
/// `config`), then links the objects into one shared object (also limited)
/// and returns its bytes.
Result<std::string> compile_split_object(const std::string& work_dir, const SplitC& split,
                                         const std::string& c_header, const std::string& unit,
                                         const CompilerConfig& config);

/// One module of a batch build: wasm2c's C and header and the glue unit
/// (whose descriptor has a name of its own, glue.h).
struct BatchUnit {
  std::string c_source;
  std::string c_header;
  std::string unit;
};

/// What compile_batch_object built.
struct BatchObject {
  std::string object;  ///< the linked shared object (empty when no unit compiled)
  /// Per unit: empty when it is in the object, else why it is not (the
  /// compiler's error).
  std::vector<std::string> unit_errors;
};

/// Several modules in one shared object, so that one link and one load
/// serve them all (differential testing of many small modules): each unit
/// is compiled to an object in a folder of its own (at most kMaxCompilers
/// at once, each under the limits of `config`), its hidden symbols are made
/// local (`objcopy --localize-hidden`, so the units' identical internal
/// names cannot meet), and the objects that compiled are linked into one
/// shared object. A unit that fails to compile is left out and reported in
/// unit_errors; an error is returned only when nothing could be built or
/// linked.
Result<BatchObject> compile_batch_object(const std::string& work_dir, const std::vector<BatchUnit>& units,
                                         const CompilerConfig& config);

}  // namespace ward::aot
