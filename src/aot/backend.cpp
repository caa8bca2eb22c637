// ward/aot/backend.cpp — the AOT backend: cache lookup, C generation and
// compilation, dlopen of the result (aot.h).
#include <dlfcn.h>
#include <fmt/format.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <string_view>
#include <map>
#include <mutex>

#include "aot/aot.h"
#include "aot/c_split.h"
#include "aot/cache.h"
#include "aot/compiler.h"
#include "aot/glue.h"
#include "aot/instrument.h"
#include "aot/rt_support.h"

namespace ward::aot {
namespace detail {
namespace {

/// Version of the instrumentation and glue; part of the cache key (bump on
/// any change of the generated C; the runtime headers are hashed as well).
constexpr uint32_t kCodegenVersion = 17;  // 17: compiler barriers around guard-page stores, global.set and bulk/table writes

std::string cache_key(const wasm::Module& m, const runtime::Limits& limits, bool metering,
                      const wasm::GasSchedule& gas, bool guard_pages, const CompilerConfig& cc, uint64_t split_bytes) {
  std::string k = fmt::format(
      "ward-aot abi={} codegen={} cc={} metering={} gas={} guard={} depth={} slots={} split={}/{}/{} flags=",
      WARD_AOT_ABI, kCodegenVersion, compiler_identity(cc), metering ? 1 : 0, gas.revision, guard_pages ? 1 : 0,
      limits.max_call_depth, limits.max_stack_slots, split_bytes, kSplitPartBytes, kMaxSplitParts);
  for (const auto& f : cc.flags) k += f + " ";
  for (const char* h : {kRtWasmRtH, kRtAbiH, kRtModuleH}) k += "\n" + hash_hex(h);
  k += "\n";
  k.append(reinterpret_cast<const char*>(m.bytes.data()), m.bytes.size());
  return hash_hex(k);
}

/// Loads object bytes that were verified (read from a trusted cache entry)
/// or just built: they are copied into a fresh private file named after
/// their digest, dlopen'ed through the cache folder's descriptor, and the
/// file is unlinked. An object already loaded in this process (same digest)
/// is reused. No code of an unverified file ever runs. Returns the module
/// descriptors named `symbols`, in order, each bound to Ward's API and
/// initialised once.
Result<std::vector<Library>> load_object_symbols(const Cache& cache, const std::string& bytes,
                                                 const std::vector<std::string>& symbols) {
  static std::mutex mu;
  static std::map<std::string, void*> loaded;  // handles by digest; never unloaded
  static std::map<std::pair<void*, std::string>, Library> bound;  // descriptors already initialised
  const std::string digest = hash_hex(bytes);
  std::lock_guard<std::mutex> lock(mu);
  void* h = nullptr;
  bool fresh = false;  // opened by this call: closed again when it is not a Ward module
  if (auto it = loaded.find(digest); it != loaded.end()) {
    h = it->second;
  } else {
    fresh = true;
    auto name = cache.write_temp("load-" + digest, bytes);
    if (!name) return name.error();
    std::string path = fmt::format("/proc/self/fd/{}/{}", cache.dir_fd(), *name);
    if (::access(path.c_str(), F_OK) != 0) path = (std::filesystem::path(cache.dir()) / *name).string();
    h = ::dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
    const std::string why = h == nullptr ? ::dlerror() : "";
    ::unlinkat(cache.dir_fd(), name->c_str(), 0);  // the mapping stays
    if (h == nullptr) return make_error(fmt::format("aot: cannot load the object {}: {}", digest, why));
    // Never unloaded: references to its functions may live in shared tables.
    loaded.emplace(digest, h);
  }
  std::vector<Library> out;
  for (const std::string& symbol : symbols) {
    if (auto it = bound.find({h, symbol}); it != bound.end()) {
      out.push_back(it->second);
      continue;
    }
    auto* info = static_cast<const ward_aot_module_info*>(::dlsym(h, symbol.c_str()));
    if (info == nullptr || info->abi != WARD_AOT_ABI) {
      if (fresh && out.empty()) {  // nothing of it was initialised: unload it
        ::dlclose(h);
        loaded.erase(digest);
      }
      return make_error(
          fmt::format("aot: object {} has no Ward AOT module {} of ABI {}", digest, symbol, WARD_AOT_ABI));
    }
    info->bind(api());
    info->init_module();
    Library lib{h, info};
    bound.emplace(std::make_pair(h, symbol), lib);
    out.push_back(lib);
  }
  return out;
}

Result<Library> load_object(const Cache& cache, const std::string& bytes) {
  auto libs = load_object_symbols(cache, bytes, {"ward_aot_module"});
  if (!libs) return libs.error();
  return libs.value().front();
}

/// The compiled module around a loaded library.
std::shared_ptr<AotModule> make_module(std::shared_ptr<const wasm::Module> module, const runtime::Limits& limits,
                                       bool metering, const wasm::GasSchedule& gas, bool guard, const Library& lib,
                                       const AotOptions& options) {
  auto cm = std::make_shared<AotModule>();
  cm->m_module = std::move(module);
  cm->m_limits = limits;
  cm->m_metering = metering;
  cm->m_gas = &gas;
  cm->m_guard_pages = guard;
  cm->m_lib = lib;
  cm->m_options = options;
  cm->m_options.warn = nullptr;  // the module may outlive whoever receives the notices
  for (const wasm::FuncType& t : cm->m_module->types) cm->m_type_ids.push_back(runtime::canonical_type_id(t));
  return cm;
}

}  // namespace

bool guard_pages_usable(const AotOptions& options) {
#if defined(__linux__) && (defined(__x86_64__) || defined(__aarch64__))
  if (!options.guard_pages) return false;
  static const bool env_off = [] {
    const char* e = std::getenv("WARD_AOT_GUARD_PAGES");
    return e != nullptr && std::string_view(e) == "0";
  }();
  return !env_off && ward_aot_install_fault_handler() == 0;
#else
  (void)options;
  return false;
#endif
}

Result<Library> load_library(const wasm::Module& m, const runtime::Limits& limits, bool metering,
                             const wasm::GasSchedule& gas, bool guard_pages, const AotOptions& options, bool cache_only,
                             const std::atomic<bool>* cancel) {
  CompilerConfig cc = default_compiler_config();
  cc.cancel = cancel;
  const uint64_t split_bytes = split_threshold(options.split_bytes);
  const std::string key = cache_key(m, limits, metering, gas, guard_pages, cc, split_bytes);
  auto cache = Cache::open(options.cache_dir.empty() ? Cache::default_location() : CacheLocation{options.cache_dir, ""});
  if (!cache) return cache.error();
  if (options.use_cache || cache_only) {
    Cache::Entry e = cache->lookup(key);
    if (e.state == Cache::State::Valid) return load_object(*cache, e.bytes);
    if (cache_only) return make_error("aot: no valid cache entry");
    // Missing or Invalid: (re)build below; store() replaces a bad entry.
  }
  // Build folders and temporaries of processes that died (a build step is
  // killed after wall_seconds, so anything untouched for twice that is dead).
  cache->remove_stale(std::chrono::seconds(2 * uint64_t{cc.wall_seconds}));
  const auto cancelled = [&] { return cancel != nullptr && cancel->load(); };
  if (cancelled()) return make_error("aot: the build was cancelled");
  auto gen = generate_c(m, limits, metering, guard_pages, gas);
  if (!gen) return gen.error();
  if (cancelled()) return make_error("aot: the build was cancelled");
  const std::string unit = generate_glue(m, gas);
  const auto split = split_c(gen->source, split_bytes);
  auto object = split ? compile_split_object(cache->dir(), *split, gen->header, unit, cc)
                      : compile_shared_object(cache->dir(), gen->source, gen->header, unit, cc);
  if (!object) return object.error();
  if (options.use_cache) {
    if (auto stored = cache->store(key, object.value()); !stored && options.warn) options.warn(stored.error().message);
  }
  return load_object(*cache, object.value());
}

Result<std::shared_ptr<runtime::CompiledModule>> compile_aot(std::shared_ptr<const wasm::Module> module,
                                                             const runtime::Limits& limits, bool metering,
                                                             const wasm::GasSchedule& gas, const AotOptions& options,
                                                             bool cache_only, const std::atomic<bool>* cancel) {
  if (!module) return make_error("compile: no module");
  const bool guard = guard_pages_usable(options);
  auto lib = load_library(*module, limits, metering, gas, guard, options, cache_only, cancel);
  if (!lib) return lib.error();
  return std::shared_ptr<runtime::CompiledModule>(
      make_module(std::move(module), limits, metering, gas, guard, *lib, options));
}

std::vector<Result<std::shared_ptr<runtime::CompiledModule>>> compile_aot_batch(
    std::span<const std::shared_ptr<const wasm::Module>> modules, const runtime::Limits& limits, bool metering,
    const AotOptions& options, const wasm::GasSchedule& gas) {
  using Compiled = Result<std::shared_ptr<runtime::CompiledModule>>;
  std::vector<Compiled> out(modules.size(), Compiled(make_error("aot: not built")));
  const bool guard = guard_pages_usable(options);
  const CompilerConfig cc = default_compiler_config();
  const uint64_t split_bytes = split_threshold(options.split_bytes);
  auto cache = Cache::open(options.cache_dir.empty() ? Cache::default_location() : CacheLocation{options.cache_dir, ""});
  if (!cache) {
    for (Compiled& c : out) c = cache.error();
    return out;
  }
  cache->remove_stale(std::chrono::seconds(2 * uint64_t{cc.wall_seconds}));
  std::vector<BatchUnit> units;
  std::vector<size_t> unit_module;  // module index of each unit
  for (size_t i = 0; i < modules.size(); ++i) {
    if (!modules[i]) {
      out[i] = make_error("compile: no module");
      continue;
    }
    auto gen = generate_c(*modules[i], limits, metering, guard, gas);
    if (!gen) {
      out[i] = gen.error();
      continue;
    }
    if (split_c(gen->source, split_bytes)) {  // too large for one unit: a build of its own
      out[i] = compile_aot(modules[i], limits, metering, gas, options);
      continue;
    }
    units.push_back({std::move(gen->source), std::move(gen->header),
                     generate_glue(*modules[i], gas, fmt::format("ward_aot_module_{}", units.size()))});
    unit_module.push_back(i);
  }
  if (units.empty()) return out;
  auto object = compile_batch_object(cache->dir(), units, cc);
  if (!object) {
    for (size_t u = 0; u < units.size(); ++u) out[unit_module[u]] = object.error();
    return out;
  }
  std::vector<std::string> symbols;
  std::vector<size_t> symbol_unit;
  for (size_t u = 0; u < units.size(); ++u) {
    if (!object->unit_errors[u].empty()) {
      out[unit_module[u]] = make_error(object->unit_errors[u]);
      continue;
    }
    symbols.push_back(fmt::format("ward_aot_module_{}", u));
    symbol_unit.push_back(u);
  }
  auto libs = load_object_symbols(*cache, object->object, symbols);
  for (size_t k = 0; k < symbol_unit.size(); ++k) {
    const size_t i = unit_module[symbol_unit[k]];
    if (!libs) {
      out[i] = libs.error();
      continue;
    }
    out[i] = std::shared_ptr<runtime::CompiledModule>(
        make_module(modules[i], limits, metering, gas, guard, (*libs)[k], options));
  }
  return out;
}

Result<Library> AotModule::library_for(const runtime::Memory* memory) const {
  if (!m_guard_pages || memory == nullptr || memory->guarded()) return m_lib;
  std::lock_guard<std::mutex> lock(m_checked_mu);
  if (m_checked.info != nullptr) return m_checked;
  auto lib = load_library(*m_module, m_limits, m_metering, *m_gas, /*guard_pages=*/false, m_options);
  if (!lib) return lib.error();
  m_checked = lib.value();
  return m_checked;
}

}  // namespace detail

namespace {

class AotBackend final : public runtime::Backend {
 public:
  explicit AotBackend(AotOptions o) : m_options(std::move(o)), m_interp(runtime::make_interp_backend()) {}
  std::string_view name() const override { return "aot"; }

  Result<std::shared_ptr<runtime::CompiledModule>> compile(std::shared_ptr<const wasm::Module> module,
                                                           const runtime::Limits& limits,
                                                           const runtime::CompileOptions& options) override {
    auto gas = wasm::gas_schedule(options.gas_revision);
    if (!gas) return gas.error();  // the same refusal on every backend, never an interpreter fallback
    auto cm = detail::compile_aot(module, limits, options.metering, *gas.value(), m_options);
    if (cm || !m_options.interp_fallback || !module) return cm;
    if (m_options.warn) m_options.warn(cm.error().message + "; running on the interpreter");
    return m_interp->compile(std::move(module), limits, options);
  }

 private:
  AotOptions m_options;
  std::unique_ptr<runtime::Backend> m_interp;
};

}  // namespace

std::unique_ptr<runtime::Backend> make_aot_backend(AotOptions options) {
  return std::make_unique<AotBackend>(std::move(options));
}

}  // namespace ward::aot
