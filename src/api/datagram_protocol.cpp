#include "api/datagram_protocol.hpp"

#include <boost/json.hpp>
#include <boost/url/parse.hpp>
#include <map>

#include "api/json_fields.hpp"
#include "api/routes.hpp"
#include "tlshop/api/shop_messages.hpp"
#include "tlshop/error.hpp"

namespace tlshop::api {
namespace json = boost::json;
namespace {

const std::string& required(const DatagramRequest& request, std::string_view name) {
  const std::string* value = request.arg(name);
  if (value == nullptr) {
    throw Error("operation " + request.op + " needs the argument " + std::string(name));
  }
  return *value;
}

std::int64_t whole_number(const DatagramRequest& request, std::string_view name) {
  const std::string& text = required(request, name);
  std::size_t used = 0;
  long long value = 0;
  try {
    value = std::stoll(text, &used);
  } catch (const std::exception&) {
    used = 0;
  }
  if (used == 0 || used != text.size()) {
    throw Error("the argument " + std::string(name) + " must be a whole number");
  }
  return value;
}

// "?a=1&b=x" of the arguments given among `names`.
std::string query_of(const DatagramRequest& request, std::initializer_list<const char*> names) {
  std::string query;
  for (const char* name : names) {
    if (const std::string* value = request.arg(name)) {
      query += (query.empty() ? "?" : "&") + std::string(name) + "=" + routes::escaped(*value);
    }
  }
  return query;
}

HttpEquivalent get(std::string target) { return {"GET", std::move(target), {}, {}, {}}; }

using Translation = HttpEquivalent (*)(const DatagramRequest&);

const std::map<std::string, Translation, std::less<>>& translations() {
  static const std::map<std::string, Translation, std::less<>> table{
      {"hello", [](const DatagramRequest&) { return get(std::string(routes::kHello)); }},
      {"categories", [](const DatagramRequest&) { return get(std::string(routes::kCategories)); }},
      {"items",
       [](const DatagramRequest& r) {
         return get(std::string(routes::kItems) +
                    query_of(r, {"category", "q", "limit", "cursor"}));
       }},
      {"item",
       [](const DatagramRequest& r) {
         return get(std::string(routes::kItems) + "/" + routes::escaped(required(r, "sku")));
       }},
      {"login",
       [](const DatagramRequest& r) {
         return HttpEquivalent{"POST",
                               std::string(routes::kSessions),
                               to_json(LoginRequest{required(r, "name"), required(r, "password")}),
                               "application/json",
                               {}};
       }},
      {"logout",
       [](const DatagramRequest&) {
         return HttpEquivalent{"DELETE", std::string(routes::kCurrentSession), {}, {}, {}};
       }},
      {"buy",
       [](const DatagramRequest& r) {
         return HttpEquivalent{
             "POST", std::string(routes::kOrders),
             to_json(OrderRequest{required(r, "sku"), whole_number(r, "quantity")}),
             "application/json", "udp-" + std::to_string(r.id)};
       }},
      {"receipt", [](const DatagramRequest&) { return get(std::string(routes::kReceipt)); }},
      {"closeReceipt",
       [](const DatagramRequest&) {
         return HttpEquivalent{"POST", std::string(routes::kReceiptClose), {}, {}, {}};
       }},
      {"receipts", [](const DatagramRequest&) { return get(std::string(routes::kReceipts)); }},
      {"sendMessage",
       [](const DatagramRequest& r) {
         const std::string* type = r.arg("content_type");
         return HttpEquivalent{"POST",
                               std::string(routes::kMessages),
                               required(r, "body"),
                               type != nullptr ? *type : "text/plain",
                               {}};
       }},
      {"listMessages",
       [](const DatagramRequest& r) {
         return get(std::string(routes::kMessages) + query_of(r, {"since", "limit"}));
       }},
  };
  return table;
}

}  // namespace

const std::string* DatagramRequest::arg(std::string_view name) const {
  for (const auto& [key, value] : args) {
    if (key == name) return &value;
  }
  return nullptr;
}

std::string to_json(const DatagramRequest& request) {
  json::object args;
  for (const auto& [name, value] : request.args) args[name] = value;
  json::object message{{"v", kDatagramVersion}, {"id", request.id}, {"op", request.op}};
  if (!request.token.empty()) message["token"] = request.token;
  message["args"] = std::move(args);
  return json::serialize(message);
}

DatagramRequest parse_datagram_request(std::string_view text) {
  if (text.size() > kMaxDatagramMessage) throw Error("the request is larger than a datagram");
  JsonReader reader(text, "the request");
  const json::object& root = reader.root();
  if (reader.uint_at(root, "v") != kDatagramVersion) {
    throw Error("this server speaks version " + std::to_string(kDatagramVersion) +
                " of the datagram protocol");
  }
  DatagramRequest request;
  request.id = reader.uint_at(root, "id");
  request.op = reader.string_at(root, "op");
  if (translations().find(request.op) == translations().end()) {
    throw Error("unknown operation: " + request.op.substr(0, 40));
  }
  if (reader.has(root, "token")) request.token = reader.string_at(root, "token");
  if (reader.has(root, "args")) {
    for (const auto& [name, value] : reader.object_at(root, "args")) {
      if (value.is_string()) {
        request.args.emplace_back(name, std::string(value.as_string()));
      } else if (value.is_int64() || value.is_uint64()) {
        request.args.emplace_back(name, json::serialize(value));
      } else {
        throw Error("the argument " + std::string(name) + " must be a string or a whole number");
      }
    }
  }
  return request;
}

DatagramRequest datagram_equivalent(std::string_view method, std::string_view target,
                                    std::string_view body, std::string_view content_type) {
  auto url = boost::urls::parse_origin_form(target);
  if (!url) throw Error("not a request target: " + std::string(target.substr(0, 80)));
  std::string path = url->path();
  DatagramRequest request;
  for (const auto& parameter : url->params())
    request.args.emplace_back(parameter.key, parameter.value);
  auto is = [&](std::string_view wanted_method, std::string_view route) {
    return method == wanted_method && path == route;
  };
  if (is("GET", routes::kHello)) {
    request.op = "hello";
  } else if (is("GET", routes::kCategories)) {
    request.op = "categories";
  } else if (is("GET", routes::kItems)) {
    request.op = "items";
  } else if (method == "GET" && path.starts_with(std::string(routes::kItems) + "/")) {
    request.op = "item";
    request.args = {{"sku", path.substr(routes::kItems.size() + 1)}};
  } else if (is("POST", routes::kSessions)) {
    LoginRequest login = parse_login_request(body);
    request.op = "login";
    request.args = {{"name", login.name}, {"password", login.password}};
  } else if (is("DELETE", routes::kCurrentSession)) {
    request.op = "logout";
  } else if (is("POST", routes::kOrders)) {
    OrderRequest order = parse_order_request(body);
    request.op = "buy";
    request.args = {{"sku", order.sku}, {"quantity", std::to_string(order.quantity)}};
  } else if (is("GET", routes::kReceipt)) {
    request.op = "receipt";
  } else if (is("POST", routes::kReceiptClose)) {
    request.op = "closeReceipt";
  } else if (is("GET", routes::kReceipts)) {
    request.op = "receipts";
  } else if (is("POST", routes::kMessages)) {
    request.op = "sendMessage";
    request.args = {{"body", std::string(body)}, {"content_type", std::string(content_type)}};
  } else if (is("GET", routes::kMessages)) {
    request.op = "listMessages";
  } else {
    throw Error(std::string(method) + " " + path + " is not carried over UDP: use TCP");
  }
  return request;
}

std::uint64_t datagram_request_id(std::string_view text) {
  try {
    JsonReader reader(text, "the request");
    return reader.uint_at(reader.root(), "id");
  } catch (const Error&) {
    return 0;
  }
}

HttpEquivalent http_equivalent(const DatagramRequest& request) {
  auto found = translations().find(request.op);
  if (found == translations().end()) throw Error("unknown operation: " + request.op.substr(0, 40));
  return found->second(request);
}

std::string datagram_reply_json(std::uint64_t id, unsigned status, std::string_view body) {
  json::object reply{{"v", kDatagramVersion}, {"id", id}, {"status", status}};
  json::value parsed;
  if (!body.empty()) {
    boost::system::error_code ec;
    parsed = json::parse(body, ec);
    if (ec) parsed = json::string(body);  // text, such as the metrics
  }
  if (status < 300) {
    reply["result"] = std::move(parsed);
  } else if (parsed.is_object() && parsed.as_object().contains("error")) {
    reply["error"] = parsed.as_object()["error"];
  } else {
    reply["error"] = json::object{{"code", "error"}, {"message", "HTTP " + std::to_string(status)}};
  }
  return json::serialize(reply);
}

DatagramReply parse_datagram_reply(std::string_view text) {
  JsonReader reader(text, "the reply");
  const json::object& root = reader.root();
  DatagramReply reply;
  reply.id = reader.uint_at(root, "id");
  reply.status = static_cast<unsigned>(reader.uint_at(root, "status"));
  if (reply.status < 300) {
    if (root.contains("result")) reply.result = json::serialize(root.at("result"));
  } else {
    const json::object& error = reader.object_at(root, "error");
    reply.error_code = reader.string_at(error, "code");
    reply.error_message = reader.string_at(error, "message");
  }
  return reply;
}

}  // namespace tlshop::api
