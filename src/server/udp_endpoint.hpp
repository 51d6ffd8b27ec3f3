#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/udp.hpp>
#include <memory>

namespace tlshop::server {

struct ServerState;

// The shop over UDP on one socket: DTLS 1.2 with a stateless cookie exchange before any
// state is kept for a peer, then a session per peer address (its own retransmission
// timer, expired when idle), each request a datagram-protocol message answered through
// the same request handler as HTTP. Peers that send nothing valid cost nothing; the
// number of sessions is bounded by udp.max_peers over all sockets.
class UdpEndpoint {
 public:
  // Binds (sharing the port with the other threads' sockets, as the TCP listeners do);
  // throws tlshop::Error if it cannot.
  UdpEndpoint(boost::asio::io_context& context, const boost::asio::ip::udp::endpoint& where,
              ServerState& state);
  ~UdpEndpoint();
  UdpEndpoint(const UdpEndpoint&) = delete;
  UdpEndpoint& operator=(const UdpEndpoint&) = delete;

  boost::asio::ip::udp::endpoint local_endpoint() const;
  void start();
  // Ends every session and stops taking datagrams; on the endpoint's own thread.
  void stop();

 private:
  class Impl;
  std::shared_ptr<Impl> impl_;
};

}  // namespace tlshop::server
