#include "server/udp_endpoint.hpp"

#include <openssl/err.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/ip/v6_only.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <deque>
#include <map>
#include <set>

#include "api/datagram_protocol.hpp"
#include "api/error_body.hpp"
#include "server/handshake_refusal.hpp"
#include "server/listen_address.hpp"
#include "server/server_state.hpp"
#include "tls/datagram_bio.hpp"
#include "tls/peer_identity.hpp"
#include "tlshop/error.hpp"

namespace tlshop::server {
namespace asio = boost::asio;
namespace http = boost::beast::http;
using udp = asio::ip::udp;
using Clock = std::chrono::steady_clock;
using reuse_port = asio::detail::socket_option::boolean<SOL_SOCKET, SO_REUSEPORT>;

namespace {

constexpr std::size_t kRepliesKept = 32;
constexpr std::size_t kLargestDatagram = 65536;
constexpr std::chrono::seconds kSweepInterval{1};

// A DTLS record of the handshake (22), in the first epoch (bytes 3-4), whose message is
// a ClientHello (1).
bool looks_like_client_hello(std::string_view datagram) {
  auto byte = [&](std::size_t i) { return static_cast<unsigned char>(datagram[i]); };
  return datagram.size() >= 25 && byte(0) == 22 && byte(1) == 0xfe && byte(3) == 0 &&
         byte(4) == 0 && byte(13) == 1;
}

// The ClientHello's random (record header 13 bytes, handshake header 12, version 2): the
// same in every retransmission of one ClientHello, whose record numbers differ.
std::string client_random(std::string_view client_hello) {
  constexpr std::size_t kOffset = 13 + 12 + 2;
  return client_hello.size() >= kOffset + 32 ? std::string(client_hello.substr(kOffset, 32))
                                             : std::string(client_hello);
}

std::string text_of(const udp::endpoint& at) {
  return ListenAddress{at.address().to_string(), at.port()}.to_string();
}

// One peer's DTLS session, from the ClientHello that brought back a valid cookie.
struct Peer {
  Peer(const asio::any_io_executor& executor, const udp::endpoint& from,
       std::shared_ptr<const tls::ServerTlsContext> context, std::size_t mtu)
      : address(from),
        tls(std::move(context)),
        queue(mtu),
        ssl(SSL_new(tls->native())),
        retransmit(executor),
        started(Clock::now()),
        last_heard(started) {
    if (!ssl) throw Error("cannot make a DTLS session");
    queue.set_peer(from.data());
    queue.attach_to(ssl.get());
  }

  udp::endpoint address;
  std::shared_ptr<const tls::ServerTlsContext> tls;  // outlives the SSL made from it
  tls::DatagramQueue queue;
  pki::UniquePtr<SSL> ssl;
  asio::steady_timer retransmit;
  Clock::time_point started, last_heard;
  bool established = false;
  std::string opening_random;  // of the ClientHello that echoed the cookie
  tls::PeerIdentity identity;
  std::deque<std::pair<std::uint64_t, std::string>> replies;  // the last answered
  std::set<std::uint64_t> answering;                          // off the loop now
};

}  // namespace

class UdpEndpoint::Impl : public std::enable_shared_from_this<Impl> {
 public:
  Impl(asio::io_context& context, const udp::endpoint& where, ServerState& state)
      : socket_(context), state_(state), sweep_(context) {
    boost::system::error_code ec;
    socket_.open(where.protocol(), ec);
    if (!ec && where.address().is_v6()) socket_.set_option(asio::ip::v6_only(true), ec);
    if (!ec) socket_.set_option(udp::socket::reuse_address(true), ec);
    if (!ec) socket_.set_option(reuse_port(true), ec);
    if (!ec) socket_.non_blocking(true, ec);
    if (!ec) socket_.bind(where, ec);
    if (ec) throw Error("cannot listen on udp://" + text_of(where) + ": " + ec.message());
  }

  udp::endpoint local_endpoint() const { return socket_.local_endpoint(); }

  void start() {
    asio::co_spawn(socket_.get_executor(), receive(shared_from_this()), asio::detached);
    sweep();
  }

  void stop() {
    stopped_ = true;
    while (!peers_.empty()) {
      Peer& peer = *peers_.begin()->second;
      if (peer.established) SSL_shutdown(peer.ssl.get());  // a close_notify, as over TCP
      flush(peer);
      remove(peer.address);
    }
    sweep_.cancel();
    boost::system::error_code ignored;
    socket_.close(ignored);
  }

 private:
  static asio::awaitable<void> receive(std::shared_ptr<Impl> self) {
    std::string buffer(kLargestDatagram, '\0');
    while (!self->stopped_) {
      udp::endpoint from;
      boost::system::error_code ec;
      std::size_t n = co_await self->socket_.async_receive_from(
          asio::buffer(buffer), from, asio::redirect_error(asio::use_awaitable, ec));
      if (ec == asio::error::operation_aborted || self->stopped_) break;
      if (ec) continue;  // an ICMP error for an earlier send, say
      self->state_.metrics.bytes_received(n);
      self->on_datagram(buffer.substr(0, n), from);
    }
  }

  void on_datagram(std::string datagram, const udp::endpoint& from) {
    auto found = peers_.find(from);
    // A ClientHello on an established session is a new association from the same
    // address and port (a restarted client, a NAT): it gets a cookie exchange of its
    // own, and replaces the old session only once it has echoed the cookie (RFC 6347,
    // 4.2.8).
    if (found != peers_.end() && found->second->established && looks_like_client_hello(datagram) &&
        client_random(datagram) == found->second->opening_random) {
      return;  // a late copy of the ClientHello that opened this session
    }
    if (found != peers_.end() &&
        !(found->second->established && looks_like_client_hello(datagram))) {
      Peer& peer = *found->second;
      peer.last_heard = Clock::now();
      peer.queue.receive(std::move(datagram));
      drive(peer);
      return;
    }
    if (!looks_like_client_hello(datagram)) {
      state_.metrics.datagram_dropped(DatagramDrop::kNoSession);
      return;
    }
    if (auto ended = ended_.find(from);
        ended != ended_.end() && ended->second.opening_random == client_random(datagram)) {
      state_.metrics.datagram_dropped(DatagramDrop::kEnded);
      return;
    }
    cookie_exchange(std::move(datagram), from);
  }

  // Stateless until the peer echoes a cookie from its own address: a throwaway SSL
  // answers the ClientHello and is gone.
  void cookie_exchange(std::string client_hello, const udp::endpoint& from) {
    std::size_t received = client_hello.size();
    std::string opening = client_random(client_hello);
    auto candidate = std::make_unique<Peer>(socket_.get_executor(), from,
                                            state_.tls.current_datagram(), state_.config.udp_mtu);
    candidate->queue.receive(std::move(client_hello));
    pki::UniquePtr<BIO_ADDR> client(BIO_ADDR_new());
    ERR_clear_error();
    int listened = DTLSv1_listen(candidate->ssl.get(), client.get());
    ERR_clear_error();
    if (listened <= 0) {
      if (!candidate->queue.has_outgoing()) return;
      std::string verify_request = candidate->queue.take_outgoing();
      // Never more bytes back than came in before the peer has proved its address.
      if (verify_request.size() > received) {
        state_.metrics.datagram_dropped(DatagramDrop::kCookieReply);
        return;
      }
      send(verify_request, from);
      return;
    }
    if (static_cast<std::size_t>(state_.metrics.udp_peers()) >= state_.config.udp_max_peers) {
      state_.metrics.datagram_dropped(DatagramDrop::kTableFull);
      return;
    }
    remove(from);  // the association this one replaces, if any
    ended_.erase(from);
    state_.metrics.udp_peer_added();
    candidate->opening_random = std::move(opening);
    Peer& peer = *(peers_[from] = std::move(candidate));
    drive(peer);
  }

  // Moves the session on with what has arrived: the handshake, then requests.
  void drive(Peer& peer) {
    bool keep = peer.established ? read_requests(peer) : handshake(peer);
    flush(peer);
    if (!keep) {
      end(peer);
      return;
    }
    arm_retransmission(peer);
  }

  bool handshake(Peer& peer) {
    ERR_clear_error();
    int result = SSL_do_handshake(peer.ssl.get());
    if (result != 1) {
      int error = SSL_get_error(peer.ssl.get(), result);
      if (error == SSL_ERROR_WANT_READ || error == SSL_ERROR_WANT_WRITE) return true;
      unsigned long reason = ERR_peek_last_error();
      tls::Refusal refusal = tls::classify_handshake_failure(peer.ssl.get(), reason);
      report_refusal(state_, peer.ssl.get(), refusal, text_of(peer.address),
                     peer.address.address().to_string(),
                     reason != 0 ? ERR_reason_error_string(reason) : "the handshake failed");
      ERR_clear_error();
      return false;
    }
    peer.established = true;
    peer.identity = tls::describe_peer(peer.ssl.get());
    state_.metrics.handshake_accepted(SSL_session_reused(peer.ssl.get()) == 1);
    return read_requests(peer);
  }

  bool read_requests(Peer& peer) {
    // A whole record, however large, so that one too large for the protocol is answered
    // once, as such, and not read as two requests.
    char buffer[SSL3_RT_MAX_PLAIN_LENGTH];
    for (;;) {
      ERR_clear_error();
      int n = SSL_read(peer.ssl.get(), buffer, sizeof buffer);
      if (n > 0) {
        handle(peer, std::string(buffer, static_cast<std::size_t>(n)));
        continue;
      }
      int error = SSL_get_error(peer.ssl.get(), n);
      ERR_clear_error();
      return error == SSL_ERROR_WANT_READ || error == SSL_ERROR_WANT_WRITE;
    }
  }

  void handle(Peer& peer, const std::string& text) {
    api::DatagramRequest request;
    api::HttpEquivalent http;
    if (text.size() > api::kMaxDatagramMessage) {
      write(peer, api::datagram_reply_json(
                      api::datagram_request_id(text), 413,
                      api::error_json("request_too_large",
                                      "the request is larger than a datagram carries (" +
                                          std::to_string(api::kMaxDatagramMessage) +
                                          " bytes of JSON): send it over TCP")));
      return;
    }
    try {
      request = api::parse_datagram_request(text);
      http = api::http_equivalent(request);
    } catch (const Error& e) {
      write(peer, api::datagram_reply_json(api::datagram_request_id(text), 400,
                                           api::error_json("bad_datagram", e.what())));
      return;
    }
    for (const auto& [id, reply] : peer.replies) {
      if (id == request.id) {  // a retry: the first answer again, nothing done twice
        write(peer, reply);
        return;
      }
    }
    if (!peer.answering.insert(request.id).second) return;  // still being answered
    auto message = std::make_shared<Request>(http::string_to_verb(http.method), http.target, 11);
    if (!http.content_type.empty()) message->set(http::field::content_type, http.content_type);
    if (!request.token.empty()) message->set(http::field::authorization, "Bearer " + request.token);
    if (!http.idempotency_key.empty()) message->set("Idempotency-Key", http.idempotency_key);
    message->body() = std::move(http.body);
    message->prepare_payload();
    RequestHandler::Blocking blocking = state_.handler.blocking(*message);
    if (blocking == RequestHandler::Blocking::kNo) {
      answer(peer.address, request.id, respond(*message, peer.identity));
      return;
    }
    auto& pool =
        blocking == RequestHandler::Blocking::kPasswordHashing ? state_.workers : state_.writers;
    asio::post(pool, [self = shared_from_this(), message, identity = peer.identity,
                      at = peer.address, id = request.id] {
      Answer answered = self->respond(*message, identity);
      asio::post(self->socket_.get_executor(),
                 [self, at, id, answered] { self->answer(at, id, answered); });
    });
  }

  struct Answer {
    unsigned status = 0;
    std::string body;
    std::chrono::milliseconds delay{0};
  };

  Answer respond(const Request& message, const tls::PeerIdentity& identity) {
    auto started = Clock::now();
    std::string route = "other";
    std::chrono::milliseconds delay{0};
    Answer answered;
    try {
      Response response = state_.handler.handle(message, identity, route, delay);
      answered = {response.result_int(), response.body(), delay};
    } catch (const std::exception&) {
      answered = {500, api::error_json("internal_error", "the server could not complete it"), {}};
    }
    state_.metrics.request_done(route, answered.status,
                                std::chrono::duration<double>(Clock::now() - started).count());
    return answered;
  }

  // Sends the answer to the peer at `at`, if it is still there, after the delay the
  // handler asked for (failed logins are slowed as over TCP).
  void answer(const udp::endpoint& at, std::uint64_t id, const Answer& answered) {
    if (answered.delay.count() > 0) {
      auto timer = std::make_shared<asio::steady_timer>(socket_.get_executor(), answered.delay);
      timer->async_wait([self = shared_from_this(), timer, at, id,
                         answered = Answer{answered.status, answered.body, {}}](
                            const boost::system::error_code&) { self->answer(at, id, answered); });
      return;
    }
    auto found = peers_.find(at);
    if (found == peers_.end()) return;
    Peer& peer = *found->second;
    peer.answering.erase(id);
    std::string reply = api::datagram_reply_json(id, answered.status, answered.body);
    if (reply.size() > api::kMaxDatagramMessage) {
      reply = api::datagram_reply_json(
          id, 413,
          api::error_json("reply_too_large",
                          "the answer does not fit in a datagram: ask for fewer (limit)"));
    }
    peer.replies.emplace_back(id, reply);
    if (peer.replies.size() > kRepliesKept) peer.replies.pop_front();
    write(peer, reply);
    flush(peer);
  }

  void write(Peer& peer, const std::string& reply) {
    ERR_clear_error();
    SSL_write(peer.ssl.get(), reply.data(), static_cast<int>(reply.size()));
    ERR_clear_error();
  }

  void flush(Peer& peer) {
    while (peer.queue.has_outgoing()) send(peer.queue.take_outgoing(), peer.address);
  }

  void send(const std::string& datagram, const udp::endpoint& to) {
    boost::system::error_code ec;
    std::size_t sent = socket_.send_to(asio::buffer(datagram), to, 0, ec);
    if (!ec) state_.metrics.bytes_sent(sent);  // a full socket buffer loses it, as UDP may
  }

  // DTLS resends its last flight when the peer's answer does not come in time.
  void arm_retransmission(Peer& peer) {
    timeval wait{};
    if (peer.established || DTLSv1_get_timeout(peer.ssl.get(), &wait) != 1) return;
    peer.retransmit.expires_after(std::chrono::seconds(wait.tv_sec) +
                                  std::chrono::microseconds(wait.tv_usec));
    peer.retransmit.async_wait(
        [self = shared_from_this(), at = peer.address](const boost::system::error_code& ec) {
          if (ec) return;
          auto found = self->peers_.find(at);
          if (found == self->peers_.end()) return;
          DTLSv1_handle_timeout(found->second->ssl.get());
          self->flush(*found->second);
          self->arm_retransmission(*found->second);
        });
  }

  // Ends handshakes that take too long and sessions that have gone quiet.
  void sweep() {
    sweep_.expires_after(kSweepInterval);
    sweep_.async_wait([self = shared_from_this()](const boost::system::error_code& ec) {
      if (ec || self->stopped_) return;
      auto now = Clock::now();
      std::vector<udp::endpoint> expired;
      for (const auto& [at, peer] : self->peers_) {
        bool slow =
            !peer->established && now - peer->started > self->state_.config.handshake_timeout;
        bool quiet = now - peer->last_heard > self->state_.config.idle_timeout;
        if (slow) {
          report_refusal(self->state_, peer->ssl.get(), tls::Refusal::kTimeout, text_of(at),
                         at.address().to_string(), "no answer in time");
        }
        if ((slow || quiet) && peer->answering.empty()) expired.push_back(at);
      }
      for (const udp::endpoint& at : expired) self->end(*self->peers_.at(at));
      std::erase_if(self->ended_, [&](const auto& ended) {
        return now - ended.second.at > self->state_.config.handshake_timeout;
      });
      self->sweep();
    });
  }

  // Removes the peer's session; an unfinished handshake's opening is remembered.
  void end(Peer& peer) {
    if (!peer.established && ended_.size() < state_.config.udp_max_peers) {
      ended_[peer.address] = EndedHandshake{peer.opening_random, Clock::now()};
    }
    remove(peer.address);
  }

  void remove(const udp::endpoint& at) {
    if (peers_.erase(at) > 0) state_.metrics.udp_peer_removed();
  }

  udp::socket socket_;
  ServerState& state_;
  asio::steady_timer sweep_;
  std::map<udp::endpoint, std::unique_ptr<Peer>> peers_;
  // Handshakes ended unfinished (too slow, or failed), for one handshake timeout. The
  // client may still be resending the ClientHello that opened one, with a cookie that
  // is still valid: a second session answering it would send messages with the numbers
  // the first one used, and the client would mix the two (and fail on a bad signature).
  struct EndedHandshake {
    std::string opening_random;
    Clock::time_point at;
  };
  std::map<udp::endpoint, EndedHandshake> ended_;
  bool stopped_ = false;
};

UdpEndpoint::UdpEndpoint(asio::io_context& context, const udp::endpoint& where, ServerState& state)
    : impl_(std::make_shared<Impl>(context, where, state)) {}

UdpEndpoint::~UdpEndpoint() = default;

udp::endpoint UdpEndpoint::local_endpoint() const { return impl_->local_endpoint(); }

void UdpEndpoint::start() { impl_->start(); }

void UdpEndpoint::stop() { impl_->stop(); }

}  // namespace tlshop::server
