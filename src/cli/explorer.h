// ward/cli/explorer.h — `ward node --explorer [DIR]`: the built block-explorer
// page (explorer/, docs/node.md "Explorer") read from a folder at start and
// served as static GET routes of the node's RPC server.
// Thread-safety: pure functions; serve_explorer only calls the thread-safe
// rpc::Server::add_static.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "rpc/server.h"
#include "util/result.h"

namespace ward::cli {

/// One file of the explorer: its URL path and what GET answers.
struct StaticFile {
  std::string path;          ///< "/index.html", "/assets/index-1a2b.js"
  std::string content_type;  ///< from the file name's extension
  std::string body;          ///< the file's bytes
};

/// Most files and bytes read from an explorer folder; more is an error (a
/// wrong folder given by mistake, not a page).
inline constexpr size_t kExplorerMaxFiles = 1000;
inline constexpr size_t kExplorerMaxBytes = 64u << 20;

/// Content-Type for a file name by its extension (".html" → "text/html;
/// charset=utf-8", ".js", ".css", ".json", ".svg", ".png", ".ico", ".woff2",
/// ".wasm", ...); "application/octet-stream" when unknown.
std::string content_type_for(std::string_view file_name);

/// The folder `--explorer` uses when given without DIR: the first of
/// <exe_dir>/../share/ward/explorer (installed) and <exe_dir>/../../explorer/dist
/// (the source tree's build output, for build/bin/ward) that holds an
/// index.html, where <exe_dir> is the folder of the running executable.
/// When none does, the installed path (so the error message names it).
std::string default_explorer_dir();

/// Reads every regular file under `dir` (recursively, following symlinks;
/// names starting with '.' skipped) into routes "/" + relative path, plus
/// "/" for index.html. Errors: `dir` missing or not a folder, no index.html
/// in it, a file that cannot be read, more than kExplorerMaxFiles files or
/// kExplorerMaxBytes bytes; each message names the folder and says how to
/// build the page.
Result<std::vector<StaticFile>> load_explorer(const std::string& dir);

/// Registers `files` as static routes of `server` (Server::add_static).
void serve_explorer(rpc::Server& server, const std::vector<StaticFile>& files);

}  // namespace ward::cli
