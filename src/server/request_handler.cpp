#include "server/request_handler.hpp"

#include <boost/beast/http/field.hpp>
#include <boost/beast/http/verb.hpp>
#include <boost/json.hpp>
#include <iostream>

#include "api/routes.hpp"
#include "base/utf8.hpp"
#include "server/json_lines_log.hpp"
#include "server/message_store.hpp"
#include "server/metrics.hpp"
#include "server/query_string.hpp"
#include "server/shop_handler.hpp"
#include "tlshop/api/hello.hpp"
#include "tlshop/api/messages.hpp"

namespace tlshop::server {
namespace http = boost::beast::http;
namespace routes = api::routes;

namespace {

constexpr std::size_t kMaxListLimit = 1000;

bool is_text_content_type(std::string_view type) {
  // curl -d sends form-urlencoded by default; it is text all the same.
  return type.empty() || type.starts_with("text/") || type.starts_with("application/xml") ||
         type.starts_with("application/json") ||
         type.starts_with("application/x-www-form-urlencoded");
}

}  // namespace

RequestHandler::Blocking RequestHandler::blocking(const Request& request) const {
  http::verb method = request.method();
  if (method == http::verb::get || method == http::verb::head) return Blocking::kNo;
  auto target = RequestTarget::parse(request.target());
  if (!target) return Blocking::kNo;  // answered at once: not a valid target
  std::string_view path = target->path();
  if (path == routes::kSessions || path.starts_with(routes::kAdminUsers)) {
    return Blocking::kPasswordHashing;
  }
  return Blocking::kDiskWrite;
}

Response RequestHandler::handle(const Request& request, const tls::PeerIdentity& peer,
                                std::string& route, std::chrono::milliseconds& delay) {
  try {
    return route_request(request, peer, route, delay);
  } catch (const shop::StoreUnavailable& e) {
    // Not carried out, or (a connection lost while committing) carried out without an
    // answer: the client sends the same request again once the database is back, a
    // purchase with its Idempotency-Key, which applies it once.
    std::cerr << "tlshop: " << e.what() << "\n";
    Response response = error_response(http::status::service_unavailable, "store_unavailable",
                                       "the shop's database cannot be reached now: try again in " +
                                           std::to_string(e.retry_after().count()) + " s");
    response.set(http::field::retry_after, std::to_string(e.retry_after().count()));
    return response;
  }
}

Response RequestHandler::route_request(const Request& request, const tls::PeerIdentity& peer,
                                       std::string& route, std::chrono::milliseconds& delay) {
  auto target = RequestTarget::parse(request.target());
  if (!target) {
    route = "other";
    return error_response(http::status::bad_request, "bad_target",
                          "the request target is not a path and query as URLs have them (a bad "
                          "%-escape, a space?)");
  }
  std::string_view path = target->path();
  http::verb method = request.method();
  route = std::string(routes::label_for(path));
  if (path == routes::kHello) {
    return method == http::verb::get ? hello(peer) : method_not_allowed("GET");
  }
  if (path == routes::kMessages) {
    if (method == http::verb::post) return store_message(request, peer);
    if (method == http::verb::get) return list_messages(*target, peer);
    return method_not_allowed("GET, POST");
  }
  if (path == routes::kHealth) {
    return method == http::verb::get ? make_response(http::status::ok, R"({"status":"ok"})")
                                     : method_not_allowed("GET");
  }
  if (path == routes::kMetrics) {
    return method == http::verb::get ? metrics(request, peer) : method_not_allowed("GET");
  }
  if (auto response = shop_.handle(request, *target, peer, delay)) return *response;
  return error_response(http::status::not_found, "not_found",
                        "no such path: " + std::string(path.substr(0, 200)));
}

Response RequestHandler::metrics(const Request& request, const tls::PeerIdentity& peer) {
  if (metrics_readers_.count(peer.public_key_pin) == 0 && !shop_.is_administrator(request, peer)) {
    return error_response(http::status::forbidden, "forbidden",
                          "the metrics are for administrators (log in as one) and for client "
                          "certificates listed in metrics.client_pins");
  }
  return make_response(http::status::ok, metrics_.render(), "text/plain; version=0.0.4");
}

Response RequestHandler::hello(const tls::PeerIdentity& peer) {
  api::Hello hello{"Hello " + peer.subject + ", this is tlshop.",
                   peer.subject,
                   peer.alt_names,
                   peer.serial,
                   peer.issuer,
                   peer.not_after,
                   peer.tls_version,
                   peer.cipher,
                   peer.resumed};
  return make_response(http::status::ok, api::to_json(hello));
}

Response RequestHandler::store_message(const Request& request, const tls::PeerIdentity& peer) {
  std::string content_type(request[http::field::content_type]);
  if (!is_text_content_type(content_type)) {
    return error_response(http::status::unsupported_media_type, "unsupported_media_type",
                          "a message is text: text/*, application/xml, application/json or "
                          "application/x-www-form-urlencoded");
  }
  if (request.body().empty()) {
    return error_response(http::status::bad_request, "empty_message", "the message is empty");
  }
  if (!is_valid_utf8(request.body())) {
    return error_response(http::status::bad_request, "invalid_text",
                          "the message is not valid UTF-8 text");
  }
  shop::MessageOutcome outcome = messages_.append(
      peer.public_key_pin, content_type.empty() ? "text/plain" : content_type, request.body());
  using Status = shop::MessageOutcome::Status;
  switch (outcome.status) {
    case Status::kTooMany:
      return error_response(http::status::too_many_requests, "message_quota",
                            "this client certificate keeps as many messages as it may; old "
                            "ones are deleted after the retention period");
    case Status::kTooLarge:
      return error_response(http::status::insufficient_storage, "message_storage_quota",
                            "this client certificate's messages take all the space it may use");
    case Status::kStoreFull:
      return error_response(http::status::insufficient_storage, "message_storage_full",
                            "the server keeps as many message bytes as it may");
    case Status::kStored:
      break;
  }
  api::MessageReceipt receipt{static_cast<std::uint64_t>(outcome.message.id),
                              outcome.message.received_at};
  audit_.write({{"event", "message_stored"},
                {"id", receipt.id},
                {"subject", peer.subject},
                {"serial", peer.serial},
                {"bytes", request.body().size()}});
  return make_response(http::status::created, api::to_json(receipt));
}

Response RequestHandler::list_messages(const RequestTarget& target, const tls::PeerIdentity& peer) {
  std::uint64_t since = 0;
  std::uint64_t limit = api::kDefaultMessageListLimit;
  if (auto text = target.parameter("since")) {
    auto value = parse_unsigned(*text);
    if (!value) {
      return error_response(http::status::bad_request, "invalid_parameter",
                            "since must be a message id (a non-negative integer)");
    }
    since = *value;
  }
  if (auto text = target.parameter("limit")) {
    auto value = parse_unsigned(*text);
    if (!value || *value == 0 || *value > kMaxListLimit) {
      return error_response(http::status::bad_request, "invalid_parameter",
                            "limit must be an integer from 1 to 1000");
    }
    limit = *value;
  }
  return make_response(http::status::ok,
                       api::to_json(messages_.list(peer.public_key_pin, since, limit)));
}

}  // namespace tlshop::server
