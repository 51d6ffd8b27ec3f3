#include "cli/session_file.hpp"

#include <boost/json.hpp>
#include <cstdlib>

#include "base/files.hpp"
#include "tlshop/error.hpp"

namespace tlshop::cli {
namespace fs = std::filesystem;
namespace json = boost::json;
namespace {

json::object load_all() {
  fs::path path = session_file();
  std::error_code ec;
  if (!fs::exists(path, ec)) return {};
  boost::system::error_code parse_error;
  json::value value = json::parse(read_file(path), parse_error);
  if (parse_error || !value.is_object()) return {};  // a damaged file only costs a new login
  return value.as_object();
}

void save_all(const json::object& sessions) {
  fs::path path = session_file();
  create_directories(path.parent_path(), 0700);
  write_file_atomically(path, json::serialize(sessions) + "\n", kSecretFileMode);
}

}  // namespace

fs::path session_file() {
  if (const char* file = std::getenv("TLSHOP_SESSION_FILE"); file != nullptr && *file != '\0') {
    return file;
  }
  if (const char* xdg = std::getenv("XDG_CONFIG_HOME"); xdg != nullptr && *xdg != '\0') {
    return fs::path(xdg) / "tlshop" / "sessions.json";
  }
  const char* home = std::getenv("HOME");
  if (home == nullptr) throw Error("cannot keep the session: HOME is not set");
  return fs::path(home) / ".config" / "tlshop" / "sessions.json";
}

std::optional<SavedSession> load_session(const std::string& server) {
  json::object sessions = load_all();
  const json::value* entry = sessions.if_contains(server);
  if (entry == nullptr || !entry->is_object()) return std::nullopt;
  const json::object& object = entry->as_object();
  auto text = [&](const char* key) {
    const json::value* value = object.if_contains(key);
    return value != nullptr && value->is_string() ? std::string(value->as_string()) : std::string();
  };
  return SavedSession{text("token"), text("user"), text("expires_at")};
}

void save_session(const std::string& server, const SavedSession& session) {
  json::object sessions = load_all();
  sessions[server] = json::object{
      {"token", session.token}, {"user", session.user}, {"expires_at", session.expires_at}};
  save_all(sessions);
}

void forget_session(const std::string& server) {
  json::object sessions = load_all();
  if (sessions.erase(server) != 0) save_all(sessions);
}

}  // namespace tlshop::cli
