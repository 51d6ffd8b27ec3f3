#include "tls/server_context.hpp"

#include <algorithm>
#include <limits>

#include "base/files.hpp"
#include "pki/openssl_error.hpp"
#include "pki/revocation_list.hpp"
#include "tls/protocol_policy.hpp"
#include "tlshop/error.hpp"

namespace tlshop::tls {
namespace {

constexpr unsigned char kSessionIdContext[] = "tlshop";
constexpr long kSessionLifetimeSeconds = 2 * 3600;

// Stateful tickets: a ticket is an id into this context's session cache. OpenSSL 3.0
// serialises and re-parses the session (client certificate included) for every
// stateless ticket it issues, and resuming from a stateful session costs a third as
// much. One ticket per handshake: a client needs only one to come back.
void use_session_cache(SSL_CTX* ctx, long cache_size) {
  SSL_CTX_set_options(ctx, SSL_OP_NO_TICKET);
  SSL_CTX_set_num_tickets(ctx, 1);
  SSL_CTX_set_session_cache_mode(ctx, SSL_SESS_CACHE_SERVER);
  SSL_CTX_sess_set_cache_size(ctx, cache_size);
  SSL_CTX_set_timeout(ctx, kSessionLifetimeSeconds);
  // Resumed sessions must come from this server: OpenSSL refuses resumption with a
  // client certificate unless a session id context is set.
  SSL_CTX_set_session_id_context(ctx, kSessionIdContext, sizeof kSessionIdContext - 1);
}

// Stateless tickets under keys several servers share: a client resumes on any of them.
// Each ticket carries the session, client certificate included, sealed by OpenSSL.
void use_shared_tickets(SSL_CTX* ctx, const TicketKeys& keys) {
  SSL_CTX_clear_options(ctx, SSL_OP_NO_TICKET);
  SSL_CTX_set_num_tickets(ctx, 1);
  SSL_CTX_set_session_cache_mode(ctx, SSL_SESS_CACHE_OFF);
  SSL_CTX_set_timeout(ctx, kSessionLifetimeSeconds);
  SSL_CTX_set_session_id_context(ctx, kSessionIdContext, sizeof kSessionIdContext - 1);
  keys.install(ctx);
}

// What decides which certificates get in, as a digest: the CA bundle, the CRLs and the
// pins. A shared ticket carries the one of the server that issued it.
std::string trust_fingerprint(const ServerTlsSettings& settings) {
  std::string material = read_file(settings.client_ca, 64 << 20);
  if (!settings.crl.empty()) material += read_file(settings.crl, 64 << 20);
  for (const std::string& pin : settings.client_pins) material += "\n" + pin;
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  if (EVP_Digest(material.data(), material.size(), digest, &length, EVP_sha256(), nullptr) != 1) {
    pki::throw_openssl_error("cannot hash the trust material");
  }
  return std::string(reinterpret_cast<const char*>(digest), length);
}

// Refuses a CRL no CA of the bundle signed: a mistyped path would otherwise revoke nothing.
// Returns the earliest next update among the CRLs: past it, a cached verification is stale.
std::time_t use_crls(SSL_CTX* ctx, const std::filesystem::path& crl_file,
                     const std::vector<pki::Certificate>& bundle) {
  std::vector<pki::RevocationList> crls =
      pki::RevocationList::all_from_pem(read_file(crl_file, 64 << 20), crl_file.string());
  X509_STORE* store = SSL_CTX_get_cert_store(ctx);
  std::time_t earliest = std::numeric_limits<std::time_t>::max();
  for (const pki::RevocationList& crl : crls) {
    earliest = std::min(earliest, crl.next_update().value_or(earliest));
    // A CRL from a CA of the bundle must verify now. One from a CA the bundle lacks (the
    // intermediate, when the bundle holds only the root, as nginx users configure it) is
    // verified by OpenSSL against the issuer in each client's chain, once that chain has
    // been verified up to the bundle; and a chain verified is then remembered.
    bool issuer_in_bundle = false, signed_by_bundle = false;
    for (const pki::Certificate& ca : bundle) {
      issuer_in_bundle |= ca.subject() == crl.issuer();
      signed_by_bundle |= crl.signed_by(ca);
    }
    if (issuer_in_bundle && !signed_by_bundle) {
      throw Error(crl_file.string() + " holds a CRL in the name of " + crl.issuer() +
                  " whose signature does not verify with that CA's key");
    }
    if (X509_STORE_add_crl(store, crl.get()) != 1) {
      pki::throw_openssl_error("cannot use " + crl_file.string());
    }
  }
  X509_STORE_set_flags(store, X509_V_FLAG_CRL_CHECK);
  return earliest;
}

// Names every CA of the bundle, intermediates too, so a client whose issuer the server
// holds can leave its intermediate out (see ClientTlsContext).
void announce_client_cas(SSL_CTX* ctx, const std::vector<pki::Certificate>& bundle) {
  STACK_OF(X509_NAME)* names = sk_X509_NAME_new_null();
  for (const pki::Certificate& ca : bundle) {
    const X509_NAME* name = X509_get_subject_name(ca.get());
    bool listed = false;
    for (int i = 0; i < sk_X509_NAME_num(names); ++i) {
      listed |= X509_NAME_cmp(sk_X509_NAME_value(names, i), name) == 0;
    }
    if (!listed) sk_X509_NAME_push(names, X509_NAME_dup(name));
  }
  SSL_CTX_set_client_CA_list(ctx, names);
}

}  // namespace

std::shared_ptr<const ServerTlsContext> ServerTlsContext::load(const ServerTlsSettings& settings) {
  std::shared_ptr<ServerTlsContext> context(new ServerTlsContext());
  context->ctx_.reset(SSL_CTX_new(settings.datagram ? DTLS_server_method() : TLS_server_method()));
  SSL_CTX* ctx = context->ctx_.get();
  if (ctx == nullptr) pki::throw_openssl_error("cannot create a TLS context");
  if (settings.datagram) {
    apply_datagram_protocol_policy(ctx);
    context->cookies_ = std::make_unique<DtlsCookies>();
    context->cookies_->install(ctx);
  } else {
    apply_protocol_policy(ctx, settings.allow_tls12);
  }
  context->certificate_ = use_certificate_chain(ctx, settings.certificate, settings.key);
  // Clients would refuse it in every handshake: say so once, at start.
  if (leaf_check_error(LeafChecks{XKU_SSL_SERVER, {}}, context->certificate_.get()) != X509_V_OK) {
    throw Error(settings.certificate.string() +
                " is not a server certificate: its extended key usage lacks serverAuth, so "
                "clients would refuse it (tlshop ca issue --server NAME makes one)");
  }
  std::vector<pki::Certificate> bundle = trust_bundle(ctx, settings.client_ca);
  std::time_t crls_next_update = std::numeric_limits<std::time_t>::max();
  if (!settings.crl.empty()) crls_next_update = use_crls(ctx, settings.crl, bundle);
  announce_client_cas(ctx, bundle);
  SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT, nullptr);
  SSL_CTX_set_verify_depth(ctx, 4);
  if (!settings.ticket_keys.empty() && !settings.datagram) {
    context->ticket_keys_ = std::make_unique<TicketKeys>(TicketKeys::load(settings.ticket_keys));
    context->trust_fingerprint_ = trust_fingerprint(settings);
    use_shared_tickets(ctx, *context->ticket_keys_);
    SSL_CTX_set_session_ticket_cb(ctx, &ServerTlsContext::stamp_ticket,
                                  &ServerTlsContext::check_ticket, context.get());
  } else {
    use_session_cache(ctx, settings.session_cache_size);
  }
  context->leaf_checks_ =
      std::make_unique<LeafChecks>(LeafChecks{XKU_SSL_CLIENT, PinSet(settings.client_pins)});
  install_leaf_checks(ctx, context->leaf_checks_.get());
  context->verified_chains_ = std::make_unique<VerifiedChainCache>(
      kVerifiedChainCacheSize, kVerifiedChainMaxAge, crls_next_update);
  install_verified_chain_cache(ctx, context->verified_chains_.get());
  return context;
}

std::optional<Refusal> ServerTlsContext::recheck(const SSL* ssl) const {
  return recheck(SSL_get0_peer_certificate(ssl), SSL_get_peer_cert_chain(ssl));
}

std::optional<Refusal> ServerTlsContext::recheck(X509* leaf, STACK_OF(X509) * chain) const {
  if (leaf == nullptr) return Refusal::kNoCertificate;
  pki::UniquePtr<X509_STORE_CTX> verification(X509_STORE_CTX_new());
  if (!verification ||
      X509_STORE_CTX_init(verification.get(), SSL_CTX_get_cert_store(ctx_.get()), leaf, chain) !=
          1 ||
      X509_STORE_CTX_set_default(verification.get(), "ssl_client") != 1) {
    return Refusal::kBadCertificate;
  }
  X509_VERIFY_PARAM_set_depth(X509_STORE_CTX_get0_param(verification.get()),
                              SSL_CTX_get_verify_depth(ctx_.get()));
  if (X509_verify_cert(verification.get()) != 1) {
    return refusal_for_verify_error(X509_STORE_CTX_get_error(verification.get()));
  }
  int leaf_error = leaf_check_error(*leaf_checks_, leaf);
  if (leaf_error != X509_V_OK) return refusal_for_verify_error(leaf_error);
  return std::nullopt;
}

int ServerTlsContext::stamp_ticket(SSL* ssl, void* context) {
  const auto* self = static_cast<const ServerTlsContext*>(context);
  const std::string& stamp = self->trust_fingerprint_;
  return SSL_SESSION_set1_ticket_appdata(SSL_get0_session(ssl), stamp.data(), stamp.size());
}

SSL_TICKET_RETURN ServerTlsContext::check_ticket(SSL* /*ssl*/, SSL_SESSION* session,
                                                 const unsigned char* /*key_name*/,
                                                 std::size_t /*key_name_length*/,
                                                 SSL_TICKET_STATUS status, void* context) {
  if (status == SSL_TICKET_FATAL_ERR_MALLOC || status == SSL_TICKET_FATAL_ERR_OTHER) {
    return SSL_TICKET_RETURN_ABORT;
  }
  if (status != SSL_TICKET_SUCCESS && status != SSL_TICKET_SUCCESS_RENEW) {
    return SSL_TICKET_RETURN_IGNORE_RENEW;  // no ticket, or one under no key known here
  }
  const auto* self = static_cast<const ServerTlsContext*>(context);
  // Issued under other trust material (by this server before a reload, or by another
  // server that has not reloaded yet): the certificate is checked against this one's.
  // A refused one gets a full handshake, which refuses it with the reason.
  void* stamp = nullptr;
  std::size_t length = 0;
  bool same_trust =
      SSL_SESSION_get0_ticket_appdata(session, &stamp, &length) == 1 &&
      std::string_view(static_cast<const char*>(stamp), length) == self->trust_fingerprint_;
  if (!same_trust && self->recheck(SSL_SESSION_get0_peer(session), nullptr)) {
    return SSL_TICKET_RETURN_IGNORE_RENEW;
  }
  return status == SSL_TICKET_SUCCESS ? SSL_TICKET_RETURN_USE : SSL_TICKET_RETURN_USE_RENEW;
}

}  // namespace tlshop::tls
