#include "cli/admin_command.hpp"

#include <iostream>
#include <memory>

#include "base/files.hpp"
#include "cli/store_option.hpp"
#include "cli/terminal.hpp"
#include "cli/usage_error.hpp"
#include "server/server_config.hpp"
#include "shop/default_seed_catalog.hpp"
#include "shop/seed_catalog.hpp"
#include "shop/shop.hpp"
#include "store/open_store.hpp"
#include "store/postgres.hpp"
#include "store/sqlite_import.hpp"
#include "tls/ticket_keys.hpp"
#include "tlshop/error.hpp"

namespace tlshop::cli {
namespace {

class AdminOptions {
 public:
  std::string data_dir, config, store;

  // The server's settings with the data directory and store this command was given.
  server::ServerConfig server() const {
    server::ServerConfig server =
        config.empty() ? server::ServerConfig{} : server::load_server_config(config);
    if (!data_dir.empty()) server.data_dir = data_dir;
    if (!store.empty()) server.store = store;
    store::check_store_url(server.store);
    return server;
  }

  struct Opened {
    std::unique_ptr<shop::Store> store;
    std::unique_ptr<shop::Shop> shop;
  };
  // The shop in the data directory or the database. A mistyped directory must not
  // quietly become a new, empty shop, so only `init` creates one.
  Opened open() const {
    server::ServerConfig settings = server();
    if (settings.store_choice().is_postgresql()) return open_with(settings);
    std::error_code ec;
    if (std::filesystem::is_directory(settings.data_dir, ec)) {
      require_writable_directory(settings.data_dir, "the data directory");
    }
    if (!std::filesystem::exists(settings.database_file(), ec)) {
      std::string dir = settings.data_dir.string();
      throw Error("no shop in " + dir +
                  ": give the server's --data-dir or --config, or make a new shop with "
                  "'tlshop admin --data-dir " +
                  dir + " init'");
    }
    return open_with(settings);
  }

  // A new shop with the default catalog, as the server makes on its first start.
  Opened create() const {
    server::ServerConfig settings = server();
    store::StoreChoice choice = settings.store_choice();
    std::error_code ec;
    if (!choice.is_postgresql()) {
      if (std::filesystem::exists(settings.database_file(), ec)) {
        throw Error(settings.data_dir.string() + " already holds a shop");
      }
      create_directories(settings.data_dir, 0700);
    }
    Opened opened = open_with(settings);
    if (choice.is_postgresql() && opened.store->item_count() > 0) {
      throw Error(choice.describe() + " already holds a shop");
    }
    opened.shop->seed_if_empty(shop::parse_seed_catalog(shop::default_seed_catalog_csv()));
    return opened;
  }

 private:
  static Opened open_with(const server::ServerConfig& settings) {
    Opened opened;
    opened.store = store::open_store(settings.store_choice());
    opened.shop = std::make_unique<shop::Shop>(*opened.store, settings.shop_settings());
    return opened;
  }
};

// The offline administrator: whoever may write the data directory.
const shop::User kOfflineAdmin{0, "(offline)", shop::Role::kAdmin, ""};

struct PasswordSource {
  std::string file;
  bool generate = false;

  void add_to(CLI::App& command) {
    command.add_option("--password-file", file, "file whose first line is the password");
    command.add_flag("--generate-password", generate, "make a strong password and print it once");
  }
  std::string password() const {
    if (generate) return generate_password();
    if (!file.empty()) return read_password_file(file);
    std::string first = read_secret("New password: ");
    if (read_secret("Again: ") != first) throw Error("the two passwords differ");
    return first;
  }
};

void add_user_commands(CLI::App& admin, const std::shared_ptr<AdminOptions>& options,
                       Action& action) {
  CLI::App* user = admin.add_subcommand("user", "shop users");
  struct AddOptions {
    std::string name, role = "customer";
    PasswordSource password;
  };
  auto add = std::make_shared<AddOptions>();
  CLI::App* add_command = user->add_subcommand("add", "add a user");
  add_command->add_option("name", add->name, "user name")->required();
  add_command->add_option("--role", add->role, "customer (default) or admin");
  add->password.add_to(*add_command);
  run_after_parsing(*add_command, action, [options, add] {
    auto role = shop::parse_role(add->role);
    if (!role) throw UsageError("--role must be customer or admin");
    std::string password = add->password.password();
    auto opened = options->open();
    opened.shop->add_user(add->name, *role, password);
    std::cout << "added " << add->role << " " << add->name << "\n";
    if (add->password.generate) std::cout << "password: " << password << "\n";
  });

  struct ResetOptions {
    std::string name;
    PasswordSource password;
  };
  auto reset = std::make_shared<ResetOptions>();
  CLI::App* reset_command =
      user->add_subcommand("reset-password", "set a user's password (ends their sessions)");
  reset_command->add_option("name", reset->name, "user name")->required();
  reset->password.add_to(*reset_command);
  run_after_parsing(*reset_command, action, [options, reset] {
    std::string password = reset->password.password();
    options->open().shop->reset_password(reset->name, password);
    std::cout << "password of " << reset->name << " changed\n";
    if (reset->password.generate) std::cout << "password: " << password << "\n";
  });
  make_command_group(*user, "tlshop admin user");
}

void add_item_commands(CLI::App& admin, const std::shared_ptr<AdminOptions>& options,
                       Action& action) {
  CLI::App* item = admin.add_subcommand("item", "the catalog");
  auto added = std::make_shared<shop::Item>();
  CLI::App* add = item->add_subcommand("add", "add an item");
  add->add_option("sku", added->sku, "stock keeping unit")->required();
  add->add_option("--name", added->name, "item name")->required();
  add->add_option("--category", added->category, "category")->required();
  add->add_option("--stock", added->stock, "units in stock")->required();
  add->add_option("--price", added->unit_price, "unit price in the smallest currency unit")
      ->required();
  run_after_parsing(*add, action, [options, added] {
    options->open().shop->add_item(kOfflineAdmin, *added);
    std::cout << "added item " << added->sku << "\n";
  });

  auto change = std::make_shared<std::pair<std::string, std::int64_t>>();
  CLI::App* price = item->add_subcommand("price", "change an item's unit price");
  price->add_option("sku", change->first, "stock keeping unit")->required();
  price->add_option("price", change->second, "new unit price in the smallest currency unit")
      ->required();
  run_after_parsing(*price, action, [options, change] {
    options->open().shop->set_price(kOfflineAdmin, change->first, change->second);
    std::cout << "price of " << change->first << " is now " << change->second << "\n";
  });

  auto restock = std::make_shared<std::pair<std::string, std::int64_t>>();
  CLI::App* more = item->add_subcommand("restock", "add units to an item's stock");
  more->add_option("sku", restock->first, "stock keeping unit")->required();
  more->add_option("units", restock->second, "units to add")->required();
  run_after_parsing(*more, action, [options, restock] {
    auto opened = options->open();
    opened.shop->restock(kOfflineAdmin, restock->first, restock->second);
    std::cout << restock->first << " has " << opened.shop->item(restock->first).stock
              << " in stock\n";
  });
  make_command_group(*item, "tlshop admin item");
}

void add_store_commands(CLI::App& admin, const std::shared_ptr<AdminOptions>& options,
                        Action& action) {
  CLI::App* migrate = admin.add_subcommand(
      "migrate", "bring the shop's schema up to date (a server does it when it starts)");
  run_after_parsing(*migrate, action, [options] {
    options->open();
    std::cout << "the schema of " << options->server().store_choice().describe()
              << " is up to date\n";
  });

  auto file = std::make_shared<std::string>();
  CLI::App* import = admin.add_subcommand(
      "import-sqlite", "move a SQLite shop (DATA_DIR/shop.db) into an empty PostgreSQL shop");
  import->add_option("file", *file, "the SQLite shop: a server's DATA_DIR/shop.db")->required();
  run_after_parsing(*import, action, [options, file] {
    store::StoreChoice target = options->server().store_choice();
    if (!target.is_postgresql()) {
      throw UsageError("import-sqlite needs --store postgresql://... (or 'store' in --config)");
    }
    store::PostgresConnection connection(target.url);
    for (const auto& [table, rows] : store::import_sqlite_shop(*file, connection)) {
      std::cout << table << ": " << rows << "\n";
    }
    std::cout << "moved " << *file << " into " << target.describe() << "\n";
  });

  auto keys = std::make_shared<std::string>();
  CLI::App* rotate = admin.add_subcommand(
      "rotate-ticket-keys",
      "make or rotate the session ticket keys servers share (tls.ticket_keys): a new key "
      "first, the previous one still accepted");
  rotate->add_option("file", *keys, "the key file (made owner-only if missing)")->required();
  run_after_parsing(*rotate, action, [keys] {
    std::size_t held = tls::TicketKeys::rotate(*keys);
    std::cout << *keys << " holds " << held << (held == 1 ? " key" : " keys")
              << ", the new one first; give every server the same file\n";
  });
}

}  // namespace

void add_admin_command(CLI::App& app, Action& action) {
  auto options = std::make_shared<AdminOptions>();
  CLI::App* admin = app.add_subcommand("admin", "offline administration of the server's data");
  admin->add_option("--data-dir", options->data_dir,
                    "the server's data directory (default tlshop-data)");
  admin->add_option("--config", options->config,
                    "read the data directory and store from this server config");
  add_store_option(*admin, options->store);
  CLI::App* init = admin->add_subcommand(
      "init", "make a new shop in the data directory or database, with the default catalog");
  run_after_parsing(*init, action, [options] {
    options->create();
    server::ServerConfig settings = options->server();
    std::cout << "made a shop in "
              << (settings.store.empty() ? settings.data_dir.string()
                                         : settings.store_choice().describe())
              << "\n";
  });
  add_store_commands(*admin, options, action);
  add_user_commands(*admin, options, action);
  add_item_commands(*admin, options, action);
  make_command_group(*admin, "tlshop admin");
}

}  // namespace tlshop::cli
