// ward/runtime/watchdog.h — the wall-clock safety net (Limits::timeout_ms).
// One background thread per Watchdog sets an atomic flag when the deadline of
// the armed call passes; backends read the flag (ExecContext::interrupt) on
// loop back-edges and calls and stop with TrapKind::Timeout. Gas is what
// bounds a call for consensus; a timeout is never consensus (docs/limits.md).
// Thread-safety: arm/disarm from one thread at a time (the one running the
// call); the flag is read from that thread and written by the watchdog's.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <optional>
#include <thread>

#include "runtime/backend.h"

namespace ward::runtime {

/// A reusable timer for one call at a time. The thread starts at the first
/// arm() and stops when the Watchdog is destroyed.
class Watchdog {
 public:
  Watchdog() = default;
  ~Watchdog();
  Watchdog(const Watchdog&) = delete;
  Watchdog& operator=(const Watchdog&) = delete;

  /// Clears the flag, points ctx.interrupt at it and sets it `timeout_ms`
  /// from now unless disarm() comes first. timeout_ms 0 leaves ctx alone
  /// (no wall-clock limit).
  void arm(ExecContext& ctx, uint32_t timeout_ms);
  /// Cancels the pending deadline (the flag keeps its value).
  void disarm();
  /// True when the deadline of the last arm() passed before disarm().
  bool fired() const noexcept { return m_flag.load(std::memory_order_relaxed); }

  /// Arms on construction, disarms on destruction.
  class Scope {
   public:
    Scope(Watchdog& w, ExecContext& ctx, uint32_t timeout_ms) : m_w(w) { m_w.arm(ctx, timeout_ms); }
    ~Scope() { m_w.disarm(); }
    Scope(const Scope&) = delete;
    Scope& operator=(const Scope&) = delete;

   private:
    Watchdog& m_w;
  };

 private:
  void loop();

  std::mutex m_mutex;
  std::condition_variable m_cv;
  std::thread m_thread;
  std::optional<std::chrono::steady_clock::time_point> m_deadline;  ///< guarded by m_mutex
  bool m_quit = false;                                                ///< guarded by m_mutex
  std::atomic<bool> m_flag{false};
};

}  // namespace ward::runtime
