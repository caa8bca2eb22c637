// ward/embed/c_api.cpp — the C API (include/ward/ward.h) over the C++ API.
// Every entry point catches everything: no exception crosses into C.
#include <cstdio>
#include <cstring>
#include <exception>
#include <new>
#include <string>

#include "ward/engine.h"
#include "ward/ward.h"

struct ward_engine {
  std::shared_ptr<ward::Engine> engine;
};
struct ward_code {
  std::shared_ptr<ward::Module> module;
};
struct ward_value {
  std::optional<std::string>* target;
};

namespace {

void set_error(ward_error* err, int code, const char* message) {
  if (!err) return;
  err->code = code;
  std::snprintf(err->message, sizeof err->message, "%s", message);
}
void set_error(ward_error* err, const ward::ApiError& e) {
  set_error(err, static_cast<int>(e.code), e.message.c_str());
}
void clear_error(ward_error* err) { set_error(err, WARD_OK, ""); }

/// Runs `f`, mapping exceptions to error codes; `fallback` is returned then.
template <class R, class F>
R guarded(ward_error* err, R fallback, F&& f) {
  try {
    return f();
  } catch (const std::bad_alloc&) {
    set_error(err, WARD_ERR_OUT_OF_MEMORY, "out of memory");
  } catch (const std::exception& e) {
    set_error(err, WARD_ERR_INTERNAL, e.what());
  } catch (...) {
    set_error(err, WARD_ERR_INTERNAL, "unknown exception");
  }
  return fallback;
}

/// A ContractStorage over the embedder's callbacks.
class CallbackStorage final : public ward::ContractStorage {
 public:
  CallbackStorage(const ward_host_callbacks& cb, void* user) : m_cb(cb), m_user(user) {}
  ward::StorageStatus get(std::string_view key, std::optional<std::string>& value) override {
    ward_value out{&value};
    ward_error err{};
    const int rc = m_cb.storage_get(m_user, bytes(key), key.size(), &out, &err);
    if (rc == WARD_STORAGE_FOUND) {
      if (!value) value.emplace();  // found without ward_value_set: an empty value
      return std::nullopt;
    }
    value.reset();
    if (rc == WARD_STORAGE_OK) return std::nullopt;
    return message(err, "storage_get");
  }
  ward::StorageStatus put(std::string_view key, std::string_view value) override {
    ward_error err{};
    if (m_cb.storage_put(m_user, bytes(key), key.size(), bytes(value), value.size(), &err) == WARD_STORAGE_OK)
      return std::nullopt;
    return message(err, "storage_put");
  }
  ward::StorageStatus del(std::string_view key) override {
    ward_error err{};
    if (m_cb.storage_delete(m_user, bytes(key), key.size(), &err) == WARD_STORAGE_OK) return std::nullopt;
    return message(err, "storage_delete");
  }
  ward::StorageStatus scan(std::string_view start, std::string_view end, const ward::ScanVisitor& visit) override {
    if (!m_cb.storage_scan) return std::string("storage iteration is not supported: no storage_scan callback");
    struct Ctx {
      const ward::ScanVisitor* visit;
      std::exception_ptr error;
    } ctx{&visit, nullptr};
    auto thunk = [](void* c, const uint8_t* k, size_t kl, const uint8_t* v, size_t vl) -> int {
      auto* x = static_cast<Ctx*>(c);
      try {
        return (*x->visit)(std::string_view(reinterpret_cast<const char*>(k), kl),
                           std::string_view(reinterpret_cast<const char*>(v), vl))
                   ? 0
                   : 1;
      } catch (...) {
        x->error = std::current_exception();  // never unwind through the embedder's C frames
        return 1;
      }
    };
    ward_error err{};
    const int rc = m_cb.storage_scan(m_user, bytes(start), start.size(), bytes(end), end.size(), thunk, &ctx, &err);
    if (ctx.error) std::rethrow_exception(ctx.error);
    if (rc == WARD_STORAGE_OK) return std::nullopt;
    return message(err, "storage_scan");
  }

 private:
  static const uint8_t* bytes(std::string_view s) { return reinterpret_cast<const uint8_t*>(s.data()); }
  static std::string message(const ward_error& err, const char* what) {
    const size_t n = strnlen(err.message, sizeof err.message);
    if (n == 0) return std::string(what) + " callback failed";
    return std::string(err.message, n);
  }
  ward_host_callbacks m_cb;
  void* m_user;
};

}  // namespace

struct ward_context {
  ward_context(std::shared_ptr<ward::Module> m, const ward_host_callbacks& c, void* u, uint64_t g)
      : module(std::move(m)), cb(c), user(u), gas_limit(g), storage(c, u) {}
  std::shared_ptr<ward::Module> module;
  ward_host_callbacks cb;
  void* user;
  uint64_t gas_limit;
  CallbackStorage storage;
  std::unique_ptr<ward::Contract> contract;  // after `storage`: destroyed before it
  ward::Outcome last;
};

extern "C" {

void ward_value_set(ward_value* out, const uint8_t* data, size_t len) {
  if (!out || !out->target) return;
  try {
    out->target->emplace(reinterpret_cast<const char*>(data), data ? len : 0);
  } catch (...) {
    out->target->reset();
  }
}

ward_engine* ward_engine_new(const char* backend, ward_error* err) {
  return guarded<ward_engine*>(err, nullptr, [&]() -> ward_engine* {
    auto e = ward::Engine::create(backend ? backend : "interp");
    if (!e) {
      set_error(err, e.error());
      return nullptr;
    }
    clear_error(err);
    return new ward_engine{std::move(e.value())};
  });
}

void ward_engine_free(ward_engine* engine) { delete engine; }

ward_code* ward_code_new(ward_engine* engine, const uint8_t* wasm, size_t len, ward_error* err) {
  return guarded<ward_code*>(err, nullptr, [&]() -> ward_code* {
    if (!engine || (!wasm && len > 0)) {
      set_error(err, WARD_ERR_INVALID_ARGUMENT, "ward_code_new: engine and wasm must not be NULL");
      return nullptr;
    }
    auto m = engine->engine->compile(std::span<const uint8_t>(wasm, len));
    if (!m) {
      set_error(err, m.error());
      return nullptr;
    }
    clear_error(err);
    return new ward_code{std::move(m.value())};
  });
}

void ward_code_free(ward_code* code) { delete code; }

ward_context* ward_context_new(ward_code* code, const ward_host_callbacks* cb, void* user, uint64_t gas_limit,
                               ward_error* err) {
  return guarded<ward_context*>(err, nullptr, [&]() -> ward_context* {
    if (!code || !cb) {
      set_error(err, WARD_ERR_INVALID_ARGUMENT, "ward_context_new: code and callbacks must not be NULL");
      return nullptr;
    }
    if (!cb->storage_get || !cb->storage_put || !cb->storage_delete) {
      set_error(err, WARD_ERR_INVALID_ARGUMENT,
                "ward_context_new: storage_get, storage_put and storage_delete callbacks are required");
      return nullptr;
    }
    const ward::Limits limits;
    if (gas_limit > limits.max_gas) {
      set_error(err, WARD_ERR_INVALID_ARGUMENT,
                ("ward_context_new: gas limit " + std::to_string(gas_limit) + " exceeds max_gas (" +
                 std::to_string(limits.max_gas) + ")")
                    .c_str());
      return nullptr;
    }
    auto ctx = std::make_unique<ward_context>(code->module, *cb, user, gas_limit);
    auto c = code->module->contract(ctx->storage);
    if (!c) {
      set_error(err, c.error());
      return nullptr;
    }
    ctx->contract = std::move(c.value());
    clear_error(err);
    return ctx.release();
  });
}

void ward_context_free(ward_context* ctx) { delete ctx; }

void ward_context_address(const ward_context* ctx, uint8_t out[20]) {
  if (!ctx || !out) return;
  std::memcpy(out, ctx->contract->address().data(), 20);
}

int ward_call(ward_context* ctx, const char* method, const uint8_t* args, size_t args_len, ward_call_result* out) {
  if (!out) return WARD_ERR_INVALID_ARGUMENT;
  static const char kNoMemory[] = "out of memory";
  *out = ward_call_result{WARD_STATUS_FAILED, 0, nullptr, 0, "", 0};
  if (!ctx || !method || (!args && args_len > 0)) {
    out->error = "ward_call: context and method must not be NULL";
    return WARD_ERR_INVALID_ARGUMENT;
  }
  try {
    ctx->last = ward::Outcome{};
    ward::CallInfo info;
    if (ctx->cb.sender) ctx->cb.sender(ctx->user, info.sender.data());
    if (ctx->cb.block_height) info.block_height = ctx->cb.block_height(ctx->user);
    if (ctx->cb.block_time) info.block_time = ctx->cb.block_time(ctx->user);
    std::string_view input(reinterpret_cast<const char*>(args), args ? args_len : 0);
    ctx->last = ctx->contract->call(method, input, ctx->gas_limit, info);
  } catch (const std::bad_alloc&) {
    ctx->last = ward::Outcome{};
    out->error = kNoMemory;
    return WARD_ERR_OUT_OF_MEMORY;
  } catch (...) {
    ctx->last = ward::Outcome{};
    out->error = "ward_call: internal error";
    return WARD_ERR_INTERNAL;
  }
  const ward::Outcome& o = ctx->last;
  out->status = static_cast<int>(o.status);
  out->gas_used = o.gas_used;
  out->result = o.result.empty() ? nullptr : reinterpret_cast<const uint8_t*>(o.result.data());
  out->result_len = o.result.size();
  out->error = o.error.c_str();
  out->event_count = o.ok() ? o.events.size() : 0;
  if (o.ok() && ctx->cb.event) {
    for (const ward::Event& e : o.events) ctx->cb.event(ctx->user, e.name.data(), e.name.size(), e.data.data(), e.data.size());
  }
  if (o.storage_failed) return WARD_ERR_STORAGE;
  if (!o.ok() && o.error == kNoMemory) return WARD_ERR_OUT_OF_MEMORY;
  return WARD_OK;
}

const char* ward_status_name(int status) {
  switch (status) {
    case WARD_STATUS_OK: return "ok";
    case WARD_STATUS_REVERTED: return "reverted";
    case WARD_STATUS_TRAPPED: return "trapped";
    case WARD_STATUS_FAILED: return "failed";
    default: return "unknown";
  }
}

const char* ward_version(void) { return WARD_VERSION; }

}  // extern "C"
