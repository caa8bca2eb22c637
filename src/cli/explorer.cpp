// `ward node --explorer [DIR]`: reads the built explorer page from a folder
// and registers its files as static GET routes (explorer.h).
#include "cli/explorer.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <sstream>
#include <utility>

namespace ward::cli {
namespace fs = std::filesystem;

namespace {

const char* const kBuildHint = "build the page first: cd explorer && npm ci && npm run build";

Error folder_error(const std::string& dir, const std::string& what) {
  return make_error("--explorer '" + dir + "': " + what + " (" + kBuildHint + ")");
}

}  // namespace

std::string content_type_for(std::string_view file_name) {
  static const std::array<std::pair<std::string_view, std::string_view>, 16> kTypes{{
      {".html", "text/html; charset=utf-8"},
      {".js", "text/javascript; charset=utf-8"},
      {".mjs", "text/javascript; charset=utf-8"},
      {".css", "text/css; charset=utf-8"},
      {".json", "application/json"},
      {".map", "application/json"},
      {".txt", "text/plain; charset=utf-8"},
      {".svg", "image/svg+xml"},
      {".png", "image/png"},
      {".jpg", "image/jpeg"},
      {".jpeg", "image/jpeg"},
      {".gif", "image/gif"},
      {".ico", "image/x-icon"},
      {".woff2", "font/woff2"},
      {".woff", "font/woff"},
      {".wasm", "application/wasm"},
  }};
  const size_t dot = file_name.rfind('.');
  if (dot == std::string_view::npos) return "application/octet-stream";
  std::string ext(file_name.substr(dot));
  std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return std::tolower(c); });
  for (const auto& [e, type] : kTypes) {
    if (ext == e) return std::string(type);
  }
  return "application/octet-stream";
}

std::string default_explorer_dir() {
  std::error_code ec;
  const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  if (ec) return {};
  const fs::path dir = exe.parent_path();
  const fs::path installed = dir / ".." / "share" / "ward" / "explorer";
  for (const fs::path& c : {installed, dir / ".." / ".." / "explorer" / "dist"}) {
    if (fs::is_regular_file(c / "index.html", ec)) {
      const fs::path n = fs::weakly_canonical(c, ec);
      return (ec ? c : n).string();
    }
  }
  const fs::path n = fs::weakly_canonical(installed, ec);
  return (ec ? installed : n).string();
}

Result<std::vector<StaticFile>> load_explorer(const std::string& dir) {
  if (dir.empty()) return folder_error(dir, "no folder given");
  std::error_code ec;
  const fs::path root(dir);
  if (!fs::exists(root, ec)) return folder_error(dir, "no such folder");
  if (!fs::is_directory(root, ec)) return folder_error(dir, "not a folder");
  if (!fs::is_regular_file(root / "index.html", ec)) return folder_error(dir, "no index.html in it");

  std::vector<StaticFile> files;
  size_t total = 0;
  fs::recursive_directory_iterator it(root, fs::directory_options::follow_directory_symlink, ec);
  if (ec) return folder_error(dir, "cannot list it: " + ec.message());
  for (const fs::recursive_directory_iterator end; it != end; it.increment(ec)) {
    if (ec) return folder_error(dir, "cannot list it: " + ec.message());
    const fs::path& p = it->path();
    const std::string name = p.filename().string();
    if (!name.empty() && name[0] == '.') {
      if (it->is_directory(ec)) it.disable_recursion_pending();
      continue;
    }
    if (!it->is_regular_file(ec)) continue;
    if (files.size() == kExplorerMaxFiles) {
      return folder_error(dir, "more than " + std::to_string(kExplorerMaxFiles) + " files; is it the right folder?");
    }
    std::ifstream in(p, std::ios::binary);
    if (!in) return folder_error(dir, "cannot read " + p.string());
    std::ostringstream body;
    body << in.rdbuf();  // an empty file sets failbit on `body` only
    if (in.bad()) return folder_error(dir, "cannot read " + p.string());
    total += body.str().size();
    if (total > kExplorerMaxBytes) {
      return folder_error(dir, "more than " + std::to_string(kExplorerMaxBytes) + " bytes; is it the right folder?");
    }
    files.push_back(StaticFile{"/" + p.lexically_relative(root).generic_string(), content_type_for(name),
                               std::move(body).str()});
  }
  std::sort(files.begin(), files.end(), [](const StaticFile& a, const StaticFile& b) { return a.path < b.path; });
  const auto index = std::find_if(files.begin(), files.end(), [](const StaticFile& f) { return f.path == "/index.html"; });
  if (index == files.end()) return folder_error(dir, "no index.html in it");
  StaticFile root_route = *index;
  root_route.path = "/";
  files.insert(files.begin(), std::move(root_route));
  return files;
}

void serve_explorer(rpc::Server& server, const std::vector<StaticFile>& files) {
  for (const StaticFile& f : files) server.add_static(f.path, f.content_type, f.body);
}

}  // namespace ward::cli
