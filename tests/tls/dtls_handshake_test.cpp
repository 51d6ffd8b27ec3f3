// DTLS 1.2 between real OpenSSL contexts over tlshop's datagram BIO, driven as the
// server's UDP endpoint drives it: a stateless cookie exchange (DTLSv1_listen on a
// throwaway SSL per datagram), then a session per peer.
#include <arpa/inet.h>
#include <gtest/gtest.h>

#include <memory>
#include <optional>

#include "ca/certificate_authority.hpp"
#include "support/issued_files.hpp"
#include "support/temp_dir.hpp"
#include "tls/client_context.hpp"
#include "tls/datagram_bio.hpp"
#include "tls/leaf_checks.hpp"
#include "tls/server_context.hpp"

namespace tlshop::tls {
namespace {

constexpr std::size_t kMtu = 1200;

pki::UniquePtr<BIO_ADDR> address(const char* ip, unsigned short port) {
  pki::UniquePtr<BIO_ADDR> made(BIO_ADDR_new());
  unsigned char bytes[4];
  EXPECT_EQ(inet_pton(AF_INET, ip, bytes), 1);
  BIO_ADDR_rawmake(made.get(), AF_INET, bytes, sizeof bytes, htons(port));
  return made;
}

// One end: an SSL over a datagram queue.
struct End {
  DatagramQueue queue{kMtu};
  pki::UniquePtr<SSL> ssl;

  End(SSL_CTX* ctx, const BIO_ADDR* peer) : ssl(SSL_new(ctx)) {
    queue.set_peer(peer);
    queue.attach_to(ssl.get());
  }
};

class DtlsHandshake : public ::testing::Test {
 protected:
  test::TempDir temp;
  ca::CertificateAuthority authority = ca::CertificateAuthority::init(temp / "ca", {});
  pki::UniquePtr<BIO_ADDR> client_address = address("192.0.2.7", 40000);
  pki::UniquePtr<BIO_ADDR> server_address = address("192.0.2.1", 5555);
  std::shared_ptr<const ServerTlsContext> server_ctx;
  std::unique_ptr<End> session;  // the server's, once a cookie came back

  DtlsHandshake() {
    authority.issue(ca::LeafProfile::kServer, "localhost", {}, pki::KeyType::kEcP256, 30,
                    test::deliver_to(temp.path()));
    authority.issue(ca::LeafProfile::kClient, "alice", {}, pki::KeyType::kEcP256, 30,
                    test::deliver_to(temp.path()));
    ServerTlsSettings settings;
    settings.certificate = temp / "localhost.crt";
    settings.key = temp / "localhost.key";
    settings.client_ca = temp / "ca" / "ca-chain.crt";
    settings.crl = temp / "ca" / "crl.pem";
    settings.datagram = true;
    server_ctx = ServerTlsContext::load(settings);
  }

  std::unique_ptr<End> client(const std::string& name) {
    ClientTlsSettings settings = ClientTlsSettings::from_files(temp / "ca" / "root.crt", {}, {});
    if (!name.empty()) {
      settings.certificate = temp / (name + ".crt");
      settings.key = temp / (name + ".key");
    }
    settings.datagram = true;
    static std::shared_ptr<const ClientTlsContext> keep;  // outlives the SSL made from it
    keep = ClientTlsContext::load(settings);
    auto end = std::make_unique<End>(keep->native(), server_address.get());
    ClientTlsContext::expect_server_name(end->ssl.get(), "localhost");
    SSL_set_connect_state(end->ssl.get());
    return end;
  }

  // What the server's endpoint does with a datagram from a peer it has no session for:
  // the cookie exchange on a throwaway SSL. Returns the reply to send, if any; keeps the
  // SSL as the session once the peer has echoed a valid cookie.
  std::optional<std::string> stateless(const std::string& datagram, const BIO_ADDR* from) {
    auto candidate = std::make_unique<End>(server_ctx->native(), from);
    candidate->queue.receive(datagram);
    pki::UniquePtr<BIO_ADDR> peer(BIO_ADDR_new());
    int listened = DTLSv1_listen(candidate->ssl.get(), peer.get());
    if (listened > 0) {
      session = std::move(candidate);
      return std::nullopt;
    }
    if (!candidate->queue.has_outgoing()) return std::nullopt;
    return candidate->queue.take_outgoing();
  }

  // Runs the handshake to its end on both sides; false if either failed.
  bool handshake(End& client_end) {
    for (int round = 0; round < 20; ++round) {
      int client_result = SSL_do_handshake(client_end.ssl.get());
      while (client_end.queue.has_outgoing()) {
        std::string datagram = client_end.queue.take_outgoing();
        if (!session) {
          if (auto reply = stateless(datagram, client_address.get())) {
            EXPECT_LE(reply->size(), datagram.size()) << "a reply larger than its cause";
            client_end.queue.receive(*reply);
          }
          if (!session) continue;
        } else {
          session->queue.receive(datagram);
        }
      }
      if (session) {
        SSL_do_handshake(session->ssl.get());
        while (session->queue.has_outgoing()) {
          client_end.queue.receive(session->queue.take_outgoing());
        }
      }
      if (client_result == 1 && session && SSL_is_init_finished(session->ssl.get())) return true;
      if (client_result <= 0 &&
          SSL_get_error(client_end.ssl.get(), client_result) == SSL_ERROR_SSL) {
        return false;
      }
    }
    return false;
  }
};

TEST_F(DtlsHandshake, ACookieExchangeThenMutualAuthenticationThenData) {
  auto alice = client("alice");
  ASSERT_TRUE(handshake(*alice));
  EXPECT_STREQ(SSL_get_version(session->ssl.get()), "DTLSv1.2");
  X509* seen = SSL_get0_peer_certificate(session->ssl.get());
  ASSERT_NE(seen, nullptr);
  EXPECT_EQ(pki::Certificate(pki::UniquePtr<X509>(X509_dup(seen))).common_name(), "alice");

  ASSERT_EQ(SSL_write(alice->ssl.get(), "{\"op\":\"hello\"}", 14), 14);
  ASSERT_TRUE(alice->queue.has_outgoing());
  std::string record = alice->queue.take_outgoing();
  EXPECT_FALSE(alice->queue.has_outgoing()) << "one message, one datagram";
  session->queue.receive(record);
  char buffer[64];
  int read = SSL_read(session->ssl.get(), buffer, sizeof buffer);
  EXPECT_EQ(std::string(buffer, static_cast<std::size_t>(std::max(read, 0))), "{\"op\":\"hello\"}");
}

TEST_F(DtlsHandshake, AClientHelloWithoutACookieLeavesNoState) {
  auto alice = client("alice");
  SSL_do_handshake(alice->ssl.get());
  std::string hello = alice->queue.take_outgoing();
  for (int i = 0; i < 100; ++i) {
    auto reply =
        stateless(hello, address("198.51.100.9", static_cast<unsigned short>(1000 + i)).get());
    ASSERT_TRUE(reply) << "each spoofed ClientHello gets a HelloVerifyRequest";
    EXPECT_LE(reply->size(), hello.size());
  }
  EXPECT_EQ(session, nullptr);
}

TEST_F(DtlsHandshake, ACookieIsGoodOnlyFromTheAddressItWasGivenTo) {
  auto alice = client("alice");
  SSL_do_handshake(alice->ssl.get());
  auto verify_request = stateless(alice->queue.take_outgoing(), client_address.get());
  ASSERT_TRUE(verify_request);
  alice->queue.receive(*verify_request);
  SSL_do_handshake(alice->ssl.get());
  std::string hello_with_cookie = alice->queue.take_outgoing();
  // The same datagram from elsewhere: another cookie exchange, no session.
  EXPECT_TRUE(stateless(hello_with_cookie, address("198.51.100.9", 40000).get()));
  EXPECT_EQ(session, nullptr);
  // From the address the cookie was made for: a session.
  EXPECT_FALSE(stateless(hello_with_cookie, client_address.get()));
  EXPECT_NE(session, nullptr);
}

TEST_F(DtlsHandshake, AClientWithoutACertificateIsRefused) {
  auto anonymous = client("");
  EXPECT_FALSE(handshake(*anonymous));
  ASSERT_NE(session, nullptr);
  EXPECT_FALSE(SSL_is_init_finished(session->ssl.get()));
}

TEST_F(DtlsHandshake, GarbageIsNoClientHelloAndGetsNoAnswer) {
  for (std::string garbage : {std::string("GET / HTTP/1.1\r\n\r\n"), std::string(3, '\x16'),
                              std::string(1500, 'x'), std::string()}) {
    EXPECT_FALSE(stateless(garbage, client_address.get())) << garbage.size();
  }
  EXPECT_EQ(session, nullptr);
}

}  // namespace
}  // namespace tlshop::tls
