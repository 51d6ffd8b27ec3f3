#include <CLI/CLI.hpp>
#include <iostream>

#include "cli/admin_command.hpp"
#include "cli/bench_command.hpp"
#include "cli/ca_command.hpp"
#include "cli/client_commands.hpp"
#include "cli/command_group.hpp"
#include "cli/documentation_commands.hpp"
#include "cli/parse_errors.hpp"
#include "cli/serve_command.hpp"
#include "cli/shop_commands.hpp"
#include "cli/usage_error.hpp"
#include "pki/private_key.hpp"
#include "tlshop/client_error.hpp"
#include "tlshop/error.hpp"

int main(int argc, char** argv) {
  CLI::App app{"tlshop: a shop served over mutually authenticated TLS, with its own CA", "tlshop"};
  app.set_version_flag("--version", "tlshop " TLSHOP_VERSION);
  tlshop::cli::Action action;
  tlshop::cli::add_ca_command(app, action);
  tlshop::cli::add_serve_command(app, action);
  tlshop::cli::add_client_commands(app, action);
  tlshop::cli::add_shop_commands(app, action);
  tlshop::cli::add_admin_command(app, action);
  tlshop::cli::add_bench_command(app, action);
  tlshop::cli::add_documentation_commands(app, action, "tlshop " TLSHOP_VERSION);
  tlshop::cli::make_command_group(app, "tlshop");
  tlshop::cli::list_exit_codes(app, tlshop::cli::ExitCodes::kNetwork);
  for (const char* offline : {"ca", "admin", "serve", "completion", "manual"}) {
    tlshop::cli::list_exit_codes(*app.get_subcommand(offline), tlshop::cli::ExitCodes::kLocal);
  }
  try {
    app.parse(argc, argv);
    return action ? action() : 0;
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    std::cerr << "tlshop: " << tlshop::cli::describe_parse_error(app, e) << "\n";
    return 2;
  } catch (const tlshop::cli::UsageError& e) {
    std::cerr << "tlshop: " << e.what() << "\n";
    return 2;
  } catch (const tlshop::pki::EncryptedKeyError& e) {
    std::cerr << "tlshop: " << e.what()
              << (app.got_subcommand("ca")
                      ? ": give its password with --password-file FILE\n"
                      : ": this command needs the key unencrypted (kept 0600)\n");
    return 1;
  } catch (const tlshop::client::ClientError& e) {
    std::cerr << "tlshop: " << e.what() << "\n";
    return tlshop::cli::exit_code_for(e);
  } catch (const tlshop::Error& e) {
    std::cerr << "tlshop: " << e.what() << "\n";
    return 1;
  } catch (const std::exception& e) {
    std::cerr << "tlshop: unexpected error: " << e.what() << "\n";
    return 1;
  }
}
