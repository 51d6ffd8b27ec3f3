#include "server/service_manager.hpp"

#include <sys/stat.h>
#include <systemd/sd-daemon.h>
#include <unistd.h>

#include <cstdlib>
#include <ctime>

namespace tlshop::server {
namespace {

void notify(const std::string& state) {
  // A service manager that cannot be told is no reason to stop serving.
  (void)sd_notify(0, state.c_str());
}

}  // namespace

void notify_ready(const std::string& status) { notify("READY=1\nSTATUS=" + status); }

void notify_reloading() {
  // systemd orders a reload's messages by this clock.
  timespec now{};
  clock_gettime(CLOCK_MONOTONIC, &now);
  long long microseconds = static_cast<long long>(now.tv_sec) * 1'000'000 + now.tv_nsec / 1'000;
  notify("RELOADING=1\nMONOTONIC_USEC=" + std::to_string(microseconds));
}

void notify_stopping(const std::string& status) { notify("STOPPING=1\nSTATUS=" + status); }

bool stderr_is_journal() {
  const char* stream = std::getenv("JOURNAL_STREAM");
  struct stat status {};
  if (stream == nullptr || ::fstat(STDERR_FILENO, &status) != 0) return false;
  return std::string(stream) == std::to_string(status.st_dev) + ":" + std::to_string(status.st_ino);
}

}  // namespace tlshop::server
