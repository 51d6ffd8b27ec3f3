#include "tls/client_context.hpp"

#include <limits>

#include "pki/alt_name.hpp"
#include "pki/openssl_error.hpp"
#include "tls/protocol_policy.hpp"
#include "tlshop/error.hpp"

namespace tlshop::tls {
namespace {

// Sends the leaf alone when the server's CertificateRequest names the leaf's issuer
// among the CAs it trusts: the server holds that certificate already, and on OpenSSL
// 3.0 parsing a certificate costs a server more than checking a signature.
int send_leaf_alone_if_issuer_known(SSL* ssl, void*) {
  const STACK_OF(X509_NAME)* known = SSL_get0_peer_CA_list(ssl);
  X509* leaf = SSL_get_certificate(ssl);
  if (known == nullptr || leaf == nullptr) return 1;
  const X509_NAME* issuer = X509_get_issuer_name(leaf);
  for (int i = 0; i < sk_X509_NAME_num(known); ++i) {
    if (X509_NAME_cmp(sk_X509_NAME_value(known, i), issuer) == 0) {
      SSL_set0_chain(ssl, nullptr);
      return 1;
    }
  }
  return 1;
}

// PEM given in memory, else the file's.
PemText pem_or_file(const std::string& pem, const std::filesystem::path& file,
                    const std::string& what) {
  if (!pem.empty()) return {pem, "the " + what + " given in memory"};
  return PemText::from_file(file);
}

}  // namespace

std::shared_ptr<const ClientTlsContext> ClientTlsContext::load(const ClientTlsSettings& settings) {
  std::shared_ptr<ClientTlsContext> context(new ClientTlsContext());
  context->ctx_.reset(SSL_CTX_new(settings.datagram ? DTLS_client_method() : TLS_client_method()));
  SSL_CTX* ctx = context->ctx_.get();
  if (ctx == nullptr) pki::throw_openssl_error("cannot create a TLS context");
  if (settings.datagram) {
    apply_datagram_protocol_policy(ctx);
  } else {
    apply_protocol_policy(ctx, settings.allow_tls12);
  }
  if (!settings.certificate.empty() || !settings.certificate_pem.empty()) {
    use_certificate_chain(
        ctx, pem_or_file(settings.certificate_pem, settings.certificate, "certificate"),
        pem_or_file(settings.key_pem, settings.key, "key"));
    SSL_CTX_set_cert_cb(ctx, send_leaf_alone_if_issuer_known, nullptr);
  }
  trust_bundle(ctx, pem_or_file(settings.ca_pem, settings.ca, "CA bundle"));
  SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, nullptr);
  SSL_CTX_set_verify_depth(ctx, 4);
  context->leaf_checks_ =
      std::make_unique<LeafChecks>(LeafChecks{XKU_SSL_SERVER, PinSet(settings.server_pins)});
  install_leaf_checks(ctx, context->leaf_checks_.get());
  context->verified_chains_ = std::make_unique<VerifiedChainCache>(
      kVerifiedChainCacheSize, kVerifiedChainMaxAge, std::numeric_limits<std::time_t>::max());
  install_verified_chain_cache(ctx, context->verified_chains_.get());
  return context;
}

void ClientTlsContext::expect_server_name(SSL* ssl, const std::string& host) {
  X509_VERIFY_PARAM* params = SSL_get0_param(ssl);
  X509_VERIFY_PARAM_set_hostflags(params, X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS);
  bool ok = pki::is_ip_address(host)
                ? X509_VERIFY_PARAM_set1_ip_asc(params, host.c_str()) == 1
                : SSL_set_tlsext_host_name(ssl, host.c_str()) == 1 &&
                      X509_VERIFY_PARAM_set1_host(params, host.c_str(), host.size()) == 1;
  if (!ok) pki::throw_openssl_error("cannot expect server name '" + host + "'");
}

}  // namespace tlshop::tls
