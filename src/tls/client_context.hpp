#pragma once

#include <openssl/ssl.h>

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "pki/openssl_handles.hpp"
#include "tls/leaf_checks.hpp"
#include "tls/verified_chain_cache.hpp"

namespace tlshop::tls {

struct ClientTlsSettings {
  std::filesystem::path ca;              // the root(s) the server's chain must lead to
  std::filesystem::path certificate;     // the client's chain, leaf first
  std::filesystem::path key;             // its private key
  std::vector<std::string> server_pins;  // optional: allowed server public keys
  bool allow_tls12 = false;
  bool datagram = false;  // DTLS 1.2 over datagrams instead of TLS over a stream
  // The same as PEM text, for programs that keep them elsewhere than in files; each
  // one given takes the place of its file.
  std::string ca_pem, certificate_pem, key_pem;

  static ClientTlsSettings from_files(std::filesystem::path ca, std::filesystem::path certificate,
                                      std::filesystem::path key) {
    ClientTlsSettings settings;
    settings.ca = std::move(ca);
    settings.certificate = std::move(certificate);
    settings.key = std::move(key);
    return settings;
  }
};

// A client SSL_CTX: it verifies the server's chain, its serverAuth extended key usage,
// its name (see expect_server_name) and pins, and presents the client certificate.
// Chains it has verified for a name are remembered for the life of the context.
class ClientTlsContext {
 public:
  // Throws tlshop::Error naming the file and the problem.
  static std::shared_ptr<const ClientTlsContext> load(const ClientTlsSettings& settings);

  SSL_CTX* native() const { return ctx_.get(); }

  // Sends host as SNI (unless it is an IP address) and requires the server's
  // certificate to carry it as a DNS or IP subjectAltName.
  static void expect_server_name(SSL* ssl, const std::string& host);

 private:
  ClientTlsContext() = default;

  pki::UniquePtr<SSL_CTX> ctx_;
  std::unique_ptr<LeafChecks> leaf_checks_;
  std::unique_ptr<VerifiedChainCache> verified_chains_;
};

}  // namespace tlshop::tls
