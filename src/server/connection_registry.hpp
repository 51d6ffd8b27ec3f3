#pragma once

#include <functional>
#include <memory>
#include <mutex>
#include <unordered_map>

namespace tlshop::server {

// The open connections, so that a graceful shutdown can wake those waiting idly for a
// next request. Each connection registers itself and is told on its own thread.
class ConnectionRegistry {
 public:
  using Wake = std::function<void()>;  // posts a wake-up to the connection's own thread

  void add(const void* connection, Wake wake);
  void remove(const void* connection);
  void wake_all();

 private:
  std::mutex mutex_;
  std::unordered_map<const void*, Wake> wakes_;
};

}  // namespace tlshop::server
