// ward/cluster/etcd.h — a small client of etcd v3's JSON gateway (the
// grpc-gateway at /v3/...) over HTTP/1.1 with Boost.Beast: key-value range,
// put, delete and transactions, leases, and watches (docs/adr/0009).
//
// Keys and values are raw byte strings here; the client base64-encodes them
// as the gateway wants. Revisions, lease ids and TTLs are decimal strings in
// the gateway's JSON and u64/i64 here.
//
// Endpoints: a list of "http://HOST:PORT" URLs of one etcd cluster. A
// request goes to the current endpoint; on a transport failure (connection
// refused, reset, time-out) the client moves to the next one and retries,
// each endpoint once per request. An answer of etcd itself (an HTTP error
// with a gRPC status) is not retried.
// Thread-safety: one Etcd (and one Watch) per thread; each keeps its own
// keep-alive connection.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "util/result.h"

namespace ward::cluster {

/// One key-value pair as etcd stores it.
struct KeyValue {
  std::string key;
  std::string value;
  int64_t create_revision = 0;
  int64_t mod_revision = 0;
  int64_t version = 0;
  int64_t lease = 0;
};

struct RangeResult {
  int64_t revision = 0;        ///< the store revision the read saw
  std::vector<KeyValue> kvs;   ///< in key order
  bool more = false;           ///< the limit cut the answer short
};

struct TxnResult {
  int64_t revision = 0;        ///< the store revision after the transaction
  bool succeeded = false;      ///< every compare held: the success ops ran
  nlohmann::json responses;    ///< the gateway's "responses" (ranges decoded by the caller)
};

/// One event of a watch.
struct WatchEvent {
  bool is_delete = false;
  KeyValue kv;
};

/// What Watch::next() returns.
struct WatchBatch {
  std::vector<WatchEvent> events;
  int64_t revision = 0;          ///< the header revision of the message
  bool timed_out = false;        ///< nothing arrived within the wait: create a new watch from where this one was
  int64_t compact_revision = 0;  ///< non-zero: the watch was cancelled because its start was compacted away
};

/// Splits "http://a:1,http://b:2" into URLs. Errors: "--etcd: ..." naming
/// the bad entry (empty list, not http://HOST:PORT).
Result<std::vector<std::string>> parse_endpoints(const std::string& list);

/// The smallest key greater than every key starting with `prefix` (etcd's range_end of a prefix).
std::string prefix_end(const std::string& prefix);

// --- transaction parts (JSON of the gateway, keys and values base64-encoded) ---
/// Compare: the key's create_revision equals `rev` (0: the key does not exist).
nlohmann::json compare_create(const std::string& key, int64_t rev);
/// Compare: the key's version equals `version` (0: the key does not exist).
nlohmann::json compare_version(const std::string& key, int64_t version);
/// Compare: the key's value equals `value`.
nlohmann::json compare_value(const std::string& key, const std::string& value);
nlohmann::json op_put(const std::string& key, const std::string& value, int64_t lease = 0);
nlohmann::json op_delete(const std::string& key, const std::string& range_end = "");
nlohmann::json op_range(const std::string& key);

class Etcd {
 public:
  /// `timeout_ms`: per request, connect included.
  explicit Etcd(std::vector<std::string> endpoints, uint32_t timeout_ms = 3000);
  ~Etcd();
  Etcd(const Etcd&) = delete;
  Etcd& operator=(const Etcd&) = delete;

  /// Keys in [key, range_end) (range_end empty: the one key), at most
  /// `limit` (0: all). Errors: "etcd: ..." (transport, every endpoint
  /// tried; or etcd's own error message).
  Result<RangeResult> range(const std::string& key, const std::string& range_end = "", int64_t limit = 0);
  /// Writes one key; returns the new revision.
  Result<int64_t> put(const std::string& key, const std::string& value, int64_t lease = 0);
  /// Deletes [key, range_end); returns the number deleted.
  Result<int64_t> del(const std::string& key, const std::string& range_end = "");
  /// One atomic transaction: if every compare holds, `success` runs, else `failure`.
  Result<TxnResult> txn(const nlohmann::json& compares, const nlohmann::json& success,
                        const nlohmann::json& failure = nlohmann::json::array());
  /// A lease of `ttl_s` seconds; its id.
  Result<int64_t> lease_grant(int64_t ttl_s);
  /// Renews a lease; the remaining TTL in seconds, 0 when it had expired (or was revoked).
  Result<int64_t> lease_keepalive(int64_t id);
  /// Revokes a lease (its keys are deleted).
  Result<void> lease_revoke(int64_t id);

  /// POSTs `body` to `path` ("/v3/kv/range") and returns the JSON answer.
  Result<nlohmann::json> post(const std::string& path, const nlohmann::json& body);
  /// The endpoint the last request went to.
  const std::string& endpoint() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> m_impl;
};

/// A watch of [key, range_end) from `start_revision` on its own connection.
class Watch {
 public:
  Watch(std::vector<std::string> endpoints, std::string key, std::string range_end, int64_t start_revision);
  ~Watch();
  Watch(const Watch&) = delete;
  Watch& operator=(const Watch&) = delete;

  /// The next message, waiting at most `wait_ms`. After a time-out or a
  /// compaction the watch is closed: make a new one. Errors: "etcd watch: ...".
  Result<WatchBatch> next(uint32_t wait_ms);

 private:
  struct Impl;
  std::unique_ptr<Impl> m_impl;
};

/// Base64 (standard alphabet, padded), as the gateway encodes bytes.
std::string base64_encode(std::string_view bytes);
/// Errors: "invalid base64".
Result<std::string> base64_decode(std::string_view text);

}  // namespace ward::cluster
