// ward/state/rocksdb_store.cpp — RocksDbStore.
#include "state/rocksdb_store.h"

#include <rocksdb/db.h>
#include <rocksdb/options.h>
#include <rocksdb/write_batch.h>

namespace ward::state {
namespace {

rocksdb::Slice slice(std::string_view s) { return {s.data(), s.size()}; }

}  // namespace

RocksDbStore::RocksDbStore(std::unique_ptr<rocksdb::DB> db, std::string path, bool sync)
    : m_db(std::move(db)), m_path(std::move(path)), m_sync(sync) {}

RocksDbStore::~RocksDbStore() {
  if (m_db) (void)m_db->Close();
}

Result<std::unique_ptr<RocksDbStore>> RocksDbStore::open(const std::string& path,
                                                         const RocksDbOptions& options) {
  rocksdb::Options opts;
  opts.create_if_missing = options.create_if_missing;
  opts.info_log_level = rocksdb::InfoLogLevel::WARN_LEVEL;
  opts.keep_log_file_num = 2;
  rocksdb::DB* raw = nullptr;
  rocksdb::Status st = rocksdb::DB::Open(opts, path, &raw);
  if (!st.ok()) {
    return make_error("cannot open state database at " + path + ": " + st.ToString());
  }
  return std::unique_ptr<RocksDbStore>(
      new RocksDbStore(std::unique_ptr<rocksdb::DB>(raw), path, options.sync_writes));
}

Result<std::optional<std::string>> RocksDbStore::get(std::string_view key) {
  std::string value;
  rocksdb::Status st = m_db->Get(rocksdb::ReadOptions(), slice(key), &value);
  if (st.IsNotFound()) return std::optional<std::string>{};
  if (!st.ok()) return make_error("state database read failed: " + st.ToString());
  return std::optional<std::string>{std::move(value)};
}

Result<void> RocksDbStore::write(const WriteBatch& batch) {
  rocksdb::WriteBatch wb;
  for (const auto& op : batch.ops()) {
    rocksdb::Status st = op.value ? wb.Put(slice(op.key), slice(*op.value)) : wb.Delete(slice(op.key));
    if (!st.ok()) return make_error("state database write failed: " + st.ToString());
  }
  rocksdb::WriteOptions wo;
  wo.sync = m_sync;
  rocksdb::Status st = m_db->Write(wo, &wb);
  if (!st.ok()) return make_error("state database write failed: " + st.ToString());
  return {};
}

Result<void> RocksDbStore::scan_prefix(std::string_view prefix, const ScanFn& fn) {
  std::unique_ptr<rocksdb::Iterator> it(m_db->NewIterator(rocksdb::ReadOptions()));
  for (it->Seek(slice(prefix)); it->Valid(); it->Next()) {
    rocksdb::Slice k = it->key();
    if (!k.starts_with(slice(prefix))) break;
    rocksdb::Slice v = it->value();
    if (!fn(std::string_view(k.data(), k.size()), std::string_view(v.data(), v.size()))) break;
  }
  if (!it->status().ok()) return make_error("state database scan failed: " + it->status().ToString());
  return {};
}

Result<void> RocksDbStore::scan_range(std::string_view start, std::string_view end, const ScanFn& fn) {
  std::unique_ptr<rocksdb::Iterator> it(m_db->NewIterator(rocksdb::ReadOptions()));
  for (it->Seek(slice(start)); it->Valid(); it->Next()) {
    rocksdb::Slice k = it->key();
    std::string_view key(k.data(), k.size());
    if (!end.empty() && key >= end) break;
    rocksdb::Slice v = it->value();
    if (!fn(key, std::string_view(v.data(), v.size()))) break;
  }
  if (!it->status().ok()) return make_error("state database scan failed: " + it->status().ToString());
  return {};
}

}  // namespace ward::state
