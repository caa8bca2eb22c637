// ward/embed/stores.cpp — ContractStore and KvAdapter (embed/internal.h).
// An embedder's storage may throw: every call into it is wrapped so that an
// exception becomes a storage error, never unwinds through Ward's code.
#include <exception>
#include <new>
#include <vector>

#include "embed/internal.h"

namespace ward::detail {
namespace {

/// Runs an embedder call; an exception becomes its message (bad_alloc is rethrown).
template <class F>
StorageStatus guarded(F&& f) {
  try {
    return f();
  } catch (const std::bad_alloc&) {
    throw;
  } catch (const std::exception& e) {
    return std::string(e.what());
  } catch (...) {
    return std::string("unknown exception");
  }
}

}  // namespace

ContractStore::ContractStore(ContractStorage& storage, std::string prefix)
    : m_storage(storage), m_prefix(std::move(prefix)), m_prefix_end(state::prefix_end(m_prefix)) {}

bool ContractStore::routed(std::string_view key) const noexcept { return key.starts_with(m_prefix); }

Error ContractStore::storage_error(std::string message) {
  failed = true;
  return make_error(std::move(message));
}

Result<std::optional<std::string>> ContractStore::get(std::string_view key) {
  if (!routed(key)) return m_private.get(key);
  std::optional<std::string> value;
  StorageStatus st = guarded([&] { return m_storage.get(key.substr(m_prefix.size()), value); });
  if (st) return storage_error(std::move(*st));
  return value;
}

Result<void> ContractStore::write(const state::WriteBatch& batch) {
  // The embedder's keys first: when one fails, the private part stays unchanged.
  state::WriteBatch own;
  for (const auto& op : batch.ops()) {
    if (!routed(op.key)) {
      if (op.value) own.put(op.key, *op.value);
      else own.del(op.key);
      continue;
    }
    const std::string_view key = std::string_view(op.key).substr(m_prefix.size());
    StorageStatus st = guarded([&] { return op.value ? m_storage.put(key, *op.value) : m_storage.del(key); });
    if (st) return storage_error(std::move(*st));
  }
  return own.empty() ? Result<void>() : m_private.write(own);
}

Result<void> ContractStore::scan_prefix(std::string_view prefix, const state::ScanFn& fn) {
  return scan_range(prefix, state::prefix_end(prefix), fn);
}

Result<void> ContractStore::scan_range(std::string_view start, std::string_view end, const state::ScanFn& fn) {
  const bool touches = start < m_prefix_end && (end.empty() || end > m_prefix);
  if (!touches) return m_private.scan_range(start, end, fn);
  const bool inside = start >= m_prefix && !end.empty() && end <= m_prefix_end;
  if (!inside) return storage_error("a scan may not cross the contract's storage prefix");
  const std::string_view from = start.substr(m_prefix.size());
  const std::string_view to = end == m_prefix_end ? std::string_view() : end.substr(m_prefix.size());
  std::string full = m_prefix;
  StorageStatus st = guarded([&] {
    return m_storage.scan(from, to, [&](std::string_view k, std::string_view v) {
      full.resize(m_prefix.size());
      full.append(k);
      return fn(full, v);
    });
  });
  if (st) return storage_error(std::move(*st));
  return {};
}

Result<std::optional<std::string>> KvAdapter::get(std::string_view key) {
  std::optional<std::string> value;
  StorageStatus st = guarded([&] { return m_store.get(key, value); });
  if (st) return make_error(std::move(*st));
  return value;
}

Result<void> KvAdapter::write(const state::WriteBatch& batch) {
  std::vector<ward::KvStore::WriteOp> ops;
  ops.reserve(batch.size());
  for (const auto& op : batch.ops()) {
    ops.push_back({op.key, op.value ? std::optional<std::string_view>(*op.value) : std::nullopt});
  }
  StorageStatus st = guarded([&] { return m_store.write(ops); });
  if (st) return make_error(std::move(*st));
  return {};
}

Result<void> KvAdapter::scan_prefix(std::string_view prefix, const state::ScanFn& fn) {
  const std::string end = state::prefix_end(prefix);
  if (prefix.empty()) return scan_range("", "", fn);
  // A prefix of only 0xff bytes has no end key: stop at the first key past it.
  return scan_range(prefix, end, [&](std::string_view k, std::string_view v) {
    return k.starts_with(prefix) ? fn(k, v) : false;
  });
}

Result<void> KvAdapter::scan_range(std::string_view start, std::string_view end, const state::ScanFn& fn) {
  StorageStatus st = guarded([&] { return m_store.scan(start, end, fn); });
  if (st) return make_error(std::move(*st));
  return {};
}

}  // namespace ward::detail
