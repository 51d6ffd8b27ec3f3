#pragma once

#include <boost/asio/any_completion_handler.hpp>
#include <boost/asio/any_io_executor.hpp>
#include <cstdint>
#include <memory>
#include <string>

#include "tlshop/connection_settings.hpp"
#include "tlshop/request.hpp"
#include "tlshop/result.hpp"

namespace tlshop::client {

// One kept-alive TLS connection to a server, shared by the blocking and the asynchronous
// client. Requests run one at a time, in the order given, on the connection's strand;
// each completes with the server's response or the ClientError that prevented it. A
// Connection is a handle: copies share one connection.
class Connection {
 public:
  using Done = boost::asio::any_completion_handler<void(Result<Response>)>;

  // Loads the certificate, key and CA; throws ClientError(kConfiguration).
  Connection(const boost::asio::any_io_executor& executor, ConnectionSettings settings);

  // May be called from any thread; `done` runs on the connection's strand.
  void async_request(Request request, Done done) const;
  // Ends the connection: the request in flight and those waiting, and any made later,
  // complete with kCancelled.
  void close() const;

  const boost::asio::any_io_executor& executor() const;
  const ConnectionSettings& settings() const;
  // The session token sent as "Authorization: Bearer" with every request.
  void set_token(std::string token) const;
  std::string token() const;
  // Requests sent again: after a broken connection (TCP), or unanswered (UDP).
  std::uint64_t retries() const;

 private:
  std::shared_ptr<class Channel> channel_;
};

}  // namespace tlshop::client
