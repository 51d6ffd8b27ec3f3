#include "server/handshake_refusal.hpp"

#include <boost/json.hpp>

#include "pki/certificate.hpp"
#include "server/server_state.hpp"
#include "tls/leaf_checks.hpp"

namespace tlshop::server {

void report_refusal(ServerState& state, const SSL* ssl, tls::Refusal refusal,
                    const std::string& remote, const std::string& source,
                    const std::string& detail) {
  state.metrics.handshake_refused(refusal);
  boost::json::object entry{
      {"event", "handshake_refused"},
      {"remote", remote},
      {"reason", tls::refusal_code(refusal)},
      {"detail", std::string(tls::refusal_text(refusal)) + " (" + detail + ")"}};
  if (X509* presented = tls::presented_certificate(ssl)) {
    X509_up_ref(presented);
    pki::Certificate certificate{pki::UniquePtr<X509>(presented)};
    entry["subject"] = certificate.subject();
    entry["issuer"] = certificate.issuer();
    entry["serial"] = certificate.serial_hex();
  }
  state.refusals.write(source, std::string(tls::refusal_code(refusal)), std::move(entry));
}

}  // namespace tlshop::server
