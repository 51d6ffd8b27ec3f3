#pragma once

#include <QNetworkAccessManager>
#include <QObject>
#include <QSslConfiguration>
#include <QString>
#include <QUrl>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "gui/connection_profile.hpp"
#include "tlshop/api/hello.hpp"
#include "tlshop/api/messages.hpp"
#include "tlshop/api/shop_messages.hpp"

class QNetworkReply;

namespace tlshop::gui {

// The tlshop HTTPS API over Qt's network stack, for the window: every call is
// asynchronous and hands its parsed reply to `done` on the GUI thread; a call that fails
// (network, TLS, a refused certificate, a pin mismatch, an HTTP error) emits failed()
// with a readable message instead.
class ShopService : public QObject {
  Q_OBJECT

 public:
  template <typename T>
  using Done = std::function<void(const T&)>;

  explicit ShopService(QObject* parent = nullptr);

  // Takes the profile's server, TLS files and pin; throws tlshop::Error naming a file
  // that cannot be used. Ends any session.
  void configure(const ConnectionProfile& profile, const QString& pkcs12_password);
  bool is_configured() const { return configured_; }
  bool is_logged_in() const { return !token_.isEmpty(); }

  void hello(Done<api::Hello> done);
  void login(const QString& name, const QString& password, Done<api::LoginReply> done);
  void logout(Done<bool> done);
  void categories(Done<std::vector<std::string>> done);
  void items(const QString& category, const QString& text, const QString& cursor,
             Done<api::ItemsPage> done);
  void buy(const QString& sku, std::int64_t quantity, Done<api::OrderLineView> done);
  void receipt(Done<api::ReceiptView> done);
  void close_receipt(Done<api::ReceiptView> done);
  void receipts(Done<std::vector<api::ReceiptView>> done);
  void send_message(const QString& body, const QString& content_type,
                    Done<api::MessageReceipt> done);
  void list_messages(std::uint64_t since, Done<std::vector<api::StoredMessage>> done);

  // The TLS session of the last answered request: the server's chain, protocol, cipher.
  const QSslConfiguration& last_session() const { return last_session_; }

 signals:
  void busyChanged(bool busy);
  void failed(const QString& message);

 private:
  struct Call {
    QByteArray method;
    QString path;  // with the query
    QByteArray body;
    QByteArray content_type;
    QList<QPair<QByteArray, QByteArray>> headers;
    int expected_status = 200;
  };
  void send(const Call& call, std::function<void(const QByteArray&)> on_body);
  void finished(QNetworkReply* reply, int expected_status,
                const std::function<void(const QByteArray&)>& on_body);
  QString failure_words(QNetworkReply* reply) const;
  void check_pin(QNetworkReply* reply) const;
  void set_busy(int change);

  QNetworkAccessManager network_;
  QSslConfiguration tls_;
  QUrl base_;
  QString pin_;
  QString ca_file_;
  QByteArray token_;
  QSslConfiguration last_session_;
  bool configured_ = false;
  int in_flight_ = 0;
};

}  // namespace tlshop::gui
