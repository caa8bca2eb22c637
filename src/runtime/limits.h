// ward/runtime/limits.h — the engine's name for Ward's consensus limits.
// The struct itself is the bottom-layer ward::Limits (include/ward/limits.h,
// docs/limits.md), shared with the embedding API.
#pragma once

#include "ward/limits.h"

namespace ward::runtime {

/// Every consensus limit with its default (include/ward/limits.h).
using Limits = ::ward::Limits;

}  // namespace ward::runtime
