#pragma once

#include <boost/asio/ip/tcp.hpp>

namespace tlshop::server {

struct ServerState;

// Serves one accepted TCP connection on its socket's executor: TLS handshake, then
// HTTP/1.1 requests with keep-alive, each bounded in size and time. Refused handshakes
// and requests go to the audit and access logs.
void start_connection(boost::asio::ip::tcp::socket socket,
                      const boost::asio::ip::tcp::endpoint& peer, ServerState& state);

}  // namespace tlshop::server
