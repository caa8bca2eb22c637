// Parallel compilation of a script's modules (see precompile.h).
#include "spectest/precompile.h"

#include <algorithm>
#include <atomic>
#include <fstream>
#include <iterator>
#include <optional>
#include <set>
#include <span>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

namespace ward::spectest {

namespace {

/// True for commands that compile and instantiate their module.
bool instantiates(const nlohmann::json& cmd) {
  const std::string type = cmd.value("type", std::string());
  if (!cmd.contains("filename") || cmd.value("module_type", std::string("binary")) != "binary") return false;
  return type == "module" || type == "assert_unlinkable" || type == "assert_uninstantiable" || type == "assert_trap";
}

std::optional<std::string> read_bytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

}  // namespace

PrecompiledModules precompile_modules(const nlohmann::json& script, const std::string& module_dir,
                                      runtime::Backend& backend, const runtime::Limits& limits, unsigned threads) {
  struct Job {
    std::string bytes;
    std::shared_ptr<const wasm::Module> module;
    std::optional<Result<std::shared_ptr<runtime::CompiledModule>>> compiled;
  };
  std::vector<Job> jobs;
  std::set<std::string, std::less<>> seen;
  for (const nlohmann::json& cmd : script.at("commands")) {
    if (!cmd.is_object() || !instantiates(cmd) || !cmd["filename"].is_string()) continue;
    std::optional<std::string> bytes = read_bytes(module_dir + "/" + cmd["filename"].get<std::string>());
    if (!bytes || !seen.insert(*bytes).second) continue;
    const auto* data = reinterpret_cast<const uint8_t*>(bytes->data());
    Result<std::shared_ptr<const wasm::Module>> module = wasm::load_module(std::span(data, bytes->size()), limits);
    if (!module) continue;
    jobs.push_back(Job{std::move(*bytes), std::move(*module), std::nullopt});
  }

  std::atomic<size_t> next{0};
  auto work = [&] {
    for (size_t i = next++; i < jobs.size(); i = next++) {
      jobs[i].compiled.emplace(backend.compile(jobs[i].module, limits, runtime::CompileOptions{}));
    }
  };
  const size_t n = std::min<size_t>(std::max(threads, 1u), jobs.size());
  std::vector<std::thread> pool;
  for (size_t t = 1; t < n; ++t) pool.emplace_back(work);
  work();
  for (std::thread& t : pool) t.join();

  PrecompiledModules out;
  for (Job& j : jobs) out.emplace(std::move(j.bytes), std::move(*j.compiled));
  return out;
}

}  // namespace ward::spectest
