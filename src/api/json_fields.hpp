#pragma once

#include <boost/json/value.hpp>
#include <cstdint>
#include <string>
#include <string_view>

namespace tlshop::api {

inline constexpr std::size_t kMaxJsonDepth = 16;

// Parses a JSON object with bounded depth and reads typed fields from it; every
// problem throws tlshop::Error naming the document and the field.
class JsonReader {
 public:
  JsonReader(std::string_view text, std::string what);

  const boost::json::object& root() const { return root_.as_object(); }
  std::string string_at(const boost::json::object& object, std::string_view key) const;
  bool bool_at(const boost::json::object& object, std::string_view key) const;
  std::uint64_t uint_at(const boost::json::object& object, std::string_view key) const;
  // A whole number that fits in 64 bits; 1.5, 1e3, "1" and true are refused.
  std::int64_t int_at(const boost::json::object& object, std::string_view key) const;
  bool has(const boost::json::object& object, std::string_view key) const {
    return object.contains(key);
  }
  const boost::json::object& object_at(const boost::json::object& object,
                                       std::string_view key) const;
  const boost::json::array& array_at(const boost::json::object& object, std::string_view key) const;

 private:
  const boost::json::value& field(const boost::json::object& object, std::string_view key) const;
  [[noreturn]] void fail(std::string_view key, std::string_view expected) const;

  std::string what_;
  boost::json::value root_;
};

}  // namespace tlshop::api
