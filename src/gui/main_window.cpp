#include "gui/main_window.hpp"

#include <QShortcut>
#include <QStatusBar>
#include <utility>

#include "shop/money.hpp"
#include "tlshop/error.hpp"

namespace tlshop::gui {

MainWindow::MainWindow(QSettings& settings, QWidget* parent)
    : QMainWindow(parent), settings_(settings), service_(new ShopService(this)) {
  setWindowTitle("tlshop");
  tabs_ = new QTabWidget(this);
  connect_ = new ConnectPanel(tabs_);
  catalog_ = new CatalogPanel(tabs_);
  receipt_ = new ReceiptPanel(tabs_);
  messages_ = new MessagesPanel(tabs_);
  connection_ = new ConnectionPanel(tabs_);
  tabs_->addTab(connect_, "Co&nnect");
  tabs_->addTab(catalog_, "&Shop");
  tabs_->addTab(receipt_, "&Receipt");
  tabs_->addTab(messages_, "&Messages");
  tabs_->addTab(connection_, "Connec&tion");
  setCentralWidget(tabs_);

  status_ = new QLabel("Not connected", this);
  status_->setObjectName("status");
  busy_ = new QProgressBar(this);
  busy_->setRange(0, 0);  // busy, with no measure of how far
  busy_->setMaximumWidth(120);
  busy_->hide();
  statusBar()->addWidget(status_, 1);
  statusBar()->addPermanentWidget(busy_);

  connect_->set_profile(ConnectionProfile::load(settings_));
  connect(service_, &ShopService::busyChanged, busy_, &QWidget::setVisible);
  connect(service_, &ShopService::failed, this, [this](const QString& text) { say(text, true); });
  connect(connect_, &ConnectPanel::connectRequested, this, &MainWindow::connect_to_server);
  connect(connect_, &ConnectPanel::loginRequested, this, &MainWindow::log_in);
  connect(connect_, &ConnectPanel::logoutRequested, this, &MainWindow::log_out);
  connect(catalog_, &CatalogPanel::categoryChosen, this, [this] { load_items(false); });
  connect(catalog_, &CatalogPanel::moreRequested, this, [this] { load_items(true); });
  connect(catalog_, &CatalogPanel::buyRequested, this, &MainWindow::buy);
  connect(receipt_, &ReceiptPanel::refreshRequested, this, &MainWindow::load_receipts);
  connect(receipt_, &ReceiptPanel::closeRequested, this, [this] {
    service_->close_receipt([this](const api::ReceiptView& closed) {
      say("Closed receipt #" + QString::number(closed.id) + ": " +
          QString::fromStdString(shop::format_money(closed.total, closed.currency)));
      load_receipts();
    });
  });
  connect(messages_, &MessagesPanel::sendRequested, this, &MainWindow::send_message);
  connect(messages_, &MessagesPanel::refreshRequested, this, &MainWindow::load_logbook);
  connect(connection_, &ConnectionPanel::refreshRequested, this, &MainWindow::load_connection);
  add_shortcuts();
  resize(900, 600);
}

void MainWindow::add_shortcuts() {
  connect(new QShortcut(QKeySequence("Ctrl+L"), this), &QShortcut::activated, this,
          &MainWindow::log_in);
  connect(new QShortcut(QKeySequence::Refresh, this), &QShortcut::activated, this, [this] {
    if (tabs_->currentWidget() == catalog_) load_items(false);
    if (tabs_->currentWidget() == receipt_) load_receipts();
    if (tabs_->currentWidget() == messages_) load_logbook();
    if (tabs_->currentWidget() == connection_) load_connection();
  });
  connect(new QShortcut(QKeySequence::Quit, this), &QShortcut::activated, this, &QWidget::close);
}

void MainWindow::say(const QString& text, bool failure) {
  status_->setText(text);
  status_->setProperty("failure", failure);
}

void MainWindow::connect_and_log_in(bool log_in) {
  log_in_when_connected_ = log_in;
  connect_to_server();
}

void MainWindow::connect_to_server() {
  ConnectionProfile profile = connect_->profile();
  try {
    service_->configure(profile, connect_->pkcs12_password());
  } catch (const Error& e) {
    say(e.what(), true);
    return;
  }
  profile.save(settings_);
  connect_->set_logged_in(false);
  say("Connecting to " + profile.server + "...");
  service_->hello([this, server = profile.server](const api::Hello& hello) {
    say("Connected to " + server + " as " + QString::fromStdString(hello.subject));
    connection_->show_session(service_->last_session(), hello);
    service_->categories(
        [this](const std::vector<std::string>& names) { catalog_->show_categories(names); });
    load_logbook();
    if (std::exchange(log_in_when_connected_, false)) log_in();
  });
}

void MainWindow::log_in() {
  QString user = connect_->user();
  service_->login(user, connect_->password(), [this, user](const api::LoginReply&) {
    connect_->set_logged_in(true);
    say("Logged in as " + user);
    load_receipts();
  });
}

void MainWindow::log_out() {
  service_->logout([this](bool) {
    connect_->set_logged_in(false);
    say("Logged out");
  });
}

void MainWindow::load_items(bool more) {
  service_->items(catalog_->category(), catalog_->search_text(),
                  more ? catalog_->next_cursor() : QString(),
                  [this, more](const api::ItemsPage& page) { catalog_->show_items(page, more); });
}

void MainWindow::buy(const QString& sku, qint64 quantity) {
  if (!service_->is_logged_in()) {
    say("Log in first (Connect tab, Ctrl+L) to buy", true);
    return;
  }
  service_->buy(sku, quantity, [this](const api::OrderLineView& line) {
    say(QString("Bought %1 x %2").arg(line.quantity).arg(QString::fromStdString(line.name)));
    load_items(false);  // the stock has changed
    load_receipts();
  });
}

void MainWindow::load_receipts() {
  service_->receipt([this](const api::ReceiptView& open) { receipt_->show_receipt(open); });
  service_->receipts(
      [this](const std::vector<api::ReceiptView>& past) { receipt_->show_past(past); });
}

void MainWindow::send_message(const QString& body, const QString& content_type) {
  service_->send_message(body, content_type, [this](const api::MessageReceipt& stored) {
    say("Stored message " + QString::number(stored.id));
    load_logbook();
    if (std::exchange(log_in_when_connected_, false)) log_in();
  });
}

void MainWindow::load_logbook() {
  service_->list_messages(0, [this](const std::vector<api::StoredMessage>& messages) {
    messages_->show_logbook(messages);
  });
}

void MainWindow::load_connection() {
  service_->hello([this](const api::Hello& hello) {
    connection_->show_session(service_->last_session(), hello);
  });
}

}  // namespace tlshop::gui
