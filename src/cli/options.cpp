// Strict option parsing of the `ward` command (options.h).
#include "cli/options.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <stdexcept>

#include "cli/commands.h"
#include "runtime/limits.h"

namespace ward::cli {

uint64_t parse_uint_arg(const std::string& text, const std::string& label, uint64_t min, uint64_t max,
                        const std::string& zero_hint) {
  auto range_error = [&]() {
    return CLI::ValidationError(label + " must be an integer from " + std::to_string(min) + " to " +
                                std::to_string(max) + ", got '" + text + "'");
  };
  if (text.empty() || text.find_first_not_of("0123456789") != std::string::npos) throw range_error();
  uint64_t v = 0;
  for (char c : text) {
    const uint64_t d = static_cast<uint64_t>(c - '0');
    if (v > (UINT64_MAX - d) / 10) throw range_error();  // beyond 2^64 - 1
    v = v * 10 + d;
  }
  if (v == 0 && min >= 1 && !zero_hint.empty()) {
    throw CLI::ValidationError(label + " must be at least 1 (" + zero_hint + ")");
  }
  if (v < min || v > max) throw range_error();
  return v;
}

uint64_t default_gas_limit() { return runtime::Limits{}.default_gas; }

CLI::Option* add_gas_option(CLI::App* cmd, std::optional<uint64_t>& gas) {
  const std::string def = std::to_string(default_gas_limit());
  CLI::Option* opt = add_uint_option(cmd, "--gas", gas, "gas limit (default " + def + ")", 1,
                                     runtime::Limits{}.max_gas, "omit it for the default, " + def);
  return opt;
}

std::string read_args_file(const std::string& path) {
  if (path != "-") {
    try {
      return read_file(path);
    } catch (const std::exception& e) {
      throw std::runtime_error(std::string("--args-file: ") + e.what());
    }
  }
  std::string data;
  char buf[65536];
  size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, stdin)) > 0) data.append(buf, n);
  if (std::ferror(stdin)) throw std::runtime_error(std::string("cannot read --args-file - (stdin): ") + std::strerror(errno));
  return data;
}

}  // namespace ward::cli
