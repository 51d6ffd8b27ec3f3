#pragma once

#include <QLabel>
#include <QMainWindow>
#include <QProgressBar>
#include <QSettings>
#include <QTabWidget>

#include "gui/catalog_panel.hpp"
#include "gui/connect_panel.hpp"
#include "gui/connection_panel.hpp"
#include "gui/messages_panel.hpp"
#include "gui/receipt_panel.hpp"
#include "gui/shop_service.hpp"

namespace tlshop::gui {

// tlshop-gui's window: Connect, Shop, Receipt, Messages and Connection tabs over one
// ShopService. Every call is asynchronous: a busy bar runs while one is out, and a
// failure is shown in words in the status bar, never as a freeze.
class MainWindow : public QMainWindow {
  Q_OBJECT

 public:
  explicit MainWindow(QSettings& settings, QWidget* parent = nullptr);

  // Connects with what the Connect tab holds, then logs in if asked to.
  void connect_and_log_in(bool log_in);

  // For the tests and the pictures.
  ConnectPanel* connect_panel() const { return connect_; }
  CatalogPanel* catalog_panel() const { return catalog_; }
  ReceiptPanel* receipt_panel() const { return receipt_; }
  MessagesPanel* messages_panel() const { return messages_; }
  ConnectionPanel* connection_panel() const { return connection_; }
  QTabWidget* tabs() const { return tabs_; }
  QString status() const { return status_->text(); }
  // Whether the status tells of a failure.
  bool failed() const { return status_->property("failure").toBool(); }
  bool busy() const { return busy_->isVisible(); }

 private:
  void connect_to_server();
  void log_in();
  void log_out();
  void load_items(bool more);
  void buy(const QString& sku, qint64 quantity);
  void load_receipts();
  void send_message(const QString& body, const QString& content_type);
  void load_logbook();
  void load_connection();
  void add_shortcuts();
  void say(const QString& text, bool failure = false);

  QSettings& settings_;
  ShopService* service_;
  QTabWidget* tabs_;
  ConnectPanel* connect_;
  CatalogPanel* catalog_;
  ReceiptPanel* receipt_;
  MessagesPanel* messages_;
  ConnectionPanel* connection_;
  QLabel* status_;
  QProgressBar* busy_;
  bool log_in_when_connected_ = false;
};

}  // namespace tlshop::gui
