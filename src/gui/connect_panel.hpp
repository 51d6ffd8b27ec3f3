#pragma once

#include <QLineEdit>
#include <QPushButton>
#include <QWidget>

#include "gui/connection_profile.hpp"

namespace tlshop::gui {

// Where to connect and who to be: the server, the CA, the client's certificate and key
// (or a PKCS#12 file and its password), an optional server pin; then the shop user.
class ConnectPanel : public QWidget {
  Q_OBJECT

 public:
  explicit ConnectPanel(QWidget* parent = nullptr);

  ConnectionProfile profile() const;
  void set_profile(const ConnectionProfile& profile);
  QString pkcs12_password() const { return pkcs12_password_->text(); }
  QString user() const { return user_->text(); }
  QString password() const { return password_->text(); }
  void set_logged_in(bool logged_in);
  void set_user(const QString& user, const QString& password);

 signals:
  void connectRequested();
  void loginRequested();
  void logoutRequested();

 private:
  QLineEdit* file_field(const QString& name, const QString& placeholder);

  QLineEdit* server_;
  QLineEdit* ca_;
  QLineEdit* certificate_;
  QLineEdit* key_;
  QLineEdit* pkcs12_;
  QLineEdit* pkcs12_password_;
  QLineEdit* pin_;
  QLineEdit* user_;
  QLineEdit* password_;
  QPushButton* login_;
  QPushButton* logout_;
};

}  // namespace tlshop::gui
