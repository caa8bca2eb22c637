// ward/build/build.cpp — see build.h.
#include "build/build.h"
#include "build/build_detail.h"

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
#include "build/wasm_edit.h"
#include "build/wasm_interface.h"

#include <nlohmann/json.hpp>

namespace ward::build {
namespace fs = std::filesystem;
namespace detail {

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

}  // namespace detail
using namespace detail;

Result<Toolchain> find_toolchain(const BuildOptions& options) { return find_toolchain(options, true); }

Result<Toolchain> find_toolchain(const BuildOptions& options, bool cpp) {
  Toolchain t;
  if (cpp) {
  auto clang = find_tool({"clang-14", "clang"}, "clang-14", "the C++ compiler for wasm32-wasi");
  if (!clang) return clang.error();
  t.clang = *clang;
  auto ld = find_tool({"wasm-ld-14", "wasm-ld"}, "lld-14", "the wasm linker");
  if (!ld) return ld.error();
  t.wasm_ld = *ld;
  }
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

namespace {

/// C++: libclang finds the methods, dispatch code is generated, clang and
/// wasm-ld build a WASI reactor.
class CppFrontend final : public Frontend {
 public:
  Language language() const override { return Language::Cpp; }
  size_t step_count(const BuildOptions&) const override { return 5; }
  Result<FrontendOutput> compile(const BuildOptions& options, const std::string& work_dir) const override;
};

Result<FrontendOutput> CppFrontend::compile(const BuildOptions& options, const std::string& work_dir) const {
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
  auto file = [&](std::string_view name) { return (fs::path(work_dir) / name).string(); };
  const std::string object = file("contract.o");
  const std::string linked = file("linked.wasm");

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
  const std::string unit = file(fs::path(options.source).stem().string() + ".ward.cpp");
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
  FrontendOutput result;
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

  auto bytes = read_file(linked, SIZE_MAX);
  if (!bytes) return bytes.error();
  result.wasm = std::move(*bytes);
  result.model = std::move(parsed.model);
  return result;
}

/// The `name = "..."` of a Cargo.toml's [package] (or [lib]) table, '-' as '_'.
std::string crate_name(const std::string& manifest) {
  std::string section, package, lib;
  size_t pos = 0;
  while (pos < manifest.size()) {
    size_t nl = manifest.find('\n', pos);
    std::string line = manifest.substr(pos, nl == std::string::npos ? std::string::npos : nl - pos);
    pos = nl == std::string::npos ? manifest.size() : nl + 1;
    line.erase(0, line.find_first_not_of(" \t"));
    if (line.starts_with("[")) {
      section = line.substr(0, line.find(']') + 1);
      continue;
    }
    if (!line.starts_with("name")) continue;
    size_t q1 = line.find('"'), q2 = q1 == std::string::npos ? q1 : line.find('"', q1 + 1);
    if (q2 == std::string::npos) continue;
    std::string v = line.substr(q1 + 1, q2 - q1 - 1);
    if (section == "[package]" && package.empty()) package = v;
    if (section == "[lib]" && lib.empty()) lib = v;
  }
  std::string name = lib.empty() ? package : lib;
  std::replace(name.begin(), name.end(), '-', '_');
  return name;
}


}  // namespace

Result<ContractModel> detail::model_from_abi_lines(const std::string& text, std::string_view what) {
  ContractModel model;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t nl = text.find('\n', pos);
    if (nl == std::string::npos) nl = text.size();
    std::string line = text.substr(pos, nl - pos);
    pos = nl + 1;
    if (line.empty()) continue;
    try {
      auto j = nlohmann::json::parse(line);
      MethodInfo m;
      m.name = j.at("name").get<std::string>();
      m.cpp_name = m.name;
      for (const auto& p : j.at("params")) m.params.push_back({p.at("name").get<std::string>(), p.at("type").get<std::string>()});
      m.returns = j.at("returns").is_null() ? "void" : j.at("returns").get<std::string>();
      m.read_only = j.at("readonly").get<bool>();
      m.payable = j.at("payable").get<bool>();
      model.methods.push_back(std::move(m));
    } catch (const std::exception& ex) {
      return make_error(std::string(what) + " holds a bad entry (" + ex.what() + "): " + line);
    }
  }
  return model;
}

namespace {

/// Rust: Debian's cargo and rustc build the crate for wasm32-unknown-unknown
/// offline against /usr/share/cargo/registry; the ward-macros write each
/// method's ABI entry into the custom section "ward_abi", read and stripped here.
class RustFrontend final : public Frontend {
 public:
  Language language() const override { return Language::Rust; }
  size_t step_count(const BuildOptions&) const override { return 3; }
  Result<FrontendOutput> compile(const BuildOptions& options, const std::string& work_dir) const override;
};

Result<FrontendOutput> RustFrontend::compile(const BuildOptions& options, const std::string& work_dir) const {
  report(options, "checking source");
  std::error_code ec;
  fs::path src = fs::absolute(options.source, ec);
  fs::path manifest;
  if (fs::is_directory(src, ec)) {
    manifest = src / "Cargo.toml";
  } else if (src.filename() == "Cargo.toml") {
    manifest = src;
  } else {
    for (fs::path dir = src.parent_path(); !dir.empty(); dir = dir.parent_path()) {
      if (fs::exists(dir / "Cargo.toml", ec)) {
        manifest = dir / "Cargo.toml";
        break;
      }
      if (dir == dir.parent_path()) break;
    }
    if (manifest.empty()) return make_error(options.source + ": no Cargo.toml in its directory or above");
  }
  auto text = read_file(manifest.string(), k_max_source_bytes);
  if (!text) return text.error();
  const std::string name = crate_name(*text);
  if (name.empty()) return make_error(manifest.string() + ": no [package] name");
  if (text->find("cdylib") == std::string::npos) {
    return make_error(manifest.string() + ": a contract crate needs [lib] crate-type = [\"cdylib\"]");
  }
  const std::string cargo = "/usr/bin/cargo", rustc = "/usr/bin/rustc";
  if (!fs::exists(cargo, ec) || !fs::exists(rustc, ec)) {
    return make_error("Debian's Rust toolchain was not found (/usr/bin/cargo, /usr/bin/rustc); install the Debian "
                      "packages cargo rustc libstd-rust-dev-wasm32");
  }
  if (!fs::exists("/usr/lib/rustlib/wasm32-unknown-unknown", ec)) {
    return make_error("the Rust standard library for wasm32-unknown-unknown was not found; install the Debian "
                      "package libstd-rust-dev-wasm32");
  }
  const fs::path home = fs::path(work_dir) / "cargo-home";
  fs::create_directories(home, ec);
  // Offline, against Debian's crates; size-optimised, panics abort.
  if (auto w = write_file((home / "config.toml").string(),
                          "[source.crates-io]\nreplace-with = \"debian\"\n"
                          "[source.debian]\ndirectory = \"/usr/share/cargo/registry\"\n"
                          "[net]\noffline = true\n"
                          "[profile.release]\nopt-level = \"z\"\nlto = true\npanic = \"abort\"\n"
                          "codegen-units = 1\ndebug = false\nincremental = false\n");
      !w) {
    return w.error();
  }
  std::string target_dir = (fs::path(work_dir) / "target").string();
  if (const char* t = std::getenv("WARD_CARGO_TARGET_DIR"); t && *t) target_dir = t;
  std::vector<std::string> env = {"LC_ALL=C", "PATH=/usr/bin:/bin", "CARGO_HOME=" + home.string(), "RUSTC=" + rustc,
                                  "RUSTFLAGS=--remap-path-prefix=" + manifest.parent_path().string() + "=/contract" +
#ifdef WARD_SOURCE_DIR
                                      " --remap-path-prefix=" + std::string(WARD_SOURCE_DIR) + "=/ward" +
#endif
                                      " --remap-path-prefix=" + home.string() + "=/cargo"};
  if (const char* h = std::getenv("HOME")) env.push_back(std::string("HOME=") + h);
  if (const char* t = std::getenv("TMPDIR")) env.push_back(std::string("TMPDIR=") + t);
  report(options, "compiling (cargo)");
  auto built = run_process({cargo, "build", "--release", "--offline", "--target", "wasm32-unknown-unknown",
                            "--manifest-path", manifest.string(), "--target-dir", target_dir},
                           env);
  if (!built) return built.error();
  if (built->exit_code != 0) return make_error("compilation failed (cargo):\n" + built->err);
  report(options, "reading the ABI (section ward_abi)");
  const std::string wasm_path = (fs::path(target_dir) / "wasm32-unknown-unknown" / "release" / (name + ".wasm")).string();
  auto bytes = read_file(wasm_path, SIZE_MAX);
  if (!bytes) return bytes.error();
  auto split = split_custom_section({reinterpret_cast<const uint8_t*>(bytes->data()), bytes->size()}, "ward_abi");
  if (!split) return split.error();
  if (!split->found) {
    return make_error(options.source + ": the crate has no contract methods (no ward_abi section): mark a module "
                      "#[ward::contract] and its methods #[ward::export] or #[ward::view]");
  }
  auto model = model_from_abi_lines(split->section, "the ward_abi section");
  if (!model) return model.error();
  FrontendOutput out;
  out.wasm = std::move(split->module);
  out.model = std::move(*model);
  out.diagnostics = built->err.find("warning") != std::string::npos ? built->err : std::string();
  return out;
}


/// AssemblyScript: Node.js runs asc (sdk/as/node_modules, pinned by
/// sdk/as/package-lock.json) with the SDK's transform, which generates the
/// `() -> ()` method wrappers and writes the ABI entries to a file.
class AsFrontend final : public Frontend {
 public:
  Language language() const override { return Language::AssemblyScript; }
  size_t step_count(const BuildOptions&) const override { return 3; }
  Result<FrontendOutput> compile(const BuildOptions& options, const std::string& work_dir) const override;
};

Result<FrontendOutput> AsFrontend::compile(const BuildOptions& options, const std::string& work_dir) const {
  report(options, "checking source");
  std::error_code ec;
  auto source = read_file(options.source, k_max_source_bytes);
  if (!source) return source.error();
  const fs::path src = fs::absolute(options.source, ec);
  const fs::path sdk = options.sdk_include_dir.empty() ? fs::path() : fs::path(options.sdk_include_dir).parent_path() / "as";
  const fs::path asc = sdk / "node_modules" / "assemblyscript" / "bin" / "asc.js";
  if (sdk.empty() || !fs::exists(sdk / "assembly" / "index.ts", ec) || !fs::exists(sdk / "transform.mjs", ec)) {
    return make_error("the AssemblyScript SDK was not found (sdk/as/assembly/index.ts beside \"" +
                      options.sdk_include_dir + "\")");
  }
  if (!fs::exists(asc, ec)) {
    return make_error("the AssemblyScript compiler was not found (" + asc.string() +
                      "); run scripts/install-deps (npm ci in sdk/as)");
  }
  auto node = find_program("node");
  if (!node) return make_error("node not found on PATH (the AssemblyScript compiler runs on Node.js)");
  const fs::path base = src.parent_path();
  std::string index = fs::relative(sdk / "assembly" / "index", base, ec).generic_string();
  if (ec || index.empty()) index = (sdk / "assembly" / "index").generic_string();
  const std::string abi_file = (fs::path(work_dir) / "abi.jsonl").string();
  const std::string out = (fs::path(work_dir) / "as.wasm").string();
  std::vector<std::string> env = tool_env();
  env.push_back("WARD_AS_ABI_OUT=" + abi_file);
  report(options, "compiling (asc)");
  auto built = run_process({*node, asc.string(), "--baseDir", base.string(), src.filename().string(), "--transform",
                            (sdk / "transform.mjs").string(), "--runtime", "stub",
                            // Only WebAssembly 1.0: every backend runs it.
                            "--disable", "sign-extension,mutable-globals,nontrapping-f2i,bulk-memory",
                            "--use", "abort=" + index + "/wardAbort", "--use", "trace=" + index + "/wardTrace",
                            "--use", "seed=" + index + "/wardSeed", options.optimize ? "-Oz" : "-O0", "--noAssert",
                            "--noColors", "-o", out},
                           env);
  if (!built) return built.error();
  if (built->exit_code != 0) {
    return make_error("compilation failed (asc):\n" + (built->err.empty() ? built->out : built->err));
  }
  report(options, "reading the ABI (transform)");
  auto wasm = read_file(out, SIZE_MAX);
  if (!wasm) return wasm.error();
  auto lines = read_file(abi_file, SIZE_MAX);
  if (!lines) return make_error("the transform wrote no ABI: " + lines.error().message);
  auto model = model_from_abi_lines(*lines, "the transform's ABI");
  if (!model) return model.error();
  FrontendOutput result;
  result.wasm = std::move(*wasm);
  result.model = std::move(*model);
  return result;
}
}  // namespace

std::string_view language_name(Language language) {
  switch (language) {
    case Language::Cpp: return "C++";
    case Language::Rust: return "Rust";
    case Language::AssemblyScript: return "AssemblyScript";
    case Language::Go: return "Go";
  }
  return "?";
}

Result<Language> detect_language(std::string_view source) {
  std::error_code ec;
  fs::path p(source);
  if (fs::is_directory(p, ec)) {
    if (fs::exists(p / "Cargo.toml", ec)) return Language::Rust;
    if (fs::exists(p / "go.mod", ec)) return Language::Go;
    return make_error(std::string(source) + ": a directory without Cargo.toml or go.mod");
  }
  std::string ext = p.extension().string();
  if (p.filename() == "Cargo.toml" || ext == ".rs") return Language::Rust;
  if (ext == ".cpp" || ext == ".cc" || ext == ".cxx") return Language::Cpp;
  if (ext == ".ts") return Language::AssemblyScript;
  if (ext == ".go") return Language::Go;
  return make_error(std::string(source) + ": unknown contract language (expected .cpp, .rs, Cargo.toml, a crate "
                    "directory, .ts or .go)");
}

Result<std::unique_ptr<Frontend>> make_frontend(Language language) {
  switch (language) {
    case Language::Cpp: return std::unique_ptr<Frontend>(new CppFrontend());
    case Language::Rust: return std::unique_ptr<Frontend>(new RustFrontend());
    case Language::AssemblyScript: return std::unique_ptr<Frontend>(new AsFrontend());
    case Language::Go: return make_go_frontend();
  }
  return make_error("unknown language");
}

size_t build_step_count(const BuildOptions& options) {
  auto language = detect_language(options.source);
  auto frontend = make_frontend(language ? *language : Language::Cpp);
  size_t front = frontend ? (*frontend)->step_count(options) : 1;
  return front + (options.optimize ? 3 : 2);
}

Result<BuildOutput> build_contract(const BuildOptions& in) {
  BuildOptions options = in;
  if (options.output.empty()) return make_error("no output file given");
  if (options.sdk_include_dir.empty()) options.sdk_include_dir = default_sdk_include_dir("");
  auto language = detect_language(options.source);
  if (!language) return language.error();
  auto frontend = make_frontend(*language);
  if (!frontend) return frontend.error();
  auto tmp = TempDir::create();
  if (!tmp) return tmp.error();
  auto front = (*frontend)->compile(options, tmp->file(""));
  if (!front) return front.error();
  BuildOutput result;
  result.diagnostics = std::move(front->diagnostics);
  auto tools = find_toolchain(options, false);
  if (!tools) return tools.error();
  const std::string linked = tmp->file("finish-linked.wasm");
  const std::string optimized = tmp->file("optimized.wasm");
  if (auto w = write_file(linked, front->wasm); !w) return w.error();

  // Finish, for every language. Optimise for size, explicitly.
  std::string final_module = linked;
  if (options.optimize) {
    report(options, "optimizing (wasm-opt -Oz)");
    std::vector<std::string> argv = {tools->wasm_opt, linked, "-Oz"};
    if (front->wasm_opt_features.empty()) {
      argv.push_back("--mvp-features");
    } else {
      argv.insert(argv.end(), front->wasm_opt_features.begin(), front->wasm_opt_features.end());
    }
    for (const char* a : {"--strip-debug", "--strip-producers", "-o"}) argv.push_back(a);
    argv.push_back(optimized);
    auto opt = run_tool(argv, "wasm-opt");
    if (!opt) return opt.error();
    final_module = optimized;
  }

  // Check the interface against the model and validate.
  report(options, "validating");
  auto bytes = read_file(final_module, SIZE_MAX);
  if (!bytes) return bytes.error();
  // Too many data segments for the deploy limit: merge neighbours.
  auto merged = merge_data_segments({reinterpret_cast<const uint8_t*>(bytes->data()), bytes->size()},
                                    k_max_build_data_segments);
  if (!merged) return make_error("merging data segments: " + merged.error().message);
  if (merged->size() != bytes->size() || *merged != *bytes) {
    *bytes = std::move(*merged);
    final_module = tmp->file("merged.wasm");
    if (auto w = write_file(final_module, *bytes); !w) return w.error();
  }
  auto iface = read_module_interface(
      {reinterpret_cast<const uint8_t*>(bytes->data()), bytes->size()});
  if (!iface) return iface.error();
  auto methods = check_interface(*iface);
  if (!methods) return methods.error();
  const ContractModel& model = front->model;
  for (const MethodInfo& m : model.methods) {
    if (std::find(methods->begin(), methods->end(), m.name) == methods->end()) {
      return make_error("method " + m.name + " is missing from the module's exports");
    }
  }
  if (methods->size() != model.methods.size()) {
    for (const std::string& name : *methods) {
      bool known = false;
      for (const MethodInfo& m : model.methods) known = known || m.name == name;
      if (!known) {
        return make_error("the module exports \"" + name +
                          "\", which is not a method of the source; mark methods with " +
                          std::string(*language == Language::Rust             ? "#[ward::export]"
                                      : *language == Language::AssemblyScript ? "@method"
                                      : *language == Language::Go ? "a ward.Context first parameter"
                                                                              : "WARD_EXPORT"));
      }
    }
  }
  if (options.validate) {
    auto val = run_tool({tools->wasm_validate, final_module}, "wasm-validate");
    if (!val) return val.error();
  }

  // Write the module and its ABI.
  report(options, "writing ABI");
  if (auto w = write_file(options.output, *bytes); !w) return w.error();
  result.output_path = options.output;
  result.abi_path = abi_path_for(options.output);
  for (const MethodInfo& m : front->model.methods) result.methods.push_back(m.name);
  result.model = std::move(front->model);
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
