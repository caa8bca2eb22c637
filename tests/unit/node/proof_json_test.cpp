// Tests of the JSON form of state tree proofs (src/node/proof_json.h).
#include <gtest/gtest.h>

#include <map>
#include <random>
#include <string>

#include "node/proof_json.h"
#include "node/state_tree.h"

namespace ward::node {
namespace {

std::string hex(const Hash& h) { return state::hex_encode(h); }

TEST(ProofJson, RoundTrip) {
  std::mt19937_64 rng(19);
  state::MemoryStore store;
  StateTree tree(store);
  std::map<std::string, std::string> model;
  std::vector<TreeChange> changes;
  for (int i = 0; i < 100; ++i) {
    std::string k = "s/" + std::to_string(rng()), v = std::to_string(i);
    model[k] = v;
    changes.emplace_back(k, v);
  }
  state::WriteBatch batch;
  auto updated = tree.update(kEmptyRoot, changes, batch);
  ASSERT_TRUE(updated.ok());
  const Hash root = updated.value();
  for (const std::string& k : {model.begin()->first, std::string("absent\x01\xff", 8)}) {
    auto p = tree.prove(root, k);
    ASSERT_TRUE(p.ok());
    std::optional<std::string> v;
    if (model.count(k)) v = model[k];
    nlohmann::json j = proof_to_json(p.value(), k, v ? std::optional<std::string_view>(*v) : std::nullopt);
    auto text = j.dump();
    auto back = proof_from_json(nlohmann::json::parse(text));
    ASSERT_TRUE(back.ok()) << back.error().message;
    EXPECT_EQ(back.value(), p.value());
    auto keyed = keyed_proof_from_json(nlohmann::json::parse(text));
    ASSERT_TRUE(keyed.ok()) << keyed.error().message;
    EXPECT_EQ(keyed->key, k);
    EXPECT_EQ(keyed->value, v);
    EXPECT_TRUE(verify_proof(root, keyed->key,
                             keyed->value ? std::optional<std::string_view>(*keyed->value) : std::nullopt,
                             keyed->proof));
    EXPECT_EQ(j["value"].is_null(), !v.has_value());
    EXPECT_EQ(j["key_hash"], "0x" + hex(state::sha256(k)));
  }
}

TEST(ProofJson, MalformedInputIsAnError) {
  auto error_of = [](const std::string& text) {
    auto r = proof_from_json(nlohmann::json::parse(text));
    return r.ok() ? std::string() : r.error().message;
  };
  const std::string h = "\"0x" + std::string(64, 'a') + "\"";
  EXPECT_EQ(error_of("{\"siblings\":[" + h + "],\"leaf\":null}"), "");
  EXPECT_EQ(error_of("{\"siblings\":[],\"leaf\":{\"key_hash\":" + h + ",\"value_hash\":" + h + "}}"), "");
  EXPECT_NE(error_of("[]"), "");
  EXPECT_NE(error_of("{\"leaf\":null}").find("siblings"), std::string::npos);
  EXPECT_NE(error_of("{\"siblings\":[]}").find("leaf"), std::string::npos);
  EXPECT_NE(error_of("{\"siblings\":[\"0xab\"],\"leaf\":null}").find("siblings[0]"), std::string::npos);
  EXPECT_NE(error_of("{\"siblings\":[\"" + std::string(64, 'a') + "\"],\"leaf\":null}"), "");
  EXPECT_NE(error_of("{\"siblings\":[\"0x" + std::string(63, 'a') + "g\"],\"leaf\":null}"), "");
  EXPECT_NE(error_of("{\"siblings\":[],\"leaf\":{\"key_hash\":" + h + "}}"), "");
  EXPECT_NE(error_of("{\"siblings\":[],\"leaf\":7}"), "");
  std::string many = "{\"siblings\":[";
  for (int i = 0; i < 257; ++i) many += (i ? "," : "") + h;
  EXPECT_NE(error_of(many + "],\"leaf\":null}").find("257"), std::string::npos);
  // keyed: key_hash must match the key; value must be present (null or hex).
  auto keyed_error = [](const std::string& text) {
    auto r = keyed_proof_from_json(nlohmann::json::parse(text));
    return r.ok() ? std::string() : r.error().message;
  };
  EXPECT_EQ(keyed_error("{\"key\":\"0x61\",\"value\":null,\"siblings\":[],\"leaf\":null}"), "");
  EXPECT_NE(keyed_error("{\"key\":\"0x61\",\"siblings\":[],\"leaf\":null}"), "");
  EXPECT_NE(keyed_error("{\"key\":\"0x61\",\"value\":null,\"key_hash\":" + h + ",\"siblings\":[],\"leaf\":null}")
                .find("key_hash"),
            std::string::npos);
}

}  // namespace
}  // namespace ward::node
