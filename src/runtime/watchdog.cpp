// ward/runtime/watchdog.cpp — Watchdog (see watchdog.h).
#include "runtime/watchdog.h"

namespace ward::runtime {

Watchdog::~Watchdog() {
  {
    std::lock_guard<std::mutex> lock(m_mutex);
    m_quit = true;
  }
  m_cv.notify_all();
  if (m_thread.joinable()) m_thread.join();
}

void Watchdog::arm(ExecContext& ctx, uint32_t timeout_ms) {
  if (timeout_ms == 0) return;
  {
    std::lock_guard<std::mutex> lock(m_mutex);
    m_flag.store(false, std::memory_order_relaxed);
    m_deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
    if (!m_thread.joinable()) m_thread = std::thread([this] { loop(); });
  }
  m_cv.notify_all();
  ctx.interrupt = &m_flag;
}

void Watchdog::disarm() {
  std::lock_guard<std::mutex> lock(m_mutex);
  m_deadline.reset();
}

void Watchdog::loop() {
  std::unique_lock<std::mutex> lock(m_mutex);
  while (!m_quit) {
    if (!m_deadline) {
      m_cv.wait(lock);
      continue;
    }
    const auto deadline = *m_deadline;
    m_cv.wait_until(lock, deadline);
    if (m_deadline && std::chrono::steady_clock::now() >= *m_deadline) {
      m_flag.store(true, std::memory_order_relaxed);
      m_deadline.reset();
    }
  }
}

}  // namespace ward::runtime
