#pragma once

#include <string>

namespace tlshop::store {

// A LIKE pattern matching `text` anywhere, its wildcards escaped with a backslash.
inline std::string contains_pattern(const std::string& text) {
  std::string pattern = "%";
  for (char c : text) {
    if (c == '%' || c == '_' || c == '\\') pattern.push_back('\\');
    pattern.push_back(c);
  }
  return pattern + "%";
}

}  // namespace tlshop::store
