// Real TLS handshakes in memory (a BIO pair) between tlshop's server and client contexts.
#include <gtest/gtest.h>

#include "base/error.hpp"
#include "base/files.hpp"
#include "ca/certificate_authority.hpp"
#include "pki/x509_fields.hpp"
#include "support/memory_handshake.hpp"
#include "support/temp_dir.hpp"
#include "support/test_certificates.hpp"
#include "tls/client_context.hpp"
#include "tls/leaf_checks.hpp"
#include "tls/peer_identity.hpp"
#include "tls/refusal.hpp"
#include "tls/server_context.hpp"

namespace tlshop::tls {
namespace {

struct HandshakeResult {
  bool server_ok = false;
  bool client_ok = false;
  Refusal server_refusal = Refusal::kHandshakeError;
  std::string presented_subject;
  long client_verify_result = X509_V_OK;
  PeerIdentity client_seen_by_server;
};

HandshakeResult handshake(const ServerTlsContext& server, const ClientTlsContext& client,
                          const std::string& host = "localhost") {
  test::MemoryHandshake run = test::run_memory_handshake(
      server.native(), client.native(),
      [&](SSL* ssl) { ClientTlsContext::expect_server_name(ssl, host); });
  HandshakeResult result;
  result.server_ok = run.server_ok;
  result.client_ok = run.client_ok;
  if (!run.client_ok) result.client_verify_result = SSL_get_verify_result(run.client.get());
  if (run.server_ok) {
    result.client_seen_by_server = describe_peer(run.server.get());
  } else {
    result.server_refusal = classify_handshake_failure(run.server.get(), run.server_error);
    if (X509* presented = presented_certificate(run.server.get())) {
      result.presented_subject = pki::name_to_string(X509_get_subject_name(presented));
    }
  }
  return result;
}

class Handshake : public ::testing::Test {
 protected:
  test::TempDir temp;
  ca::CertificateAuthority authority = ca::CertificateAuthority::init(temp / "ca", {});

  Handshake() {
    authority.issue(ca::LeafProfile::kServer, "localhost", {pki::AltName::parse("IP:127.0.0.1")},
                    pki::KeyType::kEcP256, 30, deliver_to(temp.path()));
    authority.issue(ca::LeafProfile::kClient, "alice", {}, pki::KeyType::kEcP256, 30,
                    deliver_to(temp.path()));
  }

  ca::CertificateAuthority::DeliverLeafFunction deliver_to(std::filesystem::path dir) {
    return [this, dir](const pki::PrivateKey& key, const ca::IssuedChain& chain) {
      std::string name = chain.front().common_name();
      write_file_atomically(dir / (name + ".key"), key.to_pem(), kSecretFileMode);
      write_file_atomically(dir / (name + ".crt"), pki::chain_to_pem(chain));
    };
  }

  ServerTlsSettings server_settings() {
    return {temp / "localhost.crt",
            temp / "localhost.key",
            temp / "ca" / "ca-chain.crt",
            temp / "ca" / "crl.pem",
            {},
            false};
  }

  std::shared_ptr<const ClientTlsContext> client_as(const std::string& name,
                                                    const std::filesystem::path& ca_root = {}) {
    ClientTlsSettings settings;
    settings.ca = ca_root.empty() ? temp / "ca" / "root.crt" : ca_root;
    if (!name.empty()) {
      settings.certificate = temp / (name + ".crt");
      settings.key = temp / (name + ".key");
    }
    return ClientTlsContext::load(settings);
  }

  Refusal refusal_for(const std::string& client_name) {
    auto result = handshake(*ServerTlsContext::load(server_settings()), *client_as(client_name));
    EXPECT_FALSE(result.server_ok);
    return result.server_refusal;
  }

  void make_odd(test::OddLeaf leaf) { test::write_odd_leaf(temp / "ca", leaf, temp.path()); }
};

TEST_F(Handshake, MutualTls13WithAClientCertificateFromTheCa) {
  auto result = handshake(*ServerTlsContext::load(server_settings()), *client_as("alice"));
  ASSERT_TRUE(result.server_ok);
  ASSERT_TRUE(result.client_ok);
  EXPECT_EQ(result.client_seen_by_server.subject, "CN=alice");
  EXPECT_EQ(result.client_seen_by_server.tls_version, "TLSv1.3");
  EXPECT_EQ(result.client_seen_by_server.alt_names,
            std::vector<std::string>{"URI:urn:tlshop:client:alice"});
  EXPECT_FALSE(result.client_seen_by_server.resumed);
}

TEST_F(Handshake, RefusesAClientWithoutCertificate) {
  EXPECT_EQ(refusal_for(""), Refusal::kNoCertificate);
}

TEST_F(Handshake, RefusesExpiredNotYetValidAndSelfSigned) {
  std::time_t now = std::time(nullptr);
  make_odd({"old", "clientAuth", now - 7200, now - 3600, false});
  make_odd({"early", "clientAuth", now + 3600, now + 7200, false});
  make_odd({"loner", "clientAuth", now - 60, now + 3600, true});
  EXPECT_EQ(refusal_for("old"), Refusal::kExpired);
  EXPECT_EQ(refusal_for("early"), Refusal::kNotYetValid);
  EXPECT_EQ(refusal_for("loner"), Refusal::kSelfSigned);
}

TEST_F(Handshake, RefusesServerCertificatesAndCertificatesWithoutEku) {
  std::time_t now = std::time(nullptr);
  make_odd({"noeku", "", now - 60, now + 3600, false});
  EXPECT_EQ(refusal_for("localhost"), Refusal::kWrongEku);
  EXPECT_EQ(refusal_for("noeku"), Refusal::kWrongEku);
}

TEST_F(Handshake, RefusesARevokedClientOnceTheNewCrlIsLoaded) {
  auto before = ServerTlsContext::load(server_settings());
  auto alice = pki::Certificate::from_pem(read_file(temp / "alice.crt"), "alice.crt");
  authority.revoke(alice.serial_hex(), CRL_REASON_KEY_COMPROMISE);
  EXPECT_TRUE(handshake(*before, *client_as("alice")).server_ok);
  auto result = handshake(*ServerTlsContext::load(server_settings()), *client_as("alice"));
  EXPECT_EQ(result.server_refusal, Refusal::kRevoked);
  EXPECT_EQ(result.presented_subject, "CN=alice");
}

TEST_F(Handshake, RefusesAClientFromAnotherCa) {
  auto other = ca::CertificateAuthority::init(temp / "other", {});
  std::filesystem::create_directory(temp / "foreign");
  other.issue(ca::LeafProfile::kClient, "mallory", {}, pki::KeyType::kEcP256, 30,
              deliver_to(temp / "foreign"));
  std::filesystem::copy(temp / "foreign" / "mallory.crt", temp / "mallory.crt");
  std::filesystem::copy(temp / "foreign" / "mallory.key", temp / "mallory.key");
  EXPECT_EQ(refusal_for("mallory"), Refusal::kUnknownCa);
}

TEST_F(Handshake, ClientPinsAllowOnlyListedKeys) {
  auto alice = pki::Certificate::from_pem(read_file(temp / "alice.crt"), "alice.crt");
  ServerTlsSettings pinned = server_settings();
  pinned.client_pins = {alice.public_key_pin()};
  EXPECT_TRUE(handshake(*ServerTlsContext::load(pinned), *client_as("alice")).server_ok);
  authority.issue(ca::LeafProfile::kClient, "bob", {}, pki::KeyType::kEcP256, 30,
                  deliver_to(temp.path()));
  auto result = handshake(*ServerTlsContext::load(pinned), *client_as("bob"));
  EXPECT_FALSE(result.server_ok);
  EXPECT_EQ(result.server_refusal, Refusal::kPinMismatch);
}

TEST_F(Handshake, ClientChecksTheServerNameAndChain) {
  auto server = ServerTlsContext::load(server_settings());
  EXPECT_TRUE(handshake(*server, *client_as("alice"), "127.0.0.1").client_ok);
  auto wrong_name = handshake(*server, *client_as("alice"), "shop.example");
  EXPECT_FALSE(wrong_name.client_ok);
  EXPECT_EQ(wrong_name.client_verify_result, X509_V_ERR_HOSTNAME_MISMATCH);
  auto other = ca::CertificateAuthority::init(temp / "other", {});
  auto untrusted = handshake(*server, *client_as("alice", temp / "other" / "root.crt"));
  EXPECT_FALSE(untrusted.client_ok);
  EXPECT_EQ(untrusted.client_verify_result, X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY);
}

TEST_F(Handshake, BrokenMaterialIsRefusedWithTheFileNamed) {
  ServerTlsSettings settings = server_settings();
  settings.key = temp / "alice.key";
  EXPECT_THROW(ServerTlsContext::load(settings), Error);
  settings = server_settings();
  settings.crl = temp / "alice.crt";
  EXPECT_THROW(ServerTlsContext::load(settings), Error);
  settings = server_settings();
  settings.client_ca = temp / "alice.crt";
  EXPECT_THROW(ServerTlsContext::load(settings), Error);
  settings = server_settings();
  settings.client_pins = {"sha256//short"};
  EXPECT_THROW(ServerTlsContext::load(settings), Error);
}

TEST(Refusal, EveryRefusalHasACodeAndText) {
  for (int i = 0; i <= static_cast<int>(Refusal::kHandshakeError); ++i) {
    EXPECT_FALSE(refusal_code(static_cast<Refusal>(i)).empty());
    EXPECT_FALSE(refusal_text(static_cast<Refusal>(i)).empty());
  }
}

}  // namespace
}  // namespace tlshop::tls
