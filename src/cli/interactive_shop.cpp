#include "cli/interactive_shop.hpp"

#include <algorithm>
#include <iostream>

#include "cli/shop_printing.hpp"
#include "cli/terminal.hpp"
#include "shop/money.hpp"

namespace tlshop::cli {
namespace {

// A whole number from min to max, or nullopt for anything else.
std::optional<std::int64_t> number_in(const std::string& text, std::int64_t min, std::int64_t max) {
  if (text.empty() || text.size() > 18 ||
      !std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    return std::nullopt;
  }
  std::int64_t value = std::stoll(text);
  if (value < min || value > max) return std::nullopt;
  return value;
}

bool is_not_found(const client::ClientError& error) {
  return error.kind() == client::ClientErrorKind::kServerError && error.status() == 404;
}

}  // namespace

void InteractiveShop::run() {
  while (true) {
    std::cout << "\n1 Browse   2 Purchase   3 Receipt   4 Exit\n";
    std::string choice;
    try {
      choice = read_line("Choice: ");
    } catch (const EndOfInput&) {
      std::cout << "\n";
      return;
    }
    try {
      if (choice == "1") {
        browse();
      } else if (choice == "2") {
        purchase();
      } else if (choice == "3") {
        receipt();
      } else if (choice == "4") {
        return;
      } else {
        std::cout << "Choose 1, 2, 3 or 4.\n";
      }
    } catch (const EndOfInput&) {
      std::cout << "\n";  // back to the menu
    } catch (const client::ClientError& e) {
      if (e.kind() != client::ClientErrorKind::kServerError) throw;
      std::cout << "Sorry: " << e.what() << "\n";
    }
  }
}

void InteractiveShop::browse() {
  std::vector<std::string> categories = client_.categories();
  for (std::size_t i = 0; i < categories.size(); ++i) {
    std::cout << "  " << i + 1 << " " << categories[i] << "\n";
  }
  std::string pick = read_line("Category number, or s to search: ");
  if (pick == "s") {
    std::string text = read_line("Name or SKU contains: ");
    show_pages(all_items(client_, "", text));
    return;
  }
  auto index = number_in(pick, 1, static_cast<std::int64_t>(categories.size()));
  if (!index) {
    std::cout << "No such category.\n";
    return;
  }
  show_pages(all_items(client_, categories[static_cast<std::size_t>(*index - 1)], ""));
}

// One page at a time; an item's number buys it, n and p turn pages, Enter goes back.
void InteractiveShop::show_pages(const std::vector<api::ItemView>& items) {
  shown_ = items;
  if (items.empty()) {
    std::cout << "No items.\n";
    return;
  }
  std::size_t pages = (items.size() + kPageSize - 1) / kPageSize;
  std::size_t page = 0;
  while (true) {
    std::size_t first = page * kPageSize;
    std::size_t count = std::min(kPageSize, items.size() - first);
    print_items({items.begin() + static_cast<std::ptrdiff_t>(first),
                 items.begin() + static_cast<std::ptrdiff_t>(first + count)},
                first + 1);
    std::string hint = pages > 1 ? " (page " + std::to_string(page + 1) + " of " +
                                       std::to_string(pages) + "; n next, p previous)"
                                 : "";
    std::string answer = read_line("Item number to buy, or Enter to go back" + hint + ": ");
    if (answer.empty()) return;
    if (answer == "n" || answer == "p") {
      if (answer == "n" && page + 1 < pages) ++page;
      if (answer == "p" && page > 0) --page;
      continue;
    }
    if (auto number = number_in(answer, 1, static_cast<std::int64_t>(items.size()))) {
      purchase(items[static_cast<std::size_t>(*number - 1)]);
      return;
    }
    std::cout << "No item " << answer << " here.\n";
  }
}

// The item to buy: by its number in the last list, or by its SKU, checked with the
// server before the quantity is asked for.
std::optional<api::ItemView> InteractiveShop::ask_for_item() {
  std::string answer = read_line(shown_.empty() ? "SKU: " : "SKU, or number in the last list: ");
  if (auto number = number_in(answer, 1, static_cast<std::int64_t>(shown_.size()))) {
    return client_.item(shown_[static_cast<std::size_t>(*number - 1)].sku);
  }
  try {
    return client_.item(answer);
  } catch (const client::ClientError& e) {
    if (!is_not_found(e)) throw;
    std::cout << "No item with SKU " << answer << ".\n";
    return std::nullopt;
  }
}

void InteractiveShop::purchase(std::optional<api::ItemView> chosen) {
  std::optional<api::ItemView> item = chosen ? client_.item(chosen->sku) : ask_for_item();
  if (!item) return;
  std::string price = shop::format_money(item->unit_price, item->currency);
  if (item->stock < 1) {
    std::cout << item->name << " (" << price << ") is sold out.\n";
    return;
  }
  std::cout << item->name << ": " << price << ", " << item->stock << " in stock.\n";
  std::string most = std::to_string(item->stock);
  auto quantity = number_in(read_line("Quantity (1 to " + most + "): "), 1, item->stock);
  if (!quantity) {
    std::cout << "The quantity must be a whole number from 1 to " << most << ".\n";
    return;
  }
  api::OrderLineView line = client_.buy(item->sku, *quantity);
  api::ReceiptView receipt = client_.receipt();
  std::cout << "Bought " << line.quantity << " x " << line.name << " at "
            << shop::format_money(line.unit_price, receipt.currency) << ": "
            << shop::format_money(line.line_total, receipt.currency) << ". Receipt total "
            << shop::format_money(receipt.total, receipt.currency) << ".\n";
}

void InteractiveShop::receipt() {
  print_receipt(client_.receipt());
  std::string answer = read_line("c to close it, h for past receipts, Enter to go back: ");
  if (answer == "c") {
    api::ReceiptView closed = client_.close_receipt();
    print_receipt(closed);
    std::cout << (closed.id != 0 ? "Closed; the next purchase opens a new receipt.\n" : "");
  } else if (answer == "h") {
    std::vector<api::ReceiptView> receipts = client_.receipts();
    for (const api::ReceiptView& past : receipts) print_receipt(past);
    if (receipts.empty()) std::cout << "No closed receipts.\n";
  }
}

}  // namespace tlshop::cli
