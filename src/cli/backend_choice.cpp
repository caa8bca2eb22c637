// ward/cli/backend_choice.cpp — `--backend interp|aot|auto` of run, call and deploy.
#include "aot/aot.h"
#include "cli/commands.h"

namespace ward::cli {

std::unique_ptr<runtime::Backend> make_cli_backend(const std::string& name) {
  if (name == "aot") return aot::make_aot_backend();
  if (name == "auto") return aot::make_tiered_backend();
  return runtime::make_interp_backend();
}

}  // namespace ward::cli
