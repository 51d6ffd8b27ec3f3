#include "tls/datagram_bio.hpp"

#include <netinet/in.h>

#include <algorithm>
#include <cstring>

#include "pki/openssl_error.hpp"

namespace tlshop::tls {
namespace {

// BIO_ADDR has no copy function; its raw parts make one.
bool copy_address(const BIO_ADDR* from, BIO_ADDR* to) {
  unsigned char address[16];
  std::size_t length = sizeof address;
  return BIO_ADDR_rawaddress(from, address, &length) == 1 &&
         BIO_ADDR_rawmake(to, BIO_ADDR_family(from), address, length, BIO_ADDR_rawport(from)) == 1;
}

}  // namespace

DatagramQueue::DatagramQueue(std::size_t mtu) : mtu_(mtu), peer_(BIO_ADDR_new()) {}

const BIO_METHOD* DatagramQueue::method() {
  // One method for the process, never freed: OpenSSL keeps pointers to it in every BIO.
  static BIO_METHOD* const queue_method = [] {
    BIO_METHOD* made =
        BIO_meth_new(BIO_get_new_index() | BIO_TYPE_SOURCE_SINK, "tlshop datagram queue");
    if (made == nullptr || BIO_meth_set_write(made, &DatagramQueue::write) != 1 ||
        BIO_meth_set_read(made, &DatagramQueue::read) != 1 ||
        BIO_meth_set_ctrl(made, &DatagramQueue::control) != 1) {
      pki::throw_openssl_error("cannot make the datagram BIO method");
    }
    return made;
  }();
  return queue_method;
}

void DatagramQueue::attach_to(SSL* ssl) {
  BIO* bio = BIO_new(method());
  if (bio == nullptr) pki::throw_openssl_error("cannot make a datagram BIO");
  BIO_set_data(bio, this);
  BIO_set_init(bio, 1);
  SSL_set_bio(ssl, bio, bio);
  DTLS_set_timer_cb(ssl, &DatagramQueue::next_retransmission);
}

unsigned int DatagramQueue::next_retransmission(SSL* /*ssl*/, unsigned int previous_us) {
  constexpr unsigned int kFirst = 250'000;
  constexpr unsigned int kLongest = 2'000'000;
  return previous_us == 0 ? kFirst : std::min(previous_us * 2, kLongest);
}

void DatagramQueue::set_peer(const BIO_ADDR* peer) { copy_address(peer, peer_.get()); }

void DatagramQueue::set_peer(const sockaddr* peer) {
  if (peer->sa_family == AF_INET) {
    const auto* v4 = reinterpret_cast<const sockaddr_in*>(peer);
    BIO_ADDR_rawmake(peer_.get(), AF_INET, &v4->sin_addr, sizeof v4->sin_addr, v4->sin_port);
  } else if (peer->sa_family == AF_INET6) {
    const auto* v6 = reinterpret_cast<const sockaddr_in6*>(peer);
    BIO_ADDR_rawmake(peer_.get(), AF_INET6, &v6->sin6_addr, sizeof v6->sin6_addr, v6->sin6_port);
  }
}

void DatagramQueue::receive(std::string datagram) { incoming_.push_back(std::move(datagram)); }

std::string DatagramQueue::take_outgoing() {
  std::string datagram = std::move(outgoing_.front());
  outgoing_.pop_front();
  return datagram;
}

int DatagramQueue::write(BIO* bio, const char* data, int size) {
  auto* queue = static_cast<DatagramQueue*>(BIO_get_data(bio));
  BIO_clear_retry_flags(bio);
  queue->outgoing_.emplace_back(data, static_cast<std::size_t>(size));
  return size;
}

// One datagram per read, as a socket gives them; a buffer too small truncates it.
int DatagramQueue::read(BIO* bio, char* out, int size) {
  auto* queue = static_cast<DatagramQueue*>(BIO_get_data(bio));
  BIO_clear_retry_flags(bio);
  if (queue->incoming_.empty()) {
    BIO_set_retry_read(bio);
    return -1;
  }
  std::string datagram = std::move(queue->incoming_.front());
  queue->incoming_.pop_front();
  std::size_t length = std::min(datagram.size(), static_cast<std::size_t>(size));
  std::memcpy(out, datagram.data(), length);
  return static_cast<int>(length);
}

long DatagramQueue::control(BIO* bio, int command, long /*number*/, void* pointer) {
  auto* queue = static_cast<DatagramQueue*>(BIO_get_data(bio));
  switch (command) {
    case BIO_CTRL_DGRAM_QUERY_MTU:
    case BIO_CTRL_DGRAM_GET_FALLBACK_MTU:
      return static_cast<long>(queue->mtu_);
    case BIO_CTRL_DGRAM_GET_PEER:
      return copy_address(queue->peer_.get(), static_cast<BIO_ADDR*>(pointer)) ? 1 : 0;
    case BIO_CTRL_PENDING:
      return queue->incoming_.empty() ? 0 : static_cast<long>(queue->incoming_.front().size());
    case BIO_CTRL_FLUSH:
    case BIO_CTRL_DGRAM_SET_CONNECTED:
    case BIO_CTRL_DGRAM_SET_PEER:
    case BIO_CTRL_DGRAM_SET_NEXT_TIMEOUT:
      return 1;
    default:  // WPENDING, MTU_EXCEEDED, GET_MTU_OVERHEAD and the rest: nothing to report
      return 0;
  }
}

}  // namespace tlshop::tls
