#pragma once

#include <boost/json/object.hpp>
#include <string>
#include <string_view>

namespace tlshop::ca {

// Describes a PEM file holding certificates, a certificate request or a CRL, as JSON
// (for --json) with "type" saying which. Throws tlshop::Error if it holds none of these.
boost::json::object inspect_pem(std::string_view pem, const std::string& source);

// The same description as readable indented text.
std::string render_inspection(const boost::json::object& description);

}  // namespace tlshop::ca
