#pragma once

#include <QLabel>
#include <QListWidget>
#include <QPushButton>
#include <QTableWidget>
#include <QWidget>
#include <vector>

#include "tlshop/api/shop_messages.hpp"

namespace tlshop::gui {

// The open receipt (its lines and total in the shop's currency), closing it, and the
// receipts closed before.
class ReceiptPanel : public QWidget {
  Q_OBJECT

 public:
  explicit ReceiptPanel(QWidget* parent = nullptr);

  void show_receipt(const api::ReceiptView& receipt);
  void show_past(const std::vector<api::ReceiptView>& receipts);
  QString total_text() const { return total_->text(); }

 signals:
  void refreshRequested();
  void closeRequested();

 private:
  QTableWidget* lines_;
  QLabel* total_;
  QPushButton* close_;
  QListWidget* past_;
};

}  // namespace tlshop::gui
