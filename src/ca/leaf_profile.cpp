#include "ca/leaf_profile.hpp"

#include <algorithm>
#include <cctype>

namespace tlshop::ca {

std::optional<LeafProfile> parse_leaf_profile(std::string_view name) {
  if (name == "server") return LeafProfile::kServer;
  if (name == "client") return LeafProfile::kClient;
  return std::nullopt;
}

std::string_view leaf_profile_name(LeafProfile profile) {
  return profile == LeafProfile::kServer ? "server" : "client";
}

std::string client_uri(const std::string& name) { return "urn:tlshop:client:" + name; }

bool is_valid_client_name(std::string_view name) {
  return !name.empty() && name.size() <= 64 &&
         std::all_of(name.begin(), name.end(), [](unsigned char c) {
           return std::isalnum(c) != 0 || c == '.' || c == '_' || c == '@' || c == '-';
         });
}

}  // namespace tlshop::ca
