// Adversarial suite helpers (see harness.h).
#include "harness.h"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <mutex>
#include <random>

#include "chain/executor.h"
#include "backend_fixture.h"
#include "runtime/backend.h"

namespace ward::adversarial {
namespace {

namespace fs = std::filesystem;

Bytes read_bytes(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return Bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

Bytes wat_file_to_wasm(const fs::path& src) {
  std::random_device rd;
  const fs::path out = fs::temp_directory_path() / ("ward-adv-" + std::to_string(rd()) + ".wasm");
  const std::string cmd = std::string(WARD_WAT2WASM) + " '" + src.string() + "' -o '" + out.string() + "'";
  if (std::system(cmd.c_str()) != 0) return {};
  Bytes b = read_bytes(out);
  fs::remove(out);
  return b;
}

}  // namespace

const Bytes& case_module(const std::string& name) {
  static std::mutex mutex;
  static std::map<std::string, Bytes> cache;
  std::lock_guard<std::mutex> lock(mutex);
  auto it = cache.find(name);
  if (it == cache.end()) {
    it = cache.emplace(name, wat_file_to_wasm(fs::path(WARD_ADVERSARIAL_CASES) / (name + ".wat"))).first;
  }
  return it->second;
}

Bytes wat_to_wasm(const std::string& text) {
  std::random_device rd;
  const fs::path src = fs::temp_directory_path() / ("ward-adv-" + std::to_string(rd()) + ".wat");
  std::ofstream(src) << text;
  Bytes b = wat_file_to_wasm(src);
  fs::remove(src);
  return b;
}

std::string dump(state::KvStore& store) {
  static const char* kHex = "0123456789abcdef";
  std::string out;
  auto escape = [&](std::string_view s) {
    for (unsigned char c : s) {
      if (c >= 0x20 && c < 0x7f && c != '\\') {
        out += static_cast<char>(c);
      } else {
        out += "\\x";
        out += kHex[c >> 4];
        out += kHex[c & 15];
      }
    }
  };
  auto r = store.scan_prefix("", [&](std::string_view key, std::string_view value) {
    escape(key);
    out += " = ";
    escape(value);
    out += '\n';
    return true;
  });
  if (!r) return "<scan failed: " + r.error().message + ">";
  return out;
}

Outcome run_scenario(const Scenario& s, const std::string& backend_name) {
  static const chain::Address kDeployer = chain::kDevAddress;
  Outcome o;
  state::MemoryStore store;
  auto backend = test::make_test_backend(backend_name);
  chain::Executor executor(store, *backend, s.limits);
  o.state_before = dump(store);
  auto d = executor.deploy(s.module, kDeployer, std::nullopt, "", 0, s.floats);
  if (!d) {
    o.store_error = d.error().message;
    return o;
  }
  o.deploy_gas = d->gas_used;
  o.deployed = d->ok();
  if (!o.deployed || s.method.empty()) {
    o.error = d->error;
    o.state_after = dump(store);
    return o;
  }
  o.state_before = dump(store);
  const chain::CallReceipt r = executor.call(d->address, s.method, "{}", kDeployer, s.gas);
  o.called_ok = r.ok();
  o.error = r.error;
  o.call_gas = r.gas_used;
  o.state_after = dump(store);
  return o;
}

}  // namespace ward::adversarial
