#include "gui/connect_panel.hpp"

#include <QFileDialog>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QStyle>
#include <QVBoxLayout>

namespace tlshop::gui {

ConnectPanel::ConnectPanel(QWidget* parent) : QWidget(parent) {
  auto* server_box = new QGroupBox("Server", this);
  auto* form = new QFormLayout(server_box);
  server_ = new QLineEdit(server_box);
  server_->setObjectName("server");
  server_->setPlaceholderText("HOST:PORT");
  form->addRow("&Server:", server_);
  form->addRow("&CA certificate:", ca_ = file_field("ca", "the tlshop CA's root.crt"));
  form->addRow("Client c&ertificate:",
               certificate_ = file_field("certificate", "PEM chain (alice.crt)"));
  form->addRow("Client &key:", key_ = file_field("key", "PEM key (alice.key)"));
  form->addRow("or &PKCS#12:",
               pkcs12_ = file_field("pkcs12", "alice.p12, instead of the two above"));
  pkcs12_password_ = new QLineEdit(server_box);
  pkcs12_password_->setEchoMode(QLineEdit::Password);
  pkcs12_password_->setObjectName("pkcs12_password");
  form->addRow("PKCS#12 pass&word:", pkcs12_password_);
  pin_ = new QLineEdit(server_box);
  pin_->setObjectName("pin");
  pin_->setPlaceholderText("optional: sha256//... of the server's public key");
  form->addRow("Server p&in:", pin_);
  auto* connect_button = new QPushButton("Co&nnect", server_box);
  connect_button->setObjectName("connect");
  form->addRow(connect_button);
  connect(connect_button, &QPushButton::clicked, this, &ConnectPanel::connectRequested);

  auto* user_box = new QGroupBox("Shop user", this);
  auto* user_form = new QFormLayout(user_box);
  user_ = new QLineEdit(user_box);
  user_->setObjectName("user");
  user_form->addRow("&User:", user_);
  password_ = new QLineEdit(user_box);
  password_->setObjectName("password");
  password_->setEchoMode(QLineEdit::Password);
  user_form->addRow("Pass&word:", password_);
  auto* buttons = new QHBoxLayout;
  login_ = new QPushButton("&Log in", user_box);
  login_->setObjectName("login");
  logout_ = new QPushButton("Log &out", user_box);
  logout_->setObjectName("logout");
  buttons->addWidget(login_);
  buttons->addWidget(logout_);
  user_form->addRow(buttons);
  connect(login_, &QPushButton::clicked, this, &ConnectPanel::loginRequested);
  connect(password_, &QLineEdit::returnPressed, this, &ConnectPanel::loginRequested);
  connect(logout_, &QPushButton::clicked, this, &ConnectPanel::logoutRequested);
  set_logged_in(false);

  auto* layout = new QVBoxLayout(this);
  layout->addWidget(server_box);
  layout->addWidget(user_box);
  layout->addStretch();
}

QLineEdit* ConnectPanel::file_field(const QString& name, const QString& placeholder) {
  auto* field = new QLineEdit(this);
  field->setObjectName(name);
  field->setPlaceholderText(placeholder);
  auto* browse =
      field->addAction(style()->standardIcon(QStyle::SP_DirOpenIcon), QLineEdit::TrailingPosition);
  browse->setToolTip("Choose a file");
  connect(browse, &QAction::triggered, this, [this, field] {
    QString chosen = QFileDialog::getOpenFileName(this, "Choose a file", field->text());
    if (!chosen.isEmpty()) field->setText(chosen);
  });
  return field;
}

ConnectionProfile ConnectPanel::profile() const {
  return {server_->text().trimmed(), ca_->text(),           certificate_->text(), key_->text(),
          pkcs12_->text(),           pin_->text().trimmed()};
}

void ConnectPanel::set_profile(const ConnectionProfile& profile) {
  server_->setText(profile.server);
  ca_->setText(profile.ca);
  certificate_->setText(profile.certificate);
  key_->setText(profile.key);
  pkcs12_->setText(profile.pkcs12);
  pin_->setText(profile.pin);
}

void ConnectPanel::set_user(const QString& user, const QString& password) {
  user_->setText(user);
  password_->setText(password);
}

void ConnectPanel::set_logged_in(bool logged_in) {
  login_->setEnabled(!logged_in);
  logout_->setEnabled(logged_in);
  if (logged_in) password_->clear();
}

}  // namespace tlshop::gui
