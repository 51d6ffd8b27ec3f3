// The bytes a peer sends once its handshake is done: the request line, headers and
// body as the server parses them (its limits, Beast's parser), then the routing and
// query-string code that reads the target.
#include <boost/asio/buffer.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>
#include <cstdint>
#include <string_view>

#include "api/routes.hpp"
#include "server/query_string.hpp"
#include "server/server_config.hpp"

namespace http = boost::beast::http;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const tlshop::server::ServerConfig defaults;
  std::string_view input(reinterpret_cast<const char*>(data), size);
  // Several pipelined requests, each parsed as the server parses them.
  while (!input.empty()) {
    http::request_parser<http::string_body> parser;
    parser.header_limit(static_cast<std::uint32_t>(defaults.max_header_bytes));
    parser.body_limit(defaults.max_body_bytes);
    parser.eager(true);
    boost::beast::error_code ec;
    std::size_t used = parser.put(boost::asio::buffer(input.data(), input.size()), ec);
    input.remove_prefix(used);
    if (ec || !parser.is_done()) return 0;
    http::request<http::string_body> request = parser.release();
    if (auto target = tlshop::server::RequestTarget::parse(request.target())) {
      tlshop::api::routes::label_for(target->path());
      tlshop::server::decoded_segment(target->path());
      for (std::string_view name : {"category", "q", "cursor", "limit", "since"}) {
        if (auto value = target->parameter(name)) tlshop::server::parse_unsigned(*value);
      }
    }
    (void)request.keep_alive();
    if (used == 0) return 0;
  }
  return 0;
}
