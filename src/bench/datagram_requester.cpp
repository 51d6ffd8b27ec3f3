#include "bench/datagram_requester.hpp"

#include <boost/asio/async_result.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace tlshop::bench {
namespace asio = boost::asio;

namespace {

client::ConnectionSettings over_udp(client::ConnectionSettings settings) {
  settings.transport = client::Transport::kUdp;
  return settings;
}

}  // namespace

DatagramRequester::DatagramRequester(asio::io_context& context, client::ConnectionSettings settings,
                                     std::string path)
    : connection_(context.get_executor(), over_udp(std::move(settings))), path_(std::move(path)) {}

DatagramRequester::~DatagramRequester() { connection_.close(); }

asio::awaitable<bool> DatagramRequester::request() {
  client::Request request;
  request.target = path_;
  client::Result<client::Response> answer =
      co_await asio::async_initiate<decltype(asio::use_awaitable),
                                    void(client::Result<client::Response>)>(
          [this, &request](auto handler) {
            connection_.async_request(std::move(request), std::move(handler));
          },
          asio::use_awaitable);
  co_return answer.has_value() && answer.value().status == 200;
}

}  // namespace tlshop::bench
