// ward/aot/tiered.cpp — the tiering backend (`--backend auto`): a module with
// a valid cache entry runs AOT code at once; otherwise it is translated for
// the interpreter at once and compiled by the AOT backend in a background
// thread, and each instantiation uses AOT code when it is ready. With
// AotOptions::cancel_on_release, releasing the module cancels its build.
#include <atomic>
#include <chrono>
#include <future>

#include "aot/aot.h"

namespace ward::aot {
namespace {

using AotResult = Result<std::shared_ptr<runtime::CompiledModule>>;

class TieredModule final : public runtime::CompiledModule {
 public:
  TieredModule(std::shared_ptr<runtime::CompiledModule> interp, std::shared_future<AotResult> aot,
               std::shared_ptr<std::atomic<bool>> cancel, bool cancel_on_release)
      : m_interp(std::move(interp)),
        m_aot(std::move(aot)),
        m_cancel(std::move(cancel)),
        m_cancel_on_release(cancel_on_release) {}
  /// Waits for the background build; with cancel_on_release, first tells it
  /// to stop (the compiler is killed within a few milliseconds and its
  /// folder removed), so a short-lived process exits promptly.
  ~TieredModule() override {
    if (m_cancel_on_release) m_cancel->store(true);
    if (m_aot.valid()) m_aot.wait();
  }
  const wasm::Module& module() const override { return m_interp->module(); }
  runtime::InstantiateResult do_instantiate(std::span<const runtime::Extern> imports,
                                            runtime::ExecContext& ctx) override {
    if (m_aot.valid() && m_aot.wait_for(std::chrono::seconds(0)) == std::future_status::ready) {
      const AotResult& r = m_aot.get();
      if (r.ok()) return r.value()->instantiate(imports, ctx);
    }
    return m_interp->instantiate(imports, ctx);
  }

 private:
  std::shared_ptr<runtime::CompiledModule> m_interp;
  std::shared_future<AotResult> m_aot;
  std::shared_ptr<std::atomic<bool>> m_cancel;
  bool m_cancel_on_release = false;
};

class TieredBackend final : public runtime::Backend {
 public:
  explicit TieredBackend(AotOptions o) : m_interp(runtime::make_interp_backend()), m_options(std::move(o)) {}
  std::string_view name() const override { return "auto"; }

  Result<std::shared_ptr<runtime::CompiledModule>> compile(std::shared_ptr<const wasm::Module> module,
                                                           const runtime::Limits& limits,
                                                           const runtime::CompileOptions& options) override {
    auto interp = m_interp->compile(module, limits, options);
    if (!interp) return interp.error();
    const wasm::GasSchedule* gas = wasm::gas_schedule(options.gas_revision).value();  // known: the interpreter took it
    // A valid cache entry: AOT code at once (no compiler run).
    if (m_options.use_cache) {
      if (auto cached = detail::compile_aot(module, limits, options.metering, *gas, m_options, /*cache_only=*/true)) {
        return cached;
      }
    }
    auto cancel = std::make_shared<std::atomic<bool>>(false);
    AotOptions aot_options = m_options;
    aot_options.warn = nullptr;  // a failed build just stays on the interpreter
    std::shared_future<AotResult> fut =
        std::async(std::launch::async,
                   [aot_options, module, limits, metering = options.metering, gas, cancel]() {
                     return detail::compile_aot(module, limits, metering, *gas, aot_options, false, cancel.get());
                   })
            .share();
    return std::shared_ptr<runtime::CompiledModule>(
        std::make_shared<TieredModule>(interp.value(), std::move(fut), cancel, m_options.cancel_on_release));
  }

 private:
  std::unique_ptr<runtime::Backend> m_interp;
  AotOptions m_options;
};

}  // namespace

std::unique_ptr<runtime::Backend> make_tiered_backend(AotOptions options) {
  return std::make_unique<TieredBackend>(std::move(options));
}

}  // namespace ward::aot
