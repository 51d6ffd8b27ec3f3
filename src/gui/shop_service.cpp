#include "gui/shop_service.hpp"

#include <QNetworkReply>
#include <QNetworkRequest>
#include <QSslError>
#include <QUuid>

#include "api/error_body.hpp"
#include "api/routes.hpp"
#include "gui/tls_setup.hpp"
#include "tlshop/error.hpp"

namespace tlshop::gui {
namespace {

// What the reply's properties carry from its TLS signals to its end.
constexpr const char* kPinMismatch = "tlshop_pin_mismatch";
constexpr const char* kCertificateProblem = "tlshop_certificate_problem";

QString path_of(std::string_view route) { return QString::fromUtf8(route.data(), route.size()); }

// Why Qt (OpenSSL) did not trust the server's certificate, in the words of someone who
// set up the client.
QString untrusted_words(const QSslError& error, const QString& ca_file) {
  switch (error.error()) {
    case QSslError::UnableToGetLocalIssuerCertificate:
    case QSslError::UnableToGetIssuerCertificate:
    case QSslError::SelfSignedCertificate:
    case QSslError::SelfSignedCertificateInChain:
    case QSslError::UnableToVerifyFirstCertificate:
    case QSslError::CertificateUntrusted:
      return "it does not chain to the CA " + ca_file;
    case QSslError::CertificateExpired:
      return "it has expired";
    case QSslError::CertificateNotYetValid:
      return "it is not valid yet";
    case QSslError::CertificateRevoked:
      return "it is revoked";
    case QSslError::HostNameMismatch:
      return "it is not for this server's name";
    case QSslError::InvalidPurpose:
      return "it is not a server certificate (no serverAuth)";
    default:
      return error.errorString();
  }
}

template <typename T, typename Parse>
std::function<void(const QByteArray&)> parsed(ShopService::Done<T> done, Parse parse) {
  return [done = std::move(done), parse](const QByteArray& body) {
    done(parse(std::string_view(body.constData(), static_cast<std::size_t>(body.size()))));
  };
}

}  // namespace

ShopService::ShopService(QObject* parent) : QObject(parent) {}

void ShopService::configure(const ConnectionProfile& profile, const QString& pkcs12_password) {
  QSslConfiguration tls = make_tls_configuration(profile, pkcs12_password);
  QUrl base("https://" + profile.server);
  if (!base.isValid() || base.host().isEmpty() || base.port() <= 0 || !base.path().isEmpty()) {
    throw Error("give the server as HOST:PORT, not \"" + profile.server.toStdString() + "\"");
  }
  tls_ = tls;
  base_ = base;
  pin_ = profile.pin.trimmed();
  ca_file_ = profile.ca;
  token_.clear();
  network_.clearConnectionCache();
  configured_ = true;
}

void ShopService::send(const Call& call, std::function<void(const QByteArray&)> on_body) {
  if (!configured_) {
    emit failed("connect first: the server, its CA and this client's certificate");
    return;
  }
  QUrl url = base_;
  QString path = call.path;
  if (qsizetype question = path.indexOf('?'); question >= 0) {
    url.setQuery(path.mid(question + 1), QUrl::StrictMode);
    path.truncate(question);
  }
  url.setPath(path, QUrl::StrictMode);
  QNetworkRequest request(url);
  request.setSslConfiguration(tls_);
  if (!call.content_type.isEmpty()) {
    request.setHeader(QNetworkRequest::ContentTypeHeader, call.content_type);
  }
  if (!token_.isEmpty()) request.setRawHeader("Authorization", "Bearer " + token_);
  for (const auto& [name, value] : call.headers) request.setRawHeader(name, value);
  QNetworkReply* reply = network_.sendCustomRequest(request, call.method, call.body);
  connect(reply, &QNetworkReply::encrypted, this, [this, reply] { check_pin(reply); });
  connect(reply, &QNetworkReply::sslErrors, this, [reply](const QList<QSslError>& errors) {
    if (!errors.isEmpty()) reply->setProperty(kCertificateProblem, QVariant::fromValue(errors[0]));
  });
  connect(reply, &QNetworkReply::finished, this,
          [this, reply, expected = call.expected_status, on_body = std::move(on_body)] {
            finished(reply, expected, on_body);
          });
  set_busy(+1);
}

// Before a byte of the request leaves: a server whose key is not the pinned one gets
// nothing.
void ShopService::check_pin(QNetworkReply* reply) const {
  if (pin_.isEmpty()) return;
  QSslCertificate server = reply->sslConfiguration().peerCertificate();
  if (server.isNull() || public_key_pin(server) != pin_) {
    reply->setProperty(kPinMismatch, true);
    reply->abort();
  }
}

void ShopService::finished(QNetworkReply* reply, int expected_status,
                           const std::function<void(const QByteArray&)>& on_body) {
  reply->deleteLater();
  set_busy(-1);
  int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
  if (status == 0) {  // no HTTP answer: the connection or TLS failed, or was aborted
    emit failed(failure_words(reply));
    return;
  }
  QByteArray body = reply->readAll();
  last_session_ = reply->sslConfiguration();
  if (status != expected_status) {
    auto error = api::parse_error_json(body.toStdString());
    emit failed(error
                    ? QString::fromStdString(error->message) + " (HTTP " + QString::number(status) +
                          ", " + QString::fromStdString(error->code) + ")"
                    : "the server answered HTTP " + QString::number(status));
    return;
  }
  try {
    on_body(body);
  } catch (const Error& e) {
    emit failed(QString("the server's answer is not the tlshop API: ") + e.what());
  }
}

QString ShopService::failure_words(QNetworkReply* reply) const {
  QString server = base_.authority();
  if (reply->property(kPinMismatch).toBool()) {
    return "the public key of " + server + " does not match the pinned key";
  }
  if (QVariant problem = reply->property(kCertificateProblem); problem.isValid()) {
    return "the certificate of " + server +
           " is not trusted: " + untrusted_words(problem.value<QSslError>(), ca_file_);
  }
  QString text = reply->errorString();
  // In TLS 1.3 a server refuses a client certificate with an alert after the handshake.
  if (qsizetype alert = text.indexOf("alert "); alert >= 0) {
    return server + " refused this client's certificate: " + text.mid(alert + 6);
  }
  switch (reply->error()) {
    case QNetworkReply::ConnectionRefusedError:
    case QNetworkReply::HostNotFoundError:
      return "cannot reach " + server + ": " + text;
    case QNetworkReply::TimeoutError:
      return "timed out talking to " + server;
    default:
      return "the connection to " + server + " failed: " + text;
  }
}

void ShopService::set_busy(int change) {
  bool was_busy = in_flight_ > 0;
  in_flight_ += change;
  if (was_busy != (in_flight_ > 0)) emit busyChanged(in_flight_ > 0);
}

void ShopService::hello(Done<api::Hello> done) {
  send({"GET", path_of(api::routes::kHello), {}, {}, {}, 200},
       parsed<api::Hello>(std::move(done), api::parse_hello));
}

void ShopService::login(const QString& name, const QString& password, Done<api::LoginReply> done) {
  std::string body = api::to_json(api::LoginRequest{name.toStdString(), password.toStdString()});
  send({"POST",
        path_of(api::routes::kSessions),
        QByteArray::fromStdString(body),
        "application/json",
        {},
        201},
       [this, done = std::move(done)](const QByteArray& reply) {
         api::LoginReply login = api::parse_login_reply(reply.toStdString());
         token_ = QByteArray::fromStdString(login.token);
         done(login);
       });
}

void ShopService::logout(Done<bool> done) {
  send({"DELETE", path_of(api::routes::kCurrentSession), {}, {}, {}, 204},
       [this, done = std::move(done)](const QByteArray&) {
         token_.clear();
         done(true);
       });
}

void ShopService::categories(Done<std::vector<std::string>> done) {
  send({"GET", path_of(api::routes::kCategories), {}, {}, {}, 200},
       parsed<std::vector<std::string>>(std::move(done), api::parse_categories));
}

void ShopService::items(const QString& category, const QString& text, const QString& cursor,
                        Done<api::ItemsPage> done) {
  QString query = "limit=50";
  for (const auto& [name, value] :
       {std::pair{"category", category}, std::pair{"q", text}, std::pair{"cursor", cursor}}) {
    if (!value.isEmpty()) query += QString("&") + name + "=" + QUrl::toPercentEncoding(value);
  }
  send({"GET", path_of(api::routes::kItems) + "?" + query, {}, {}, {}, 200},
       parsed<api::ItemsPage>(std::move(done), api::parse_items_page));
}

void ShopService::buy(const QString& sku, std::int64_t quantity, Done<api::OrderLineView> done) {
  std::string body = api::to_json(api::OrderRequest{sku.toStdString(), quantity});
  QByteArray key = QUuid::createUuid().toByteArray(QUuid::WithoutBraces);
  send({"POST",
        path_of(api::routes::kOrders),
        QByteArray::fromStdString(body),
        "application/json",
        {{QByteArray(api::routes::kIdempotencyKeyHeader.data(),
                     static_cast<qsizetype>(api::routes::kIdempotencyKeyHeader.size())),
          key}},
        201},
       parsed<api::OrderLineView>(std::move(done), api::parse_order_line));
}

void ShopService::receipt(Done<api::ReceiptView> done) {
  send({"GET", path_of(api::routes::kReceipt), {}, {}, {}, 200},
       parsed<api::ReceiptView>(std::move(done), api::parse_receipt));
}

void ShopService::close_receipt(Done<api::ReceiptView> done) {
  send({"POST", path_of(api::routes::kReceiptClose), {}, {}, {}, 200},
       parsed<api::ReceiptView>(std::move(done), api::parse_receipt));
}

void ShopService::receipts(Done<std::vector<api::ReceiptView>> done) {
  send({"GET", path_of(api::routes::kReceipts), {}, {}, {}, 200},
       parsed<std::vector<api::ReceiptView>>(std::move(done), api::parse_receipts));
}

void ShopService::send_message(const QString& body, const QString& content_type,
                               Done<api::MessageReceipt> done) {
  send({"POST", path_of(api::routes::kMessages), body.toUtf8(), content_type.toUtf8(), {}, 201},
       parsed<api::MessageReceipt>(std::move(done), api::parse_message_receipt));
}

void ShopService::list_messages(std::uint64_t since, Done<std::vector<api::StoredMessage>> done) {
  send({"GET",
        path_of(api::routes::kMessages) + "?since=" + QString::number(since),
        {},
        {},
        {},
        200},
       parsed<std::vector<api::StoredMessage>>(std::move(done), api::parse_message_list));
}

}  // namespace tlshop::gui
