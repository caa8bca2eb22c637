// ward/build/build.h — `ward build`: turn one contract source into a wasm
// module plus its ABI file. A Frontend per language (C++, Rust,
// AssemblyScript, Go) produces the linked module and
// the contract model; one shared finish step optimises, checks and writes.
//
// The C++ front end:
// Steps: check the source (size, allowed headers), parse it with libclang to
// find the exported methods and their typed signatures (contract_parse.h),
// generate the dispatch code (dispatch_gen.h), compile source + dispatch with
// clang for wasm32-wasi to an object, link it in a separate wasm-ld step (so
// clang's driver never runs wasm-opt on its own: the bytes must not depend on
// PATH), optimise with `wasm-opt -Oz`, check imports and exports, validate
// with `wasm-validate`, and write OUT.wasm and OUT.abi.json.
// Thread-safety: build_contract() may run concurrently on different outputs.
#pragma once

#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "build/contract_model.h"
#include "build/wasm_interface.h"
#include "util/result.h"

namespace ward::build {

/// What to build.
struct BuildOptions {
  std::string source;           ///< the contract: .cpp; Rust lib.rs, Cargo.toml or crate directory; AssemblyScript .ts; Go .go
  std::string output;           ///< the .wasm file to write
  std::string sdk_include_dir;  ///< holds ward/ward.h; empty: default_sdk_include_dir("")
  bool optimize = true;         ///< clang -O2 and wasm-opt -Oz; false: -O0, no wasm-opt
  bool validate = true;         ///< run wasm-validate on the result
  /// Called at the start of each step ("checking source", "compiling", ...).
  std::function<void(std::string_view step)> progress;
};

/// What a successful build produced.
struct BuildOutput {
  std::string output_path;           ///< the wasm module
  std::string abi_path;              ///< the ABI JSON next to it
  size_t module_size = 0;            ///< bytes of the wasm module
  std::vector<std::string> methods;  ///< exported methods, in source order (typed, then raw)
  ContractModel model;               ///< the methods' signatures and the structs they use
  std::vector<std::string> imports;  ///< "module.name" of every import
  std::string diagnostics;           ///< compiler warnings, verbatim (may be empty)
};

/// The languages `ward build` tells apart by the source's name.
enum class Language { Cpp, Rust, AssemblyScript, Go };

/// "C++", "Rust", "AssemblyScript", "Go".
std::string_view language_name(Language language);

/// The language of a source: .cpp/.cc/.cxx: C++; .rs, Cargo.toml or a
/// directory holding Cargo.toml: Rust; .ts: AssemblyScript; .go or a
/// directory holding go.mod: Go. Errors name the source and what is accepted.
Result<Language> detect_language(std::string_view source);

/// What a front end produced, before the shared finish step.
struct FrontendOutput {
  std::string wasm;         ///< the linked module's bytes (not yet optimised)
  ContractModel model;      ///< the methods and structs, as the ABI file lists them
  std::string diagnostics;  ///< compiler warnings, verbatim (may be empty)
  /// wasm-opt's feature flags for the module; empty: `--mvp-features`
  /// (WebAssembly 1.0). Go needs sign-ext, nontrapping-float-to-int, bulk-memory.
  std::vector<std::string> wasm_opt_features;
};

/// Data segments the finish step keeps at most: a module with more (Go's
/// linker emits tens of thousands) has neighbouring segments merged
/// (merge_data_segments, wasm_edit.h).
inline constexpr size_t k_max_build_data_segments = 1024;

/// One language's compiler driver. build_contract() runs its steps, then the
/// shared finish: wasm-opt, the interface check against the model, wasm-validate
/// and writing OUT.wasm + OUT.abi.json.
class Frontend {
 public:
  virtual ~Frontend() = default;
  /// The language it compiles.
  virtual Language language() const = 0;
  /// How many times compile() calls options.progress.
  virtual size_t step_count(const BuildOptions& options) const = 0;
  /// Compiles options.source; `work_dir` is a private temporary directory.
  virtual Result<FrontendOutput> compile(const BuildOptions& options, const std::string& work_dir) const = 0;
};

/// The front end of a language.
Result<std::unique_ptr<Frontend>> make_frontend(Language language);

/// The tools a build runs, found on PATH.
struct Toolchain {
  std::string clang;          ///< clang-14, else clang
  std::string wasm_ld;        ///< wasm-ld-14, else wasm-ld
  std::string wasm_opt;       ///< binaryen's wasm-opt (empty when not needed)
  std::string wasm_validate;  ///< wabt's wasm-validate (empty when not needed)
};

/// Finds the tools `options` needs. The error names the missing tool and the
/// Debian package that provides it.
Result<Toolchain> find_toolchain(const BuildOptions& options);

/// As above; `cpp` false: only the tools of the shared finish step
/// (wasm-opt, wasm-validate), not clang and wasm-ld.
Result<Toolchain> find_toolchain(const BuildOptions& options, bool cpp);

/// The clang arguments that compile `input` (default: options.source) to
/// the object `object` (without the clang path itself).
std::vector<std::string> compile_args(const BuildOptions& options, const std::string& object,
                                      const std::string& input = {});

/// The flags libclang parses a contract with: those of compile_args()
/// without -c, -o and the file, plus `-resource-dir DIR` when given.
std::vector<std::string> parse_args(const BuildOptions& options, const std::string& resource_dir);

/// How many times build_contract() calls `progress` for these options
/// (the front end's steps plus the finish step's).
size_t build_step_count(const BuildOptions& options);

/// Builds a contract. Errors carry the failing step's message; a compiler
/// error is included verbatim.
Result<BuildOutput> build_contract(const BuildOptions& options);

/// The ABI file for an output: "x.wasm" -> "x.abi.json", other names get
/// ".abi.json" appended.
std::string abi_path_for(std::string_view output);

/// The ABI JSON text of a contract: {"abi_version": 1, "methods": [{"name",
/// "params": [{"name", "type"}], "returns" (null for none), "readonly"} or
/// {"name", "raw": true, "readonly"}], "types": [{"name", "fields"}]}.
std::string abi_json(const ContractModel& model);

/// One line per method for people: "Transfer(to: address, amount: u64) -> bool".
std::string method_signature(const MethodInfo& method);

/// Checks that every import is a function of host ABI v1 ("ward_v1") or of
/// its deterministic WASI subset, and that every exported function other than
/// `_initialize` has type () -> (). Returns the method names.
Result<std::vector<std::string>> check_interface(const ModuleInterface& module);

/// The SDK include directory (the one holding ward/ward.h) for the ward
/// executable at `exe_path`: <exe_dir>/../../sdk/cpp (build tree),
/// <exe_dir>/../share/ward/sdk/cpp (installed), then the source tree the
/// library was built from. Empty when none holds ward/ward.h.
std::string default_sdk_include_dir(std::string_view exe_path);

}  // namespace ward::build
