#include "gui/tls_setup.hpp"

#include <QFile>
#include <QSslKey>

#include "pki/certificate.hpp"
#include "tlshop/error.hpp"

namespace tlshop::gui {
namespace {

QByteArray read_file(const QString& path, const char* what) {
  QFile file(path);
  if (path.isEmpty()) throw Error(std::string("no ") + what + " file given");
  if (!file.open(QIODevice::ReadOnly)) {
    throw Error(std::string("cannot read the ") + what + " " + path.toStdString() + ": " +
                file.errorString().toStdString());
  }
  return file.readAll();
}

QSslKey read_key(const QString& path) {
  QByteArray pem = read_file(path, "key");
  for (QSsl::KeyAlgorithm algorithm : {QSsl::Ec, QSsl::Rsa, QSsl::Opaque}) {
    QSslKey key(pem, algorithm, QSsl::Pem);
    if (!key.isNull()) return key;
  }
  throw Error("the key " + path.toStdString() +
              " is not an unencrypted PEM private key (EC or RSA)");
}

void set_identity_from_pkcs12(QSslConfiguration& tls, const QString& path,
                              const QString& password) {
  QFile file(path);
  if (!file.open(QIODevice::ReadOnly)) {
    throw Error("cannot read the PKCS#12 file " + path.toStdString());
  }
  QSslKey key;
  QSslCertificate certificate;
  QList<QSslCertificate> intermediates;
  if (!QSslCertificate::importPkcs12(&file, &key, &certificate, &intermediates,
                                     password.toUtf8())) {
    throw Error("cannot open the PKCS#12 file " + path.toStdString() +
                " (a wrong password, or not PKCS#12)");
  }
  tls.setPrivateKey(key);
  tls.setLocalCertificateChain(QList<QSslCertificate>{certificate} + intermediates);
}

pki::Certificate to_pki(const QSslCertificate& certificate) {
  return pki::Certificate::from_pem(certificate.toPem().toStdString(), "the server certificate");
}

}  // namespace

QSslConfiguration make_tls_configuration(const ConnectionProfile& profile,
                                         const QString& pkcs12_password) {
  QSslConfiguration tls = QSslConfiguration::defaultConfiguration();
  tls.setProtocol(QSsl::TlsV1_3OrLater);
  tls.setPeerVerifyMode(QSslSocket::VerifyPeer);
  QList<QSslCertificate> roots = QSslCertificate::fromData(read_file(profile.ca, "CA"), QSsl::Pem);
  if (roots.isEmpty())
    throw Error("the CA file " + profile.ca.toStdString() + " holds no certificate");
  tls.setCaCertificates(roots);
  if (!profile.pkcs12.isEmpty()) {
    set_identity_from_pkcs12(tls, profile.pkcs12, pkcs12_password);
  } else {
    QList<QSslCertificate> chain =
        QSslCertificate::fromData(read_file(profile.certificate, "certificate"), QSsl::Pem);
    if (chain.isEmpty()) {
      throw Error("the certificate file " + profile.certificate.toStdString() +
                  " holds no certificate");
    }
    tls.setLocalCertificateChain(chain);
    tls.setPrivateKey(read_key(profile.key));
  }
  return tls;
}

QString public_key_pin(const QSslCertificate& certificate) {
  return QString::fromStdString(to_pki(certificate).public_key_pin());
}

QString sha256_fingerprint(const QSslCertificate& certificate) {
  return QString::fromStdString(to_pki(certificate).sha256_fingerprint());
}

}  // namespace tlshop::gui
