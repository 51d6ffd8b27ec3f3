#pragma once

#include <QSslCertificate>
#include <QSslConfiguration>
#include <QString>

#include "gui/connection_profile.hpp"

namespace tlshop::gui {

// The TLS the window speaks: TLS 1.3 only, the server verified against the profile's CA
// alone (not the system's), and the client certificate presented. Throws tlshop::Error
// with the file and the reason when a file cannot be used.
QSslConfiguration make_tls_configuration(const ConnectionProfile& profile,
                                         const QString& pkcs12_password);

// "sha256//BASE64" of the certificate's public key, as tlshop pins are written
// (computed by OpenSSL, as everywhere in tlshop).
QString public_key_pin(const QSslCertificate& certificate);
// Lower-case colon-separated SHA-256 of the certificate.
QString sha256_fingerprint(const QSslCertificate& certificate);

}  // namespace tlshop::gui
