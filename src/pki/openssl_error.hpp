#pragma once

#include <string>

namespace tlshop::pki {

// Takes OpenSSL's error queue, returning the most specific reason it holds (or "" if
// none) and leaving the queue empty for the next operation.
std::string take_openssl_error();

// Throws tlshop::Error("<what>: <OpenSSL's reason>").
[[noreturn]] void throw_openssl_error(const std::string& what);

}  // namespace tlshop::pki
