#include "server/shop_handler.hpp"

#include <boost/beast/http/field.hpp>
#include <boost/beast/http/verb.hpp>
#include <boost/json.hpp>

#include "api/routes.hpp"
#include "pki/x509_fields.hpp"
#include "server/json_lines_log.hpp"
#include "server/query_string.hpp"
#include "shop/shop_error.hpp"
#include "tlshop/api/shop_messages.hpp"

namespace tlshop::server {
namespace http = boost::beast::http;
namespace routes = api::routes;
using shop::ShopError;

namespace {

constexpr std::chrono::milliseconds kFailedLoginDelay{1000};
constexpr std::size_t kDefaultPageSize = 50;

std::time_t now() { return std::time(nullptr); }

api::ItemView view_of(const shop::Item& item, const std::string& currency) {
  return {item.sku, item.name, item.category, item.stock, item.unit_price, currency};
}

api::OrderLineView view_of(const shop::OrderLine& line) {
  return {line.id, line.sku, line.name, line.quantity, line.unit_price, line.line_total};
}

api::ReceiptView view_of(const shop::Receipt& receipt, const std::string& currency) {
  api::ReceiptView view{receipt.id,
                        {},
                        receipt.total,
                        currency,
                        receipt.opened_at != 0 ? pki::format_time(receipt.opened_at) : "",
                        receipt.closed_at ? pki::format_time(*receipt.closed_at) : ""};
  for (const shop::OrderLine& line : receipt.lines) view.lines.push_back(view_of(line));
  return view;
}

http::status status_for(ShopError::Kind kind) {
  switch (kind) {
    case ShopError::Kind::kInvalid:
      return http::status::bad_request;
    case ShopError::Kind::kUnauthenticated:
      return http::status::unauthorized;
    case ShopError::Kind::kForbidden:
      return http::status::forbidden;
    case ShopError::Kind::kNotFound:
      return http::status::not_found;
    case ShopError::Kind::kConflict:
      return http::status::conflict;
    case ShopError::Kind::kTooManyAttempts:
      return http::status::too_many_requests;
  }
  return http::status::bad_request;
}

Response shop_error_response(const ShopError& error) {
  Response response = error_response(status_for(error.kind()), error.code(), error.what());
  if (error.kind() == ShopError::Kind::kUnauthenticated) {
    response.set(http::field::www_authenticate, "Bearer realm=\"tlshop\"");
  }
  if (error.kind() == ShopError::Kind::kTooManyAttempts) {
    response.set(http::field::retry_after, std::to_string(error.retry_after().count()));
  }
  return response;
}

Response json_ok(std::string body, http::status status = http::status::ok) {
  return make_response(status, std::move(body));
}

bool is_under(std::string_view path, std::string_view prefix) {
  return path.size() > prefix.size() && path.starts_with(prefix) && path[prefix.size()] == '/';
}

}  // namespace

std::optional<Response> ShopHandler::handle(const Request& request, const RequestTarget& target,
                                            const tls::PeerIdentity& peer,
                                            std::chrono::milliseconds& delay) {
  try {
    return dispatch(request, target, peer, delay);
  } catch (const ShopError& e) {
    return shop_error_response(e);
  } catch (const shop::StoreUnavailable&) {
    throw;  // 503, by RequestHandler, for every route alike
  } catch (const Error& e) {
    // The body did not parse: JsonReader names the field.
    return error_response(http::status::bad_request, "invalid_request", e.what());
  }
}

std::optional<Response> ShopHandler::dispatch(const Request& request, const RequestTarget& target,
                                              const tls::PeerIdentity& peer,
                                              std::chrono::milliseconds& delay) {
  std::string_view path = target.path();
  http::verb method = request.method();
  const std::string& currency = shop_.settings().currency;
  if (path == routes::kSessions) {
    return method == http::verb::post ? login(request, peer, delay) : method_not_allowed("POST");
  }
  if (path == routes::kCurrentSession) {
    if (method != http::verb::delete_) return method_not_allowed("DELETE");
    authenticate(request, peer);
    shop_.logout(std::string(request[http::field::authorization].substr(7)));
    return make_response(http::status::no_content, "");
  }
  if (path == routes::kCategories) {
    if (method != http::verb::get) return method_not_allowed("GET");
    return json_ok(api::categories_json(shop_.categories()));
  }
  if (path == routes::kItems) {
    return method == http::verb::get ? items(target) : method_not_allowed("GET");
  }
  if (is_under(path, routes::kItems)) {
    if (method != http::verb::get) return method_not_allowed("GET");
    std::string sku = decoded_segment(path.substr(routes::kItems.size() + 1));
    return json_ok(api::to_json(view_of(shop_.item(sku), currency)));
  }
  if (path == routes::kOrders) {
    if (method != http::verb::post) return method_not_allowed("POST");
    return order(request, authenticate(request, peer));
  }
  if (path == routes::kReceipt) {
    if (method != http::verb::get) return method_not_allowed("GET");
    return json_ok(api::to_json(view_of(shop_.receipt(authenticate(request, peer)), currency)));
  }
  if (path == routes::kReceiptClose) {
    if (method != http::verb::post) return method_not_allowed("POST");
    shop::User user = authenticate(request, peer);
    return json_ok(api::to_json(view_of(shop_.close_receipt(user, now()), currency)));
  }
  if (path == routes::kReceipts) {
    if (method != http::verb::get) return method_not_allowed("GET");
    std::vector<api::ReceiptView> views;
    for (const shop::Receipt& receipt : shop_.receipts(authenticate(request, peer))) {
      views.push_back(view_of(receipt, currency));
    }
    return json_ok(api::receipts_json(views));
  }
  if (path == routes::kAdminUsers || is_under(path, routes::kAdminUsers) ||
      path == routes::kAdminItems || is_under(path, routes::kAdminItems)) {
    return admin(request, path, authenticate(request, peer));
  }
  return std::nullopt;
}

bool ShopHandler::is_administrator(const Request& request, const tls::PeerIdentity& peer) {
  try {
    return authenticate(request, peer).role == shop::Role::kAdmin;
  } catch (const ShopError&) {
    return false;
  }
}

shop::User ShopHandler::authenticate(const Request& request, const tls::PeerIdentity& peer) {
  std::string_view header = request[http::field::authorization];
  if (!header.starts_with("Bearer ")) {
    throw ShopError(ShopError::Kind::kUnauthenticated, "unauthenticated",
                    "log in first: POST /v1/sessions, then send Authorization: Bearer TOKEN");
  }
  return shop_.authenticate(std::string(header.substr(7)), peer.fingerprint, now());
}

Response ShopHandler::login(const Request& request, const tls::PeerIdentity& peer,
                            std::chrono::milliseconds& delay) {
  api::LoginRequest credentials = api::parse_login_request(request.body());
  boost::json::object who{{"name", credentials.name.substr(0, 64)}, {"subject", peer.subject}};
  try {
    shop::Shop::Login login =
        shop_.login(credentials.name, credentials.password, peer.fingerprint, now());
    who["event"] = "login";
    audit_.write(who);
    return json_ok(api::to_json(api::LoginReply{login.token, pki::format_time(login.expires_at)}),
                   http::status::created);
  } catch (const ShopError& e) {
    who["event"] =
        e.kind() == ShopError::Kind::kTooManyAttempts ? "login_locked_out" : "login_failed";
    audit_.write(who);
    delay = std::max<std::chrono::milliseconds>(kFailedLoginDelay, e.hold_back());
    throw;
  }
}

Response ShopHandler::items(const RequestTarget& target) {
  std::string_view query = target.query();
  std::uint64_t version = shop_.catalog_version();
  if (std::optional<std::string> page = catalog_pages_.find(query, version)) {
    return json_ok(std::move(*page));
  }
  shop::ItemQuery item_query;
  item_query.category = target.parameter("category").value_or("");
  item_query.text = target.parameter("q").value_or("");
  item_query.after_sku = target.parameter("cursor").value_or("");
  item_query.limit = kDefaultPageSize;
  if (auto limit = target.parameter("limit")) {
    auto value = parse_unsigned(*limit);
    if (!value || *value == 0 || *value > 100) {
      throw ShopError(ShopError::Kind::kInvalid, "invalid_parameter",
                      "limit must be from 1 to 100");
    }
    item_query.limit = *value;
  }
  api::ItemsPage page;
  for (const shop::Item& item : shop_.items(item_query)) {
    page.items.push_back(view_of(item, shop_.settings().currency));
  }
  if (page.items.size() == item_query.limit) page.next_cursor = page.items.back().sku;
  std::string body = api::to_json(page);
  catalog_pages_.keep(query, version, body);
  return json_ok(std::move(body));
}

Response ShopHandler::order(const Request& request, const shop::User& user) {
  std::string key(request[routes::kIdempotencyKeyHeader]);
  if (key.empty()) {
    throw ShopError(ShopError::Kind::kInvalid, "missing_idempotency_key",
                    "send an Idempotency-Key header, so that a retry cannot buy twice");
  }
  api::OrderRequest order = api::parse_order_request(request.body());
  shop::OrderLine line = shop_.buy(user, order.sku, order.quantity, key, now());
  return json_ok(api::to_json(view_of(line)), http::status::created);
}

std::optional<Response> ShopHandler::admin(const Request& request, std::string_view path,
                                           const shop::User& user) {
  http::verb method = request.method();
  const std::string& currency = shop_.settings().currency;
  if (user.role != shop::Role::kAdmin) {
    throw ShopError(ShopError::Kind::kForbidden, "forbidden", "only an administrator may do this");
  }
  if (path == routes::kAdminUsers) {
    if (method != http::verb::post) return method_not_allowed("POST");
    api::NewUserRequest wanted = api::parse_new_user_request(request.body());
    auto role = shop::parse_role(wanted.role);
    if (!role)
      throw ShopError(ShopError::Kind::kInvalid, "invalid_role", "role is customer or admin");
    shop::User created = shop_.add_user(wanted.name, *role, wanted.password);
    audit_.write({{"event", "user_added"},
                  {"name", created.name},
                  {"role", wanted.role},
                  {"by", user.name}});
    return json_ok(
        boost::json::serialize(boost::json::object{{"name", created.name}, {"role", wanted.role}}),
        http::status::created);
  }
  if (is_under(path, routes::kAdminUsers) && path.ends_with("/password")) {
    if (method != http::verb::put) return method_not_allowed("PUT");
    std::string_view rest = path.substr(routes::kAdminUsers.size() + 1);
    std::string name =
        decoded_segment(rest.substr(0, rest.size() - std::string_view("/password").size()));
    shop_.reset_password(name, api::parse_new_password(request.body()));
    audit_.write({{"event", "password_reset"}, {"name", name}, {"by", user.name}});
    return make_response(http::status::no_content, "");
  }
  if (path == routes::kAdminItems) {
    if (method != http::verb::post) return method_not_allowed("POST");
    api::ItemView wanted = api::parse_item(request.body());
    shop_.add_item(user,
                   {wanted.sku, wanted.name, wanted.category, wanted.stock, wanted.unit_price});
    return json_ok(api::to_json(view_of(shop_.item(wanted.sku), currency)), http::status::created);
  }
  if (is_under(path, routes::kAdminItems)) {
    if (method != http::verb::patch) return method_not_allowed("PATCH");
    std::string sku = decoded_segment(path.substr(routes::kAdminItems.size() + 1));
    api::ItemChangeRequest change = api::parse_item_change_request(request.body());
    if (change.unit_price) shop_.set_price(user, sku, *change.unit_price);
    if (change.add_stock) shop_.restock(user, sku, *change.add_stock);
    return json_ok(api::to_json(view_of(shop_.item(sku), currency)));
  }
  return std::nullopt;
}

}  // namespace tlshop::server
