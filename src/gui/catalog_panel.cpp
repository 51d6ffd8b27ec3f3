#include "gui/catalog_panel.hpp"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QSplitter>
#include <QVBoxLayout>

#include "shop/money.hpp"

namespace tlshop::gui {
namespace {

enum Column { kSku, kName, kCategory, kStock, kPrice, kColumns };

QStandardItem* number_cell(qint64 value, const QString& text) {
  auto* cell = new QStandardItem(text);
  cell->setData(value, Qt::UserRole);  // sorted as a number, not as text
  cell->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
  return cell;
}

}  // namespace

CatalogPanel::CatalogPanel(QWidget* parent) : QWidget(parent) {
  categories_ = new QListWidget(this);
  categories_->setObjectName("categories");
  search_ = new QLineEdit(this);
  search_->setObjectName("search");
  search_->setPlaceholderText("Search all items (Enter)");
  items_ = new QStandardItemModel(0, kColumns, this);
  items_->setHorizontalHeaderLabels({"SKU", "Item", "Category", "Stock", "Price"});
  sorted_ = new QSortFilterProxyModel(this);
  sorted_->setSourceModel(items_);
  sorted_->setSortRole(Qt::UserRole);
  table_ = new QTableView(this);
  table_->setObjectName("items");
  table_->setModel(sorted_);
  table_->setSortingEnabled(true);
  table_->setSelectionBehavior(QAbstractItemView::SelectRows);
  table_->setSelectionMode(QAbstractItemView::SingleSelection);
  table_->setEditTriggers(QAbstractItemView::NoEditTriggers);
  table_->horizontalHeader()->setSectionResizeMode(kName, QHeaderView::Stretch);
  table_->verticalHeader()->hide();
  table_->sortByColumn(kSku, Qt::AscendingOrder);
  more_ = new QPushButton("&More items", this);
  more_->setObjectName("more");
  more_->setEnabled(false);
  quantity_ = new QSpinBox(this);
  quantity_->setObjectName("quantity");
  quantity_->setRange(1, 1);
  buy_ = new QPushButton("&Buy", this);
  buy_->setObjectName("buy");
  buy_->setEnabled(false);
  chosen_ = new QLabel("Choose an item", this);

  auto* purchase = new QHBoxLayout;
  purchase->addWidget(chosen_, 1);
  auto* quantity_label = new QLabel("&Quantity:", this);
  quantity_label->setBuddy(quantity_);
  purchase->addWidget(quantity_label);
  purchase->addWidget(quantity_);
  purchase->addWidget(buy_);
  auto* right = new QWidget(this);
  auto* right_layout = new QVBoxLayout(right);
  right_layout->addWidget(search_);
  right_layout->addWidget(table_, 1);
  right_layout->addWidget(more_);
  right_layout->addLayout(purchase);
  auto* split = new QSplitter(this);
  split->addWidget(categories_);
  split->addWidget(right);
  split->setStretchFactor(1, 3);
  (new QVBoxLayout(this))->addWidget(split);

  connect(categories_, &QListWidget::currentRowChanged, this, [this] {
    search_->clear();
    emit categoryChosen();
  });
  connect(search_, &QLineEdit::returnPressed, this, [this] {
    categories_->clearSelection();
    categories_->setCurrentRow(-1);
    emit categoryChosen();
  });
  connect(more_, &QPushButton::clicked, this, &CatalogPanel::moreRequested);
  connect(table_->selectionModel(), &QItemSelectionModel::selectionChanged, this,
          &CatalogPanel::selection_changed);
  connect(buy_, &QPushButton::clicked, this, [this] {
    QModelIndex row = table_->currentIndex();
    if (!row.isValid()) return;
    emit buyRequested(sorted_->index(row.row(), kSku).data().toString(), quantity_->value());
  });
}

void CatalogPanel::show_categories(const std::vector<std::string>& categories) {
  QSignalBlocker quiet(categories_);
  categories_->clear();
  for (const std::string& category : categories) {
    categories_->addItem(QString::fromStdString(category));
  }
}

void CatalogPanel::show_items(const api::ItemsPage& page, bool more) {
  if (!more) items_->removeRows(0, items_->rowCount());
  for (const api::ItemView& item : page.items) {
    items_->appendRow({new QStandardItem(QString::fromStdString(item.sku)),
                       new QStandardItem(QString::fromStdString(item.name)),
                       new QStandardItem(QString::fromStdString(item.category)),
                       number_cell(item.stock, QString::number(item.stock)),
                       number_cell(item.unit_price, QString::fromStdString(shop::format_money(
                                                        item.unit_price, item.currency)))});
  }
  for (int row = 0; row < items_->rowCount(); ++row) {
    for (int column : {kSku, kName, kCategory}) {
      items_->item(row, column)->setData(items_->item(row, column)->text(), Qt::UserRole);
    }
  }
  next_cursor_ = QString::fromStdString(page.next_cursor);
  more_->setEnabled(!next_cursor_.isEmpty());
  selection_changed();
}

QString CatalogPanel::category() const {
  QListWidgetItem* current = categories_->currentItem();
  return current != nullptr && search_->text().isEmpty() ? current->text() : QString();
}

void CatalogPanel::selection_changed() {
  QModelIndex row = table_->currentIndex();
  bool chosen = row.isValid() && table_->selectionModel()->hasSelection();
  qint64 stock = chosen ? sorted_->index(row.row(), kStock).data(Qt::UserRole).toLongLong() : 0;
  buy_->setEnabled(chosen && stock > 0);
  quantity_->setRange(1, static_cast<int>(std::max<qint64>(1, std::min<qint64>(stock, 1000))));
  chosen_->setText(chosen ? sorted_->index(row.row(), kName).data().toString() + " (" +
                                QString::number(stock) + " in stock)"
                          : "Choose an item");
}

}  // namespace tlshop::gui
