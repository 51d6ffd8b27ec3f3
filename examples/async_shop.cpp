// A program that embeds libtlshop's asynchronous client: on one event loop, a coroutine
// says hello and reads the catalog's categories, then asks for every category's first
// page at once and prints each answer as it comes.
//
//   async_shop HOST:PORT root.crt client.crt client.key
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <iostream>
#include <tlshop/async_client.hpp>

namespace asio = boost::asio;
using tlshop::client::Result;

namespace {

asio::awaitable<void> browse(tlshop::client::AsyncClient& client) {
  Result<tlshop::api::Hello> hello = co_await client.async_hello(asio::use_awaitable);
  std::cout << hello.value().greeting << " (" << hello.value().tls_version << ")\n";
  auto categories = co_await client.async_categories(asio::use_awaitable);
  for (const std::string& category : categories.value()) {
    tlshop::client::ItemsQuery query;
    query.category = category;
    // Not awaited: the calls go out one after another and complete in that order.
    client.async_items(query, [category](Result<tlshop::api::ItemsPage> page) {
      if (page) {
        std::size_t count = page.value().items.size();
        std::cout << category << ": " << count << (count == 1 ? " item\n" : " items\n");
      } else {
        std::cerr << category << ": " << page.error().what() << "\n";
      }
    });
  }
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 5) {
    std::cerr << "usage: async_shop HOST:PORT ROOT_CA CLIENT_CERT CLIENT_KEY\n";
    return 2;
  }
  tlshop::client::ConnectionSettings settings;
  settings.set_server(argv[1]);
  settings.ca = argv[2];
  settings.certificate = argv[3];
  settings.key = argv[4];
  try {
    asio::io_context context;
    tlshop::client::AsyncClient client(context.get_executor(), settings);
    int status = 0;
    asio::co_spawn(context, browse(client), [&status](std::exception_ptr failure) {
      try {
        if (failure) std::rethrow_exception(failure);
      } catch (const tlshop::client::ClientError& e) {
        std::cerr << "async_shop: " << e.what() << "\n";
        status = 1;
      }
    });
    context.run();
    return status;
  } catch (const tlshop::client::ClientError& e) {  // the certificate, key or CA
    std::cerr << "async_shop: " << e.what() << "\n";
    return 1;
  }
}
