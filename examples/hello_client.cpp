// A program that embeds libtlshop: says hello to a tlshop server, stores a message and
// lists the messages it has stored.
//
//   hello_client HOST:PORT root.crt client.crt client.key
#include <iostream>
#include <tlshop/client.hpp>

int main(int argc, char** argv) {
  if (argc != 5) {
    std::cerr << "usage: hello_client HOST:PORT ROOT_CA CLIENT_CERT CLIENT_KEY\n";
    return 2;
  }
  tlshop::client::ConnectionSettings settings;
  settings.set_server(argv[1]);
  settings.ca = argv[2];
  settings.certificate = argv[3];
  settings.key = argv[4];
  try {
    tlshop::client::Client client(settings);
    tlshop::api::Hello hello = client.hello();
    std::cout << hello.greeting << " (" << hello.tls_version << ")\n";
    tlshop::api::MessageReceipt receipt =
        client.send_message("<ping from='hello_client'/>", "application/xml");
    std::cout << "stored message " << receipt.id << "\n";
    for (const tlshop::api::StoredMessage& message : client.list_messages()) {
      std::cout << message.id << " " << message.body << "\n";
    }
  } catch (const tlshop::client::ClientError& e) {
    // kind() tells the failures apart: unreachable, refused, untrusted server, ...
    std::cerr << "hello_client: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
