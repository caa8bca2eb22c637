// ward/build/build.cpp — see build.h.
#include "build/build.h"

#include <stdlib.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <system_error>

#include "build/contract_parse.h"
#include "build/dispatch_gen.h"
#include "build/process.h"
#include "build/source_check.h"

namespace ward::build {
namespace fs = std::filesystem;
namespace {

/// A private temporary directory, removed with everything in it.
class TempDir {
 public:
  static Result<TempDir> create() {
    std::error_code ec;
    fs::path base = fs::temp_directory_path(ec);
    if (ec) base = "/tmp";
    std::string templ = (base / "ward-build-XXXXXX").string();
    if (::mkdtemp(templ.data()) == nullptr) {
      return make_error("cannot create a temporary directory in " + base.string());
    }
    return TempDir(templ);
  }
  TempDir(TempDir&& other) noexcept : m_path(std::move(other.m_path)) { other.m_path.clear(); }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  TempDir& operator=(TempDir&&) = delete;
  ~TempDir() {
    if (m_path.empty()) return;
    std::error_code ec;
    fs::remove_all(m_path, ec);
  }
  std::string file(std::string_view name) const { return (m_path / name).string(); }

 private:
  explicit TempDir(fs::path p) : m_path(std::move(p)) {}
  fs::path m_path;
};

Result<std::string> read_file(const std::string& path, size_t limit) {
  std::error_code ec;
  if (!fs::exists(path, ec)) return make_error(path + ": no such file");
  if (!fs::is_regular_file(path, ec)) return make_error(path + ": not a regular file");
  auto size = fs::file_size(path, ec);
  if (ec) return make_error(path + ": cannot read its size: " + ec.message());
  if (size > limit) {
    return make_error(path + ": file is " + std::to_string(size) + " bytes, over the limit of " +
                      std::to_string(limit) + " bytes");
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) return make_error(path + ": cannot open");
  std::string data((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (in.bad()) return make_error(path + ": read error");
  return data;
}

/// Writes `data` to `path` through a temporary file and a rename.
Result<void> write_file(const std::string& path, std::string_view data) {
  std::error_code ec;
  fs::path parent = fs::path(path).parent_path();
  if (!parent.empty()) fs::create_directories(parent, ec);
  std::string tmp = path + ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (!out) return make_error(path + ": cannot write");
    out.write(data.data(), static_cast<std::streamsize>(data.size()));
    if (!out.flush()) return make_error(path + ": write error");
  }
  fs::rename(tmp, path, ec);
  if (ec) {
    fs::remove(tmp, ec);
    return make_error(path + ": cannot write: " + ec.message());
  }
  return {};
}

/// The first of `names` found on PATH, or an error naming the package.
Result<std::string> find_tool(std::initializer_list<std::string_view> names, std::string_view package,
                              std::string_view purpose) {
  for (std::string_view n : names) {
    if (auto p = find_program(n)) return *p;
  }
  return make_error(std::string(*names.begin()) + " not found on PATH (" + std::string(purpose) +
                    "); install the Debian package " + std::string(package));
}

/// The environment the tools run with: only what they need, so that e.g.
/// CPATH or CPLUS_INCLUDE_PATH cannot change a contract's bytes.
std::vector<std::string> tool_env() {
  std::vector<std::string> env = {"LC_ALL=C"};
  for (const char* name : {"PATH", "TMPDIR", "HOME"}) {
    if (const char* v = std::getenv(name)) env.push_back(std::string(name) + "=" + v);
  }
  return env;
}

/// Runs a tool; a non-zero exit becomes an error "<what> failed:\n<stderr>".
Result<ProcessOutput> run_tool(const std::vector<std::string>& argv, std::string_view what) {
  auto r = run_process(argv, tool_env());
  if (!r) return r.error();
  if (r->exit_code != 0) {
    std::string msg = std::string(what) + " failed (" + argv[0] + " exited with " +
                      std::to_string(r->exit_code) + ")";
    std::string text = r->err.empty() ? r->out : r->err;
    if (!text.empty()) msg += ":\n" + text;
    return make_error(std::move(msg));
  }
  return r;
}

/// Where wasi-libc and compiler-rt for wasm32 live, asked from clang.
struct Sysroot {
  std::string lib_dir;   ///< holds crt1-reactor.o, libc.a, libc++.a, libc++abi.a
  std::string builtins;  ///< libclang_rt.builtins-wasm32.a
  std::string resource_dir;  ///< clang's own headers (stddef.h, ...), for libclang
};

Result<Sysroot> find_sysroot(const std::string& clang) {
  auto crt = run_tool({clang, "--target=wasm32-wasi", "-print-file-name=crt1-reactor.o"}, "asking clang for the wasi sysroot");
  if (!crt) return crt.error();
  std::string crt_path = crt->out.substr(0, crt->out.find('\n'));
  std::error_code ec;
  if (crt_path.find('/') == std::string::npos || !fs::exists(crt_path, ec)) {
    return make_error("wasi-libc for wasm32-wasi not found (crt1-reactor.o); install the Debian package wasi-libc");
  }
  Sysroot s;
  s.lib_dir = fs::path(crt_path).parent_path().string();
  if (!fs::exists(fs::path(s.lib_dir) / "libc++.a", ec)) {
    return make_error("libc++ for wasm32-wasi not found in " + s.lib_dir +
                      "; install the Debian package libc++-14-dev-wasm32");
  }
  if (!fs::exists(fs::path(s.lib_dir) / "libc++abi.a", ec)) {
    return make_error("libc++abi for wasm32-wasi not found in " + s.lib_dir +
                      "; install the Debian package libc++abi-14-dev-wasm32");
  }
  auto rt = run_tool({clang, "--target=wasm32-wasi", "-print-libgcc-file-name"}, "asking clang for compiler-rt");
  if (!rt) return rt.error();
  s.builtins = rt->out.substr(0, rt->out.find('\n'));
  if (!fs::exists(s.builtins, ec)) {
    return make_error("compiler-rt builtins for wasm32 not found (" + s.builtins +
                      "); install the Debian package libclang-rt-14-dev-wasm32");
  }
  auto res = run_tool({clang, "-print-resource-dir"}, "asking clang for its resource directory");
  if (!res) return res.error();
  s.resource_dir = res->out.substr(0, res->out.find('\n'));
  return s;
}

/// Adds a hint to a compiler error that points at a missing package.
std::string compile_error_hint(const std::string& stderr_text) {
  size_t pos = stderr_text.find("' file not found");
  if (pos == std::string::npos) return {};
  size_t open = stderr_text.rfind('\'', pos - 1);
  std::string header = open == std::string::npos ? "" : stderr_text.substr(open + 1, pos - open - 1);
  if (header.starts_with("ward/")) return "\nhint: the SDK include directory does not hold " + header;
  return "\nhint: is the wasm32 C++ library installed? (Debian packages wasi-libc libc++-14-dev-wasm32 "
         "libc++abi-14-dev-wasm32)";
}

/// A path that a tool cannot mistake for an option.
std::string as_operand(const std::string& path) { return !path.empty() && path[0] == '-' ? "./" + path : path; }

void report(const BuildOptions& o, std::string_view step) {
  if (o.progress) o.progress(step);
}

}  // namespace

Result<Toolchain> find_toolchain(const BuildOptions& options) {
  Toolchain t;
  auto clang = find_tool({"clang-14", "clang"}, "clang-14", "the C++ compiler for wasm32-wasi");
  if (!clang) return clang.error();
  t.clang = *clang;
  auto ld = find_tool({"wasm-ld-14", "wasm-ld"}, "lld-14", "the wasm linker");
  if (!ld) return ld.error();
  t.wasm_ld = *ld;
  if (options.optimize) {
    auto opt = find_tool({"wasm-opt"}, "binaryen", "the wasm optimiser");
    if (!opt) return opt.error();
    t.wasm_opt = *opt;
  }
  if (options.validate) {
    auto val = find_tool({"wasm-validate"}, "wabt", "the wasm validator");
    if (!val) return val.error();
    t.wasm_validate = *val;
  }
  return t;
}

std::vector<std::string> compile_args(const BuildOptions& options, const std::string& object,
                                      const std::string& input) {
  std::vector<std::string> args = parse_args(options, "");
  for (std::string a : {std::string("-c"), as_operand(input.empty() ? options.source : input), std::string("-o"), object}) {
    args.push_back(std::move(a));
  }
  return args;
}

std::vector<std::string> parse_args(const BuildOptions& options, const std::string& resource_dir) {
  std::vector<std::string> args = {"--target=wasm32-wasi",
                                   "-mcpu=mvp",  // WebAssembly 1.0 instructions only: runs on every backend
                                   options.optimize ? "-O2" : "-O0",
                                   "-std=c++20",
                                   "-fno-exceptions",
                                   "-fno-rtti",
                                   "-fno-threadsafe-statics",  // contracts are single-threaded
                                   "-Wall",
                                   "-DWARD_CONTRACT=1",
                                   "-I",
                                   as_operand(options.sdk_include_dir)};
  if (!resource_dir.empty()) {
    args.push_back("-resource-dir");
    args.push_back(resource_dir);
  }
  return args;
}

size_t build_step_count(const BuildOptions& options) { return options.optimize ? 8 : 7; }

Result<BuildOutput> build_contract(const BuildOptions& in) {
  BuildOptions options = in;
  if (options.output.empty()) return make_error("no output file given");
  if (options.sdk_include_dir.empty()) options.sdk_include_dir = default_sdk_include_dir("");
  std::error_code ec;
  if (options.sdk_include_dir.empty() || !fs::exists(fs::path(options.sdk_include_dir) / "ward" / "ward.h", ec)) {
    return make_error("the contract SDK was not found (no ward/ward.h in \"" + options.sdk_include_dir +
                      "\"); pass the directory holding ward/ward.h");
  }

  // 1. Check the source.
  report(options, "checking source");
  auto source = read_file(options.source, k_max_source_bytes);
  if (!source) return source.error();
  if (auto ok = check_source(*source, options.source); !ok) return ok.error();

  auto tools = find_toolchain(options);
  if (!tools) return tools.error();
  auto sysroot = find_sysroot(tools->clang);
  if (!sysroot) return sysroot.error();
  auto tmp = TempDir::create();
  if (!tmp) return tmp.error();
  const std::string object = tmp->file("contract.o");
  const std::string linked = tmp->file("linked.wasm");
  const std::string optimized = tmp->file("optimized.wasm");

  // 2. Parse with libclang: the exported methods, their types, the rules.
  report(options, "parsing (libclang)");
  ParseOptions po;
  po.source = options.source;
  po.args = parse_args(options, sysroot->resource_dir);
  po.args.push_back("-x");
  po.args.push_back("c++");
  ParseResult parsed = parse_contract(po);
  if (!parsed.ok && parsed.error.has_compile_errors) {
    // Show the compiler's own words: compile the source as it is.
    std::vector<std::string> cc = {tools->clang};
    for (std::string& a : compile_args(options, object)) cc.push_back(std::move(a));
    auto compiled = run_process(cc, tool_env());
    if (!compiled) return compiled.error();
    const std::string& text = compiled->exit_code != 0 ? compiled->err : parsed.error.message;
    return make_error("compilation failed:\n" + text + compile_error_hint(text));
  }
  if (!parsed.ok) return make_error(parsed.error.message);

  // 3. Generate the dispatch code, compiled in one unit with the source.
  report(options, "generating dispatch code");
  const std::string unit = tmp->file(fs::path(options.source).stem().string() + ".ward.cpp");
  const std::string dispatch_name = fs::path(options.source).stem().string() + ".dispatch.cpp";
  if (auto w = write_file(unit, generate_unit(*source, options.source, parsed.model, dispatch_name)); !w) {
    return w.error();
  }

  // 4. Compile to an object only: clang's driver runs wasm-opt by itself
  // when it links with optimisation and finds binaryen on PATH.
  report(options, "compiling");
  std::vector<std::string> cc = {tools->clang};
  for (std::string& a : compile_args(options, object, unit)) cc.push_back(std::move(a));
  auto compiled = run_process(cc, tool_env());
  if (!compiled) return compiled.error();
  if (compiled->exit_code != 0) {
    return make_error("compilation failed:\n" + compiled->err + compile_error_hint(compiled->err));
  }
  BuildOutput result;
  result.diagnostics = compiled->err;

  // 5. Link as a WASI reactor (what clang's -mexec-model=reactor does):
  // crt1-reactor.o provides _initialize, which runs the constructors.
  report(options, "linking");
  auto link = run_tool({tools->wasm_ld, "-m", "wasm32", "-L" + sysroot->lib_dir,
                        sysroot->lib_dir + "/crt1-reactor.o", "--entry", "_initialize",
                        "--stack-first",          // a stack overflow traps instead of corrupting data
                        "-z", "stack-size=65536",  // 64 KiB, fixed
                        "--strip-all",            // no names, producers or target features
                        object, "-lc++", "-lc++abi", "-lc", sysroot->builtins, "-o", linked},
                       "linking");
  if (!link) return link.error();

  // 6. Optimise for size, explicitly.
  std::string final_module = linked;
  if (options.optimize) {
    report(options, "optimizing (wasm-opt -Oz)");
    auto opt = run_tool({tools->wasm_opt, linked, "-Oz", "--mvp-features", "--strip-debug",
                         "--strip-producers", "-o", optimized},
                        "wasm-opt");
    if (!opt) return opt.error();
    final_module = optimized;
  }

  // 7. Check the interface and validate.
  report(options, "validating");
  auto bytes = read_file(final_module, SIZE_MAX);
  if (!bytes) return bytes.error();
  auto iface = read_module_interface(
      {reinterpret_cast<const uint8_t*>(bytes->data()), bytes->size()});
  if (!iface) return iface.error();
  auto methods = check_interface(*iface);
  if (!methods) return methods.error();
  for (const MethodInfo& m : parsed.model.methods) {
    if (std::find(methods->begin(), methods->end(), m.name) == methods->end()) {
      return make_error("method " + m.name + " is missing from the module's exports");
    }
  }
  if (methods->size() != parsed.model.methods.size()) {
    for (const std::string& name : *methods) {
      bool known = false;
      for (const MethodInfo& m : parsed.model.methods) known = known || m.name == name;
      if (!known) {
        return make_error("the module exports \"" + name +
                          "\", which is not a method of the source; mark methods with WARD_EXPORT");
      }
    }
  }
  if (options.validate) {
    auto val = run_tool({tools->wasm_validate, final_module}, "wasm-validate");
    if (!val) return val.error();
  }

  // 8. Write the module and its ABI.
  report(options, "writing ABI");
  if (auto w = write_file(options.output, *bytes); !w) return w.error();
  result.output_path = options.output;
  result.abi_path = abi_path_for(options.output);
  for (const MethodInfo& m : parsed.model.methods) result.methods.push_back(m.name);
  result.model = std::move(parsed.model);
  if (auto w = write_file(result.abi_path, abi_json(result.model)); !w) return w.error();
  result.module_size = bytes->size();
  for (const InterfaceImport& imp : iface->imports) result.imports.push_back(imp.module + "." + imp.name);
  return result;
}

std::string default_sdk_include_dir(std::string_view exe_path) {
  std::vector<fs::path> candidates;
  if (!exe_path.empty()) {
    std::string exe(exe_path);
    if (exe.find('/') == std::string::npos) {
      if (auto found = find_program(exe)) exe = *found;
    }
    std::error_code ec;
    fs::path resolved = fs::weakly_canonical(exe, ec);
    if (ec) resolved = exe;
    fs::path dir = resolved.parent_path();
    candidates.push_back(dir / ".." / ".." / "sdk" / "cpp");
    candidates.push_back(dir / ".." / "share" / "ward" / "sdk" / "cpp");
  }
#ifdef WARD_SOURCE_DIR
  candidates.push_back(fs::path(WARD_SOURCE_DIR) / "sdk" / "cpp");
#endif
  for (const fs::path& c : candidates) {
    std::error_code ec;
    if (fs::exists(c / "ward" / "ward.h", ec)) {
      fs::path n = fs::weakly_canonical(c, ec);
      return (ec ? c : n).string();
    }
  }
  return {};
}

}  // namespace ward::build
