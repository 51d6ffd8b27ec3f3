#pragma once

#include <chrono>
#include <optional>
#include <string>

#include "server/catalog_pages.hpp"
#include "server/http_types.hpp"
#include "server/query_string.hpp"
#include "shop/shop.hpp"
#include "tls/peer_identity.hpp"

namespace tlshop::server {

class JsonLinesLog;

// The shop's routes: sessions, catalog, orders, receipts and administration. Catalog
// reads need only the client certificate; orders, receipts and administration also
// need a session token (Authorization: Bearer) issued over that same certificate.
class ShopHandler {
 public:
  ShopHandler(shop::Shop& shop, JsonLinesLog& audit) : shop_(shop), audit_(audit) {}

  // The response for a shop route, or nullopt if path is not one. `delay` asks the
  // connection to hold the response back (failed logins are slowed).
  std::optional<Response> handle(const Request& request, const RequestTarget& target,
                                 const tls::PeerIdentity& peer, std::chrono::milliseconds& delay);

  // Whether the request carries a session token of an administrator, issued over the
  // peer's certificate.
  bool is_administrator(const Request& request, const tls::PeerIdentity& peer);

 private:
  std::optional<Response> dispatch(const Request& request, const RequestTarget& target,
                                   const tls::PeerIdentity& peer, std::chrono::milliseconds& delay);
  Response login(const Request& request, const tls::PeerIdentity& peer,
                 std::chrono::milliseconds& delay);
  Response items(const RequestTarget& target);
  Response order(const Request& request, const shop::User& user);
  std::optional<Response> admin(const Request& request, std::string_view path,
                                const shop::User& user);
  shop::User authenticate(const Request& request, const tls::PeerIdentity& peer);

  shop::Shop& shop_;
  JsonLinesLog& audit_;
  CatalogPages catalog_pages_;
};

}  // namespace tlshop::server
