// ward/build/frontend_go.cpp — the Go front end of `ward build`
// (docs/languages.md). Steps: build the SDK's helper (sdk/go/cmd/ward-go-build,
// standard library only) and run it on the source: it checks the source
// (imports allow-list, no go/select/recover, size, at least one method),
// extracts the methods (exported package-level functions whose first
// parameter is ward.Context) and writes the contract as package main, the
// generated dispatch and the ABI entries; then Go 1.23 builds a wasip1
// command (GOOS=wasip1 GOARCH=wasm, -trimpath, no build id, offline:
// GOPROXY=off GOTOOLCHAIN=local) and its `_start` export is replaced by one
// export per method, all aliases of `_start` (the dispatch asks the host
// which one was entered: ward_v1.method_size/method_read).
#include <cstdlib>
#include <filesystem>

#include "build/build_detail.h"
#include "build/source_check.h"
#include "build/wasm_edit.h"

namespace ward::build::detail {
namespace fs = std::filesystem;
namespace {

/// Go 1.23 from Debian bookworm-backports (package golang-1.23-go).
constexpr const char* k_go = "/usr/lib/go-1.23/bin/go";

class GoFrontend final : public Frontend {
 public:
  Language language() const override { return Language::Go; }
  size_t step_count(const BuildOptions&) const override { return 3; }
  Result<FrontendOutput> compile(const BuildOptions& options, const std::string& work_dir) const override;
};

/// The one .go file of a source: the file itself, or the only non-test .go
/// file of a directory.
Result<fs::path> go_source(const std::string& source) {
  std::error_code ec;
  fs::path p(source);
  if (!fs::is_directory(p, ec)) return p;
  std::vector<fs::path> files;
  for (fs::directory_iterator it(p, ec), end; !ec && it != end; it.increment(ec)) {
    const std::string name = it->path().filename().string();
    if (it->path().extension() == ".go" && !name.ends_with("_test.go")) files.push_back(it->path());
  }
  if (ec) return make_error(source + ": cannot list the directory: " + ec.message());
  if (files.size() != 1) {
    return make_error(source + ": a Go contract directory must hold exactly one .go file (found " +
                      std::to_string(files.size()) + ")");
  }
  return files.front();
}

/// The environment of `go`: offline, no toolchain switch, no cgo, no user
/// configuration.
std::vector<std::string> go_env(const std::string& work_dir) {
  std::vector<std::string> env = {"LC_ALL=C",       "PATH=/usr/lib/go-1.23/bin:/usr/bin:/bin",
                                  "GOPROXY=off",    "GOTOOLCHAIN=local",
                                  "GOFLAGS=-mod=mod", "GO111MODULE=on",
                                  "GOENV=off",      "GOWORK=off",
                                  "CGO_ENABLED=0",  "GOPATH=" + (fs::path(work_dir) / "gopath").string(),
                                  "GONOSUMDB=*"};
  // The build cache: WARD_GO_CACHE, else Go's default under HOME, else the
  // work directory (the bytes do not depend on it).
  const char* cache = std::getenv("WARD_GO_CACHE");
  const char* home = std::getenv("HOME");
  if (cache && *cache) {
    env.push_back(std::string("GOCACHE=") + cache);
  } else if (!home || !*home) {
    env.push_back("GOCACHE=" + (fs::path(work_dir) / "gocache").string());
  }
  if (home) env.push_back(std::string("HOME=") + home);
  if (const char* t = std::getenv("TMPDIR")) env.push_back(std::string("TMPDIR=") + t);
  return env;
}

Result<FrontendOutput> GoFrontend::compile(const BuildOptions& options, const std::string& work_dir) const {
  report(options, "checking source");
  std::error_code ec;
  if (!fs::exists(k_go, ec)) {
    return make_error(std::string("Go 1.23 was not found (") + k_go +
                      "); install the Debian package golang-1.23-go from bookworm-backports (scripts/install-deps)");
  }
  auto src = go_source(options.source);
  if (!src) return src.error();
  if (auto text = read_file(src->string(), k_max_source_bytes); !text) return text.error();
  const fs::path sdk = options.sdk_include_dir.empty() ? fs::path() : fs::path(options.sdk_include_dir).parent_path() / "go";
  if (sdk.empty() || !fs::exists(sdk / "ward" / "go.mod", ec) || !fs::exists(sdk / "cmd" / "ward-go-build" / "main.go", ec)) {
    return make_error("the Go SDK was not found (sdk/go/ward/go.mod beside \"" + options.sdk_include_dir + "\")");
  }
  const std::vector<std::string> env = go_env(work_dir);
  const std::string helper = (fs::path(work_dir) / "ward-go-build").string();
  auto built_helper = run_process({k_go, "build", "-C", (sdk / "cmd" / "ward-go-build").string(), "-trimpath", "-o",
                                   helper, "."},
                                  env);
  if (!built_helper) return built_helper.error();
  if (built_helper->exit_code != 0) return make_error("building the Go front end's helper failed:\n" + built_helper->err);
  const fs::path dir = fs::path(work_dir) / "contract";
  fs::create_directories(dir, ec);
  auto checked = run_process({helper, "-max-bytes", std::to_string(k_max_source_bytes), src->string(), dir.string()}, env);
  if (!checked) return checked.error();
  if (checked->exit_code != 0) return make_error(checked->err.empty() ? checked->out : checked->err);
  // The SDK is copied beside the contract and replaced by a relative path:
  // Go records the replacement in the module's build info, so an absolute
  // path would make the bytes depend on where the SDK lives.
  const fs::path sdk_copy = fs::path(work_dir) / "ward";
  fs::create_directories(sdk_copy, ec);
  for (fs::directory_iterator it(sdk / "ward", ec), end; !ec && it != end; it.increment(ec)) {
    std::error_code fec;
    if (!it->is_regular_file(fec)) continue;
    fs::copy_file(it->path(), sdk_copy / it->path().filename(), fs::copy_options::overwrite_existing, fec);
    if (fec) return make_error("copying the Go SDK: " + it->path().string() + ": " + fec.message());
  }
  if (ec) return make_error("reading the Go SDK " + (sdk / "ward").string() + ": " + ec.message());
  if (auto w = write_file((dir / "go.mod").string(),
                          "module contract\n\ngo 1.23\n\nrequire ward v0.0.0\n\nreplace ward => ../ward\n");
      !w) {
    return w.error();
  }

  report(options, "compiling (go build, GOOS=wasip1)");
  std::vector<std::string> build_env = env;
  build_env.push_back("GOOS=wasip1");
  build_env.push_back("GOARCH=wasm");
  const std::string out = (fs::path(work_dir) / "go.wasm").string();
  auto built = run_process({k_go, "build", "-C", dir.string(), "-trimpath", "-ldflags=-s -w -buildid=", "-o", out, "."},
                           build_env);
  if (!built) return built.error();
  if (built->exit_code != 0) {
    // Name the contract's file, not the copy in the work directory.
    std::string err = built->err;
    for (size_t p = 0; (p = err.find("./contract.go", p)) != std::string::npos;) {
      err.replace(p, 13, src->filename().string());
    }
    return make_error("compilation failed (go build):\n" + err);
  }

  report(options, "adding method exports");
  auto lines = read_file((dir / "abi.jsonl").string(), SIZE_MAX);
  if (!lines) return make_error("the Go front end's helper wrote no ABI: " + lines.error().message);
  auto model = model_from_abi_lines(*lines, "the Go front end's ABI");
  if (!model) return model.error();
  auto wasm = read_file(out, SIZE_MAX);
  if (!wasm) return wasm.error();
  std::vector<std::string> names;
  for (const MethodInfo& m : model->methods) names.push_back(m.name);
  auto aliased = alias_export({reinterpret_cast<const uint8_t*>(wasm->data()), wasm->size()}, "_start", names);
  if (!aliased) return make_error("adding the method exports: " + aliased.error().message);
  FrontendOutput result;
  result.wasm = std::move(*aliased);
  result.model = std::move(*model);
  result.wasm_opt_features = {"--enable-bulk-memory", "--enable-sign-ext", "--enable-nontrapping-float-to-int"};
  return result;
}

}  // namespace

std::unique_ptr<Frontend> make_go_frontend() { return std::make_unique<GoFrontend>(); }

}  // namespace ward::build::detail
