#include "cli/shop_commands.hpp"

#include <boost/json.hpp>
#include <cstdio>
#include <iostream>
#include <memory>

#include "base/error.hpp"
#include "base/files.hpp"
#include "cli/connection_options.hpp"
#include "cli/session_file.hpp"
#include "cli/terminal.hpp"
#include "client/client.hpp"
#include "shop/money.hpp"

namespace tlshop::cli {
namespace {

// A client for the chosen server, with the saved session when the command needs one.
client::Client connect(const ConnectionOptions& options, bool with_session) {
  client::Client client(options.settings());
  if (with_session) {
    std::optional<SavedSession> saved = load_session(client.settings().server());
    if (!saved || saved->token.empty()) {
      throw Error("not logged in to " + client.settings().server() + ": run `tlshop login` first");
    }
    client.set_token(saved->token);
  }
  return client;
}

void print_items(const std::vector<api::ItemView>& items) {
  std::printf("%-6s  %-24s  %-18s  %7s  %14s\n", "SKU", "NAME", "CATEGORY", "STOCK", "PRICE");
  for (const api::ItemView& item : items) {
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

std::string items_json(const std::vector<api::ItemView>& items) {
  return api::to_json(api::ItemsPage{items, ""});
}

void add_login(CLI::App& app, Action& action) {
  struct Options : ConnectionOptions {
    std::string user, password_file;
  };
  auto options = std::make_shared<Options>();
  CLI::App* command =
      app.add_subcommand("login", "log in to the shop; the session is kept for later commands");
  add_connection_options(*command, *options);
  command->add_option("--user", options->user, "user name (asked if not given)")
      ->envname("TLSHOP_USER");
  command->add_option("--password-file", options->password_file,
                      "read the password from this file");
  run_after_parsing(*command, action, [options] {
    std::string user = options->user.empty() ? read_line("User: ") : options->user;
    std::string password = options->password_file.empty()
                               ? read_secret("Password: ")
                               : read_password_file(options->password_file);
    client::Client client = connect(*options, false);
    api::LoginReply reply = client.login(user, password);
    save_session(client.settings().server(), {reply.token, user, reply.expires_at});
    if (options->json) {
      std::cout << boost::json::serialize(
                       boost::json::object{{"server", client.settings().server()},
                                           {"user", user},
                                           {"expires_at", reply.expires_at}})
                << "\n";
    } else {
      std::cout << "logged in to " << client.settings().server() << " as " << user << " until "
                << reply.expires_at << "\n";
    }
  });
}

void add_logout(CLI::App& app, Action& action) {
  auto options = std::make_shared<ConnectionOptions>();
  CLI::App* command = app.add_subcommand("logout", "end the shop session");
  add_connection_options(*command, *options);
  run_after_parsing(*command, action, [options] {
    client::Client client = connect(*options, true);
    std::string server = client.settings().server();
    try {
      client.logout();
    } catch (const client::ClientError& e) {
      if (e.status() != 401) throw;  // already ended on the server
    }
    forget_session(server);
    if (options->json) {
      std::cout << boost::json::serialize(
                       boost::json::object{{"server", server}, {"logged_out", true}})
                << "\n";
    } else {
      std::cout << "logged out of " << server << "\n";
    }
  });
}

void add_catalog_commands(CLI::App& app, Action& action) {
  auto categories = std::make_shared<ConnectionOptions>();
  CLI::App* list = app.add_subcommand("categories", "list the shop's categories");
  add_connection_options(*list, *categories);
  run_after_parsing(*list, action, [categories] {
    client::Client client = connect(*categories, false);
    std::vector<std::string> names = client.categories();
    if (categories->json) {
      std::cout << api::categories_json(names) << "\n";
      return;
    }
    for (const std::string& name : names) std::cout << name << "\n";
  });

  struct ItemOptions : ConnectionOptions {
    std::string category, search;
  };
  auto items = std::make_shared<ItemOptions>();
  CLI::App* browse = app.add_subcommand("items", "list items, all or of one category");
  add_connection_options(*browse, *items);
  browse->add_option("--category", items->category, "only this category");
  browse->add_option("--search", items->search, "only items whose name or sku contains this");
  run_after_parsing(*browse, action, [items] {
    client::Client client = connect(*items, false);
    std::vector<api::ItemView> found = all_items(client, items->category, items->search);
    if (items->json) {
      std::cout << items_json(found) << "\n";
    } else {
      print_items(found);
    }
  });
}

void add_buy(CLI::App& app, Action& action) {
  struct Options : ConnectionOptions {
    std::string sku;
    std::int64_t quantity = 0;
    std::string key;
  };
  auto options = std::make_shared<Options>();
  CLI::App* command = app.add_subcommand("buy", "buy QUANTITY units of the item SKU");
  add_connection_options(*command, *options);
  command->add_option("sku", options->sku, "the item's sku")->required();
  command->add_option("quantity", options->quantity, "how many units")->required();
  command->add_option("--idempotency-key", options->key,
                      "repeat a purchase safely with the same key");
  run_after_parsing(*command, action, [options] {
    client::Client client = connect(*options, true);
    api::OrderLineView line = client.buy(options->sku, options->quantity, options->key);
    if (options->json) {
      std::cout << api::to_json(line) << "\n";
      return;
    }
    api::ReceiptView receipt = client.receipt();
    std::cout << "bought " << line.quantity << " x " << line.name << " for "
              << shop::format_money(line.line_total, receipt.currency) << " (receipt total "
              << shop::format_money(receipt.total, receipt.currency) << ")\n";
  });
}

void add_receipt_commands(CLI::App& app, Action& action) {
  struct Options : ConnectionOptions {
    bool close = false;
  };
  auto options = std::make_shared<Options>();
  CLI::App* command = app.add_subcommand("receipt", "show the open receipt, or close it");
  add_connection_options(*command, *options);
  command->add_flag("--close", options->close,
                    "close the receipt; the next purchase opens a new one");
  run_after_parsing(*command, action, [options] {
    client::Client client = connect(*options, true);
    api::ReceiptView receipt = options->close ? client.close_receipt() : client.receipt();
    if (options->json) {
      std::cout << api::to_json(receipt) << "\n";
    } else {
      print_receipt(receipt);
    }
  });

  auto history = std::make_shared<ConnectionOptions>();
  CLI::App* closed = app.add_subcommand("receipts", "list the closed receipts");
  add_connection_options(*closed, *history);
  run_after_parsing(*closed, action, [history] {
    client::Client client = connect(*history, true);
    std::vector<api::ReceiptView> receipts = client.receipts();
    if (history->json) {
      std::cout << api::receipts_json(receipts) << "\n";
      return;
    }
    for (const api::ReceiptView& receipt : receipts) print_receipt(receipt);
    if (receipts.empty()) std::cout << "No closed receipts.\n";
  });
}

// The original shop's menu: browse, purchase, receipt, exit.
class Menu {
 public:
  explicit Menu(client::Client& client) : client_(client) {}

  void run() {
    while (true) {
      std::cout << "\n1 Browse   2 Purchase   3 Receipt   4 Exit\n";
      std::string choice = read_line("Choice: ");
      try {
        if (choice == "1") {
          browse();
        } else if (choice == "2") {
          purchase();
        } else if (choice == "3") {
          print_receipt(client_.receipt());
        } else if (choice == "4") {
          return;
        } else {
          std::cout << "Choose 1, 2, 3 or 4.\n";
        }
      } catch (const client::ClientError& e) {
        if (e.kind() != client::ClientErrorKind::kServerError) throw;
        std::cout << "Sorry: " << e.what() << "\n";
      }
    }
  }

 private:
  void browse() {
    std::vector<std::string> categories = client_.categories();
    for (std::size_t i = 0; i < categories.size(); ++i)
      std::cout << "  " << i + 1 << " " << categories[i] << "\n";
    std::string pick = read_line("Category number: ");
    std::size_t index = 0;
    try {
      index = std::stoul(pick);
    } catch (const std::exception&) {
    }
    if (index < 1 || index > categories.size()) {
      std::cout << "No such category.\n";
      return;
    }
    print_items(all_items(client_, categories[index - 1], ""));
  }

  void purchase() {
    std::string sku = read_line("SKU: ");
    std::string quantity_text = read_line("Quantity: ");
    std::int64_t quantity = 0;
    try {
      std::size_t used = 0;
      quantity = std::stoll(quantity_text, &used);
      if (used != quantity_text.size()) quantity = 0;
    } catch (const std::exception&) {
    }
    if (quantity < 1) {
      std::cout << "The quantity must be a whole number of at least 1.\n";
      return;
    }
    api::OrderLineView line = client_.buy(sku, quantity);
    std::cout << "Bought " << line.quantity << " x " << line.name << ".\n";
  }

  client::Client& client_;
};

void add_interactive_shop(CLI::App& app, Action& action) {
  struct Options : ConnectionOptions {
    std::string user;
  };
  auto options = std::make_shared<Options>();
  CLI::App* command =
      app.add_subcommand("shop", "the interactive shop: log in, browse, buy, see the receipt");
  add_connection_options(*command, *options);
  command->add_option("--user", options->user, "user name (asked if not given)");
  run_after_parsing(*command, action, [options] {
    client::Client client = connect(*options, false);
    std::cout << "Welcome to tlshop at " << client.settings().server() << "\n";
    std::string user = options->user.empty() ? read_line("User: ") : options->user;
    client.login(user, read_secret("Password: "));
    std::cout << "Hello, " << user << ".\n";
    Menu(client).run();
    print_receipt(client.receipt());
    client.logout();
    std::cout << "Goodbye.\n";
  });
}

}  // namespace

void add_shop_commands(CLI::App& app, Action& action) {
  add_login(app, action);
  add_logout(app, action);
  add_catalog_commands(app, action);
  add_buy(app, action);
  add_receipt_commands(app, action);
  add_interactive_shop(app, action);
}

}  // namespace tlshop::cli
