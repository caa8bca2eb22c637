// ward/aot/backend.cpp — the AOT backend: cache lookup, C generation and
// compilation, dlopen of the result (aot.h).
#include <dlfcn.h>
#include <fmt/format.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>

#include "aot/aot.h"
#include "aot/c_split.h"
#include "aot/cache.h"
#include "aot/compiler.h"
#include "aot/glue.h"
#include "aot/instrument.h"

namespace ward::aot {
namespace detail {
namespace {

/// Version of the instrumentation and glue; part of the cache key (bump on
/// any change of the generated C; the runtime headers are hashed as well).
constexpr uint32_t kCodegenVersion = 7;

std::string cache_key(const wasm::Module& m, const runtime::Limits& limits, bool metering,
                      const CompilerConfig& cc, uint64_t split_bytes) {
  std::string k = fmt::format("ward-aot abi={} codegen={} cc={} metering={} depth={} slots={} split={}/{}/{} flags=",
                              WARD_AOT_ABI, kCodegenVersion, compiler_identity(cc), metering ? 1 : 0,
                              limits.max_call_depth, limits.max_stack_slots, split_bytes, kSplitPartBytes,
                              kMaxSplitParts);
  for (const auto& f : cc.flags) k += f + " ";
  for (const char* h : {kRtWasmRtH, kRtAbiH, kRtModuleH}) k += "\n" + hash_hex(h);
  k += "\n";
  k.append(reinterpret_cast<const char*>(m.bytes.data()), m.bytes.size());
  return hash_hex(k);
}

Result<Library> open_library(const std::string& path) {
  void* h = ::dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (h == nullptr) return make_error(fmt::format("aot: cannot load {}: {}", path, ::dlerror()));
  auto* info = static_cast<const ward_aot_module_info*>(::dlsym(h, "ward_aot_module"));
  if (info == nullptr || info->abi != WARD_AOT_ABI) {
    ::dlclose(h);
    return make_error(fmt::format("aot: {} is not a Ward AOT module of ABI {}", path, WARD_AOT_ABI));
  }
  info->bind(api());
  info->init_module();
  // Never unloaded: references to its functions may live in shared tables.
  return Library{h, info};
}

}  // namespace

Result<Library> load_library(const wasm::Module& m, const runtime::Limits& limits, bool metering,
                             const AotOptions& options) {
  namespace fs = std::filesystem;
  const CompilerConfig cc = default_compiler_config();
  const uint64_t split_bytes = split_threshold(options.split_bytes);
  const std::string key = cache_key(m, limits, metering, cc, split_bytes);
  const std::string dir = options.cache_dir.empty() ? Cache::default_dir() : options.cache_dir;
  Cache cache(dir);
  if (options.use_cache) {
    if (auto p = cache.lookup(key)) return open_library(*p);
  }
  auto gen = generate_c(m, limits, metering);
  if (!gen) return gen.error();
  const std::string unit = generate_glue(m);
  std::error_code ec;
  fs::create_directories(dir, ec);
  static std::atomic<uint64_t> counter{0};
  const std::string tmp = (fs::path(dir) / fmt::format("{}.{}.{}.tmp.so", key, ::getpid(), counter++)).string();
  const auto split = split_c(gen->source, split_bytes);
  auto r = split ? compile_split_object(dir, *split, gen->header, unit, tmp, cc)
                 : compile_shared_object(dir, gen->source, gen->header, unit, tmp, cc);
  if (!r) {
    fs::remove(tmp, ec);
    return r.error();
  }
  if (!options.use_cache) return open_library(tmp);  // the file stays until the process ends
  auto stored = cache.store(key, tmp);
  if (!stored) return stored.error();
  return open_library(stored.value());
}

}  // namespace detail

namespace {

class AotBackend final : public runtime::Backend {
 public:
  explicit AotBackend(AotOptions o) : m_options(std::move(o)) {}
  std::string_view name() const override { return "aot"; }

  Result<std::shared_ptr<runtime::CompiledModule>> compile(std::shared_ptr<const wasm::Module> module,
                                                           const runtime::Limits& limits,
                                                           const runtime::CompileOptions& options) override {
    if (!module) return make_error("compile: no module");
    auto lib = detail::load_library(*module, limits, options.metering, m_options);
    if (!lib) return lib.error();
    auto cm = std::make_shared<detail::AotModule>();
    cm->m_module = std::move(module);
    cm->m_limits = limits;
    cm->m_metering = options.metering;
    cm->m_lib = lib.value();
    for (const wasm::FuncType& t : cm->m_module->types) cm->m_type_ids.push_back(runtime::canonical_type_id(t));
    return std::shared_ptr<runtime::CompiledModule>(std::move(cm));
  }

 private:
  AotOptions m_options;
};

}  // namespace

std::unique_ptr<runtime::Backend> make_aot_backend(AotOptions options) {
  return std::make_unique<AotBackend>(std::move(options));
}

}  // namespace ward::aot
