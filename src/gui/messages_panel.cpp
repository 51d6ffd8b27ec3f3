#include "gui/messages_panel.hpp"

#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QPushButton>
#include <QShortcut>
#include <QVBoxLayout>

namespace tlshop::gui {
namespace {

// A starting document for each format, as a device would report.
QString example_of(const QString& content_type) {
  return content_type == "application/json"
             ? "{\"device\": \"thermostat-7\", \"temperature\": 21.5}"
             : "<report device=\"thermostat-7\"><temperature>21.5</temperature></report>";
}

}  // namespace

MessagesPanel::MessagesPanel(QWidget* parent) : QWidget(parent) {
  format_ = new QComboBox(this);
  format_->setObjectName("message_format");
  format_->addItem("XML", "application/xml");
  format_->addItem("JSON", "application/json");
  body_ = new QPlainTextEdit(example_of("application/xml"), this);
  body_->setObjectName("message_body");
  auto* send = new QPushButton("&Send message", this);
  send->setObjectName("send_message");
  send->setToolTip("Ctrl+Return");
  logbook_ = new QTableWidget(0, 4, this);
  logbook_->setObjectName("logbook");
  logbook_->setHorizontalHeaderLabels({"Id", "Received", "Type", "Message"});
  logbook_->horizontalHeader()->setSectionResizeMode(3, QHeaderView::Stretch);
  logbook_->setEditTriggers(QAbstractItemView::NoEditTriggers);
  logbook_->verticalHeader()->hide();
  auto* refresh = new QPushButton("Re&fresh logbook", this);

  auto* compose = new QGroupBox("New message", this);
  auto* compose_layout = new QVBoxLayout(compose);
  auto* row = new QHBoxLayout;
  row->addWidget(format_);
  row->addStretch();
  row->addWidget(send);
  compose_layout->addWidget(body_);
  compose_layout->addLayout(row);
  auto* book = new QGroupBox("Logbook: this client's stored messages", this);
  auto* book_layout = new QVBoxLayout(book);
  book_layout->addWidget(logbook_);
  book_layout->addWidget(refresh, 0, Qt::AlignRight);
  auto* layout = new QVBoxLayout(this);
  layout->addWidget(compose, 1);
  layout->addWidget(book, 2);

  auto send_it = [this] {
    emit sendRequested(body_->toPlainText(), format_->currentData().toString());
  };
  connect(send, &QPushButton::clicked, this, send_it);
  connect(new QShortcut(QKeySequence(Qt::CTRL | Qt::Key_Return), body_), &QShortcut::activated,
          this, send_it);
  connect(refresh, &QPushButton::clicked, this, &MessagesPanel::refreshRequested);
  connect(format_, &QComboBox::currentIndexChanged, this,
          [this] { body_->setPlainText(example_of(format_->currentData().toString())); });
}

void MessagesPanel::show_logbook(const std::vector<api::StoredMessage>& messages) {
  logbook_->setRowCount(static_cast<int>(messages.size()));
  int row = 0;
  for (const api::StoredMessage& message : messages) {
    logbook_->setItem(row, 0, new QTableWidgetItem(QString::number(message.id)));
    logbook_->setItem(row, 1, new QTableWidgetItem(QString::fromStdString(message.received_at)));
    logbook_->setItem(row, 2, new QTableWidgetItem(QString::fromStdString(message.content_type)));
    logbook_->setItem(row, 3, new QTableWidgetItem(QString::fromStdString(message.body)));
    ++row;
  }
}

}  // namespace tlshop::gui
