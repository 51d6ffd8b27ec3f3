// tlshop implements no cryptography: every algorithm a handshake uses comes from one of
// OpenSSL's own providers, and a handshake needs nothing beyond OpenSSL's default one.
#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/kdf.h>
#include <openssl/provider.h>

#include <set>
#include <string>

#include "base/files.hpp"
#include "ca/certificate_authority.hpp"
#include "support/issued_files.hpp"
#include "support/memory_handshake.hpp"
#include "support/temp_dir.hpp"
#include "tls/client_context.hpp"
#include "tls/server_context.hpp"

namespace tlshop::tls {
namespace {

class CryptoOrigin : public ::testing::Test {
 protected:
  test::TempDir temp;
  ca::CertificateAuthority authority = ca::CertificateAuthority::init(temp / "ca", {});

  CryptoOrigin() {
    issue(ca::LeafProfile::kServer, "localhost");
    issue(ca::LeafProfile::kClient, "alice");
  }

  void issue(ca::LeafProfile profile, const std::string& name) {
    authority.issue(profile, name, {}, pki::KeyType::kEcP256, 30, test::deliver_to(temp.path()));
  }

  std::shared_ptr<const ServerTlsContext> server() const {
    return ServerTlsContext::load({temp / "localhost.crt",
                                   temp / "localhost.key",
                                   temp / "ca" / "ca-chain.crt",
                                   temp / "ca" / "crl.pem",
                                   {},
                                   false});
  }

  std::shared_ptr<const ClientTlsContext> client() const {
    return ClientTlsContext::load(ClientTlsSettings::from_files(
        temp / "ca" / "root.crt", temp / "alice.crt", temp / "alice.key"));
  }

  // A full handshake, then one resumed from its ticket; both must succeed.
  test::MemoryHandshake full_then_resumed(const ServerTlsContext& server,
                                          const ClientTlsContext& client) {
    auto connect = [&](SSL_SESSION* session) {
      return test::run_memory_handshake(server.native(), client.native(), [&](SSL* ssl) {
        ClientTlsContext::expect_server_name(ssl, "localhost");
        if (session != nullptr) SSL_set_session(ssl, session);
      });
    };
    auto full = connect(nullptr);
    EXPECT_TRUE(full.server_ok && full.client_ok);
    char byte = 0;
    EXPECT_LE(SSL_read(full.client.get(), &byte, 1), 0);  // takes in the ticket
    pki::UniquePtr<SSL_SESSION> session(SSL_get1_session(full.client.get()));
    auto resumed = connect(session.get());
    EXPECT_TRUE(resumed.server_ok && resumed.client_ok);
    EXPECT_EQ(SSL_session_reused(resumed.server.get()), 1);
    return full;
  }
};

std::set<std::string> loaded_providers() {
  std::set<std::string> names;
  OSSL_PROVIDER_do_all(
      nullptr,
      [](OSSL_PROVIDER* provider, void* found) {
        static_cast<std::set<std::string>*>(found)->insert(OSSL_PROVIDER_get0_name(provider));
        return 1;
      },
      &names);
  return names;
}

template <typename Method, typename GetProvider>
std::string provider_of(Method* method, GetProvider get0_provider) {
  pki::UniquePtr<Method> owned(method);
  if (method == nullptr) return "(none)";
  return OSSL_PROVIDER_get0_name(get0_provider(method));
}

TEST_F(CryptoOrigin, EveryAlgorithmOfAHandshakeComesFromOpenSslsDefaultProvider) {
  auto full = full_then_resumed(*server(), *client());

  // Only OpenSSL's own providers exist in the process, so whatever libssl fetched for the
  // handshake (key schedule, MACs, digests, ciphers, signatures) came from one of them.
  for (const std::string& name : loaded_providers()) {
    EXPECT_TRUE(name == "default" || name == "base" || name == "fips") << name;
  }
  EXPECT_EQ(loaded_providers().count("default"), 1u);

  EVP_PKEY* client_share = nullptr;
  ASSERT_EQ(SSL_get_peer_tmp_key(full.server.get(), &client_share), 1);
  pki::UniquePtr<EVP_PKEY> owned_share(client_share);
  EXPECT_EQ(EVP_PKEY_get_id(client_share), EVP_PKEY_X25519);
  EXPECT_STREQ(OSSL_PROVIDER_get0_name(EVP_PKEY_get0_provider(client_share)), "default");

  // What a TLS 1.3 handshake fetches by name, fetched as libssl does (no property query).
  EXPECT_EQ(provider_of(EVP_KDF_fetch(nullptr, "TLS13-KDF", nullptr), EVP_KDF_get0_provider),
            "default");
  EXPECT_EQ(provider_of(EVP_MAC_fetch(nullptr, "HMAC", nullptr), EVP_MAC_get0_provider), "default");
  EXPECT_EQ(provider_of(EVP_KEYEXCH_fetch(nullptr, "X25519", nullptr), EVP_KEYEXCH_get0_provider),
            "default");
  EXPECT_EQ(provider_of(EVP_KEYMGMT_fetch(nullptr, "X25519", nullptr), EVP_KEYMGMT_get0_provider),
            "default");
  EXPECT_EQ(provider_of(EVP_MD_fetch(nullptr, "SHA256", nullptr), EVP_MD_get0_provider), "default");
  EXPECT_EQ(
      provider_of(EVP_CIPHER_fetch(nullptr, "AES-128-GCM", nullptr), EVP_CIPHER_get0_provider),
      "default");
}

// As when an operator's openssl.cnf sets default_properties = "provider=default": every
// fetch must then be answered by the default provider, and the handshakes still work.
TEST_F(CryptoOrigin, HandshakesWorkWhenOpenSslIsAskedForItsDefaultProviderOnly) {
  ASSERT_EQ(EVP_set_default_properties(nullptr, "provider=default"), 1);
  auto server_context = server();
  auto client_context = client();
  full_then_resumed(*server_context, *client_context);
  EXPECT_EQ(provider_of(EVP_KDF_fetch(nullptr, "TLS13-KDF", nullptr), EVP_KDF_get0_provider),
            "default");
  ASSERT_EQ(EVP_set_default_properties(nullptr, ""), 1);
}

}  // namespace
}  // namespace tlshop::tls
