#include "tlshop/async_client.hpp"

#include <boost/asio/associated_executor.hpp>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/execution/outstanding_work.hpp>
#include <boost/asio/prefer.hpp>

#include "client/connection.hpp"
#include "client/operations.hpp"

namespace tlshop::client {
namespace asio = boost::asio;

class AsyncClient::Impl {
 public:
  Impl(const asio::any_io_executor& executor, ConnectionSettings settings)
      : connection(executor, std::move(settings)) {}
  ~Impl() { connection.close(); }

  // Sends the operation's request; when it is answered, hands its result to `handler` on
  // the handler's executor, which is kept from running out of work until then.
  template <typename T, typename Finish>
  void start(Request request, Handler<T> handler, Finish finish) {
    auto work = asio::prefer(asio::get_associated_executor(handler, connection.executor()),
                             asio::execution::outstanding_work.tracked);
    connection.async_request(
        std::move(request), [handler = std::move(handler), work = std::move(work),
                             finish = std::move(finish)](Result<Response> response) mutable {
          asio::dispatch(
              work, [handler = std::move(handler), result = finish(std::move(response))]() mutable {
                std::move(handler)(std::move(result));
              });
        });
  }

  template <typename T>
  void start(Operation<T> operation, Handler<T> handler) {
    Request request = operation.request;
    start<T>(std::move(request), std::move(handler),
             [operation = std::move(operation)](Result<Response> response) {
               return finish(operation, std::move(response));
             });
  }

  Connection connection;
};

AsyncClient::AsyncClient(executor_type executor, ConnectionSettings settings)
    : impl_(std::make_unique<Impl>(executor, std::move(settings))) {}
AsyncClient::~AsyncClient() = default;
AsyncClient::AsyncClient(AsyncClient&&) noexcept = default;
AsyncClient& AsyncClient::operator=(AsyncClient&&) noexcept = default;

AsyncClient::executor_type AsyncClient::get_executor() const {
  return impl_->connection.executor();
}

const ConnectionSettings& AsyncClient::settings() const { return impl_->connection.settings(); }

void AsyncClient::close() { impl_->connection.close(); }

void AsyncClient::set_token(std::string token) { impl_->connection.set_token(std::move(token)); }

std::string AsyncClient::token() const { return impl_->connection.token(); }

void AsyncClient::start_hello(Handler<api::Hello> handler) {
  impl_->start(hello_operation(), std::move(handler));
}

void AsyncClient::start_send_message(std::string body, std::string content_type,
                                     Handler<api::MessageReceipt> handler) {
  impl_->start(send_message_operation(std::move(body), std::move(content_type)),
               std::move(handler));
}

void AsyncClient::start_list_messages(std::uint64_t since,
                                      Handler<std::vector<api::StoredMessage>> handler) {
  impl_->start(list_messages_operation(since), std::move(handler));
}

void AsyncClient::start_login(const std::string& name, const std::string& password,
                              Handler<api::LoginReply> handler) {
  auto operation = login_operation(name, password);
  operation.on_success = [connection = impl_->connection](const api::LoginReply& reply) {
    connection.set_token(reply.token);
  };
  impl_->start(std::move(operation), std::move(handler));
}

void AsyncClient::start_logout(Handler<std::monostate> handler) {
  auto operation = logout_operation();
  operation.on_success = [connection = impl_->connection](std::monostate) {
    connection.set_token({});
  };
  impl_->start(std::move(operation), std::move(handler));
}

void AsyncClient::start_categories(Handler<std::vector<std::string>> handler) {
  impl_->start(categories_operation(), std::move(handler));
}

void AsyncClient::start_items(const ItemsQuery& query, Handler<api::ItemsPage> handler) {
  impl_->start(items_operation(query), std::move(handler));
}

void AsyncClient::start_item(const std::string& sku, Handler<api::ItemView> handler) {
  impl_->start(item_operation(sku), std::move(handler));
}

void AsyncClient::start_buy(const std::string& sku, std::int64_t quantity,
                            std::string idempotency_key, Handler<api::OrderLineView> handler) {
  impl_->start(buy_operation(sku, quantity, std::move(idempotency_key)), std::move(handler));
}

void AsyncClient::start_receipt(Handler<api::ReceiptView> handler) {
  impl_->start(receipt_operation(), std::move(handler));
}

void AsyncClient::start_close_receipt(Handler<api::ReceiptView> handler) {
  impl_->start(close_receipt_operation(), std::move(handler));
}

void AsyncClient::start_receipts(Handler<std::vector<api::ReceiptView>> handler) {
  impl_->start(receipts_operation(), std::move(handler));
}

void AsyncClient::start_request(Request request, Handler<Response> handler) {
  impl_->start<Response>(std::move(request), std::move(handler),
                         [](Result<Response> response) { return response; });
}

}  // namespace tlshop::client
