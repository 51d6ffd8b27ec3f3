#include "tls/server_context.hpp"

#include "base/error.hpp"
#include "base/files.hpp"
#include "pki/openssl_error.hpp"
#include "pki/revocation_list.hpp"
#include "tls/protocol_policy.hpp"

namespace tlshop::tls {
namespace {

constexpr unsigned char kSessionIdContext[] = "tlshop";

// Refuses a CRL no CA of the bundle signed: a mistyped path would otherwise revoke nothing.
void use_crls(SSL_CTX* ctx, const std::filesystem::path& crl_file,
              const std::vector<pki::Certificate>& bundle) {
  std::vector<pki::RevocationList> crls =
      pki::RevocationList::all_from_pem(read_file(crl_file, 64 << 20), crl_file.string());
  X509_STORE* store = SSL_CTX_get_cert_store(ctx);
  for (const pki::RevocationList& crl : crls) {
    bool signed_by_bundle = false;
    for (const pki::Certificate& ca : bundle) signed_by_bundle |= crl.signed_by(ca);
    if (!signed_by_bundle) {
      throw Error(crl_file.string() + " holds a CRL from " + crl.issuer() +
                  ", which is not signed by any CA of the client CA bundle");
    }
    if (X509_STORE_add_crl(store, crl.get()) != 1) {
      pki::throw_openssl_error("cannot use " + crl_file.string());
    }
  }
  X509_STORE_set_flags(store, X509_V_FLAG_CRL_CHECK);
}

void announce_client_cas(SSL_CTX* ctx, const std::vector<pki::Certificate>& bundle) {
  STACK_OF(X509_NAME)* names = sk_X509_NAME_new_null();
  for (const pki::Certificate& ca : bundle) {
    if (ca.is_self_signed())
      sk_X509_NAME_push(names, X509_NAME_dup(X509_get_subject_name(ca.get())));
  }
  SSL_CTX_set_client_CA_list(ctx, names);
}

}  // namespace

std::shared_ptr<const ServerTlsContext> ServerTlsContext::load(const ServerTlsSettings& settings) {
  std::shared_ptr<ServerTlsContext> context(new ServerTlsContext());
  context->ctx_.reset(SSL_CTX_new(TLS_server_method()));
  SSL_CTX* ctx = context->ctx_.get();
  if (ctx == nullptr) pki::throw_openssl_error("cannot create a TLS context");
  apply_protocol_policy(ctx, settings.allow_tls12);
  context->certificate_ = use_certificate_chain(ctx, settings.certificate, settings.key);
  std::vector<pki::Certificate> bundle = trust_bundle(ctx, settings.client_ca);
  if (!settings.crl.empty()) use_crls(ctx, settings.crl, bundle);
  announce_client_cas(ctx, bundle);
  SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT, nullptr);
  SSL_CTX_set_verify_depth(ctx, 4);
  // Resumed sessions must come from this server: OpenSSL refuses resumption with a
  // client certificate unless a session id context is set.
  SSL_CTX_set_session_id_context(ctx, kSessionIdContext, sizeof kSessionIdContext - 1);
  context->leaf_checks_ =
      std::make_unique<LeafChecks>(LeafChecks{XKU_SSL_CLIENT, PinSet(settings.client_pins)});
  install_leaf_checks(ctx, context->leaf_checks_.get());
  return context;
}

}  // namespace tlshop::tls
