#include "server/https_server.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ip/v6_only.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/json.hpp>
#include <csignal>
#include <iostream>
#include <thread>

#include "base/open_file_limit.hpp"
#include "server/connection.hpp"
#include "server/server_state.hpp"
#include "server/service_manager.hpp"
#include "server/udp_endpoint.hpp"
#include "tlshop/error.hpp"

namespace tlshop::server {
namespace asio = boost::asio;
using tcp = asio::ip::tcp;
using reuse_port = asio::detail::socket_option::boolean<SOL_SOCKET, SO_REUSEPORT>;

namespace {

constexpr std::chrono::milliseconds kDrainPoll{50};
constexpr std::chrono::milliseconds kAcceptRetry{100};

asio::ip::address resolve_host(const std::string& host) {
  if (host == "localhost") return asio::ip::make_address("127.0.0.1");
  boost::system::error_code ec;
  asio::ip::address address = asio::ip::make_address(host, ec);
  if (ec) throw Error("cannot listen on '" + host + "': give an IP address (or localhost)");
  return address;
}

std::string endpoint_text(const tcp::endpoint& at) {
  return ListenAddress{at.address().to_string(), at.port()}.to_string();
}

// A listener (one per thread and address, sharing the port with SO_REUSEPORT), or with
// listener false a socket that is only bound. SO_REUSEPORT would also let this server
// share a port with another one already listening there (an old instance not yet
// stopped, say) and take half its connections: a socket bound without it finds out.
std::unique_ptr<tcp::acceptor> bind_acceptor(asio::io_context& context, const tcp::endpoint& at,
                                             bool listener) {
  auto acceptor = std::make_unique<tcp::acceptor>(context);
  boost::system::error_code ec;
  acceptor->open(at.protocol(), ec);
  if (!ec && at.address().is_v6()) acceptor->set_option(asio::ip::v6_only(true), ec);
  if (!ec) acceptor->set_option(tcp::acceptor::reuse_address(true), ec);
  if (!ec && listener) acceptor->set_option(reuse_port(true), ec);
  // Replies leave at once (no Nagle delay); accepted sockets inherit it from here.
  if (!ec && listener) acceptor->set_option(tcp::no_delay(true), ec);
  if (!ec) acceptor->bind(at, ec);
  if (!ec && listener) acceptor->listen(asio::socket_base::max_listen_connections, ec);
  if (ec) throw Error("cannot listen on " + endpoint_text(at) + ": " + ec.message());
  return acceptor;
}

}  // namespace

class HttpsServer::Impl {
 public:
  explicit Impl(ServerConfig config)
      : state_(std::move(config)),
        signals_(context(0)),
        reload_timer_(context(0)),
        drain_timer_(context(0)) {
    state_.config.validate();
    // limits.max_connections is the cap; the descriptor limit should not be a lower one.
    raise_open_file_limit();
    // OpenSSL writes to the sockets itself (net::TlsSocket): a peer that has gone must be
    // an EPIPE for that connection, not a signal that ends the server.
    std::signal(SIGPIPE, SIG_IGN);
    bind_listeners();
  }

  const std::vector<std::string>& bound_addresses() const { return bound_; }
  const std::vector<std::string>& bound_udp_addresses() const { return bound_udp_; }

  void run() {
    for (auto& acceptor : acceptors_) {
      asio::co_spawn(acceptor->get_executor(), accept_loop(*acceptor), asio::detached);
    }
    for (auto& endpoint : udp_endpoints_) endpoint->start();
    watch_signals();
    watch_files();
    state_.audit.write({{"event", "server_started"},
                        {"listen", boost::json::value_from(bound_)},
                        {"store", state_.config.store_choice().describe()}});
    notify_ready(listening_status());
    for (const std::string& warning : state_.config.warnings) {
      state_.audit.write({{"event", "config_warning"}, {"message", warning}});
    }
    std::vector<std::thread> threads;
    for (std::size_t i = 1; i < contexts_.size(); ++i) {
      threads.emplace_back([this, i] { contexts_[i]->run(); });
    }
    contexts_[0]->run();
    for (auto& thread : threads) thread.join();
    state_.refusals.flush(true);
    state_.audit.write({{"event", "server_stopped"}});
  }

 private:
  asio::io_context& context(std::size_t index) {
    while (contexts_.size() <= index) contexts_.push_back(std::make_unique<asio::io_context>(1));
    return *contexts_[index];
  }

  void bind_listeners() {
    unsigned threads = state_.config.effective_threads();
    for (unsigned i = 0; i < threads; ++i) context(i);
    for (const ListenAddress& address : state_.config.listen) {
      tcp::endpoint endpoint(resolve_host(address.host), address.port);
      // Refused if another server already listens there (see bind_acceptor).
      if (endpoint.port() != 0) bind_acceptor(context(0), endpoint, false);
      for (unsigned i = 0; i < threads; ++i) {
        acceptors_.push_back(bind_acceptor(context(i), endpoint, true));
        // Port 0 picks a free port once; every thread then listens on that same port.
        endpoint = acceptors_.back()->local_endpoint();
      }
      bound_.push_back(endpoint_text(endpoint));
    }
    for (const ListenAddress& address : state_.config.effective_udp_listen()) {
      asio::ip::udp::endpoint endpoint(resolve_host(address.host), address.port);
      for (unsigned i = 0; i < threads; ++i) {
        udp_endpoints_.push_back(std::make_unique<UdpEndpoint>(context(i), endpoint, state_));
        endpoint = udp_endpoints_.back()->local_endpoint();
      }
      bound_udp_.push_back(
          ListenAddress{endpoint.address().to_string(), endpoint.port()}.to_string());
    }
  }

  asio::awaitable<void> accept_loop(tcp::acceptor& acceptor) {
    while (!state_.stopping) {
      boost::system::error_code ec;
      tcp::endpoint peer;
      tcp::socket socket =
          co_await acceptor.async_accept(peer, asio::redirect_error(asio::use_awaitable, ec));
      if (ec == asio::error::operation_aborted || state_.stopping) break;
      if (ec) {
        // Out of file descriptors or the like: wait rather than spin.
        asio::steady_timer pause(acceptor.get_executor(), kAcceptRetry);
        co_await pause.async_wait(asio::redirect_error(asio::use_awaitable, ec));
        continue;
      }
      // A source over its share is turned away before any TLS state is made for it.
      if (!state_.connections.source_has_room(peer.address())) {
        socket.close(ec);
        continue;
      }
      start_connection(std::move(socket), peer, state_);
    }
  }

  void watch_signals() {
    signals_.add(SIGINT);
    signals_.add(SIGTERM);
    signals_.add(SIGHUP);
    signals_.add(SIGUSR1);
    signals_.async_wait([this](const boost::system::error_code& ec, int signal) {
      if (ec) return;
      if (signal == SIGUSR1) {
        // logrotate has moved the files away: write to new ones at the same paths.
        state_.audit.reopen();
        state_.access.reopen();
        state_.audit.write({{"event", "logs_reopened"}});
      } else if (signal == SIGHUP) {
        // systemctl reload returns once the new material is in use (or refused).
        notify_reloading();
        state_.tls.files_changed();
        reload("SIGHUP");
        notify_ready(listening_status());
      } else if (state_.stopping) {
        stop_now();
        return;
      } else {
        begin_shutdown(signal == SIGINT ? "SIGINT" : "SIGTERM");
      }
      watch_signals();
    });
  }

  void watch_files() {
    reload_timer_.expires_after(state_.config.reload_check_interval);
    reload_timer_.async_wait([this](const boost::system::error_code& ec) {
      if (ec || state_.stopping) return;
      if (state_.tls.files_changed()) reload("files changed");
      state_.refusals.flush();
      watch_files();
    });
  }

  std::string listening_status() const {
    std::string status = "listening on";
    for (const std::string& address : bound_) status += " tcp://" + address;
    for (const std::string& address : bound_udp_) status += " udp://" + address;
    return status;
  }

  void reload(const std::string& trigger) {
    try {
      state_.tls.reload();
      // Established connections were let in by the old material: ask each again.
      state_.connections.notify_all(Notice::kRecheck);
      const pki::Certificate& certificate = state_.tls.current()->certificate();
      state_.audit.write({{"event", "tls_reloaded"},
                          {"trigger", trigger},
                          {"certificate", certificate.subject()},
                          {"serial", certificate.serial_hex()}});
      std::cerr << "tlshop: reloaded TLS material (" << trigger << ")\n";
    } catch (const std::exception& e) {
      state_.audit.write(
          {{"event", "tls_reload_refused"}, {"trigger", trigger}, {"reason", e.what()}});
      std::cerr << "tlshop: kept the old TLS material: " << e.what() << "\n";
    }
  }

  void begin_shutdown(const std::string& trigger) {
    state_.stopping = true;
    notify_stopping("shutting down (" + trigger + ")");
    state_.audit.write({{"event", "shutdown_started"}, {"trigger", trigger}});
    std::cerr << "tlshop: shutting down (" << trigger << "), finishing requests in flight\n";
    for (auto& acceptor : acceptors_) {
      asio::post(acceptor->get_executor(), [&acceptor] {
        boost::system::error_code ignored;
        acceptor->close(ignored);
      });
    }
    for (std::size_t i = 0; i < udp_endpoints_.size(); ++i) {
      // Each endpoint's sessions belong to its own thread.
      asio::post(context(i % contexts_.size()), [this, i] { udp_endpoints_[i]->stop(); });
    }
    reload_timer_.cancel();
    state_.connections.notify_all(Notice::kShutdown);
    drain_deadline_ = std::chrono::steady_clock::now() + state_.config.shutdown_timeout;
    drain();
  }

  void drain() {
    if (state_.connections.open_connections() == 0 ||
        std::chrono::steady_clock::now() >= drain_deadline_) {
      stop_now();
      return;
    }
    drain_timer_.expires_after(kDrainPoll);
    drain_timer_.async_wait([this](const boost::system::error_code& ec) {
      if (!ec) drain();
    });
  }

  void stop_now() {
    signals_.cancel();
    for (auto& context : contexts_) context->stop();
  }

  // Declared first, destroyed last: connections still open when the event loops are
  // destroyed (after a shutdown deadline) use the state as they go.
  ServerState state_;
  std::vector<std::unique_ptr<asio::io_context>> contexts_;
  asio::signal_set signals_;
  asio::steady_timer reload_timer_;
  asio::steady_timer drain_timer_;
  std::chrono::steady_clock::time_point drain_deadline_;
  std::vector<std::unique_ptr<tcp::acceptor>> acceptors_;
  std::vector<std::unique_ptr<UdpEndpoint>> udp_endpoints_;  // thread i % threads each
  std::vector<std::string> bound_udp_;
  std::vector<std::string> bound_;
};

HttpsServer::HttpsServer(ServerConfig config) : impl_(std::make_unique<Impl>(std::move(config))) {}

HttpsServer::~HttpsServer() = default;

const std::vector<std::string>& HttpsServer::bound_addresses() const {
  return impl_->bound_addresses();
}

const std::vector<std::string>& HttpsServer::bound_udp_addresses() const {
  return impl_->bound_udp_addresses();
}

void HttpsServer::run() { impl_->run(); }

}  // namespace tlshop::server
