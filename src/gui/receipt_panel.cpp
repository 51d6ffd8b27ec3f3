#include "gui/receipt_panel.hpp"

#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QVBoxLayout>

#include "shop/money.hpp"

namespace tlshop::gui {
namespace {

QString money(std::int64_t amount, const std::string& currency) {
  return QString::fromStdString(shop::format_money(amount, currency));
}

}  // namespace

ReceiptPanel::ReceiptPanel(QWidget* parent) : QWidget(parent) {
  lines_ = new QTableWidget(0, 4, this);
  lines_->setObjectName("receipt_lines");
  lines_->setHorizontalHeaderLabels({"Item", "Quantity", "Unit price", "Line total"});
  lines_->horizontalHeader()->setSectionResizeMode(0, QHeaderView::Stretch);
  lines_->setEditTriggers(QAbstractItemView::NoEditTriggers);
  lines_->verticalHeader()->hide();
  total_ = new QLabel("Nothing bought yet", this);
  total_->setObjectName("receipt_total");
  auto* refresh = new QPushButton("&Refresh", this);
  close_ = new QPushButton("&Close receipt", this);
  close_->setObjectName("close_receipt");
  past_ = new QListWidget(this);
  past_->setObjectName("past_receipts");

  auto* buttons = new QHBoxLayout;
  buttons->addWidget(total_, 1);
  buttons->addWidget(refresh);
  buttons->addWidget(close_);
  auto* open_box = new QGroupBox("Open receipt", this);
  auto* open_layout = new QVBoxLayout(open_box);
  open_layout->addWidget(lines_);
  open_layout->addLayout(buttons);
  auto* past_box = new QGroupBox("Closed receipts", this);
  (new QVBoxLayout(past_box))->addWidget(past_);
  auto* layout = new QVBoxLayout(this);
  layout->addWidget(open_box, 2);
  layout->addWidget(past_box, 1);

  connect(refresh, &QPushButton::clicked, this, &ReceiptPanel::refreshRequested);
  connect(close_, &QPushButton::clicked, this, &ReceiptPanel::closeRequested);
}

void ReceiptPanel::show_receipt(const api::ReceiptView& receipt) {
  lines_->setRowCount(static_cast<int>(receipt.lines.size()));
  int row = 0;
  for (const api::OrderLineView& line : receipt.lines) {
    lines_->setItem(row, 0, new QTableWidgetItem(QString::fromStdString(line.name)));
    int column = 1;
    for (const QString& number :
         {QString::number(line.quantity), money(line.unit_price, receipt.currency),
          money(line.line_total, receipt.currency)}) {
      auto* cell = new QTableWidgetItem(number);
      cell->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
      lines_->setItem(row, column++, cell);
    }
    ++row;
  }
  total_->setText(receipt.lines.empty() ? "Nothing bought yet"
                                        : "Total: " + money(receipt.total, receipt.currency));
  close_->setEnabled(!receipt.lines.empty());
}

void ReceiptPanel::show_past(const std::vector<api::ReceiptView>& receipts) {
  past_->clear();
  for (const api::ReceiptView& receipt : receipts) {
    past_->addItem(QString("#%1  closed %2  %3 lines  %4")
                       .arg(receipt.id)
                       .arg(QString::fromStdString(receipt.closed_at))
                       .arg(receipt.lines.size())
                       .arg(money(receipt.total, receipt.currency)));
  }
}

}  // namespace tlshop::gui
