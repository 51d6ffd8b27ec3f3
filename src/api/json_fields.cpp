#include "api/json_fields.hpp"

#include <boost/json.hpp>

#include "tlshop/error.hpp"

namespace tlshop::api {
namespace json = boost::json;

JsonReader::JsonReader(std::string_view text, std::string what) : what_(std::move(what)) {
  json::parse_options options;
  options.max_depth = kMaxJsonDepth;
  boost::system::error_code ec;
  root_ = json::parse(text, ec, {}, options);
  if (ec) throw Error("malformed " + what_ + ": " + ec.message());
  if (!root_.is_object()) throw Error("malformed " + what_ + ": not a JSON object");
}

const json::value& JsonReader::field(const json::object& object, std::string_view key) const {
  const json::value* value = object.if_contains(key);
  if (value == nullptr)
    throw Error("malformed " + what_ + ": missing \"" + std::string(key) + "\"");
  return *value;
}

void JsonReader::fail(std::string_view key, std::string_view expected) const {
  throw Error("malformed " + what_ + ": \"" + std::string(key) + "\" must be " +
              std::string(expected));
}

std::string JsonReader::string_at(const json::object& object, std::string_view key) const {
  const json::value& value = field(object, key);
  if (!value.is_string()) fail(key, "a string");
  return std::string(value.as_string());
}

bool JsonReader::bool_at(const json::object& object, std::string_view key) const {
  const json::value& value = field(object, key);
  if (!value.is_bool()) fail(key, "true or false");
  return value.as_bool();
}

std::uint64_t JsonReader::uint_at(const json::object& object, std::string_view key) const {
  const json::value& value = field(object, key);
  if (value.is_uint64()) return value.as_uint64();
  if (value.is_int64() && value.as_int64() >= 0)
    return static_cast<std::uint64_t>(value.as_int64());
  fail(key, "a non-negative integer");
}

std::int64_t JsonReader::int_at(const json::object& object, std::string_view key) const {
  const json::value& value = field(object, key);
  if (value.is_int64()) return value.as_int64();
  fail(key, "a whole number within 64 bits");
}

const json::object& JsonReader::object_at(const json::object& object, std::string_view key) const {
  const json::value& value = field(object, key);
  if (!value.is_object()) fail(key, "an object");
  return value.as_object();
}

const json::array& JsonReader::array_at(const json::object& object, std::string_view key) const {
  const json::value& value = field(object, key);
  if (!value.is_array()) fail(key, "an array");
  return value.as_array();
}

}  // namespace tlshop::api
