// Real TLS handshakes in memory (a BIO pair) between tlshop's server and client contexts.
#include <gtest/gtest.h>

#include <functional>

#include "base/files.hpp"
#include "ca/certificate_authority.hpp"
#include "pki/builtin_ec_method.hpp"
#include "pki/x509_fields.hpp"
#include "support/issued_files.hpp"
#include "support/memory_handshake.hpp"
#include "support/temp_dir.hpp"
#include "support/test_certificates.hpp"
#include "tls/client_context.hpp"
#include "tls/leaf_checks.hpp"
#include "tls/peer_identity.hpp"
#include "tls/refusal.hpp"
#include "tls/server_context.hpp"
#include "tlshop/error.hpp"

namespace tlshop::tls {
namespace {

struct HandshakeResult {
  bool server_ok = false;
  bool client_ok = false;
  Refusal server_refusal = Refusal::kHandshakeError;
  std::string presented_subject;
  long client_verify_result = X509_V_OK;
  PeerIdentity client_seen_by_server;
  int version = 0;
  int group = 0;
  std::string cipher;
};

HandshakeResult handshake(const ServerTlsContext& server, const ClientTlsContext& client,
                          const std::string& host = "localhost",
                          const std::function<void(SSL*)>& client_setup = {}) {
  test::MemoryHandshake run =
      test::run_memory_handshake(server.native(), client.native(), [&](SSL* ssl) {
        ClientTlsContext::expect_server_name(ssl, host);
        if (client_setup) client_setup(ssl);
      });
  HandshakeResult result;
  result.server_ok = run.server_ok;
  result.client_ok = run.client_ok;
  if (!run.client_ok) result.client_verify_result = SSL_get_verify_result(run.client.get());
  if (run.server_ok) {
    result.client_seen_by_server = describe_peer(run.server.get());
    result.version = SSL_version(run.server.get());
    result.group = SSL_get_negotiated_group(run.server.get());
    result.cipher = SSL_get_cipher_name(run.server.get());
  } else {
    result.server_refusal = classify_handshake_failure(run.server.get(), run.server_error);
    if (X509* presented = presented_certificate(run.server.get())) {
      result.presented_subject = pki::name_to_string(X509_get_subject_name(presented));
    }
  }
  return result;
}

// Every handshake test runs twice: with OpenSSL's providers alone, and with its built-in
// EC method in use as `tlshop serve` runs by default (pki/builtin_ec_method.hpp). The CA
// work of a test (issuing, revoking) needs providers and is done in with_providers().
class Handshake : public ::testing::TestWithParam<bool> {
 protected:
  test::TempDir temp;
  ca::CertificateAuthority authority = ca::CertificateAuthority::init(temp / "ca", {});

  Handshake() {
    authority.issue(ca::LeafProfile::kServer, "localhost", {pki::AltName::parse("IP:127.0.0.1")},
                    pki::KeyType::kEcP256, 30, test::deliver_to(temp.path()));
    authority.issue(ca::LeafProfile::kClient, "alice", {}, pki::KeyType::kEcP256, 30,
                    test::deliver_to(temp.path()));
  }

  void SetUp() override { pki::use_builtin_ec_method(GetParam()); }
  void TearDown() override { pki::use_builtin_ec_method(false); }

  void with_providers(const std::function<void()>& ca_work) {
    pki::use_builtin_ec_method(false);
    ca_work();
    pki::use_builtin_ec_method(GetParam());
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

  void make_odd(test::OddLeaf leaf) {
    with_providers([&] { test::write_odd_leaf(temp / "ca", leaf, temp.path()); });
  }
};

TEST_P(Handshake, MutualTls13WithAClientCertificateFromTheCa) {
  auto result = handshake(*ServerTlsContext::load(server_settings()), *client_as("alice"));
  ASSERT_TRUE(result.server_ok);
  ASSERT_TRUE(result.client_ok);
  EXPECT_EQ(result.client_seen_by_server.subject, "CN=alice");
  EXPECT_EQ(result.client_seen_by_server.tls_version, "TLSv1.3");
  EXPECT_EQ(result.client_seen_by_server.alt_names,
            std::vector<std::string>{"URI:urn:tlshop:client:alice"});
  EXPECT_FALSE(result.client_seen_by_server.resumed);
}

TEST_P(Handshake, TheClientsCertificateKeyAndCaCanComeFromMemory) {
  ClientTlsSettings settings;
  settings.ca_pem = read_file(temp / "ca" / "root.crt");
  settings.certificate_pem = read_file(temp / "alice.crt");
  settings.key_pem = read_file(temp / "alice.key");
  auto result =
      handshake(*ServerTlsContext::load(server_settings()), *ClientTlsContext::load(settings));
  ASSERT_TRUE(result.server_ok);
  ASSERT_TRUE(result.client_ok);
  EXPECT_EQ(result.client_seen_by_server.subject, "CN=alice");

  settings.key_pem = read_file(temp / "localhost.key");
  try {
    ClientTlsContext::load(settings);
    ADD_FAILURE() << "a key that does not match was accepted";
  } catch (const Error& e) {
    EXPECT_STREQ(e.what(),
                 "the key given in memory does not match the certificate in the certificate "
                 "given in memory");
  }
}

TEST_P(Handshake, TheServerPrefersAes128GcmWhateverTheClientsOrder) {
  auto result = handshake(
      *ServerTlsContext::load(server_settings()), *client_as("alice"), "localhost",
      [](SSL* ssl) { SSL_set_ciphersuites(ssl, "TLS_AES_256_GCM_SHA384:TLS_AES_128_GCM_SHA256"); });
  ASSERT_TRUE(result.server_ok);
  EXPECT_EQ(result.cipher, "TLS_AES_128_GCM_SHA256");
}

TEST_P(Handshake, KeyAgreementOverP256WhenTheClientOffersOnlyThat) {
  auto result = handshake(*ServerTlsContext::load(server_settings()), *client_as("alice"),
                          "localhost", [](SSL* ssl) { SSL_set1_groups_list(ssl, "P-256"); });
  ASSERT_TRUE(result.server_ok);
  EXPECT_EQ(result.group, NID_X9_62_prime256v1);
}

TEST_P(Handshake, Tls12WithEcdheAndAnEcdsaSignatureWhenAllowed) {
  ServerTlsSettings settings = server_settings();
  settings.allow_tls12 = true;
  ClientTlsSettings client = ClientTlsSettings::from_files(temp / "ca" / "root.crt",
                                                           temp / "alice.crt", temp / "alice.key");
  client.allow_tls12 = true;
  auto result =
      handshake(*ServerTlsContext::load(settings), *ClientTlsContext::load(client), "localhost",
                [](SSL* ssl) { SSL_set_max_proto_version(ssl, TLS1_2_VERSION); });
  ASSERT_TRUE(result.server_ok);
  ASSERT_TRUE(result.client_ok);
  EXPECT_EQ(result.version, TLS1_2_VERSION);
  EXPECT_EQ(result.client_seen_by_server.subject, "CN=alice");
}

TEST_P(Handshake, RefusesAClientWithoutCertificate) {
  EXPECT_EQ(refusal_for(""), Refusal::kNoCertificate);
}

TEST_P(Handshake, RefusesExpiredNotYetValidAndSelfSigned) {
  std::time_t now = std::time(nullptr);
  make_odd({"old", "clientAuth", now - 7200, now - 3600, false});
  make_odd({"early", "clientAuth", now + 3600, now + 7200, false});
  make_odd({"loner", "clientAuth", now - 60, now + 3600, true});
  EXPECT_EQ(refusal_for("old"), Refusal::kExpired);
  EXPECT_EQ(refusal_for("early"), Refusal::kNotYetValid);
  EXPECT_EQ(refusal_for("loner"), Refusal::kSelfSigned);
}

TEST_P(Handshake, RefusesServerCertificatesAndCertificatesWithoutEku) {
  std::time_t now = std::time(nullptr);
  make_odd({"noeku", "", now - 60, now + 3600, false});
  EXPECT_EQ(refusal_for("localhost"), Refusal::kWrongEku);
  EXPECT_EQ(refusal_for("noeku"), Refusal::kWrongEku);
}

TEST_P(Handshake, RefusesARevokedClientOnceTheNewCrlIsLoaded) {
  auto before = ServerTlsContext::load(server_settings());
  auto alice = pki::Certificate::from_pem(read_file(temp / "alice.crt"), "alice.crt");
  with_providers([&] { authority.revoke(alice.serial_hex(), CRL_REASON_KEY_COMPROMISE); });
  EXPECT_TRUE(handshake(*before, *client_as("alice")).server_ok);
  auto result = handshake(*ServerTlsContext::load(server_settings()), *client_as("alice"));
  EXPECT_EQ(result.server_refusal, Refusal::kRevoked);
  EXPECT_EQ(result.presented_subject, "CN=alice");
}

TEST_P(Handshake, RefusesAClientFromAnotherCa) {
  with_providers([&] {
    auto other = ca::CertificateAuthority::init(temp / "other", {});
    std::filesystem::create_directory(temp / "foreign");
    other.issue(ca::LeafProfile::kClient, "mallory", {}, pki::KeyType::kEcP256, 30,
                test::deliver_to(temp / "foreign"));
  });
  std::filesystem::copy(temp / "foreign" / "mallory.crt", temp / "mallory.crt");
  std::filesystem::copy(temp / "foreign" / "mallory.key", temp / "mallory.key");
  EXPECT_EQ(refusal_for("mallory"), Refusal::kUnknownCa);
}

TEST_P(Handshake, ClientPinsAllowOnlyListedKeys) {
  auto alice = pki::Certificate::from_pem(read_file(temp / "alice.crt"), "alice.crt");
  ServerTlsSettings pinned = server_settings();
  pinned.client_pins = {alice.public_key_pin()};
  EXPECT_TRUE(handshake(*ServerTlsContext::load(pinned), *client_as("alice")).server_ok);
  with_providers([&] {
    authority.issue(ca::LeafProfile::kClient, "bob", {}, pki::KeyType::kEcP256, 30,
                    test::deliver_to(temp.path()));
  });
  auto result = handshake(*ServerTlsContext::load(pinned), *client_as("bob"));
  EXPECT_FALSE(result.server_ok);
  EXPECT_EQ(result.server_refusal, Refusal::kPinMismatch);
}

TEST_P(Handshake, ClientChecksTheServerNameAndChain) {
  auto server = ServerTlsContext::load(server_settings());
  EXPECT_TRUE(handshake(*server, *client_as("alice"), "127.0.0.1").client_ok);
  auto wrong_name = handshake(*server, *client_as("alice"), "shop.example");
  EXPECT_FALSE(wrong_name.client_ok);
  EXPECT_EQ(wrong_name.client_verify_result, X509_V_ERR_HOSTNAME_MISMATCH);
  with_providers([&] { ca::CertificateAuthority::init(temp / "other", {}); });
  auto untrusted = handshake(*server, *client_as("alice", temp / "other" / "root.crt"));
  EXPECT_FALSE(untrusted.client_ok);
  EXPECT_EQ(untrusted.client_verify_result, X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY);
}

TEST_P(Handshake, BrokenMaterialIsRefusedWithTheFileNamed) {
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

INSTANTIATE_TEST_SUITE_P(BothMethods, Handshake, ::testing::Bool(),
                         [](const ::testing::TestParamInfo<bool>& info) {
                           return info.param ? "BuiltinEc" : "Providers";
                         });

TEST(Refusal, EveryRefusalHasACodeAndText) {
  for (int i = 0; i <= static_cast<int>(Refusal::kHandshakeError); ++i) {
    EXPECT_FALSE(refusal_code(static_cast<Refusal>(i)).empty());
    EXPECT_FALSE(refusal_text(static_cast<Refusal>(i)).empty());
  }
}

}  // namespace
}  // namespace tlshop::tls
