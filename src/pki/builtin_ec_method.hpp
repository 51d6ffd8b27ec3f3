#pragma once

#include <string>

namespace tlshop::pki {

// OpenSSL 3.0 turns the public key of every certificate it parses (each one a TLS peer
// sends) into an EVP_PKEY through its decoder framework, which enumerates every decoder
// and key manager of the loaded providers, with locks and allocations for each: about
// 250 µs per P-256 certificate here, more than two signature verifications. OpenSSL
// keeps its built-in EC method (the one 1.1.1 used) and decodes with it, skipping that
// search, when an ENGINE offers it for EC keys.
//
// use_builtin_ec_method(true) registers an ENGINE that offers exactly OpenSSL's own
// built-in EC method. Keys parsed afterwards decode through it, and EC signing,
// verification and key agreement dispatch through it: the same decoding, point checks
// and arithmetic as the provider path, which itself decodes certificate keys with that
// code. false removes the registration. Throws tlshop::Error if OpenSSL refuses.
//
// The ENGINE interface is deprecated, and the built-in method is not a validated
// module: the method is used only where OpenSSL was built with ENGINE support, and never
// while OpenSSL's default properties ask for FIPS. There use_builtin_ec_method(true)
// leaves every EC key to the providers and returns why (see builtin_ec_method_refusal).
//
// It is process-wide, for processes that use EC keys for TLS only (`tlshop serve`,
// `tlshop bench`): call it at start, before other threads use OpenSSL. While it is in
// use, operations only providers implement fail on EC keys: generating a key by group
// name, or signing a certificate or CRL with a key read from PEM.
//
// Returns an empty string when the request was carried out, otherwise the reason it
// was not.
std::string use_builtin_ec_method(bool enabled);

// Why the built-in method cannot be used in this process now, or an empty string if it
// can: OpenSSL built without ENGINE support, or FIPS asked for by its default properties.
std::string builtin_ec_method_refusal();

// Whether EC keys currently go through the built-in method.
bool builtin_ec_method_in_use();

}  // namespace tlshop::pki
