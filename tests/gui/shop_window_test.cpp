// tlshop-gui's window on Qt's offscreen platform against a real `tlshop serve`, which
// tests/cli/gui_test.py starts (with the seeded catalog and the user alice) before it
// runs these tests with the files in the environment.
#include <QComboBox>
#include <QLineEdit>
#include <QListWidget>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSettings>
#include <QSpinBox>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QTreeWidget>

#include "gui/main_window.hpp"

namespace tlshop::gui {
namespace {

QString environment(const char* name) { return qEnvironmentVariable(name); }

}  // namespace

class ShopWindowTest : public QObject {
  Q_OBJECT

 private:
  QTemporaryDir settings_dir_;
  std::unique_ptr<QSettings> settings_;
  std::unique_ptr<MainWindow> window_;
  std::unique_ptr<MainWindow> other_;

  template <typename Widget>
  Widget* find(const char* name) {
    auto* widget = window_->findChild<Widget*>(name);
    if (widget == nullptr) qFatal("no widget %s", name);
    return widget;
  }

  void fill(const char* field, const QString& text) { find<QLineEdit>(field)->setText(text); }

  // The connect form as a user fills it in; `certificate` names a pair NAME.crt/NAME.key.
  void connect_as(const QString& certificate, const QString& ca, const QString& pin = {}) {
    fill("server", environment("TLSHOP_TEST_SERVER"));
    fill("ca", ca);
    fill("certificate", environment("TLSHOP_TEST_DIR") + "/" + certificate + ".crt");
    fill("key", environment("TLSHOP_TEST_DIR") + "/" + certificate + ".key");
    fill("pkcs12", {});
    fill("pin", pin);
    QTest::mouseClick(find<QPushButton>("connect"), Qt::LeftButton);
  }

  void expect_status(const QString& words) {
    QTRY_VERIFY2_WITH_TIMEOUT(window_->status().contains(words),
                              qPrintable("status: " + window_->status()), 15000);
  }

  void log_in() {
    fill("user", "alice");
    fill("password", environment("TLSHOP_TEST_PASSWORD"));
    QTest::mouseClick(find<QPushButton>("login"), Qt::LeftButton);
    expect_status("Logged in as alice");
  }

  int row_of(QTableView* table, const QString& sku) {
    for (int row = 0; row < table->model()->rowCount(); ++row) {
      if (table->model()->index(row, 0).data().toString() == sku) return row;
    }
    return -1;
  }

 private slots:
  void init() {
    if (environment("TLSHOP_TEST_SERVER").isEmpty()) {
      QSKIP("run by tests/cli/gui_test.py, which starts the server");
    }
    settings_ =
        std::make_unique<QSettings>(settings_dir_.filePath("tlshop-gui.ini"), QSettings::IniFormat);
    window_ = std::make_unique<MainWindow>(*settings_);
    window_->show();
  }

  void cleanup() {
    window_.reset();
    settings_.reset();
  }

  void connectLogInBuyAndSeeTheReceiptTotal() {
    connect_as("alice", environment("TLSHOP_TEST_CA"));
    expect_status("Connected to");
    auto* categories = find<QListWidget>("categories");
    QTRY_VERIFY(categories->count() > 0);
    log_in();
    window_->tabs()->setCurrentWidget(window_->catalog_panel());
    categories->setCurrentItem(categories->findItems("Shoes", Qt::MatchExactly).value(0));
    auto* items = find<QTableView>("items");
    QTRY_VERIFY(row_of(items, "401") >= 0);
    int before = items->model()->index(row_of(items, "401"), 3).data().toInt();
    items->selectRow(row_of(items, "401"));
    QCOMPARE(find<QSpinBox>("quantity")->maximum(), std::min(before, 1000));
    find<QSpinBox>("quantity")->setValue(2);
    QTest::mouseClick(find<QPushButton>("buy"), Qt::LeftButton);
    expect_status("Bought 2 x sneakers");
    QTRY_COMPARE(window_->receipt_panel()->total_text(), QString("Total: 70.00 INR"));
    QTRY_COMPARE(items->model()->index(row_of(items, "401"), 3).data().toInt(), before - 2);

    QTest::mouseClick(find<QPushButton>("close_receipt"), Qt::LeftButton);
    expect_status("Closed receipt");
    QTRY_COMPARE(find<QListWidget>("past_receipts")->count(), 1);
    QTRY_COMPARE(window_->receipt_panel()->total_text(), QString("Nothing bought yet"));
  }

  void aPurchaseTheServerRefusesSaysWhy() {
    connect_as("alice", environment("TLSHOP_TEST_CA"));
    expect_status("Connected to");
    log_in();
    auto* categories = find<QListWidget>("categories");
    categories->setCurrentItem(categories->findItems("Shoes", Qt::MatchExactly).value(0));
    auto* items = find<QTableView>("items");
    QTRY_VERIFY(row_of(items, "403") >= 0);
    items->selectRow(row_of(items, "403"));
    auto* quantity = find<QSpinBox>("quantity");
    quantity->setValue(quantity->maximum());
    // Another window (another customer) buys them all first; this one still shows them.
    QSettings other_settings(settings_dir_.filePath("other.ini"), QSettings::IniFormat);
    std::swap(window_, other_);
    window_ = std::make_unique<MainWindow>(other_settings);
    connect_as("alice", environment("TLSHOP_TEST_CA"));
    expect_status("Connected to");
    log_in();
    find<QListWidget>("categories")
        ->setCurrentItem(
            find<QListWidget>("categories")->findItems("Shoes", Qt::MatchExactly).value(0));
    QTRY_VERIFY(row_of(find<QTableView>("items"), "403") >= 0);
    find<QTableView>("items")->selectRow(row_of(find<QTableView>("items"), "403"));
    find<QSpinBox>("quantity")->setValue(quantity->value());
    QTest::mouseClick(find<QPushButton>("buy"), Qt::LeftButton);
    expect_status("Bought");
    std::swap(window_, other_);
    other_.reset();

    QTest::mouseClick(find<QPushButton>("buy"), Qt::LeftButton);
    expect_status("insufficient");
    QVERIFY(window_->status().contains("HTTP 409"));
  }

  void sendADeviceMessageAndSeeItInTheLogbook() {
    connect_as("alice", environment("TLSHOP_TEST_CA"));
    expect_status("Connected to");
    window_->tabs()->setCurrentWidget(window_->messages_panel());
    int before = window_->messages_panel()->logbook_size();
    find<QComboBox>("message_format")->setCurrentIndex(1);  // JSON
    find<QPlainTextEdit>("message_body")->setPlainText("{\"device\": \"gui-test\"}");
    QTest::mouseClick(find<QPushButton>("send_message"), Qt::LeftButton);
    expect_status("Stored message");
    QTRY_COMPARE(window_->messages_panel()->logbook_size(), before + 1);
    auto* logbook = find<QTableWidget>("logbook");
    QCOMPARE(logbook->item(before, 2)->text(), QString("application/json"));
    QCOMPARE(logbook->item(before, 3)->text(), QString("{\"device\": \"gui-test\"}"));
  }

  void theConnectionTabShowsTheServersChainAndTheSession() {
    connect_as("alice", environment("TLSHOP_TEST_CA"));
    expect_status("Connected to");
    QTRY_VERIFY(window_->connection_panel()->summary().startsWith("TLS 1.3, TLS_"));
    QVERIFY(window_->connection_panel()->summary().contains("CN=alice"));
    auto* chain = find<QTreeWidget>("server_chain");
    QVERIFY(chain->topLevelItemCount() >= 1);
    QCOMPARE(chain->topLevelItem(0)->child(5)->text(1), environment("TLSHOP_TEST_SERVER_PIN"));
  }

  void aPkcs12FileWithItsPasswordWorksAndNoPasswordIsRemembered() {
    fill("server", environment("TLSHOP_TEST_SERVER"));
    fill("ca", environment("TLSHOP_TEST_CA"));
    fill("certificate", {});
    fill("key", {});
    fill("pkcs12", environment("TLSHOP_TEST_DIR") + "/alice.p12");
    fill("pkcs12_password", environment("TLSHOP_TEST_P12_PASSWORD"));
    QTest::mouseClick(find<QPushButton>("connect"), Qt::LeftButton);
    expect_status("Connected to " + environment("TLSHOP_TEST_SERVER") + " as CN=alice");
    log_in();
    settings_->sync();
    QCOMPARE(settings_->value("connection/pkcs12").toString(),
             environment("TLSHOP_TEST_DIR") + "/alice.p12");
    for (const QString& key : settings_->allKeys()) {
      QVERIFY2(!key.contains("password", Qt::CaseInsensitive), qPrintable(key));
    }
    QFile saved(settings_dir_.filePath("tlshop-gui.ini"));
    QVERIFY(saved.open(QIODevice::ReadOnly));
    QVERIFY(!saved.readAll().contains(environment("TLSHOP_TEST_PASSWORD").toUtf8()));
  }

  void aClientCertificateFromAnotherCaIsRefusedInWords() {
    connect_as("mallory", environment("TLSHOP_TEST_CA"));
    expect_status("refused this client's certificate: unknown ca");
    QVERIFY(!window_->busy());
  }

  void aRevokedClientCertificateIsRefusedInWords() {
    connect_as("bob", environment("TLSHOP_TEST_CA"));
    expect_status("refused this client's certificate: certificate revoked");
  }

  void aServerWhoseKeyIsNotThePinnedOneGetsNoRequest() {
    connect_as("alice", environment("TLSHOP_TEST_CA"), environment("TLSHOP_TEST_OTHER_PIN"));
    expect_status("does not match the pinned key");
  }

  void aServerCertificateFromAnUntrustedCaIsRefused() {
    connect_as("alice", environment("TLSHOP_TEST_OTHER_CA"));
    expect_status("is not trusted: it does not chain to the CA");
  }

  void aMissingFileIsNamed() {
    connect_as("nobody", environment("TLSHOP_TEST_CA"));
    expect_status("cannot read the certificate");
    QVERIFY(window_->status().contains("nobody.crt"));
  }
};

}  // namespace tlshop::gui

QTEST_MAIN(tlshop::gui::ShopWindowTest)
#include "shop_window_test.moc"
