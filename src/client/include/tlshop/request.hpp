#pragma once

#include <cstddef>
#include <string>
#include <utility>
#include <vector>

namespace tlshop::client {

using Headers = std::vector<std::pair<std::string, std::string>>;

// Any request to the server's HTTP API, for routes the typed calls do not cover.
struct Request {
  std::string method = "GET";
  std::string target;  // "/v1/hello", with the query string if any
  std::string body;
  std::string content_type;
  Headers headers;
};

// The server's answer to a Request, whatever its status.
struct Response {
  unsigned status = 0;
  std::string content_type;
  std::string body;
};

// GET /v1/items: which items, and from where in the list.
struct ItemsQuery {
  std::string category;  // empty: every category
  std::string text;      // words to search for in the item's name
  std::size_t limit = 50;
  std::string cursor;  // a page's next_cursor, for the page after it
};

}  // namespace tlshop::client
