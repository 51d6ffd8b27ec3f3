#pragma once

#include <string>

namespace tlshop::pki {

// An X509_V_ERR_* result in plain words ("not issued by a trusted CA", not "unable to
// get local issuer certificate"); OpenSSL's own words where they are plain already.
std::string verify_result_words(long result);

// Whether the result means the chain leads to no trusted root: the certificate is
// from another CA, or the trusted file is not the right root.
bool is_unknown_issuer(long result);

}  // namespace tlshop::pki
