#include "cli/shop_printing.hpp"

#include <cstdio>
#include <iostream>

#include "shop/money.hpp"

namespace tlshop::cli {

void print_items(const std::vector<api::ItemView>& items, std::size_t first_number) {
  if (first_number != 0) std::printf("%4s  ", "#");
  std::printf("%-6s  %-24s  %-18s  %7s  %14s\n", "SKU", "NAME", "CATEGORY", "STOCK", "PRICE");
  for (std::size_t i = 0; i < items.size(); ++i) {
    const api::ItemView& item = items[i];
    if (first_number != 0) std::printf("%4zu  ", first_number + i);
    std::printf("%-6s  %-24s  %-18s  %7lld  %14s\n", item.sku.c_str(), item.name.c_str(),
                item.category.c_str(), static_cast<long long>(item.stock),
                shop::format_money(item.unit_price, item.currency).c_str());
  }
}

void print_receipt(const api::ReceiptView& receipt) {
  if (receipt.lines.empty()) {
    std::cout << "The receipt is empty.\n";
    return;
  }
  std::cout << "Receipt " << receipt.id
            << (receipt.closed_at.empty() ? " (open)" : " (closed " + receipt.closed_at + ")")
            << "\n";
  std::printf("  %-6s  %-24s  %5s  %14s  %16s\n", "SKU", "ITEM", "QTY", "UNIT PRICE", "LINE TOTAL");
  for (const api::OrderLineView& line : receipt.lines) {
    std::printf("  %-6s  %-24s  %5lld  %14s  %16s\n", line.sku.c_str(), line.name.c_str(),
                static_cast<long long>(line.quantity),
                shop::format_money(line.unit_price, receipt.currency).c_str(),
                shop::format_money(line.line_total, receipt.currency).c_str());
  }
  std::printf("  %-6s  %-24s  %5s  %14s  %16s\n", "", "TOTAL", "", "",
              shop::format_money(receipt.total, receipt.currency).c_str());
}

std::vector<api::ItemView> all_items(client::Client& client, const std::string& category,
                                     const std::string& text) {
  std::vector<api::ItemView> items;
  std::string cursor;
  do {
    api::ItemsPage page = client.items(category, text, 100, cursor);
    items.insert(items.end(), page.items.begin(), page.items.end());
    cursor = page.next_cursor;
  } while (!cursor.empty());
  return items;
}

}  // namespace tlshop::cli
