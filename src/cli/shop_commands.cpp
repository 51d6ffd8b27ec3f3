#include "cli/shop_commands.hpp"

#include <boost/json.hpp>
#include <cstdio>
#include <iostream>
#include <memory>

#include "base/files.hpp"
#include "cli/connection_options.hpp"
#include "cli/interactive_shop.hpp"
#include "cli/session_file.hpp"
#include "cli/shop_printing.hpp"
#include "cli/terminal.hpp"
#include "shop/money.hpp"
#include "tlshop/client.hpp"
#include "tlshop/error.hpp"

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

constexpr int kPasswordTries = 3;

// Logs in for the interactive shop, asking again after a wrong password.
std::string log_in(client::Client& client, std::string user) {
  if (user.empty()) user = read_line("User: ");
  for (int attempt = 1;; ++attempt) {
    try {
      client.login(user, read_secret("Password: "));
      return user;
    } catch (const client::ClientError& e) {
      if (e.status() != 401 || attempt == kPasswordTries) throw;
      std::cout << "Wrong user name or password; try again.\n";
    }
  }
}

// The saved session of `tlshop login`, if the server still takes it.
std::optional<std::string> resume_session(client::Client& client) {
  std::optional<SavedSession> saved = load_session(client.settings().server());
  if (!saved || saved->token.empty()) return std::nullopt;
  client.set_token(saved->token);
  try {
    client.receipt();
    return saved->user;
  } catch (const client::ClientError& e) {
    if (e.status() != 401) throw;
    client.set_token("");
    return std::nullopt;
  }
}

void add_interactive_shop(CLI::App& app, Action& action) {
  struct Options : ConnectionOptions {
    std::string user;
  };
  auto options = std::make_shared<Options>();
  CLI::App* command =
      app.add_subcommand("shop", "the interactive shop: log in, browse, buy, see the receipt");
  add_connection_options(*command, *options);
  command->add_option("--user", options->user, "user name (asked if not given)")
      ->envname("TLSHOP_USER");
  run_after_parsing(*command, action, [options] {
    client::Client client = connect(*options, false);
    std::cout << "Welcome to tlshop at " << client.settings().server() << "\n";
    // A session saved by `tlshop login` is used and kept; one begun here ends here.
    std::optional<std::string> resumed = resume_session(client);
    std::string user = resumed ? *resumed : log_in(client, options->user);
    std::cout << "Hello, " << user << ".\n";
    InteractiveShop(client).run();
    print_receipt(client.receipt());
    if (!resumed) client.logout();
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
