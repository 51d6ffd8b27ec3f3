#pragma once

#include <optional>
#include <string>
#include <vector>

#include "tlshop/api/shop_messages.hpp"
#include "tlshop/client.hpp"

namespace tlshop::cli {

// The menu of `tlshop shop`, the original shop's (1 Browse 2 Purchase 3 Receipt 4 Exit)
// on the API. Lists are numbered so an item can be picked by its number; long lists
// come in pages. The end of input (Ctrl-D) at a question goes back to the menu, and at
// the menu ends the session, so the menu also runs from a pipe.
class InteractiveShop {
 public:
  explicit InteractiveShop(client::Client& client) : client_(client) {}

  // Until Exit or the end of input.
  void run();

 private:
  static constexpr std::size_t kPageSize = 10;

  void browse();
  void show_pages(const std::vector<api::ItemView>& items);
  void purchase(std::optional<api::ItemView> chosen = std::nullopt);
  std::optional<api::ItemView> ask_for_item();
  void receipt();

  client::Client& client_;
  std::vector<api::ItemView> shown_;  // the last list shown, numbered from 1
};

}  // namespace tlshop::cli
