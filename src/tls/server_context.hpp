#pragma once

#include <openssl/ssl.h>

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "pki/certificate.hpp"
#include "pki/openssl_handles.hpp"
#include "tls/dtls_cookies.hpp"
#include "tls/leaf_checks.hpp"
#include "tls/refusal.hpp"
#include "tls/ticket_keys.hpp"
#include "tls/verified_chain_cache.hpp"

namespace tlshop::tls {

// Where a server's TLS material lives and how strict it is.
struct ServerTlsSettings {
  std::filesystem::path certificate;     // the server's chain, leaf first
  std::filesystem::path key;             // its private key
  std::filesystem::path client_ca;       // CA bundle client certificates must chain to
  std::filesystem::path crl;             // optional: CRLs checked against every client leaf
  std::vector<std::string> client_pins;  // optional: allowed client public keys
  bool allow_tls12 = false;
  // Sessions kept for resumption. Each holds its client's certificate (about 6 KiB in
  // all), and one client can fill the cache, so this bounds what peers make it hold.
  long session_cache_size = 20000;
  // Optional: session ticket keys shared with other servers (TicketKeys). Set, the
  // server issues stateless tickets under them, which any server holding the keys
  // accepts; unset, tickets are ids into this server's own session cache.
  std::filesystem::path ticket_keys{};
  // DTLS 1.2 over datagrams, with stateless cookies, instead of TLS over a stream.
  bool datagram = false;
};

// A server SSL_CTX built from ServerTlsSettings, immutable once built: reloading
// builds a new one and swaps it in, so handshakes in flight keep the one they began with.
// It requires a client certificate that chains to client_ca, is within its validity,
// carries the clientAuth extended key usage, is not on the CRL and matches a pin if
// pins are set. Sessions resume from a cache held here (stateful tickets), or from
// tickets under keys shared with other servers; chains already verified are remembered
// (VerifiedChainCache). The cache dies with the context.
class ServerTlsContext {
 public:
  // Throws tlshop::Error naming the file and the problem.
  static std::shared_ptr<const ServerTlsContext> load(const ServerTlsSettings& settings);

  SSL_CTX* native() const { return ctx_.get(); }
  const pki::Certificate& certificate() const { return certificate_; }
  VerifiedChainCache& verified_chains() const { return *verified_chains_; }

  // Whether this context would still accept the client certificate an established
  // connection (of this or an older context) presented: nullopt if so, else why not.
  // Checks the chain, validity and CRLs afresh, then the leaf checks.
  std::optional<Refusal> recheck(const SSL* ssl) const;
  // The same for a certificate and the chain that came with it (may be null).
  std::optional<Refusal> recheck(X509* leaf, STACK_OF(X509) * chain) const;

 private:
  ServerTlsContext() = default;

  // A shared ticket carries the trust fingerprint of the server that issued it; one
  // issued under other trust material (a CA bundle, CRL or pins changed since) resumes
  // only if its certificate still passes this server's.
  static int stamp_ticket(SSL* ssl, void* context);
  static SSL_TICKET_RETURN check_ticket(SSL* ssl, SSL_SESSION* session, const unsigned char*,
                                        std::size_t, SSL_TICKET_STATUS status, void* context);

  pki::UniquePtr<SSL_CTX> ctx_;
  std::string trust_fingerprint_;  // SHA-256 of the CA bundle, CRLs and pins
  std::unique_ptr<LeafChecks> leaf_checks_;
  std::unique_ptr<VerifiedChainCache> verified_chains_;
  std::unique_ptr<DtlsCookies> cookies_;     // datagram contexts only
  std::unique_ptr<TicketKeys> ticket_keys_;  // when shared with other servers
  pki::Certificate certificate_{nullptr};
};

}  // namespace tlshop::tls
