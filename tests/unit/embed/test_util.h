// tests/unit/embed/test_util.h — helpers of the embedding API tests: reading
// files, compiling wat text with wat2wasm, and an in-memory ContractStorage
// that can be told to fail.
#pragma once

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "ward/engine.h"

namespace ward::test {

inline std::vector<uint8_t> read_bytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  const std::string s = ss.str();
  return {s.begin(), s.end()};
}

inline std::vector<uint8_t> counter_wasm() { return read_bytes(WARD_COUNTER_WASM); }

/// Compiles wat text to wasm bytes with wat2wasm (empty on failure).
inline std::vector<uint8_t> wat(const std::string& text) {
  char dir[] = "/tmp/ward-embed-wat-XXXXXX";
  if (!mkdtemp(dir)) return {};
  const std::string src = std::string(dir) + "/m.wat", out = std::string(dir) + "/m.wasm";
  std::ofstream(src) << text;
  const std::string cmd = std::string(WARD_WAT2WASM) + " " + src + " -o " + out;
  std::vector<uint8_t> bytes;
  if (std::system(cmd.c_str()) == 0) bytes = read_bytes(out);
  std::remove(src.c_str());
  std::remove(out.c_str());
  std::remove(dir);
  return bytes;
}

/// An in-memory ContractStorage; fail_* make the next operations fail.
class MemStorage : public ContractStorage {
 public:
  std::map<std::string, std::string, std::less<>> data;
  bool fail_get = false, fail_put = false;
  int gets = 0, puts = 0;
  StorageStatus get(std::string_view key, std::optional<std::string>& value) override {
    ++gets;
    if (fail_get) return std::string("disk on fire");
    auto it = data.find(key);
    if (it == data.end()) value.reset();
    else value = it->second;
    return std::nullopt;
  }
  StorageStatus put(std::string_view key, std::string_view value) override {
    ++puts;
    if (fail_put) return std::string("disk full");
    data[std::string(key)] = std::string(value);
    return std::nullopt;
  }
  StorageStatus del(std::string_view key) override {
    data.erase(std::string(key));
    return std::nullopt;
  }
  bool can_scan = true;
  StorageStatus scan(std::string_view start, std::string_view end, const ScanVisitor& visit) override {
    if (!can_scan) return ContractStorage::scan(start, end, visit);
    for (auto it = data.lower_bound(start); it != data.end() && (end.empty() || it->first < end); ++it) {
      if (!visit(it->first, it->second)) break;
    }
    return std::nullopt;
  }
};

/// A contract that iterates its storage: fill writes k1, k2, k3 and z;
/// count_k counts the keys starting with "k", count_all every key (one digit).
inline const char* kIterWat = R"((module
  (import "ward_v1" "storage_put" (func $put (param i32 i32 i32 i32)))
  (import "ward_v1" "storage_iter_prefix" (func $ip (param i32 i32) (result i32)))
  (import "ward_v1" "storage_iter_range" (func $ir (param i32 i32 i32 i32) (result i32)))
  (import "ward_v1" "storage_iter_next" (func $next (param i32 i32) (result i32)))
  (import "ward_v1" "result_write" (func $result (param i32 i32)))
  (memory (export "memory") 1)
  (data (i32.const 0) "k1k2k3z")
  (func (export "fill")
    (call $put (i32.const 0) (i32.const 2) (i32.const 0) (i32.const 2))
    (call $put (i32.const 2) (i32.const 2) (i32.const 2) (i32.const 2))
    (call $put (i32.const 4) (i32.const 2) (i32.const 4) (i32.const 2))
    (call $put (i32.const 6) (i32.const 1) (i32.const 6) (i32.const 1)))
  (func $count (param $h i32)
    (local $n i32)
    (block $done (loop $l
      (br_if $done (i32.eqz (call $next (local.get $h) (i32.const 64))))
      (local.set $n (i32.add (local.get $n) (i32.const 1)))
      (br $l)))
    (i32.store8 (i32.const 100) (i32.add (i32.const 48) (local.get $n)))
    (call $result (i32.const 100) (i32.const 1)))
  (func (export "count_k") (call $count (call $ip (i32.const 0) (i32.const 1))))
  (func (export "count_all") (call $count (call $ir (i32.const 0) (i32.const 0) (i32.const 0) (i32.const 0)))))
)";

inline EngineOptions test_engine_options() {
  EngineOptions o;
  o.aot_cache_dir = WARD_EMBED_AOT_CACHE;
  return o;
}

}  // namespace ward::test
