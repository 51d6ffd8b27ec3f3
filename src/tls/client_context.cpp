#include "tls/client_context.hpp"

#include "base/error.hpp"
#include "pki/alt_name.hpp"
#include "pki/openssl_error.hpp"
#include "tls/protocol_policy.hpp"

namespace tlshop::tls {

std::shared_ptr<const ClientTlsContext> ClientTlsContext::load(const ClientTlsSettings& settings) {
  std::shared_ptr<ClientTlsContext> context(new ClientTlsContext());
  context->ctx_.reset(SSL_CTX_new(TLS_client_method()));
  SSL_CTX* ctx = context->ctx_.get();
  if (ctx == nullptr) pki::throw_openssl_error("cannot create a TLS context");
  apply_protocol_policy(ctx, settings.allow_tls12);
  if (!settings.certificate.empty()) {
    use_certificate_chain(ctx, settings.certificate, settings.key);
  }
  trust_bundle(ctx, settings.ca);
  SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, nullptr);
  SSL_CTX_set_verify_depth(ctx, 4);
  context->leaf_checks_ =
      std::make_unique<LeafChecks>(LeafChecks{XKU_SSL_SERVER, PinSet(settings.server_pins)});
  install_leaf_checks(ctx, context->leaf_checks_.get());
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
