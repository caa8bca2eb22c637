// Helpers of the node tests: keys, signed transfers, temp folders, and
// contracts built from the text format with wat2wasm (WARD_WAT2WASM).
#pragma once

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <random>
#include <string>
#include <vector>

#include "chain/tx.h"
#include "node/chain.h"

namespace ward::node::testing {

inline std::filesystem::path temp_path(const std::string& name) {
  std::random_device rd;
  return std::filesystem::temp_directory_path() /
         ("ward-node-" + name + "-" + std::to_string(rd()) + "-" + std::to_string(rd()));
}

/// A temp folder removed at scope exit.
struct TempDir {
  std::filesystem::path path = temp_path("dir");
  TempDir() = default;
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path, ec);
  }
};

#ifdef WARD_WAT2WASM
/// Builds a module from text with wat2wasm.
inline std::string wat(const std::string& text) {
  namespace fs = std::filesystem;
  fs::path src = temp_path("src.wat"), out = temp_path("out.wasm");
  std::ofstream(src) << text;
  std::string cmd = std::string(WARD_WAT2WASM) + " " + src.string() + " -o " + out.string();
  int rc = std::system(cmd.c_str());
  EXPECT_EQ(rc, 0) << cmd;
  std::ifstream in(out, std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  fs::remove(src);
  fs::remove(out);
  return bytes;
}
#endif

inline chain::KeyPair key_of(uint8_t b) {
  chain::Seed s;
  s.fill(b);
  return chain::KeyPair::from_seed(s);
}

/// A transaction of `key` on `chain_id`.
inline chain::Transaction make_tx(const std::string& chain_id, const chain::KeyPair& key, uint64_t nonce,
                                  chain::Action action, uint64_t gas_limit = 10'000, uint64_t price = 1,
                                  uint64_t expiry = 1'000'000) {
  chain::Transaction t;
  t.chain_id = chain_id;
  t.signer = key.public_key;
  t.nonce = nonce;
  t.expiry_height = expiry;
  t.gas_limit = gas_limit;
  t.gas_price = price;
  t.action = std::move(action);
  return t;
}

/// What produce() takes, from a signed transaction.
inline TxInput input_of(const chain::Transaction& t, const chain::KeyPair& key) {
  chain::SignedTransaction s = chain::sign_transaction(t, key);
  TxInput in;
  in.tx = s.tx;
  in.sender = chain::address_of(key.public_key);
  in.hash = s.hash;
  in.stored = chain::encode_signed(s);
  return in;
}

}  // namespace ward::node::testing
