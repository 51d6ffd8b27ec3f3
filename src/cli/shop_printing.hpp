#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "tlshop/api/shop_messages.hpp"
#include "tlshop/client.hpp"

namespace tlshop::cli {

// The shop as the command line shows it: item tables and receipts, prices in the
// shop's currency.

// An item table; numbered from first_number when it is not 0, so items can be picked.
void print_items(const std::vector<api::ItemView>& items, std::size_t first_number = 0);
void print_receipt(const api::ReceiptView& receipt);

// Every item of a category (or all), whose name or sku contains text, page by page.
std::vector<api::ItemView> all_items(client::Client& client, const std::string& category,
                                     const std::string& text);

}  // namespace tlshop::cli
