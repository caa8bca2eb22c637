// ward/cli/options.h — strict option parsing shared by every subcommand:
// unsigned integers (decimal digits only, range-checked: CLI11 alone wraps
// "-1", reads "010" as octal and "0x10" as hex), the one `--gas` option, and
// `--args-file FILE` (or `-` for stdin) beside JSON arguments.
#pragma once

#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <type_traits>

#include <CLI/CLI.hpp>

namespace ward::cli {

/// Parses `text` as an unsigned decimal integer from `min` to `max` (digits
/// only: no sign, no spaces, no other base; leading zeros are decimal).
/// Throws CLI::ValidationError "<label> must be an integer from MIN to MAX,
/// got '<text>'"; when `zero_hint` is set and the text is 0 (with min 1):
/// "<label> must be at least 1 (<zero_hint>)".
uint64_t parse_uint_arg(const std::string& text, const std::string& label, uint64_t min, uint64_t max,
                        const std::string& zero_hint = {});

namespace detail {
template <class T>
struct OptionalValue {
  using type = T;
  static constexpr bool optional = false;
};
template <class T>
struct OptionalValue<std::optional<T>> {
  using type = T;
  static constexpr bool optional = true;
};
}  // namespace detail

/// Adds an option (or positional, when `name` has no dash) filling `target`
/// (an unsigned integer or std::optional of one) through parse_uint_arg.
/// The accepted range is shown in --help; a plain (non-optional) target's
/// current value is shown as the default.
template <class T>
CLI::Option* add_uint_option(CLI::App* cmd, const std::string& name, T& target, const std::string& desc,
                             uint64_t min = 0,
                             uint64_t max = std::numeric_limits<typename detail::OptionalValue<T>::type>::max(),
                             const std::string& zero_hint = {}) {
  using V = typename detail::OptionalValue<T>::type;
  static_assert(std::is_unsigned_v<V>, "add_uint_option is for unsigned integers");
  const uint64_t hi = std::min<uint64_t>(max, std::numeric_limits<V>::max());
  CLI::Option* opt = cmd->add_option(
      name,
      [&target, name, min, hi, zero_hint](const CLI::results_t& r) {
        target = static_cast<V>(parse_uint_arg(r.back(), name, min, hi, zero_hint));
        return true;
      },
      desc);
  opt->type_name("UINT:" + std::to_string(min) + ".." + std::to_string(hi));
  if constexpr (!detail::OptionalValue<T>::optional) opt->default_str(std::to_string(target));
  return opt;
}

/// The default gas limit of a call when --gas is omitted (runtime::Limits).
uint64_t default_gas_limit();

/// Adds `--gas`: 1 to runtime::Limits::max_gas; 0 is refused with "--gas must
/// be at least 1 (omit it for the default, N)" — one meaning everywhere.
CLI::Option* add_gas_option(CLI::App* cmd, std::optional<uint64_t>& gas);

/// Reads JSON arguments from a file, or from stdin when `path` is "-".
/// Throws std::runtime_error naming the file on failure.
std::string read_args_file(const std::string& path);

/// Adds `--args-file FILE` (`-`: stdin) setting `target` to the file's text;
/// it excludes `inline_opt` (the ARGS_JSON positional or --args).
template <class T>
CLI::Option* add_args_file_option(CLI::App* cmd, T& target, CLI::Option* inline_opt) {
  CLI::Option* opt = cmd->add_option_function<std::string>(
      "--args-file", [&target](const std::string& path) { target = read_args_file(path); },
      "read the JSON arguments from FILE (- for stdin) instead of " + inline_opt->get_name());
  opt->type_name("FILE");
  opt->excludes(inline_opt);
  return opt;
}

}  // namespace ward::cli
