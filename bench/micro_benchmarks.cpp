// Micro-benchmarks of tlshop's hot paths: mTLS handshakes in memory, request parsing and
// routing, serialising a catalog page, and committing an order to disk.
#include <benchmark/benchmark.h>

#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/parser.hpp>

#include "base/files.hpp"
#include "ca/certificate_authority.hpp"
#include "pki/builtin_ec_method.hpp"
#include "pki/openssl_handles.hpp"
#include "server/json_lines_log.hpp"
#include "server/message_store.hpp"
#include "server/metrics.hpp"
#include "server/request_handler.hpp"
#include "server/shop_handler.hpp"
#include "shop/seed_catalog.hpp"
#include "shop/shop.hpp"
#include "store/sqlite_store.hpp"
#include "support/issued_files.hpp"
#include "support/memory_handshake.hpp"
#include "support/temp_dir.hpp"
#include "tls/client_context.hpp"
#include "tls/server_context.hpp"
#include "tlshop/api/shop_messages.hpp"

namespace tlshop {
namespace {

// A CA with a server and a client certificate, in a temporary directory.
struct Credentials {
  test::TempDir dir;
  std::shared_ptr<const tls::ServerTlsContext> server;
  std::shared_ptr<const tls::ClientTlsContext> client;

  Credentials() {
    auto authority = ca::CertificateAuthority::init(dir / "ca", {});
    auto deliver = test::deliver_to(dir.path());
    authority.issue(ca::LeafProfile::kServer, "localhost", {}, pki::KeyType::kEcP256, 30, deliver);
    authority.issue(ca::LeafProfile::kClient, "alice", {}, pki::KeyType::kEcP256, 30, deliver);
    server = tls::ServerTlsContext::load({dir / "localhost.crt",
                                          dir / "localhost.key",
                                          dir / "ca" / "ca-chain.crt",
                                          dir / "ca" / "crl.pem",
                                          {},
                                          false});
    client = tls::ClientTlsContext::load(tls::ClientTlsSettings::from_files(
        dir / "ca" / "root.crt", dir / "alice.crt", dir / "alice.key"));
  }
};

// Reports the server end's share as server_us: the figure the crypto floor is compared to.
// Argument: OpenSSL's built-in EC method in use (as `tlshop serve` runs by default).
void BM_FullMutualTlsHandshake(benchmark::State& state) {
  Credentials credentials;
  pki::use_builtin_ec_method(state.range(0) == 1);
  double server_seconds = 0;
  for (auto _ : state) {
    auto handshake = test::run_memory_handshake(
        credentials.server->native(), credentials.client->native(),
        [](SSL* ssl) { tls::ClientTlsContext::expect_server_name(ssl, "localhost"); });
    if (!handshake.server_ok) state.SkipWithError("handshake failed");
    server_seconds += handshake.server_cpu_seconds;
  }
  state.counters["server_us"] =
      benchmark::Counter(server_seconds * 1e6, benchmark::Counter::kAvgIterations);
  pki::use_builtin_ec_method(false);
}
BENCHMARK(BM_FullMutualTlsHandshake)
    ->ArgName("builtin_ec")
    ->Arg(0)
    ->Arg(1)
    ->Unit(benchmark::kMicrosecond);

// Resumptions, each from the ticket the previous connection brought (OpenSSL's client uses
// a TLS 1.3 ticket once), server share as server_us.
void BM_ResumedMutualTlsHandshake(benchmark::State& state) {
  Credentials credentials;
  pki::UniquePtr<SSL_SESSION> session;
  auto connect = [&] {
    auto handshake = test::run_memory_handshake(
        credentials.server->native(), credentials.client->native(), [&](SSL* ssl) {
          tls::ClientTlsContext::expect_server_name(ssl, "localhost");
          if (session) SSL_set_session(ssl, session.get());
        });
    char byte = 0;
    SSL_read(handshake.client.get(), &byte, 1);  // takes in the ticket that follows
    session.reset(SSL_get1_session(handshake.client.get()));
    // An SSL freed without its close_notify marks its session not resumable.
    SSL_shutdown(handshake.server.get());
    SSL_shutdown(handshake.client.get());
    return handshake;
  };
  connect();
  double server_seconds = 0;
  for (auto _ : state) {
    auto handshake = connect();
    if (!handshake.server_ok || SSL_session_reused(handshake.server.get()) != 1) {
      state.SkipWithError("no resumption");
    }
    server_seconds += handshake.server_cpu_seconds;
  }
  state.counters["server_us"] =
      benchmark::Counter(server_seconds * 1e6, benchmark::Counter::kAvgIterations);
}
BENCHMARK(BM_ResumedMutualTlsHandshake)->Unit(benchmark::kMicrosecond);

// The server's parts that answer a request, without sockets.
struct Handlers {
  test::TempDir dir;
  server::Metrics metrics;
  server::JsonLinesLog audit{dir / "audit.log"};
  store::SqliteStore store{dir / "shop.db"};
  server::MessageStore messages{store, {}};
  shop::Shop shop{store, shop::ShopSettings{}};
  server::ShopHandler shop_handler{shop, audit};
  server::RequestHandler handler{messages, metrics, audit, shop_handler};

  Handlers() { shop.seed_if_empty(shop::parse_seed_catalog(read_file(TLSHOP_SEED_CATALOG))); }
};

void BM_ParseAndRouteRequest(benchmark::State& state) {
  Handlers handlers;
  const std::string raw =
      "GET /v1/items?category=Shoes&limit=50 HTTP/1.1\r\nHost: localhost\r\n"
      "User-Agent: bench\r\nAccept: application/json\r\n\r\n";
  tls::PeerIdentity peer;
  peer.subject = "CN=alice";
  for (auto _ : state) {
    boost::beast::http::request_parser<boost::beast::http::string_body> parser;
    boost::beast::error_code ec;
    parser.put(boost::asio::buffer(raw), ec);
    std::string route;
    std::chrono::milliseconds delay{0};
    server::Response response = handlers.handler.handle(parser.get(), peer, route, delay);
    benchmark::DoNotOptimize(response);
  }
}
BENCHMARK(BM_ParseAndRouteRequest)->Unit(benchmark::kMicrosecond);

void BM_SerialiseCatalogPage(benchmark::State& state) {
  api::ItemsPage page;
  for (const shop::Item& item : shop::parse_seed_catalog(read_file(TLSHOP_SEED_CATALOG))) {
    page.items.push_back({item.sku, item.name, item.category, item.stock, item.unit_price, "INR"});
  }
  for (auto _ : state) benchmark::DoNotOptimize(api::to_json(page));
}
BENCHMARK(BM_SerialiseCatalogPage)->Unit(benchmark::kMicrosecond);

void BM_CommitOrder(benchmark::State& state) {
  test::TempDir dir;
  store::SqliteStore store(dir / "shop.db");
  store.add_item({"1", "thing", "Things", std::int64_t{1} << 40, 100});
  shop::User user = *store.add_user("buyer", shop::Role::kCustomer, "hash");
  std::int64_t n = 0;
  for (auto _ : state) {
    auto outcome = store.purchase({user.id, "1", 1, "key-" + std::to_string(++n), 0});
    if (outcome.status != shop::PurchaseOutcome::Status::kBought) state.SkipWithError("not bought");
  }
}
BENCHMARK(BM_CommitOrder)->Unit(benchmark::kMicrosecond);

}  // namespace
}  // namespace tlshop

BENCHMARK_MAIN();
