// ward/cli/backend_choice.cpp — `--backend interp|aot|auto` of run, call and deploy.
// A node-local AOT problem (damaged or refused cache, compiler failure) never
// changes an outcome: `aot` falls back to the interpreter (same results and
// gas) with a warning on stderr. `auto` never keeps the process alive for a
// background build: the build is cancelled when the command has its answer.
#include <cstdio>

#include "aot/aot.h"
#include "cli/commands.h"

namespace ward::cli {

std::unique_ptr<runtime::Backend> make_cli_backend(const std::string& name) {
  aot::AotOptions o;
  o.interp_fallback = true;
  o.cancel_on_release = true;
  o.warn = [](const std::string& message) { std::fprintf(stderr, "warning: %s\n", message.c_str()); };
  if (name == "aot") return aot::make_aot_backend(o);
  if (name == "auto") return aot::make_tiered_backend(o);
  return runtime::make_interp_backend();
}

}  // namespace ward::cli
