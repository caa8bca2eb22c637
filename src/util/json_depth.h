// ward/util/json_depth.h — the nesting depth of a JSON text, measured with
// one linear, non-recursive pass, so that hostile input ("[[[[...") can be
// rejected before a recursive parser or serializer sees it.
// Thread-safety: pure function.
#pragma once

#include <cstddef>
#include <string_view>

namespace ward {

/// The deepest nesting of arrays and objects in `text`: 0 for a scalar,
/// 1 for `[1,2]` or `{}`, 2 for `[[1]]`. Brackets inside strings are
/// ignored (backslash escapes are honoured, so `"\""` does not end a string
/// early). The text need not be valid JSON: unbalanced closing brackets never
/// take the count below zero, and an unterminated string simply ends the scan.
/// Time O(size of text in bytes), memory O(1).
inline size_t json_depth(std::string_view text) noexcept {
  size_t depth = 0;
  size_t max_depth = 0;
  bool in_string = false;
  bool escaped = false;
  for (const char c : text) {
    if (in_string) {
      if (escaped) {
        escaped = false;
      } else if (c == '\\') {
        escaped = true;
      } else if (c == '"') {
        in_string = false;
      }
      continue;
    }
    switch (c) {
      case '"':
        in_string = true;
        break;
      case '[':
      case '{':
        ++depth;
        if (depth > max_depth) max_depth = depth;
        break;
      case ']':
      case '}':
        if (depth > 0) --depth;
        break;
      default:
        break;
    }
  }
  return max_depth;
}

}  // namespace ward
