#include "gui/connection_panel.hpp"

#include <QPushButton>
#include <QSslCipher>
#include <QVBoxLayout>

#include "gui/tls_setup.hpp"

namespace tlshop::gui {
namespace {

QString protocol_name(QSsl::SslProtocol protocol) {
  switch (protocol) {
    case QSsl::TlsV1_3:
      return "TLS 1.3";
    case QSsl::TlsV1_2:
      return "TLS 1.2";
    default:
      return "an older TLS";
  }
}

void add_field(QTreeWidgetItem* parent, const QString& name, const QString& value) {
  new QTreeWidgetItem(parent, {name, value});
}

}  // namespace

ConnectionPanel::ConnectionPanel(QWidget* parent) : QWidget(parent) {
  summary_ = new QLabel("Not connected", this);
  summary_->setObjectName("connection_summary");
  summary_->setWordWrap(true);
  chain_ = new QTreeWidget(this);
  chain_->setObjectName("server_chain");
  chain_->setHeaderLabels({"Field", "Value"});
  chain_->setColumnWidth(0, 180);
  auto* refresh = new QPushButton("Re&fresh", this);
  auto* layout = new QVBoxLayout(this);
  layout->addWidget(summary_);
  layout->addWidget(chain_, 1);
  layout->addWidget(refresh, 0, Qt::AlignRight);
  connect(refresh, &QPushButton::clicked, this, &ConnectionPanel::refreshRequested);
}

void ConnectionPanel::show_session(const QSslConfiguration& session, const api::Hello& hello) {
  QString cipher = session.sessionCipher().name();
  summary_->setText(QString("%1, %2, %3. The server saw this client as %4.")
                        .arg(protocol_name(session.sessionProtocol()), cipher,
                             hello.resumed ? "a resumed session" : "a new session",
                             QString::fromStdString(hello.subject)));
  chain_->clear();
  for (const QSslCertificate& certificate : session.peerCertificateChain()) {
    auto* node = new QTreeWidgetItem(chain_, {certificate.subjectDisplayName(), {}});
    add_field(node, "Subject", certificate.subjectInfo(QSslCertificate::CommonName).join(", "));
    add_field(node, "Issuer", certificate.issuerDisplayName());
    add_field(node, "Valid from", certificate.effectiveDate().toString(Qt::ISODate));
    add_field(node, "Valid until", certificate.expiryDate().toString(Qt::ISODate));
    add_field(node, "SHA-256 fingerprint", sha256_fingerprint(certificate));
    add_field(node, "Public key pin", public_key_pin(certificate));
    node->setExpanded(true);
  }
}

}  // namespace tlshop::gui
