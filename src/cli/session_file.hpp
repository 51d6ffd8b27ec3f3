#pragma once

#include <filesystem>
#include <optional>
#include <string>

namespace tlshop::cli {

// Session tokens kept between commands, one per server, in a file only the user can
// read: $TLSHOP_SESSION_FILE, else $XDG_CONFIG_HOME/tlshop/sessions.json, else
// ~/.config/tlshop/sessions.json. A token only works over the certificate it was
// issued over, so a copied file is of no use without the key.
struct SavedSession {
  std::string token;
  std::string user;
  std::string expires_at;
};

std::filesystem::path session_file();
std::optional<SavedSession> load_session(const std::string& server);
void save_session(const std::string& server, const SavedSession& session);
void forget_session(const std::string& server);

}  // namespace tlshop::cli
