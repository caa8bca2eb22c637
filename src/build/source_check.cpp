// ward/build/source_check.cpp — see source_check.h.
#include "build/source_check.h"

#include <algorithm>
#include <cctype>

namespace ward::build {
namespace {

bool is_ident_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }

struct Denied {
  std::string_view header;
  std::string_view reason;
};

// Headers named with the reason they cannot work in a contract.
constexpr Denied k_denied[] = {
    {"thread", "contracts are single-threaded"},
    {"mutex", "contracts are single-threaded"},
    {"shared_mutex", "contracts are single-threaded"},
    {"condition_variable", "contracts are single-threaded"},
    {"future", "contracts are single-threaded"},
    {"atomic", "contracts are single-threaded"},
    {"semaphore", "contracts are single-threaded"},
    {"barrier", "contracts are single-threaded"},
    {"latch", "contracts are single-threaded"},
    {"pthread.h", "contracts are single-threaded"},
    {"fstream", "contracts have no files; use ward::storage"},
    {"filesystem", "contracts have no files; use ward::storage"},
    {"cstdio", "contracts have no files or console; use ward::print"},
    {"stdio.h", "contracts have no files or console; use ward::print"},
    {"iostream", "iostreams are not available; use ward::print and ward::json"},
    {"istream", "iostreams are not available; use ward::print and ward::json"},
    {"ostream", "iostreams are not available; use ward::print and ward::json"},
    {"sstream", "iostreams are not available; use ward::print and ward::json"},
    {"iomanip", "iostreams are not available; use ward::print and ward::json"},
    {"random", "contracts must be deterministic; there is no randomness source"},
    {"chrono", "contracts must be deterministic; use ward::block_time()"},
    {"ctime", "contracts must be deterministic; use ward::block_time()"},
    {"time.h", "contracts must be deterministic; use ward::block_time()"},
    {"csignal", "signals are not available"},
    {"csetjmp", "setjmp/longjmp is not available"},
    {"exception", "contracts are built with -fno-exceptions; fail with ward::revert"},
    {"stdexcept", "contracts are built with -fno-exceptions; fail with ward::revert"},
    {"typeinfo", "contracts are built with -fno-rtti"},
    {"locale", "locales are not available"},
};

// Sorted for binary search.
const std::vector<std::string_view> k_allowed = [] {
  std::vector<std::string_view> v = {
      "algorithm", "array", "bit", "bitset", "cassert", "cctype", "charconv", "cinttypes", "climits",
      "compare", "concepts", "cstddef", "cstdint", "cstdlib", "cstring", "deque", "functional",
      "initializer_list", "iterator", "limits", "list", "map", "memory", "numeric", "optional",
      "set", "span", "stddef.h", "stdint.h", "string", "string.h", "string_view", "tuple",
      "type_traits", "unordered_map", "unordered_set", "utility", "variant", "vector"};
  std::sort(v.begin(), v.end());
  return v;
}();

/// Skips a quoted literal starting at s[i] (the quote); returns the index
/// after it, stopping at an unescaped newline (an unterminated literal).
size_t skip_quoted(std::string_view s, size_t i) {
  char quote = s[i++];
  while (i < s.size() && s[i] != quote && s[i] != '\n') {
    if (s[i] == '\\' && i + 1 < s.size()) ++i;
    ++i;
  }
  return i < s.size() && s[i] == quote ? i + 1 : i;
}

/// Skips a raw string R"delim( ... )delim" whose quote is at s[i].
size_t skip_raw(std::string_view s, size_t i, size_t& line) {
  size_t open = s.find('(', i + 1);
  if (open == std::string_view::npos || open - i - 1 > 16) return skip_quoted(s, i);
  std::string close = ")";
  close += s.substr(i + 1, open - i - 1);
  close += '"';
  size_t end = s.find(close, open + 1);
  end = end == std::string_view::npos ? s.size() : end + close.size();
  line += static_cast<size_t>(std::count(s.begin() + static_cast<std::ptrdiff_t>(i),
                                         s.begin() + static_cast<std::ptrdiff_t>(end), '\n'));
  return end;
}

/// True when the quote at s[i] starts a character literal rather than being
/// a digit separator (1'000 or 0xff'ff).
bool is_char_literal(std::string_view s, size_t i) {
  size_t start = i;
  while (start > 0 && (is_ident_char(s[start - 1]) || s[start - 1] == '\'')) --start;
  return start == i || !std::isdigit(static_cast<unsigned char>(s[start]));
}

std::string trim(std::string_view s) {
  size_t b = s.find_first_not_of(" \t\r\f\v");
  if (b == std::string_view::npos) return {};
  size_t e = s.find_last_not_of(" \t\r\f\v");
  return std::string(s.substr(b, e - b + 1));
}

Error at(std::string_view file, size_t line, const std::string& what) {
  return make_error(std::string(file) + ":" + std::to_string(line) + ": " + what);
}

}  // namespace

std::vector<Directive> scan_directives(std::string_view s) {
  std::vector<Directive> out;
  size_t line = 1;
  bool line_start = true;
  size_t i = 0;
  while (i < s.size()) {
    char c = s[i];
    if (c == '\n') {
      ++line;
      line_start = true;
      ++i;
    } else if (c == '\\' && i + 1 < s.size() && s[i + 1] == '\n') {
      ++line;
      i += 2;
    } else if (c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v') {
      ++i;
    } else if (s.substr(i, 2) == "//") {
      while (i < s.size() && s[i] != '\n') {
        if (s[i] == '\\' && i + 1 < s.size() && s[i + 1] == '\n') ++line, ++i;
        ++i;
      }
    } else if (s.substr(i, 2) == "/*") {
      size_t end = s.find("*/", i + 2);
      end = end == std::string_view::npos ? s.size() : end + 2;
      size_t nl = static_cast<size_t>(std::count(s.begin() + static_cast<std::ptrdiff_t>(i),
                                                 s.begin() + static_cast<std::ptrdiff_t>(end), '\n'));
      if (nl) line_start = true;
      line += nl;
      i = end;
    } else if (c == '#' && line_start) {
      Directive d;
      d.line = line;
      ++i;
      while (i < s.size() && s[i] != '\n') {
        if (s[i] == '\\' && i + 1 < s.size() && s[i + 1] == '\n') {
          ++line;
          i += 2;
        } else if (s.substr(i, 2) == "//") {
          while (i < s.size() && s[i] != '\n') ++i;
        } else if (s.substr(i, 2) == "/*") {
          size_t end = s.find("*/", i + 2);
          end = end == std::string_view::npos ? s.size() : end + 2;
          line += static_cast<size_t>(std::count(s.begin() + static_cast<std::ptrdiff_t>(i),
                                                 s.begin() + static_cast<std::ptrdiff_t>(end), '\n'));
          d.text += ' ';
          i = end;
        } else {
          d.text += s[i++];
        }
      }
      d.text = trim(d.text);
      out.push_back(std::move(d));
      line_start = false;
    } else {
      line_start = false;
      if (c == '"') {
        i = i > 0 && s[i - 1] == 'R' ? skip_raw(s, i, line) : skip_quoted(s, i);
      } else if (c == '\'' && is_char_literal(s, i)) {
        i = skip_quoted(s, i);
      } else {
        ++i;
      }
    }
  }
  return out;
}

const std::vector<std::string_view>& allowed_headers() { return k_allowed; }

bool is_allowed_header(std::string_view header) {
  if (header.starts_with("ward/")) return header.find("..") == std::string_view::npos;
  return std::binary_search(k_allowed.begin(), k_allowed.end(), header);
}

Result<void> check_source(std::string_view source, std::string_view file_name) {
  if (source.size() > k_max_source_bytes) {
    return make_error(std::string(file_name) + ": source is " + std::to_string(source.size()) +
                      " bytes, over the limit of " + std::to_string(k_max_source_bytes) + " bytes");
  }
  if (source.find('\0') != std::string_view::npos) {
    return make_error(std::string(file_name) + ": source contains a NUL byte (not a text file?)");
  }
  for (const Directive& d : scan_directives(source)) {
    size_t n = 0;
    while (n < d.text.size() && is_ident_char(d.text[n])) ++n;
    std::string_view name = std::string_view(d.text).substr(0, n);
    if (name != "include" && name != "include_next" && name != "import") continue;
    std::string arg = trim(std::string_view(d.text).substr(n));
    if (name != "include") return at(file_name, d.line, "#" + std::string(name) + " is not allowed; use #include");
    if (!arg.empty() && arg[0] == '"') {
      return at(file_name, d.line,
                "#include " + arg + " is not allowed: a contract is a single file; include the SDK as <ward/ward.h>");
    }
    size_t close = arg.find('>');
    if (arg.empty() || arg[0] != '<' || close == std::string::npos) {
      return at(file_name, d.line, "#include " + arg + " is not allowed: only #include <header> is supported");
    }
    std::string header = arg.substr(1, close - 1);
    for (const Denied& denied : k_denied) {
      if (header == denied.header) {
        return at(file_name, d.line,
                  "header <" + header + "> is not allowed in a contract: " + std::string(denied.reason));
      }
    }
    if (!is_allowed_header(header)) {
      std::string list;
      for (std::string_view h : k_allowed) list += (list.empty() ? "" : ", ") + std::string(h);
      return at(file_name, d.line,
                "header <" + header + "> is not allowed in a contract; allowed are <ward/...> and " + list);
    }
  }
  return {};
}

}  // namespace ward::build
