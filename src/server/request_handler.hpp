#pragma once

#include <chrono>
#include <set>
#include <string>
#include <vector>

#include "server/http_types.hpp"
#include "server/query_string.hpp"
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
  // metrics_readers: public key pins ("sha256//...") of client certificates that may read
  // /metrics without logging in; administrators may always.
  RequestHandler(MessageStore& messages, Metrics& metrics, JsonLinesLog& audit, ShopHandler& shop,
                 const std::vector<std::string>& metrics_readers = {})
      : messages_(messages),
        metrics_(metrics),
        audit_(audit),
        shop_(shop),
        metrics_readers_(metrics_readers.begin(), metrics_readers.end()) {}

  // What a request waits for, if anything: the connection runs it on the matching
  // pool so the event loop keeps serving.
  enum class Blocking { kNo, kPasswordHashing, kDiskWrite };
  Blocking blocking(const Request& request) const;

  // route receives the route label for metrics and logs ("/v1/hello", or "other");
  // delay asks the connection to hold the response back that long.
  Response handle(const Request& request, const tls::PeerIdentity& peer, std::string& route,
                  std::chrono::milliseconds& delay);

 private:
  Response route_request(const Request& request, const tls::PeerIdentity& peer, std::string& route,
                         std::chrono::milliseconds& delay);
  Response hello(const tls::PeerIdentity& peer);
  Response store_message(const Request& request, const tls::PeerIdentity& peer);
  Response list_messages(const RequestTarget& target, const tls::PeerIdentity& peer);
  Response metrics(const Request& request, const tls::PeerIdentity& peer);

  MessageStore& messages_;
  Metrics& metrics_;
  JsonLinesLog& audit_;
  ShopHandler& shop_;
  std::set<std::string> metrics_readers_;
};

}  // namespace tlshop::server
