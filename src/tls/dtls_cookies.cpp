#include "tls/dtls_cookies.hpp"

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/rand.h>

#include <cstring>

#include "pki/openssl_error.hpp"
#include "pki/openssl_handles.hpp"

namespace tlshop::tls {
namespace {

constexpr std::size_t kSecretBytes = 32;

std::string random_secret() {
  std::string secret(kSecretBytes, '\0');
  if (RAND_bytes(reinterpret_cast<unsigned char*>(secret.data()), kSecretBytes) != 1) {
    pki::throw_openssl_error("no randomness for a DTLS cookie secret");
  }
  return secret;
}

int cookies_index() {
  static const int index = SSL_CTX_get_ex_new_index(0, nullptr, nullptr, nullptr, nullptr);
  return index;
}

// The peer of a handshake in progress, as the datagram BIO knows it: address and port.
std::string peer_of(SSL* ssl) {
  pki::UniquePtr<BIO_ADDR> peer(BIO_ADDR_new());
  unsigned char address[16];
  std::size_t length = sizeof address;
  if (!peer || BIO_dgram_get_peer(SSL_get_rbio(ssl), peer.get()) <= 0 ||
      BIO_ADDR_rawaddress(peer.get(), address, &length) != 1) {
    return {};
  }
  unsigned short port = BIO_ADDR_rawport(peer.get());
  return std::string(reinterpret_cast<const char*>(address), length) +
         std::string(reinterpret_cast<const char*>(&port), sizeof port);
}

DtlsCookies* cookies_of(SSL* ssl) {
  return static_cast<DtlsCookies*>(SSL_CTX_get_ex_data(SSL_get_SSL_CTX(ssl), cookies_index()));
}

int generate_cookie(SSL* ssl, unsigned char* cookie, unsigned int* length) {
  std::string peer = peer_of(ssl);
  if (peer.empty()) return 0;
  std::string made = cookies_of(ssl)->cookie_for(peer);
  std::memcpy(cookie, made.data(), made.size());
  *length = static_cast<unsigned int>(made.size());
  return 1;
}

int verify_cookie(SSL* ssl, const unsigned char* cookie, unsigned int length) {
  std::string peer = peer_of(ssl);
  return !peer.empty() && cookies_of(ssl)->verify(peer, cookie, length) ? 1 : 0;
}

}  // namespace

DtlsCookies::DtlsCookies(std::chrono::seconds rotation)
    : rotation_(rotation),
      current_(random_secret()),
      previous_(random_secret()),
      made_(std::chrono::steady_clock::now()) {}

void DtlsCookies::install(SSL_CTX* ctx) {
  SSL_CTX_set_ex_data(ctx, cookies_index(), this);
  SSL_CTX_set_cookie_generate_cb(ctx, generate_cookie);
  SSL_CTX_set_cookie_verify_cb(ctx, verify_cookie);
}

std::string DtlsCookies::mac(const std::string& secret, const std::string& data) const {
  pki::UniquePtr<EVP_MAC> hmac(EVP_MAC_fetch(nullptr, "HMAC", nullptr));
  pki::UniquePtr<EVP_MAC_CTX> context(hmac ? EVP_MAC_CTX_new(hmac.get()) : nullptr);
  char digest[] = "SHA256";
  OSSL_PARAM parameters[] = {OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, digest, 0),
                             OSSL_PARAM_construct_end()};
  unsigned char out[EVP_MAX_MD_SIZE];
  std::size_t length = 0;
  if (!context ||
      EVP_MAC_init(context.get(), reinterpret_cast<const unsigned char*>(secret.data()),
                   secret.size(), parameters) != 1 ||
      EVP_MAC_update(context.get(), reinterpret_cast<const unsigned char*>(data.data()),
                     data.size()) != 1 ||
      EVP_MAC_final(context.get(), out, &length, sizeof out) != 1) {
    pki::throw_openssl_error("cannot compute a DTLS cookie");
  }
  return std::string(reinterpret_cast<const char*>(out), length);
}

void DtlsCookies::rotate_if_due() {
  auto now = std::chrono::steady_clock::now();
  if (now - made_ < rotation_) return;
  previous_ = std::move(current_);
  current_ = random_secret();
  made_ = now;
}

std::string DtlsCookies::cookie_for(const std::string& address_and_port) {
  std::lock_guard lock(mutex_);
  rotate_if_due();
  return mac(current_, address_and_port);
}

bool DtlsCookies::verify(const std::string& address_and_port, const unsigned char* cookie,
                         std::size_t length) {
  std::string current, previous;
  {
    std::lock_guard lock(mutex_);
    rotate_if_due();
    current = current_;
    previous = previous_;
  }
  for (const std::string* secret : {&current, &previous}) {
    std::string expected = mac(*secret, address_and_port);
    if (expected.size() == length && CRYPTO_memcmp(expected.data(), cookie, length) == 0) {
      return true;
    }
  }
  return false;
}

}  // namespace tlshop::tls
