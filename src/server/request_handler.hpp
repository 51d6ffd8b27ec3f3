#pragma once

#include <chrono>
#include <string>

#include "server/http_types.hpp"
#include "tls/peer_identity.hpp"

namespace tlshop::server {

class JsonLinesLog;
class MessageStore;
class Metrics;
class ShopHandler;

// Turns one request from an authenticated peer into its response. Knows the routes;
// knows nothing of sockets or TLS beyond the peer's identity.
class RequestHandler {
 public:
  RequestHandler(MessageStore& messages, Metrics& metrics, JsonLinesLog& audit, ShopHandler& shop)
      : messages_(messages), metrics_(metrics), audit_(audit), shop_(shop) {}

  // What a request waits for, if anything: the connection runs it on the matching
  // pool so the event loop keeps serving.
  enum class Blocking { kNo, kPasswordHashing, kDiskWrite };
  Blocking blocking(const Request& request) const;

  // route receives the route label for metrics and logs ("/v1/hello", or "other");
  // delay asks the connection to hold the response back that long.
  Response handle(const Request& request, const tls::PeerIdentity& peer, std::string& route,
                  std::chrono::milliseconds& delay);

 private:
  Response hello(const tls::PeerIdentity& peer);
  Response store_message(const Request& request, const tls::PeerIdentity& peer);
  Response list_messages(std::string_view query, const tls::PeerIdentity& peer);

  MessageStore& messages_;
  Metrics& metrics_;
  JsonLinesLog& audit_;
  ShopHandler& shop_;
};

}  // namespace tlshop::server
