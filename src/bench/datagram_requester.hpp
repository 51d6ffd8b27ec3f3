#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <cstdint>
#include <string>

#include "client/connection.hpp"

namespace tlshop::bench {

// One virtual client of `--mode udp-requests`: GET requests as datagrams over one DTLS
// session, through libtlshop's UDP transport, as a device using the library sends them
// (retries with the same id included).
class DatagramRequester {
 public:
  DatagramRequester(boost::asio::io_context& context, client::ConnectionSettings settings,
                    std::string path);
  ~DatagramRequester();
  DatagramRequester(const DatagramRequester&) = delete;
  DatagramRequester& operator=(const DatagramRequester&) = delete;

  // One round trip; true when the answer is 200.
  boost::asio::awaitable<bool> request();
  // Requests sent again so far, because no answer came in time.
  std::uint64_t retries() const { return connection_.retries(); }

 private:
  client::Connection connection_;
  std::string path_;
};

}  // namespace tlshop::bench
