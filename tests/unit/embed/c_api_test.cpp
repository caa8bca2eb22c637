// tests/unit/embed/c_api_test.cpp — the C API (ward/ward.h): error codes and
// messages, NULL handling, failing callbacks, events and ownership rules.
#include <gtest/gtest.h>

#include <cstring>
#include <map>
#include <string>

#include "test_util.h"
#include "ward/ward.h"

namespace {

struct Host {
  std::map<std::string, std::string> data;
  bool fail_get = false;
  std::vector<std::string> events;
};

int get_cb(void* user, const uint8_t* key, size_t key_len, ward_value* value, ward_error* err) {
  auto* h = static_cast<Host*>(user);
  if (h->fail_get) {
    std::snprintf(err->message, sizeof err->message, "backend offline");
    return WARD_STORAGE_ERROR;
  }
  auto it = h->data.find(std::string(reinterpret_cast<const char*>(key), key_len));
  if (it == h->data.end()) return WARD_STORAGE_OK;
  ward_value_set(value, reinterpret_cast<const uint8_t*>(it->second.data()), it->second.size());
  return WARD_STORAGE_FOUND;
}
int put_cb(void* user, const uint8_t* key, size_t key_len, const uint8_t* v, size_t v_len, ward_error*) {
  static_cast<Host*>(user)->data[std::string(reinterpret_cast<const char*>(key), key_len)] =
      std::string(reinterpret_cast<const char*>(v), v_len);
  return WARD_STORAGE_OK;
}
int del_cb(void* user, const uint8_t* key, size_t key_len, ward_error*) {
  static_cast<Host*>(user)->data.erase(std::string(reinterpret_cast<const char*>(key), key_len));
  return WARD_STORAGE_OK;
}
void event_cb(void* user, const char* name, size_t name_len, const char* data, size_t data_len) {
  static_cast<Host*>(user)->events.push_back(std::string(name, name_len) + "=" + std::string(data, data_len));
}

int scan_cb(void* user, const uint8_t* start, size_t start_len, const uint8_t* end, size_t end_len,
            ward_scan_visit visit, void* visit_ctx, ward_error*) {
  auto& data = static_cast<Host*>(user)->data;
  const std::string from(reinterpret_cast<const char*>(start), start_len);
  const std::string to(reinterpret_cast<const char*>(end), end_len);
  for (auto it = data.lower_bound(from); it != data.end() && (to.empty() || it->first < to); ++it) {
    if (visit(visit_ctx, reinterpret_cast<const uint8_t*>(it->first.data()), it->first.size(),
              reinterpret_cast<const uint8_t*>(it->second.data()), it->second.size()) != 0)
      break;
  }
  return WARD_STORAGE_OK;
}

ward_host_callbacks callbacks() {
  ward_host_callbacks cb{};
  cb.storage_get = get_cb;
  cb.storage_put = put_cb;
  cb.storage_delete = del_cb;
  cb.event = event_cb;
  return cb;
}

TEST(EmbedCApi, ErrorsAreCodesAndMessages) {
  ward_error err;
  EXPECT_EQ(ward_engine_new("jit", &err), nullptr);
  EXPECT_EQ(err.code, WARD_ERR_UNKNOWN_BACKEND);
  EXPECT_STREQ(err.message, "unknown backend 'jit' (expected interp, aot or auto)");
  EXPECT_EQ(ward_engine_new("jit", nullptr), nullptr);  // a NULL error is allowed

  ward_engine* engine = ward_engine_new("interp", &err);
  ASSERT_NE(engine, nullptr);
  EXPECT_EQ(err.code, WARD_OK);
  const uint8_t junk[] = {1, 2, 3};
  EXPECT_EQ(ward_code_new(engine, junk, sizeof junk, &err), nullptr);
  EXPECT_EQ(err.code, WARD_ERR_INVALID_MODULE);
  EXPECT_EQ(ward_code_new(engine, nullptr, 10, &err), nullptr);
  EXPECT_EQ(err.code, WARD_ERR_INVALID_ARGUMENT);

  const auto wasm = ward::test::counter_wasm();
  ward_code* code = ward_code_new(engine, wasm.data(), wasm.size(), &err);
  ASSERT_NE(code, nullptr) << err.message;
  ward_host_callbacks cb{};
  EXPECT_EQ(ward_context_new(code, &cb, nullptr, 0, &err), nullptr);
  EXPECT_EQ(err.code, WARD_ERR_INVALID_ARGUMENT);
  cb = callbacks();
  EXPECT_EQ(ward_context_new(code, &cb, nullptr, UINT64_MAX, &err), nullptr);
  EXPECT_EQ(err.code, WARD_ERR_INVALID_ARGUMENT);
  EXPECT_NE(std::strstr(err.message, "exceeds max_gas"), nullptr) << err.message;

  ward_call_result r;
  EXPECT_EQ(ward_call(nullptr, "get", nullptr, 0, &r), WARD_ERR_INVALID_ARGUMENT);
  EXPECT_EQ(r.status, WARD_STATUS_FAILED);
  EXPECT_STRNE(r.error, "");
  ward_code_free(code);
  ward_engine_free(engine);
  ward_engine_free(nullptr);
  ward_code_free(nullptr);
  ward_context_free(nullptr);
}

TEST(EmbedCApi, CallsEventsAndFailingCallbacks) {
  ward_error err;
  ward_engine* engine = ward_engine_new(nullptr, &err);
  ASSERT_NE(engine, nullptr);
  const auto wasm = ward::test::counter_wasm();
  ward_code* code = ward_code_new(engine, wasm.data(), wasm.size(), &err);
  ASSERT_NE(code, nullptr);
  Host host;
  const ward_host_callbacks cb = callbacks();
  ward_context* ctx = ward_context_new(code, &cb, &host, 0, &err);
  ASSERT_NE(ctx, nullptr) << err.message;
  ward_code_free(code);  // the context keeps what it needs

  ward_call_result r;
  ASSERT_EQ(ward_call(ctx, "increment", nullptr, 0, &r), WARD_OK);
  EXPECT_EQ(r.status, WARD_STATUS_OK);
  EXPECT_EQ(std::string(reinterpret_cast<const char*>(r.result), r.result_len), "1");
  EXPECT_STREQ(r.error, "");
  EXPECT_EQ(r.event_count, 1u);
  EXPECT_EQ(host.events, std::vector<std::string>{"incremented=1"});
  EXPECT_EQ(host.data.count("count"), 1u);

  host.fail_get = true;
  EXPECT_EQ(ward_call(ctx, "get", nullptr, 0, &r), WARD_ERR_STORAGE);
  EXPECT_NE(r.status, WARD_STATUS_OK);
  EXPECT_NE(std::strstr(r.error, "storage error: backend offline"), nullptr) << r.error;
  host.fail_get = false;

  const char args[] = "not json";
  EXPECT_EQ(ward_call(ctx, "get", reinterpret_cast<const uint8_t*>(args), sizeof args - 1, &r), WARD_OK);
  EXPECT_EQ(r.status, WARD_STATUS_FAILED);
  EXPECT_STRNE(r.error, "");

  ASSERT_EQ(ward_call(ctx, "get", nullptr, 0, &r), WARD_OK);
  EXPECT_EQ(std::string(reinterpret_cast<const char*>(r.result), r.result_len), "1");
  uint8_t addr[20] = {};
  ward_context_address(ctx, addr);
  EXPECT_NE(std::memcmp(addr, std::string(20, '\0').data(), 20), 0);
  ward_context_free(ctx);
  ward_engine_free(engine);
  EXPECT_STREQ(ward_status_name(WARD_STATUS_TRAPPED), "trapped");
  EXPECT_STREQ(ward_version(), "0.1.0");
}

TEST(EmbedCApi, StorageScanCallback) {
  ward_error err;
  ward_engine* engine = ward_engine_new("interp", &err);
  const auto wasm = ward::test::wat(ward::test::kIterWat);
  ward_code* code = ward_code_new(engine, wasm.data(), wasm.size(), &err);
  ASSERT_NE(code, nullptr) << err.message;
  Host host;
  ward_host_callbacks cb = callbacks();
  ward_context* ctx = ward_context_new(code, &cb, &host, 0, &err);
  ASSERT_NE(ctx, nullptr) << err.message;
  ward_call_result r;
  ASSERT_EQ(ward_call(ctx, "fill", nullptr, 0, &r), WARD_OK);
  // Without a storage_scan callback, iteration is a storage error.
  EXPECT_EQ(ward_call(ctx, "count_k", nullptr, 0, &r), WARD_ERR_STORAGE);
  EXPECT_NE(std::strstr(r.error, "no storage_scan callback"), nullptr) << r.error;
  ward_context_free(ctx);
  cb.storage_scan = scan_cb;
  ctx = ward_context_new(code, &cb, &host, 0, &err);
  ASSERT_EQ(ward_call(ctx, "count_k", nullptr, 0, &r), WARD_OK);
  EXPECT_EQ(std::string(reinterpret_cast<const char*>(r.result), r.result_len), "3");
  ASSERT_EQ(ward_call(ctx, "count_all", nullptr, 0, &r), WARD_OK);
  EXPECT_EQ(std::string(reinterpret_cast<const char*>(r.result), r.result_len), "4");
  ward_context_free(ctx);
  ward_code_free(code);
  ward_engine_free(engine);
}

}  // namespace
