#pragma once

#include <openssl/bio.h>
#include <openssl/ssl.h>
#include <sys/socket.h>

#include <cstddef>
#include <deque>
#include <string>

#include "pki/openssl_handles.hpp"

namespace tlshop::tls {

// DTLS over a socket tlshop reads and writes itself: a BIO that keeps datagram
// boundaries (OpenSSL 3.0's memory BIOs do not). Datagrams received from the peer are
// put in with receive(); what OpenSSL writes comes out one datagram at a time with
// take_outgoing(). It also tells OpenSSL the peer's address (for cookies) and the
// largest datagram to send (the MTU). One queue serves one SSL, which owns the BIO;
// the queue must outlive it.
class DatagramQueue {
 public:
  // `mtu`: the largest datagram, UDP payload bytes.
  explicit DatagramQueue(std::size_t mtu);
  DatagramQueue(const DatagramQueue&) = delete;
  DatagramQueue& operator=(const DatagramQueue&) = delete;

  // Makes this queue the SSL's transport (a BIO the SSL owns) and sets its
  // retransmission timer: 250 ms at first, doubling to at most 2 s. OpenSSL's own (1 s,
  // doubling to 60 s) lets a handshake that loses a few datagrams outlast the server's
  // handshake timeout; these are the client's request retry intervals too.
  void attach_to(SSL* ssl);

  void set_peer(const BIO_ADDR* peer);
  // From a socket address (IPv4 or IPv6), as an Asio endpoint's data() gives it.
  void set_peer(const sockaddr* peer);
  void receive(std::string datagram);
  bool has_outgoing() const { return !outgoing_.empty(); }
  std::string take_outgoing();
  std::size_t mtu() const { return mtu_; }

 private:
  static int write(BIO* bio, const char* data, int size);
  static int read(BIO* bio, char* out, int size);
  static long control(BIO* bio, int command, long number, void* pointer);
  static const BIO_METHOD* method();
  static unsigned int next_retransmission(SSL* ssl, unsigned int previous_us);

  std::size_t mtu_;
  std::deque<std::string> incoming_;
  std::deque<std::string> outgoing_;
  pki::UniquePtr<BIO_ADDR> peer_;
};

}  // namespace tlshop::tls
