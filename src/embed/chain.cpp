// ward/embed/chain.cpp — ward::Chain (include/ward/chain.h): chain::Executor
// over the embedder's ward::KvStore.
#include "embed/internal.h"

namespace ward {

Chain::Chain(KvStore& store, std::shared_ptr<Engine> engine, const Limits& limits)
    : m_impl(std::make_unique<detail::ChainImpl>()) {
  m_impl->engine = engine->impl();
  m_impl->store = std::make_unique<detail::KvAdapter>(store);
  m_impl->executor = std::make_unique<chain::Executor>(*m_impl->store, *m_impl->engine->backend,
                                                       limits, m_impl->engine->cache);
}

Chain::~Chain() = default;

Expected<DeployOutcome> Chain::deploy(std::span<const uint8_t> wasm, const Address& deployer,
                                      std::optional<std::string_view> init_method, std::string_view init_args_json,
                                      uint64_t gas_limit) {
  chain::DeployOptions o;
  o.init_method = init_method;
  o.init_args_json = init_args_json;
  o.gas_limit = gas_limit;
  auto r = m_impl->executor->deploy(wasm, deployer, o);
  if (!r) return ApiError{ErrorCode::Storage, "storage error: " + r.error().message};
  DeployOutcome d;
  d.status = static_cast<CallStatus>(r->status);
  d.address = r->address;
  d.gas_used = r->gas_used;
  d.result = std::move(r->result);
  d.error = std::move(r->error);
  for (auto& e : r->events) d.events.push_back(Event{std::move(e.name), std::move(e.data)});
  return d;
}

Outcome Chain::call(const Address& contract, std::string_view method, std::string_view args_json,
                    const Address& sender, uint64_t gas_limit, uint64_t value) {
  return detail::to_outcome(m_impl->executor->call(contract, method, args_json, sender, gas_limit, value));
}

Outcome Chain::query(const Address& contract, std::string_view method, std::string_view args_json,
                     const Address& sender, uint64_t gas_limit) {
  return detail::to_outcome(m_impl->executor->query(contract, method, args_json, sender, gas_limit));
}

Outcome Chain::transfer(const Address& from, const Address& to, uint64_t amount) {
  return detail::to_outcome(m_impl->executor->transfer(from, to, amount));
}

Expected<uint64_t> Chain::balance(const Address& address) {
  auto b = m_impl->executor->balance(address);
  if (!b) return ApiError{ErrorCode::Storage, "storage error: " + b.error().message};
  return b.value();
}

Expected<uint64_t> Chain::height() {
  auto h = m_impl->executor->height();
  if (!h) return ApiError{ErrorCode::Storage, "storage error: " + h.error().message};
  return h.value();
}

}  // namespace ward
