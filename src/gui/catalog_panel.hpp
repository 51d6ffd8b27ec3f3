#pragma once

#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>
#include <QSortFilterProxyModel>
#include <QSpinBox>
#include <QStandardItemModel>
#include <QTableView>
#include <QWidget>
#include <string>
#include <vector>

#include "tlshop/api/shop_messages.hpp"

namespace tlshop::gui {

// The catalog: categories, a sortable table of a category's items (or of a search),
// loaded a page at a time, and the purchase of the selected item, its quantity bounded
// by the stock.
class CatalogPanel : public QWidget {
  Q_OBJECT

 public:
  explicit CatalogPanel(QWidget* parent = nullptr);

  void show_categories(const std::vector<std::string>& categories);
  // A first page replaces the table; a later one (`more`) is added to it.
  void show_items(const api::ItemsPage& page, bool more);
  QString category() const;
  QString search_text() const { return search_->text(); }
  QString next_cursor() const { return next_cursor_; }

 signals:
  void categoryChosen();
  void moreRequested();
  void buyRequested(const QString& sku, qint64 quantity);

 private:
  void selection_changed();

  QListWidget* categories_;
  QLineEdit* search_;
  QStandardItemModel* items_;
  QSortFilterProxyModel* sorted_;
  QTableView* table_;
  QPushButton* more_;
  QSpinBox* quantity_;
  QPushButton* buy_;
  QLabel* chosen_;
  QString next_cursor_;
};

}  // namespace tlshop::gui
