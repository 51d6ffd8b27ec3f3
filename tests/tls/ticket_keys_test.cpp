// Session tickets under keys several servers share: a client resumes on whichever server
// it reaches, rotation keeps the previous key working for a while, and a ticket never
// lets in a certificate that a full handshake would refuse.
#include "tls/ticket_keys.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include "base/files.hpp"
#include "ca/certificate_authority.hpp"
#include "support/issued_files.hpp"
#include "support/memory_handshake.hpp"
#include "support/temp_dir.hpp"
#include "tls/client_context.hpp"
#include "tls/refusal.hpp"
#include "tls/server_context.hpp"
#include "tlshop/error.hpp"

namespace tlshop::tls {
namespace {

class SharedTickets : public ::testing::Test {
 protected:
  test::TempDir temp;
  ca::CertificateAuthority authority = ca::CertificateAuthority::init(temp / "ca", {});
  std::filesystem::path keys = temp / "ticket.keys";
  std::shared_ptr<const ClientTlsContext> alice;

  SharedTickets() {
    for (auto [profile, name] : {std::pair{ca::LeafProfile::kServer, "localhost"},
                                 std::pair{ca::LeafProfile::kClient, "alice"}}) {
      authority.issue(profile, name, {}, pki::KeyType::kEcP256, 30, test::deliver_to(temp.path()));
    }
    alice = ClientTlsContext::load(ClientTlsSettings::from_files(
        temp / "ca" / "root.crt", temp / "alice.crt", temp / "alice.key"));
    TicketKeys::rotate(keys);
  }

  ServerTlsSettings settings(const std::filesystem::path& ticket_keys) {
    ServerTlsSettings settings;
    settings.certificate = temp / "localhost.crt";
    settings.key = temp / "localhost.key";
    settings.client_ca = temp / "ca" / "ca-chain.crt";
    settings.crl = temp / "ca" / "crl.pem";
    settings.ticket_keys = ticket_keys;
    return settings;
  }

  // One server of several, all given the same key file.
  std::shared_ptr<const ServerTlsContext> server() {
    return ServerTlsContext::load(settings(keys));
  }

  test::MemoryHandshake connect(const ServerTlsContext& server, SSL_SESSION* session = nullptr) {
    return test::run_memory_handshake(server.native(), alice->native(), [&](SSL* ssl) {
      ClientTlsContext::expect_server_name(ssl, "localhost");
      if (session != nullptr) SSL_set_session(ssl, session);
    });
  }

  // A full handshake with `server`, and the ticket it gave (TLS 1.3: after the handshake).
  pki::UniquePtr<SSL_SESSION> ticket_from(const ServerTlsContext& server) {
    auto handshake = connect(server);
    EXPECT_TRUE(handshake.server_ok);
    char byte = 0;
    EXPECT_LE(SSL_read(handshake.client.get(), &byte, 1), 0);
    // Freed without a close_notify, OpenSSL would mark the session not resumable.
    SSL_set_shutdown(handshake.client.get(), SSL_SENT_SHUTDOWN | SSL_RECEIVED_SHUTDOWN);
    return pki::UniquePtr<SSL_SESSION>(SSL_get1_session(handshake.client.get()));
  }

  bool resumes(const ServerTlsContext& server, SSL_SESSION* session) {
    auto handshake = connect(server, session);
    EXPECT_TRUE(handshake.server_ok);
    return SSL_session_reused(handshake.server.get()) == 1 &&
           SSL_get0_peer_certificate(handshake.server.get()) != nullptr;
  }
};

TEST_F(SharedTickets, ASessionFromOneServerResumesOnAnother) {
  auto a = server(), b = server();
  auto ticket = ticket_from(*a);
  ASSERT_EQ(SSL_SESSION_is_resumable(ticket.get()), 1);
  EXPECT_TRUE(resumes(*b, ticket.get())) << "and the client's certificate comes with it";
}

TEST_F(SharedTickets, ThePreviousKeyStillWorksAfterARotationButNotAfterTwo) {
  auto ticket = ticket_from(*server());
  EXPECT_EQ(TicketKeys::rotate(keys), 2u);
  EXPECT_TRUE(resumes(*server(), ticket.get()));
  EXPECT_EQ(TicketKeys::rotate(keys), 2u);  // the key of the ticket is gone now
  EXPECT_FALSE(resumes(*server(), ticket.get()));
}

TEST_F(SharedTickets, WithoutTheKeysNoServerResumesTheTicket) {
  auto ticket = ticket_from(*server());
  std::filesystem::path others = temp / "other.keys";
  TicketKeys::rotate(others);
  EXPECT_FALSE(resumes(*ServerTlsContext::load(settings(others)), ticket.get()));
  // A server with its own cache only.
  EXPECT_FALSE(resumes(*ServerTlsContext::load(settings("")), ticket.get()));
}

TEST_F(SharedTickets, ARevokedCertificateDoesNotResumeFromATicketItHeldBefore) {
  auto ticket = ticket_from(*server());
  auto certificate = pki::Certificate::from_pem(read_file(temp / "alice.crt"), "alice.crt");
  authority.revoke(certificate.serial_hex(), CRL_REASON_KEY_COMPROMISE);
  auto reloaded = server();
  auto refused = connect(*reloaded, ticket.get());
  EXPECT_FALSE(refused.server_ok);
  EXPECT_EQ(classify_handshake_failure(refused.server.get(), refused.server_error),
            Refusal::kRevoked);
}

TEST_F(SharedTickets, TheKeyFileIsOwnerOnlyAndABadOneIsRefusedWithItsName) {
  struct stat info {};
  ASSERT_EQ(::stat(keys.c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 0777, 0600u);
  write_file_atomically(keys, "not a key\n", kSecretFileMode);
  try {
    server();
    FAIL() << "a malformed key file was taken";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find(keys.string()), std::string::npos) << e.what();
  }
  write_file_atomically(keys, "", kSecretFileMode);
  EXPECT_THROW(server(), Error);
}

}  // namespace
}  // namespace tlshop::tls
