// `ward spec-test DIR [--backend interp|aot|auto] [--differential]`: runs the WebAssembly spec
// testsuite; exit code 0 only when nothing failed. Every invoke is bounded
// by --gas and --timeout-ms; the temporary folders (`ward-spec-*`) are
// removed at the end, and also when SIGINT, SIGTERM or SIGHUP stops the run.
#include <pthread.h>
#include <signal.h>

#include <atomic>
#include <cerrno>
#include <ctime>
#include <iostream>
#include <thread>

#include <unistd.h>

#include "cli/commands.h"
#include "spectest/spectest.h"
#include "spectest/wast2json.h"

namespace ward::cli {
namespace {

/// While alive, SIGINT, SIGTERM and SIGHUP are taken by a thread that
/// removes the run's temporary folders, then ends the process by the same
/// signal. Constructed before any other thread starts, so all inherit the mask.
class CleanupOnSignal {
 public:
  CleanupOnSignal() {
    sigemptyset(&m_signals);
    sigaddset(&m_signals, SIGINT);
    sigaddset(&m_signals, SIGTERM);
    sigaddset(&m_signals, SIGHUP);
    pthread_sigmask(SIG_BLOCK, &m_signals, &m_old);
    m_thread = std::thread([this] { wait(); });
  }
  ~CleanupOnSignal() {
    m_done.store(true);
    m_thread.join();
    pthread_sigmask(SIG_SETMASK, &m_old, nullptr);
  }
  CleanupOnSignal(const CleanupOnSignal&) = delete;
  CleanupOnSignal& operator=(const CleanupOnSignal&) = delete;

 private:
  void wait() {
    const timespec tick{0, 100'000'000};  // 100 ms: notice m_done
    while (!m_done.load()) {
      const int sig = sigtimedwait(&m_signals, nullptr, &tick);
      if (sig <= 0) continue;
      spectest::remove_live_temp_dirs();
      std::cout.flush();
      signal(sig, SIG_DFL);
      sigset_t one;
      sigemptyset(&one);
      sigaddset(&one, sig);
      pthread_sigmask(SIG_UNBLOCK, &one, nullptr);
      raise(sig);  // ends the process as that signal would have
      _exit(128 + sig);
    }
  }

  sigset_t m_signals{};
  sigset_t m_old{};
  std::atomic<bool> m_done{false};
  std::thread m_thread;
};

}  // namespace

int cmd_spec_test(const GlobalOptions&, const SpecTestOptions& o) {
  spectest::SpecOptions so;
  so.dir = o.dir;
  so.backend = o.backend;
  so.only = o.only;
  so.verbose = o.verbose;
  so.differential = o.differential;
  so.compile_threads = o.compile_threads;
  so.gas = o.gas;
  so.timeout_ms = static_cast<uint32_t>(o.timeout_ms);
  CleanupOnSignal cleanup;
  const spectest::SpecSummary s = spectest::run_spec_tests(so, std::cout);
  return s.failed == 0 ? 0 : 1;
}

}  // namespace ward::cli
