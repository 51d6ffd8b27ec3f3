#pragma once

#include <memory>
#include <string>
#include <vector>

#include "server/server_config.hpp"

namespace tlshop::server {

// `tlshop serve`: the HTTPS server. One event loop per thread, each with its own
// listening socket per address (SO_REUSEPORT), so a connection lives on one thread.
class HttpsServer {
 public:
  // Loads the TLS material, opens the data directory and logs, and binds every listener;
  // throws tlshop::Error if any of it fails, before anything is served.
  explicit HttpsServer(ServerConfig config);
  ~HttpsServer();
  HttpsServer(const HttpsServer&) = delete;
  HttpsServer& operator=(const HttpsServer&) = delete;

  // "127.0.0.1:40123" for each listen address, with the port actually bound.
  const std::vector<std::string>& bound_addresses() const;
  // The same for the UDP (DTLS) sockets.
  const std::vector<std::string>& bound_udp_addresses() const;

  // Serves until SIGTERM or SIGINT (graceful: stop accepting, finish requests in flight
  // up to the shutdown timeout, then close), reloading TLS material on SIGHUP and when
  // its files change.
  void run();

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace tlshop::server
