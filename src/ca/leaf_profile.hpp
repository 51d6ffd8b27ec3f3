#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace tlshop::ca {

// What a leaf certificate is for. The profile alone decides the extensions a leaf gets.
enum class LeafProfile { kServer, kClient };

std::optional<LeafProfile> parse_leaf_profile(std::string_view name);
std::string_view leaf_profile_name(LeafProfile profile);

// The subjectAltName URI naming a client: "urn:tlshop:client:NAME".
std::string client_uri(const std::string& name);

// Client names: 1 to 64 of [A-Za-z0-9._@-]; server names: a DNS name or an IP address.
bool is_valid_client_name(std::string_view name);

}  // namespace tlshop::ca
