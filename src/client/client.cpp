#include "tlshop/client.hpp"

#include <boost/asio/io_context.hpp>
#include <chrono>
#include <optional>

#include "client/connection.hpp"
#include "client/operations.hpp"

namespace tlshop::client {

// The blocking client: the asynchronous connection, run on a private event loop until
// each call is answered. The stream's expiry bounds every operation, so a call never
// blocks longer than the timeout.
class Client::Impl {
 public:
  explicit Impl(ConnectionSettings settings)
      : connection_(context_.get_executor(), std::move(settings)) {}
  Impl(const Impl&) = delete;
  Impl& operator=(const Impl&) = delete;

  // Lets the connection end politely (a DTLS session's close_notify frees the server's
  // place for it at once), within a bound.
  ~Impl() {
    connection_.close();
    context_.restart();
    context_.run_for(std::chrono::seconds(1));
  }

  Connection& connection() { return connection_; }

  Response run(Request request) {
    return complete<Response>(std::move(request),
                              [](Result<Response> response) { return response; });
  }

  template <typename T>
  T call(const Operation<T>& operation) {
    return complete<T>(operation.request, [&operation](Result<Response> response) {
      return finish(operation, std::move(response));
    });
  }

 private:
  // Sends the request and runs the loop until `finish` has made a result of the response.
  template <typename T, typename Finish>
  T complete(Request request, Finish finish) {
    std::optional<Result<T>> result;
    connection_.async_request(std::move(request), [&](Result<Response> response) {
      result.emplace(finish(std::move(response)));
    });
    context_.restart();
    context_.run();
    return std::move(*result).value();
  }

  boost::asio::io_context context_{1};  // before the connection, which runs on it
  Connection connection_;
};

Client::Client(ConnectionSettings settings) : impl_(std::make_unique<Impl>(std::move(settings))) {}
Client::~Client() = default;
Client::Client(Client&&) noexcept = default;
Client& Client::operator=(Client&&) noexcept = default;

const ConnectionSettings& Client::settings() const { return impl_->connection().settings(); }

Client::Response Client::request(std::string_view method, std::string_view target,
                                 std::string_view body, std::string_view content_type,
                                 const Headers& headers) {
  return request(Request{std::string(method), std::string(target), std::string(body),
                         std::string(content_type), headers});
}

Client::Response Client::request(Request request) { return impl_->run(std::move(request)); }

api::LoginReply Client::login(const std::string& name, const std::string& password) {
  auto operation = login_operation(name, password);
  operation.on_success = [this](const api::LoginReply& reply) {
    impl_->connection().set_token(reply.token);
  };
  return impl_->call(operation);
}

void Client::set_token(std::string token) { impl_->connection().set_token(std::move(token)); }

std::string Client::token() const { return impl_->connection().token(); }

void Client::logout() {
  auto operation = logout_operation();
  operation.on_success = [this](std::monostate) { impl_->connection().set_token({}); };
  impl_->call(operation);
}

std::vector<std::string> Client::categories() { return impl_->call(categories_operation()); }

api::ItemsPage Client::items(const std::string& category, const std::string& text,
                             std::size_t limit, const std::string& cursor) {
  return items(ItemsQuery{category, text, limit, cursor});
}

api::ItemsPage Client::items(const ItemsQuery& query) {
  return impl_->call(items_operation(query));
}

api::ItemView Client::item(const std::string& sku) { return impl_->call(item_operation(sku)); }

api::OrderLineView Client::buy(const std::string& sku, std::int64_t quantity,
                               std::string idempotency_key) {
  return impl_->call(buy_operation(sku, quantity, std::move(idempotency_key)));
}

api::ReceiptView Client::receipt() { return impl_->call(receipt_operation()); }

api::ReceiptView Client::close_receipt() { return impl_->call(close_receipt_operation()); }

std::vector<api::ReceiptView> Client::receipts() { return impl_->call(receipts_operation()); }

api::Hello Client::hello() { return impl_->call(hello_operation()); }

api::MessageReceipt Client::send_message(const std::string& body, const std::string& content_type) {
  return impl_->call(send_message_operation(body, content_type));
}

std::vector<api::StoredMessage> Client::list_messages(std::uint64_t since) {
  return impl_->call(list_messages_operation(since));
}

}  // namespace tlshop::client
