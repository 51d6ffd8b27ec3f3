#include "server/connection_registry.hpp"

#include <vector>

namespace tlshop::server {

void ConnectionRegistry::add(const void* connection, Wake wake) {
  std::lock_guard lock(mutex_);
  wakes_.emplace(connection, std::move(wake));
}

void ConnectionRegistry::remove(const void* connection) {
  std::lock_guard lock(mutex_);
  wakes_.erase(connection);
}

void ConnectionRegistry::wake_all() {
  std::vector<Wake> wakes;
  {
    std::lock_guard lock(mutex_);
    for (auto& [connection, wake] : wakes_) wakes.push_back(wake);
  }
  for (const Wake& wake : wakes) wake();
}

}  // namespace tlshop::server
