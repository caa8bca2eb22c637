// ward/interp/backend.cpp — the interpreter backend: compiles every defined
// function once into internal code (runtime/backend.h).
#include <fmt/format.h>

#include "interp/interp.h"

namespace ward::interp {
namespace {

class InterpBackend final : public runtime::Backend {
 public:
  std::string_view name() const override { return "interp"; }

  Result<std::shared_ptr<runtime::CompiledModule>> compile(std::shared_ptr<const wasm::Module> module,
                                                           const runtime::Limits& limits,
                                                           const runtime::CompileOptions& options) override {
    if (!module) return make_error("compile: no module");
    auto gas = wasm::gas_schedule(options.gas_revision);
    if (!gas) return gas.error();
    auto cm = std::make_shared<detail::InterpModule>();
    cm->m_module = module;
    cm->m_limits = limits;
    cm->m_metering = options.metering;
    cm->m_gas = gas.value();
    cm->m_type_ids.reserve(module->types.size());
    for (const wasm::FuncType& t : module->types) cm->m_type_ids.push_back(runtime::canonical_type_id(t));
    cm->m_funcs.resize(module->functions.size());
    size_t body_bytes = 0;
    for (const wasm::Function& f : module->functions) body_bytes += f.body_size;
    cm->m_code.reserve(body_bytes * 2 + 16);
    for (uint32_t i = 0; i < module->functions.size(); ++i) {
      Result<void> r = detail::translate_function(*module, i, options.metering, *cm->m_gas, cm->m_code,
                                                          cm->m_funcs[i]);
      if (!r) return r.error();
    }
    cm->m_code.shrink_to_fit();
    return std::shared_ptr<runtime::CompiledModule>(std::move(cm));
  }
};

}  // namespace
}  // namespace ward::interp

namespace ward::runtime {

std::unique_ptr<Backend> make_interp_backend() { return std::make_unique<interp::InterpBackend>(); }

}  // namespace ward::runtime
