#pragma once

#include <atomic>
#include <boost/asio/thread_pool.hpp>
#include <memory>

#include "server/connection_table.hpp"
#include "server/json_lines_log.hpp"
#include "server/message_store.hpp"
#include "server/metrics.hpp"
#include "server/repeat_summary.hpp"
#include "server/request_handler.hpp"
#include "server/server_config.hpp"
#include "server/shop_handler.hpp"
#include "server/tls_material.hpp"
#include "shop/shop.hpp"
#include "store/open_store.hpp"

namespace tlshop::server {

// Everything the connections of one server share. Built once at start-up; the only
// state that changes afterwards is thread-safe (atomics, locked logs and stores, the
// TLS snapshot swapped atomically).
struct ServerState {
  explicit ServerState(ServerConfig server_config);

  const ServerConfig config;
  TlsMaterial tls;
  Metrics metrics;
  JsonLinesLog audit;
  JsonLinesLog access;
  // Handshake refusals go to the audit log through this: one line per source, reason and
  // interval, and a count of the rest.
  RepeatSummary refusals;
  std::unique_ptr<shop::Store> store;  // SQLite or PostgreSQL (config.store)
  MessageStore messages;
  shop::Shop shop;
  ShopHandler shop_handler;
  RequestHandler handler;
  ConnectionTable connections;
  // Run requests that block off the event loops: password hashing, and disk writes.
  boost::asio::thread_pool workers;
  boost::asio::thread_pool writers;
  std::atomic<bool> stopping{false};
};

}  // namespace tlshop::server
