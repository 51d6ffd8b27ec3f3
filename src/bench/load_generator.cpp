#include "bench/load_generator.hpp"

#include <atomic>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "api/routes.hpp"
#include "base/open_file_limit.hpp"
#include "bench/datagram_requester.hpp"
#include "client/tls_settings.hpp"
#include "pki/openssl_handles.hpp"
#include "tls/client_context.hpp"
#include "tlshop/api/shop_messages.hpp"
#include "tlshop/client.hpp"
#include "tlshop/error.hpp"

namespace tlshop::bench {
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;
using Clock = std::chrono::steady_clock;

namespace {

constexpr std::chrono::seconds kOperationTimeout{10};

auto capture(beast::error_code& ec) { return asio::redirect_error(asio::use_awaitable, ec); }

// What every thread shares: the TLS context, the resolved server, the schedule.
struct Shared {
  const BenchSettings& settings;
  std::shared_ptr<const tls::ClientTlsContext> tls;
  tcp::resolver::results_type endpoints;
  std::string token;
  Clock::time_point start;
  Clock::time_point measure_from;
  Clock::time_point end;
  std::atomic<std::uint64_t> operations{0};
  std::atomic<std::uint64_t> errors{0};
};

// One thread's event loop and its share of the virtual clients.
class Worker {
 public:
  explicit Worker(Shared& shared) : shared_(shared) {}

  void start(std::size_t clients, std::size_t first_client) {
    for (std::size_t i = 0; i < clients; ++i) {
      asio::co_spawn(context_, run_client(first_client + i), asio::detached);
    }
  }
  void run() { context_.run(); }

  LatencyHistogram latency;
  std::uint64_t measured = 0;
  std::uint64_t resumed = 0;
  std::uint64_t retries = 0;

 private:
  using Stream = beast::ssl_stream<beast::tcp_stream>;

  std::unique_ptr<Stream> new_stream() {
    auto stream = std::make_unique<Stream>(context_, asio_tls());
    tls::ClientTlsContext::expect_server_name(stream->native_handle(),
                                              shared_.settings.connection.host);
    return stream;
  }

  asio::ssl::context& asio_tls() {
    if (!asio_tls_) {
      SSL_CTX_up_ref(shared_.tls->native());
      asio_tls_.emplace(shared_.tls->native());
    }
    return *asio_tls_;
  }

  asio::awaitable<bool> connect(Stream& stream, SSL_SESSION* session) {
    beast::error_code ec;
    stream.next_layer().expires_after(kOperationTimeout);
    co_await stream.next_layer().async_connect(shared_.endpoints, capture(ec));
    if (ec) co_return false;
    stream.next_layer().socket().set_option(tcp::no_delay(true), ec);
    if (session != nullptr) SSL_set_session(stream.native_handle(), session);
    co_await stream.async_handshake(asio::ssl::stream_base::client, capture(ec));
    co_return !ec;
  }

  http::request<http::string_body> make_request(std::size_t client, std::uint64_t n) const {
    const BenchSettings& settings = shared_.settings;
    bool purchase = settings.mode == Mode::kPurchases;
    http::request<http::string_body> request{purchase ? http::verb::post : http::verb::get,
                                             purchase ? api::routes::kOrders : settings.path, 11};
    request.set(http::field::host, settings.connection.host);
    if (purchase) {
      request.set(http::field::authorization, "Bearer " + shared_.token);
      request.set(http::field::content_type, "application/json");
      request.set(api::routes::kIdempotencyKeyHeader,
                  "bench-" + std::to_string(shared_.start.time_since_epoch().count()) + "-" +
                      std::to_string(client) + "-" + std::to_string(n));
      request.body() = api::to_json(api::OrderRequest{settings.sku, 1});
    }
    request.prepare_payload();
    request.keep_alive(settings.mode == Mode::kRequests || purchase);
    return request;
  }

  asio::awaitable<bool> exchange(Stream& stream, beast::flat_buffer& buffer, std::size_t client,
                                 std::uint64_t n) {
    beast::error_code ec;
    auto request = make_request(client, n);
    stream.next_layer().expires_after(kOperationTimeout);
    co_await http::async_write(stream, request, capture(ec));
    if (ec) co_return false;
    http::response<http::string_body> response;
    co_await http::async_read(stream, buffer, response, capture(ec));
    unsigned expected = shared_.settings.mode == Mode::kPurchases ? 201 : 200;
    co_return !ec && response.result_int() == expected;
  }

  // One operation; leaves a kept-alive stream open for the next.
  asio::awaitable<bool> operate(std::unique_ptr<Stream>& stream, beast::flat_buffer& buffer,
                                pki::UniquePtr<SSL_SESSION>& session, std::size_t client,
                                std::uint64_t n, bool& resumed_handshake) {
    Mode mode = shared_.settings.mode;
    bool fresh = mode == Mode::kHandshakes || mode == Mode::kResumed || !stream;
    resumed_handshake = false;
    if (fresh) {
      stream = new_stream();
      buffer.clear();
      co_await wait_for_a_connect_slot();
      ++connecting_;
      bool connected = co_await connect(*stream, mode == Mode::kResumed ? session.get() : nullptr);
      --connecting_;
      if (!connected) {
        stream.reset();
        co_return false;
      }
      resumed_handshake = SSL_session_reused(stream->native_handle()) == 1;
      if (mode == Mode::kIdle) co_return true;
    }
    bool ok = co_await exchange(*stream, buffer, client, n);
    if (mode == Mode::kResumed && ok) {
      // TLS 1.3 tickets arrive after the handshake: take the newest once a reply has come.
      pki::UniquePtr<SSL_SESSION> latest(SSL_get1_session(stream->native_handle()));
      if (latest && SSL_SESSION_is_resumable(latest.get()) == 1) session = std::move(latest);
    }
    if (!ok || mode == Mode::kHandshakes || mode == Mode::kResumed) {
      // Closing without a close_notify would make OpenSSL mark the session not
      // resumable; the server does not wait for one, so declare it sent instead.
      SSL_set_shutdown(stream->native_handle(), SSL_SENT_SHUTDOWN | SSL_RECEIVED_SHUTDOWN);
      beast::error_code ignored;
      stream->next_layer().socket().close(ignored);
      stream.reset();
    }
    co_return ok;
  }

  asio::awaitable<void> run_client(std::size_t client) {
    const BenchSettings& settings = shared_.settings;
    std::unique_ptr<Stream> stream;
    beast::flat_buffer buffer;
    pki::UniquePtr<SSL_SESSION> session;
    std::unique_ptr<DatagramRequester> datagrams;
    if (settings.mode == Mode::kUdpRequests) {
      datagrams = std::make_unique<DatagramRequester>(context_, settings.connection, settings.path);
    }
    // At a fixed rate, each client runs every `interval`, staggered from the others,
    // and latency counts from when the operation was due, not when it could start.
    std::chrono::nanoseconds interval{0};
    if (settings.rate > 0) {
      interval = std::chrono::nanoseconds(static_cast<std::int64_t>(
          1e9 * static_cast<double>(settings.connections) / settings.rate));
    }
    Clock::time_point due =
        shared_.start + interval * client / std::max<std::size_t>(1, settings.connections);
    asio::steady_timer timer(context_);
    for (std::uint64_t n = 0;; ++n) {
      if (interval.count() > 0) {
        timer.expires_at(due);
        beast::error_code ignored;
        co_await timer.async_wait(capture(ignored));
      }
      Clock::time_point began = interval.count() > 0 ? due : Clock::now();
      if (began >= shared_.end) break;
      bool resumed_handshake = false;
      std::uint64_t retried = datagrams ? datagrams->retries() : 0;
      bool ok = datagrams ? co_await datagrams->request()
                          : co_await operate(stream, buffer, session, client, n, resumed_handshake);
      Clock::time_point done = Clock::now();
      if (done >= shared_.end) break;
      if (began >= shared_.measure_from) {
        if (datagrams) retries += datagrams->retries() - retried;
        if (ok) {
          latency.record(done - began);
          ++measured;
          if (resumed_handshake) ++resumed;
        }
        (ok ? shared_.operations : shared_.errors).fetch_add(1, std::memory_order_relaxed);
      }
      if (ok && settings.mode == Mode::kIdle) {
        co_await hold_until_the_end(timer);
        break;
      }
      due += interval;
    }
  }

  // Thousands of clients connecting at once would queue handshakes at the server
  // for longer than kOperationTimeout, give up, and retry: a livelock. A few at a
  // time per thread keeps the server busy without that.
  asio::awaitable<void> wait_for_a_connect_slot() {
    asio::steady_timer pause(context_);
    while (connecting_ >= kMaxConnecting) {
      pause.expires_after(std::chrono::milliseconds(1));
      beast::error_code ignored;
      co_await pause.async_wait(capture(ignored));
    }
  }

  asio::awaitable<void> hold_until_the_end(asio::steady_timer& timer) {
    timer.expires_at(shared_.end);
    beast::error_code ignored;
    co_await timer.async_wait(capture(ignored));
  }

  static constexpr std::size_t kMaxConnecting = 64;

  Shared& shared_;
  asio::io_context context_{1};
  std::size_t connecting_ = 0;
  std::optional<asio::ssl::context> asio_tls_;
};

std::string log_in(const BenchSettings& settings) {
  client::Client client(settings.connection);
  return client.login(settings.user, settings.password).token;
}

}  // namespace

std::optional<Mode> parse_mode(const std::string& name) {
  if (name == "handshakes") return Mode::kHandshakes;
  if (name == "resumed") return Mode::kResumed;
  if (name == "requests") return Mode::kRequests;
  if (name == "purchases") return Mode::kPurchases;
  if (name == "idle") return Mode::kIdle;
  if (name == "udp-requests") return Mode::kUdpRequests;
  return std::nullopt;
}

const char* mode_name(Mode mode) {
  switch (mode) {
    case Mode::kHandshakes:
      return "handshakes";
    case Mode::kResumed:
      return "resumed";
    case Mode::kRequests:
      return "requests";
    case Mode::kPurchases:
      return "purchases";
    case Mode::kIdle:
      return "idle";
    case Mode::kUdpRequests:
      return "udp-requests";
  }
  return "unknown";
}

BenchResult run_benchmark(const BenchSettings& settings,
                          const std::function<void(const Progress&)>& progress) {
  if (settings.connections == 0) throw Error("--connections must be at least 1");
  raise_open_file_limit();
  auto tls = tls::ClientTlsContext::load(client::tls_settings(settings.connection));
  Shared shared{settings, std::move(tls), {}, {}, {}, {}, {}, {}};
  {
    asio::io_context context;
    tcp::resolver resolver(context);
    beast::error_code ec;
    shared.endpoints =
        resolver.resolve(settings.connection.host, std::to_string(settings.connection.port), ec);
    if (ec) throw Error("cannot find server " + settings.connection.host + ": " + ec.message());
  }
  if (settings.mode == Mode::kPurchases) shared.token = log_in(settings);

  unsigned threads =
      settings.threads != 0 ? settings.threads : std::max(1u, std::thread::hardware_concurrency());
  threads = static_cast<unsigned>(std::min<std::size_t>(threads, settings.connections));
  shared.start = Clock::now();
  shared.measure_from = shared.start + settings.warmup;
  shared.end = shared.measure_from + settings.duration;

  std::vector<std::unique_ptr<Worker>> workers;
  std::size_t next_client = 0;
  for (unsigned t = 0; t < threads; ++t) {
    std::size_t clients =
        settings.connections / threads + (t < settings.connections % threads ? 1 : 0);
    workers.push_back(std::make_unique<Worker>(shared));
    workers.back()->start(clients, next_client);
    next_client += clients;
  }
  std::vector<std::thread> running;
  for (auto& worker : workers) running.emplace_back([&worker] { worker->run(); });

  std::atomic<bool> finished{false};
  std::thread reporter([&] {
    Clock::time_point last_report = Clock::now();
    while (!finished) {
      std::this_thread::sleep_for(std::chrono::milliseconds(200));
      if (progress && Clock::now() - last_report >= std::chrono::seconds(1)) {
        last_report = Clock::now();
        progress({std::chrono::duration<double>(Clock::now() - shared.start).count(),
                  shared.operations.load(), shared.errors.load()});
      }
    }
  });
  for (auto& thread : running) thread.join();
  finished = true;
  reporter.join();

  BenchResult result;
  result.mode = settings.mode;
  result.seconds = std::chrono::duration<double>(settings.duration).count();
  result.operations = shared.operations.load();
  result.errors = shared.errors.load();
  for (auto& worker : workers) {
    result.latency.merge(worker->latency);
    result.resumed += worker->resumed;
    result.retries += worker->retries;
  }
  return result;
}

}  // namespace tlshop::bench
