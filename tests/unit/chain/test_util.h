// Helpers of the chain tests: build modules from the text format with
// wat2wasm, escape bytes for WAT data segments, gzip in memory.
#pragma once

#include <gtest/gtest.h>
#include <zlib.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <random>
#include <string>
#include <vector>

namespace ward::chain::testing {

inline std::filesystem::path temp_path(const std::string& name) {
  std::random_device rd;
  return std::filesystem::temp_directory_path() / ("ward-chain-" + name + "-" + std::to_string(rd()));
}

/// Builds a module from text with wat2wasm.
inline std::vector<uint8_t> wat(const std::string& text) {
  namespace fs = std::filesystem;
  fs::path src = temp_path("src.wat"), out = temp_path("out.wasm");
  std::ofstream(src) << text;
  std::string cmd = std::string(WARD_WAT2WASM) + " " + src.string() + " -o " + out.string();
  int rc = std::system(cmd.c_str());
  EXPECT_EQ(rc, 0) << cmd;
  std::ifstream in(out, std::ios::binary);
  std::vector<uint8_t> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  fs::remove(src);
  fs::remove(out);
  return bytes;
}

/// The bytes as a WAT string body: every byte as \hh.
inline std::string wat_bytes(std::string_view bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string s;
  for (unsigned char c : bytes) {
    s += '\\';
    s += kDigits[c >> 4];
    s += kDigits[c & 15];
  }
  return s;
}

/// gzip-compresses the bytes (level 9).
inline std::vector<uint8_t> gzip(const std::vector<uint8_t>& data) {
  z_stream z{};
  EXPECT_EQ(deflateInit2(&z, 9, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY), Z_OK);
  std::vector<uint8_t> out(deflateBound(&z, data.size()) + 64);
  z.next_in = const_cast<Bytef*>(data.data());
  z.avail_in = static_cast<uInt>(data.size());
  z.next_out = out.data();
  z.avail_out = static_cast<uInt>(out.size());
  EXPECT_EQ(deflate(&z, Z_FINISH), Z_STREAM_END);
  out.resize(z.total_out);
  deflateEnd(&z);
  return out;
}

}  // namespace ward::chain::testing
