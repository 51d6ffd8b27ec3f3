// The asynchronous client against a real `tlshop serve`, which tests/cli/library_test.py
// starts and stocks before running these tests with its address in the environment:
// TLSHOP_TEST_SERVER, TLSHOP_TEST_CA, TLSHOP_TEST_CERT, TLSHOP_TEST_KEY,
// TLSHOP_TEST_PASSWORD (of the user alice), and an item of its own, sku A1 in the
// category "Async", 10 in stock at 2500. TLSHOP_TEST_TRANSPORT=udp runs them over UDP.
#include "tlshop/async_client.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <boost/asio/bind_executor.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/use_future.hpp>
#include <cstdlib>
#include <future>
#include <numeric>
#include <optional>
#include <thread>

namespace tlshop::client {
namespace {
namespace asio = boost::asio;

std::string environment(const char* name) {
  const char* value = std::getenv(name);
  return value != nullptr ? value : "";
}

class AsyncClientTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (environment("TLSHOP_TEST_SERVER").empty()) {
      GTEST_SKIP() << "run by tests/cli/library_test.py, which starts the server";
    }
  }

  static ConnectionSettings alice() {
    ConnectionSettings settings;
    settings.set_server(environment("TLSHOP_TEST_SERVER"));
    settings.ca = environment("TLSHOP_TEST_CA");
    settings.certificate = environment("TLSHOP_TEST_CERT");
    settings.key = environment("TLSHOP_TEST_KEY");
    settings.timeout = std::chrono::seconds(10);
    if (environment("TLSHOP_TEST_TRANSPORT") == "udp") settings.transport = Transport::kUdp;
    return settings;
  }

  asio::io_context context;
};

TEST_F(AsyncClientTest, ACallbackGetsTheResultOnTheClientsEventLoop) {
  AsyncClient client(context.get_executor(), alice());
  std::optional<Result<api::Hello>> hello;
  std::thread::id ran_on;
  client.async_hello([&](Result<api::Hello> result) {
    ran_on = std::this_thread::get_id();
    hello.emplace(std::move(result));
  });
  EXPECT_FALSE(hello) << "a completion handler never runs inside the call that starts it";
  context.run();
  ASSERT_TRUE(hello && *hello) << (hello ? hello->error().what() : "no result");
  EXPECT_EQ(hello->value().greeting, "Hello CN=alice, this is tlshop.");
  EXPECT_EQ(ran_on, std::this_thread::get_id());
}

TEST_F(AsyncClientTest, AFutureWaitsForTheCallOnAnotherThread) {
  auto work = asio::make_work_guard(context);
  std::thread loop([&] { context.run(); });
  AsyncClient client(context.get_executor(), alice());
  std::future<Result<std::vector<std::string>>> categories =
      client.async_categories(asio::use_future);
  Result<std::vector<std::string>> result = categories.get();
  work.reset();
  loop.join();
  ASSERT_TRUE(result) << result.error().what();
  EXPECT_NE(std::find(result.value().begin(), result.value().end(), "Async"), result.value().end());
}

// Logs in, buys, reads the receipt and logs out in one coroutine, as a program written
// with co_await would.
asio::awaitable<void> shop_as_alice(AsyncClient& client, std::vector<std::string>& log) {
  auto login = co_await client.async_login("alice", environment("TLSHOP_TEST_PASSWORD"),
                                           asio::use_awaitable);
  log.push_back(login ? "logged in" : login.error().what());
  // A named query: GCC 12 destroys a braced temporary in a co_await expression twice.
  ItemsQuery shoes{"Async", "", 10, ""};
  auto page = co_await client.async_items(shoes, asio::use_awaitable);
  for (const auto& item : page.value().items) log.push_back(item.sku + " " + item.name);
  auto line = co_await client.async_buy("A1", 2, "", asio::use_awaitable);
  log.push_back("bought " + std::to_string(line.value().quantity));
  auto unknown = co_await client.async_buy("nosuch", 1, "", asio::use_awaitable);
  log.push_back(unknown ? "bought nosuch" : std::to_string(unknown.error().status()));
  auto receipt = co_await client.async_receipt(asio::use_awaitable);
  log.push_back("total " + std::to_string(receipt.value().total));
  auto closed = co_await client.async_close_receipt(asio::use_awaitable);
  log.push_back(closed ? "closed" : closed.error().what());
  auto logout = co_await client.async_logout(asio::use_awaitable);
  log.push_back(logout ? "logged out" : logout.error().what());
}

TEST_F(AsyncClientTest, ACoroutineShopsWithCoAwait) {
  AsyncClient client(context.get_executor(), alice());
  std::vector<std::string> log;
  std::exception_ptr failure;
  asio::co_spawn(context, shop_as_alice(client, log),
                 [&](std::exception_ptr error) { failure = error; });
  context.run();
  if (failure) std::rethrow_exception(failure);
  EXPECT_EQ(log, (std::vector<std::string>{"logged in", "A1 boots", "bought 2", "404", "total 5000",
                                           "closed", "logged out"}));
  EXPECT_EQ(client.token(), "");
}

TEST_F(AsyncClientTest, AWrongPasswordIsAResultWithTheServersError) {
  AsyncClient client(context.get_executor(), alice());
  std::optional<Result<api::LoginReply>> login;
  client.async_login("alice", "not the password", [&](auto result) { login.emplace(result); });
  context.run();
  ASSERT_TRUE(login);
  ASSERT_FALSE(*login);
  EXPECT_EQ(login->error_code(), ClientErrorKind::kServerError);
  EXPECT_EQ(login->error().status(), 401u);
  EXPECT_EQ(client.token(), "");
}

TEST_F(AsyncClientTest, CallsStartedTogetherCompleteInTheOrderTheyWereMade) {
  AsyncClient client(context.get_executor(), alice());
  std::vector<int> completed;
  for (int i = 0; i < 20; ++i) {
    client.async_list_messages(0, [&completed, i](auto result) {
      EXPECT_TRUE(result) << result.error().what();
      completed.push_back(i);
    });
  }
  context.run();
  std::vector<int> expected(20);
  std::iota(expected.begin(), expected.end(), 0);
  EXPECT_EQ(completed, expected);
}

TEST_F(AsyncClientTest, CallsFromManyThreadsShareTheConnectionSafely) {
  auto work = asio::make_work_guard(context);
  std::thread loop([&] { context.run(); });
  AsyncClient client(context.get_executor(), alice());
  std::vector<std::thread> callers;
  std::atomic<int> answered{0};
  for (int t = 0; t < 4; ++t) {
    callers.emplace_back([&] {
      for (int i = 0; i < 10; ++i) {
        if (client.async_hello(asio::use_future).get()) ++answered;
      }
    });
  }
  for (auto& caller : callers) caller.join();
  work.reset();
  loop.join();
  EXPECT_EQ(answered.load(), 40);
}

TEST_F(AsyncClientTest, ClosingTheClientCancelsWhatIsNotYetAnswered) {
  std::vector<std::error_code> outcomes;
  {
    AsyncClient client(context.get_executor(), alice());
    for (int i = 0; i < 3; ++i) {
      client.async_hello([&](auto result) { outcomes.push_back(result.error_code()); });
    }
  }
  context.run();
  EXPECT_EQ(outcomes, std::vector<std::error_code>(3, ClientErrorKind::kCancelled));
}

TEST_F(AsyncClientTest, TheHandlersOwnExecutorRunsItAndWaitsForIt) {
  ConnectionSettings settings = alice();
  settings.port = 1;  // nothing listens there
  auto work = asio::make_work_guard(context);
  std::thread loop([&] { context.run(); });
  AsyncClient client(context.get_executor(), settings);
  asio::io_context callers_context;
  std::optional<Result<api::Hello>> hello;
  client.async_hello(
      asio::bind_executor(callers_context, [&](auto result) { hello.emplace(result); }));
  // The call keeps callers_context from running out of work until its handler has run.
  callers_context.run();
  work.reset();
  loop.join();
  ASSERT_TRUE(hello);
  EXPECT_EQ(hello->error_code(), ClientErrorKind::kUnreachable);
}

}  // namespace
}  // namespace tlshop::client
