#include "cli/client_commands.hpp"

#include <boost/json.hpp>
#include <iostream>
#include <iterator>
#include <memory>

#include "base/files.hpp"
#include "cli/connection_options.hpp"
#include "cli/usage_error.hpp"
#include "tlshop/client.hpp"

namespace tlshop::cli {
namespace {

void print_hello(const api::Hello& hello, const client::ConnectionSettings& settings) {
  std::string names;
  for (const std::string& name : hello.alt_names) names += (names.empty() ? "" : ", ") + name;
  std::cout << hello.greeting << "\n"
            << "  server:      " << settings.server() << "\n"
            << "  you are:     " << hello.subject << " (serial " << hello.serial << ")\n"
            << "  issued by:   " << hello.issuer << "\n"
            << "  names:       " << names << "\n"
            << "  valid until: " << hello.not_after << "\n"
            << "  TLS:         " << hello.tls_version << ", " << hello.cipher << ", "
            << (hello.resumed ? "resumed session" : "new session") << "\n";
}

std::string first_line(const std::string& text, std::size_t width) {
  std::string line = text.substr(0, text.find('\n'));
  if (line.size() > width) line = line.substr(0, width - 3) + "...";
  return line;
}

void add_hello(CLI::App& app, Action& action) {
  auto options = std::make_shared<ConnectionOptions>();
  CLI::App* command = app.add_subcommand("hello", "exchange the test message with the server");
  add_connection_options(*command, *options);
  run_after_parsing(*command, action, [options] {
    client::Client client(options->settings());
    api::Hello hello = client.hello();
    if (options->json) {
      std::cout << api::to_json(hello) << "\n";
    } else {
      print_hello(hello, client.settings());
    }
  });
}

void add_message_send(CLI::App& message, Action& action) {
  struct Options : ConnectionOptions {
    std::string text, file, content_type = "text/plain";
  };
  auto options = std::make_shared<Options>();
  CLI::App* command = message.add_subcommand("send", "store a text message on the server");
  add_connection_options(*command, *options);
  auto* text = command->add_option("text", options->text, "the message");
  auto* file =
      command->add_option("--file", options->file, "read the message from a file (- for stdin)");
  text->excludes(file);
  command->add_option("--content-type", options->content_type,
                      "text/plain (default), application/xml, application/json, text/*");
  run_after_parsing(*command, action, [options] {
    std::string body = options->text;
    if (options->file == "-") {
      body.assign(std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>());
    } else if (!options->file.empty()) {
      body = read_file(options->file, 16 << 20);
    }
    if (body.empty()) throw UsageError("no message: give the text, or --file FILE");
    client::Client client(options->settings());
    api::MessageReceipt receipt = client.send_message(body, options->content_type);
    if (options->json) {
      std::cout << api::to_json(receipt) << "\n";
    } else {
      std::cout << "stored message " << receipt.id << " at " << receipt.received_at << "\n";
    }
  });
}

void add_message_list(CLI::App& message, Action& action) {
  struct Options : ConnectionOptions {
    std::uint64_t since = 0;
  };
  auto options = std::make_shared<Options>();
  CLI::App* command = message.add_subcommand("list", "list the messages this client stored");
  add_connection_options(*command, *options);
  command->add_option("--since", options->since, "only messages with a higher id");
  run_after_parsing(*command, action, [options] {
    client::Client client(options->settings());
    std::vector<api::StoredMessage> messages = client.list_messages(options->since);
    if (options->json) {
      std::cout << api::to_json(messages) << "\n";
      return;
    }
    std::printf("%-6s  %-24s  %-18s  %s\n", "ID", "RECEIVED", "TYPE", "MESSAGE");
    for (const api::StoredMessage& m : messages) {
      std::printf("%-6llu  %-24s  %-18s  %s\n", static_cast<unsigned long long>(m.id),
                  m.received_at.c_str(), m.content_type.c_str(), first_line(m.body, 60).c_str());
    }
  });
}

}  // namespace

void add_client_commands(CLI::App& app, Action& action) {
  add_hello(app, action);
  CLI::App* message = app.add_subcommand("message", "send and list messages");
  add_message_send(*message, action);
  add_message_list(*message, action);
  make_command_group(*message, "tlshop message");
}

int exit_code_for(const client::ClientError& error) {
  switch (error.kind()) {
    case client::ClientErrorKind::kUnreachable:
      return 3;
    case client::ClientErrorKind::kTimeout:
      return 4;
    case client::ClientErrorKind::kRefusedByServer:
      return 5;
    case client::ClientErrorKind::kUntrustedServer:
    case client::ClientErrorKind::kHostnameMismatch:
    case client::ClientErrorKind::kPinMismatch:
      return 6;
    case client::ClientErrorKind::kServerError:
      return 7;
    default:
      return 1;
  }
}

}  // namespace tlshop::cli
