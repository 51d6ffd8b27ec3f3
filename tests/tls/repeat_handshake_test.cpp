// What makes a returning client's handshake cheap (resumption, the verified-chain cache,
// leaving out an intermediate the server holds) must never let through a client a
// fresh handshake would refuse.
#include <gtest/gtest.h>

#include <limits>

#include "base/files.hpp"
#include "ca/certificate_authority.hpp"
#include "pki/revocation_list.hpp"
#include "support/issued_files.hpp"
#include "support/memory_handshake.hpp"
#include "support/temp_dir.hpp"
#include "tls/client_context.hpp"
#include "tls/peer_identity.hpp"
#include "tls/refusal.hpp"
#include "tls/server_context.hpp"
#include "tls/verified_chain_cache.hpp"

namespace tlshop::tls {
namespace {

class RepeatHandshake : public ::testing::Test {
 protected:
  test::TempDir temp;
  ca::CertificateAuthority authority = ca::CertificateAuthority::init(temp / "ca", {});

  RepeatHandshake() {
    issue(ca::LeafProfile::kServer, "localhost");
    issue(ca::LeafProfile::kClient, "alice");
  }

  void issue(ca::LeafProfile profile, const std::string& name) {
    authority.issue(profile, name, {}, pki::KeyType::kEcP256, 30, test::deliver_to(temp.path()));
  }

  std::shared_ptr<const ServerTlsContext> server(bool holds_intermediate = true) {
    // The CRL comes from the intermediate, so a server without it goes without the CRL.
    return ServerTlsContext::load({temp / "localhost.crt",
                                   temp / "localhost.key",
                                   temp / "ca" / (holds_intermediate ? "ca-chain.crt" : "root.crt"),
                                   holds_intermediate ? temp / "ca" / "crl.pem" : "",
                                   {},
                                   false});
  }

  std::shared_ptr<const ClientTlsContext> client(const std::string& name) {
    return ClientTlsContext::load(ClientTlsSettings::from_files(
        temp / "ca" / "root.crt", temp / (name + ".crt"), temp / (name + ".key")));
  }
};

test::MemoryHandshake connect(const ServerTlsContext& server, const ClientTlsContext& client,
                              SSL_SESSION* session = nullptr,
                              const std::string& host = "localhost") {
  return test::run_memory_handshake(server.native(), client.native(), [&](SSL* ssl) {
    ClientTlsContext::expect_server_name(ssl, host);
    if (session != nullptr) SSL_set_session(ssl, session);
  });
}

// TLS 1.3 tickets follow the handshake: the client takes them in on its first read.
pki::UniquePtr<SSL_SESSION> ticket_from(test::MemoryHandshake& handshake) {
  char byte = 0;
  EXPECT_LE(SSL_read(handshake.client.get(), &byte, 1), 0);
  return pki::UniquePtr<SSL_SESSION>(SSL_get1_session(handshake.client.get()));
}

int certificates_sent_by_client(const test::MemoryHandshake& handshake) {
  return sk_X509_num(SSL_get_peer_cert_chain(handshake.server.get()));
}

TEST_F(RepeatHandshake, ClientLeavesOutTheIntermediateOnlyWhenTheServerHoldsIt) {
  auto alice = client("alice");
  auto holds_intermediate = connect(*server(true), *alice);
  auto holds_root_only = connect(*server(false), *alice);
  ASSERT_TRUE(holds_intermediate.server_ok);
  ASSERT_TRUE(holds_root_only.server_ok);
  EXPECT_EQ(certificates_sent_by_client(holds_root_only),
            certificates_sent_by_client(holds_intermediate) + 1);
}

TEST_F(RepeatHandshake, ResumesFromTheServersCacheButNotAcrossAReload) {
  auto first_context = server();
  auto alice = client("alice");
  auto first = connect(*first_context, *alice);
  ASSERT_TRUE(first.server_ok);
  pki::UniquePtr<SSL_SESSION> session = ticket_from(first);
  ASSERT_EQ(SSL_SESSION_is_resumable(session.get()), 1);

  auto again = connect(*first_context, *alice, session.get());
  ASSERT_TRUE(again.server_ok);
  EXPECT_EQ(SSL_session_reused(again.server.get()), 1);

  // A reload (a new CRL, say) starts a new cache: everyone verifies again.
  auto after_reload = connect(*server(), *alice, session.get());
  ASSERT_TRUE(after_reload.server_ok);
  EXPECT_EQ(SSL_session_reused(after_reload.server.get()), 0);
}

// Application data both ways: each side reads what the other's traffic keys sealed.
void expect_data_flows(const test::MemoryHandshake& handshake) {
  for (auto [from, to] : {std::pair{handshake.client.get(), handshake.server.get()},
                          std::pair{handshake.server.get(), handshake.client.get()}}) {
    ASSERT_EQ(SSL_write(from, "ping", 4), 4);
    char received[4] = {};
    ASSERT_EQ(SSL_read(to, received, sizeof received), 4);
    EXPECT_EQ(std::string(received, 4), "ping");
  }
}

// Full and resumed handshakes against OpenSSL's client, for both hashes of the key schedule.
TEST_F(RepeatHandshake, FullAndResumedHandshakesForEitherHash) {
  auto alice = client("alice");
  for (const char* suite : {"TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384"}) {
    SCOPED_TRACE(suite);
    auto context = server(true);
    auto only_suite = [&](SSL_SESSION* session) {
      return test::run_memory_handshake(context->native(), alice->native(), [&](SSL* ssl) {
        ClientTlsContext::expect_server_name(ssl, "localhost");
        SSL_set_ciphersuites(ssl, suite);
        if (session != nullptr) SSL_set_session(ssl, session);
      });
    };
    auto full = only_suite(nullptr);
    ASSERT_TRUE(full.server_ok && full.client_ok);
    EXPECT_STREQ(SSL_get_cipher_name(full.server.get()), suite);
    pki::UniquePtr<SSL_SESSION> session = ticket_from(full);
    expect_data_flows(full);

    auto resumed = only_suite(session.get());
    ASSERT_TRUE(resumed.server_ok && resumed.client_ok);
    EXPECT_EQ(SSL_session_reused(resumed.server.get()), 1);
    expect_data_flows(resumed);
  }
}

TEST_F(RepeatHandshake, EveryResumptionDescribesThePeerAsTheFullHandshakeDid) {
  auto context = server();
  auto alice = client("alice");
  auto first = connect(*context, *alice);
  ASSERT_TRUE(first.server_ok);
  PeerIdentity full = describe_peer(first.server.get());
  // Two tickets from the one full handshake: both sessions hold its certificate object.
  std::vector<pki::UniquePtr<SSL_SESSION>> sessions;
  for (int i = 0; i < 2; ++i) {
    if (i > 0) {
      ASSERT_EQ(SSL_new_session_ticket(first.server.get()), 1);
    }
    char byte = 'x';
    ASSERT_EQ(SSL_write(first.server.get(), &byte, 1), 1);
    ASSERT_EQ(SSL_read(first.client.get(), &byte, 1), 1);
    sessions.emplace_back(SSL_get1_session(first.client.get()));
  }
  // The first resumption works the facts out, the second finds them kept.
  for (const auto& session : sessions) {
    auto again = connect(*context, *alice, session.get());
    ASSERT_TRUE(again.server_ok);
    PeerIdentity resumed = describe_peer(again.server.get());
    EXPECT_TRUE(resumed.resumed);
    EXPECT_EQ(resumed.subject, "CN=alice");
    EXPECT_EQ(resumed.subject, full.subject);
    EXPECT_EQ(resumed.issuer, full.issuer);
    EXPECT_EQ(resumed.serial, full.serial);
    EXPECT_EQ(resumed.fingerprint, full.fingerprint);
    EXPECT_EQ(resumed.alt_names, full.alt_names);
    EXPECT_EQ(resumed.tls_version, "TLSv1.3");
  }
  EXPECT_FALSE(full.resumed);
}

TEST_F(RepeatHandshake, RevokedClientIsRefusedByTheReloadedContextDespiteEarlierVisits) {
  auto alice = client("alice");
  auto before = server();
  ASSERT_TRUE(connect(*before, *alice).server_ok);
  ASSERT_TRUE(connect(*before, *alice).server_ok);
  auto certificate = pki::Certificate::from_pem(read_file(temp / "alice.crt"), "alice.crt");
  authority.revoke(certificate.serial_hex(), CRL_REASON_KEY_COMPROMISE);
  auto refused = connect(*server(), *alice);
  EXPECT_FALSE(refused.server_ok);
  EXPECT_EQ(classify_handshake_failure(refused.server.get(), refused.server_error),
            Refusal::kRevoked);
}

TEST_F(RepeatHandshake, AChainVerifiedForOneNameIsNotTakenForAnother) {
  auto alice = client("alice");
  auto context = server();
  ASSERT_TRUE(connect(*context, *alice, nullptr, "localhost").client_ok);
  auto wrong_name = connect(*context, *alice, nullptr, "shop.example");
  EXPECT_FALSE(wrong_name.client_ok);
  EXPECT_EQ(SSL_get_verify_result(wrong_name.client.get()), X509_V_ERR_HOSTNAME_MISMATCH);
}

TEST_F(RepeatHandshake, AnotherClientIsVerifiedAfresh) {
  auto context = server();
  ASSERT_TRUE(connect(*context, *client("alice")).server_ok);
  issue(ca::LeafProfile::kServer, "imposter");  // a server certificate used as a client's
  auto refused = connect(*context, *client("imposter"));
  EXPECT_FALSE(refused.server_ok);
  EXPECT_EQ(classify_handshake_failure(refused.server.get(), refused.server_error),
            Refusal::kWrongEku);
}

// docs/security.md: in the server, an entry lasts at most five minutes and never past
// the CRLs' next update, and the cache holds at most 10,000 chains.
TEST_F(RepeatHandshake, TheServersChainCacheHasTheDocumentedLimits) {
  auto context = server();
  VerifiedChainCache& cache = context->verified_chains();
  EXPECT_EQ(cache.capacity(), 10000u);
  EXPECT_EQ(cache.max_age(), std::chrono::minutes(5));
  auto crl = pki::RevocationList::from_pem(read_file(temp / "ca" / "crl.pem"), "crl.pem");
  EXPECT_EQ(cache.not_after(), crl.next_update().value());
  EXPECT_EQ(cache.size(), 0u);
  ASSERT_TRUE(connect(*context, *client("alice")).server_ok);
  EXPECT_EQ(cache.size(), 1u);  // the chain a handshake verified, remembered
  EXPECT_EQ(server(false)->verified_chains().not_after(), std::numeric_limits<std::time_t>::max());
}

TEST(VerifiedChainCache, EntriesLastUntilTheEarliestDeadline) {
  VerifiedChainCache::Key key{1, 2, 3};
  std::time_t now = 1'000'000;
  VerifiedChainCache cache(10, std::chrono::seconds(300), now + 100);
  cache.insert(key, now + 1000, now);
  EXPECT_TRUE(cache.contains(key, now + 99));
  EXPECT_FALSE(cache.contains(key, now + 100));  // the CRLs' next update
  EXPECT_FALSE(cache.contains(VerifiedChainCache::Key{9}, now));

  VerifiedChainCache long_crl(10, std::chrono::seconds(300), now + 100000);
  long_crl.insert(key, now + 50, now);
  EXPECT_TRUE(long_crl.contains(key, now + 49));
  EXPECT_FALSE(long_crl.contains(key, now + 50));  // the chain's own expiry
  long_crl.insert(key, now + 5000, now);
  EXPECT_FALSE(long_crl.contains(key, now + 300));  // the max age
  long_crl.insert(key, now - 1, now);
  EXPECT_FALSE(long_crl.contains(key, now));  // already expired: not kept
}

TEST(VerifiedChainCache, StaysWithinItsCapacity) {
  VerifiedChainCache cache(3, std::chrono::seconds(300), std::numeric_limits<std::time_t>::max());
  std::time_t now = 1'000'000;
  for (unsigned char i = 0; i < 10; ++i) {
    cache.insert(VerifiedChainCache::Key{i}, now + 60, now);
    EXPECT_LE(cache.size(), 3u);
  }
  EXPECT_TRUE(cache.contains(VerifiedChainCache::Key{9}, now));
}

}  // namespace
}  // namespace tlshop::tls
