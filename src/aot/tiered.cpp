// ward/aot/tiered.cpp — the tiering backend (`--backend auto`): the module is
// translated for the interpreter at once and compiled by the AOT backend in a
// background thread; each instantiation uses AOT code when it is ready.
#include <chrono>
#include <future>

#include "aot/aot.h"

namespace ward::aot {
namespace {

using AotResult = Result<std::shared_ptr<runtime::CompiledModule>>;

class TieredModule final : public runtime::CompiledModule {
 public:
  TieredModule(std::shared_ptr<runtime::CompiledModule> interp, std::shared_future<AotResult> aot)
      : m_interp(std::move(interp)), m_aot(std::move(aot)) {}
  ~TieredModule() override {
    if (m_aot.valid()) m_aot.wait();
  }
  const wasm::Module& module() const override { return m_interp->module(); }
  runtime::InstantiateResult instantiate(std::span<const runtime::Extern> imports,
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
};

class TieredBackend final : public runtime::Backend {
 public:
  explicit TieredBackend(AotOptions o) : m_interp(runtime::make_interp_backend()), m_aot(make_aot_backend(o)) {}
  std::string_view name() const override { return "auto"; }

  Result<std::shared_ptr<runtime::CompiledModule>> compile(std::shared_ptr<const wasm::Module> module,
                                                           const runtime::Limits& limits,
                                                           const runtime::CompileOptions& options) override {
    auto interp = m_interp->compile(module, limits, options);
    if (!interp) return interp.error();
    std::shared_ptr<runtime::Backend> aot = m_aot;
    std::shared_future<AotResult> fut =
        std::async(std::launch::async, [aot, module, limits, options]() { return aot->compile(module, limits, options); })
            .share();
    return std::shared_ptr<runtime::CompiledModule>(std::make_shared<TieredModule>(interp.value(), std::move(fut)));
  }

 private:
  std::unique_ptr<runtime::Backend> m_interp;
  std::shared_ptr<runtime::Backend> m_aot;
};

}  // namespace

std::unique_ptr<runtime::Backend> make_tiered_backend(AotOptions options) {
  return std::make_unique<TieredBackend>(std::move(options));
}

}  // namespace ward::aot
