#include "tls/verified_chain_cache.hpp"

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/x509.h>

#include <algorithm>
#include <cstring>
#include <optional>

#include "pki/openssl_handles.hpp"

namespace tlshop::tls {
namespace {

// Hashes a length and then the bytes, so no two sequences of fields hash alike by
// moving a boundary.
bool add_field(EVP_MD_CTX* digest, const unsigned char* bytes, std::size_t length) {
  unsigned char prefix[4] = {
      static_cast<unsigned char>(length >> 24), static_cast<unsigned char>(length >> 16),
      static_cast<unsigned char>(length >> 8), static_cast<unsigned char>(length)};
  return EVP_DigestUpdate(digest, prefix, sizeof prefix) == 1 &&
         EVP_DigestUpdate(digest, bytes, length) == 1;
}

bool add_string(EVP_MD_CTX* digest, const char* text) {
  const char* value = text != nullptr ? text : "";
  return add_field(digest, reinterpret_cast<const unsigned char*>(value), std::strlen(value));
}

// The chain the peer sent and the name it must carry (a client expects one; a server
// none): the same chain verified for another name proves nothing for this one.
std::optional<VerifiedChainCache::Key> chain_key(X509_STORE_CTX* store) {
  static EVP_MD* const sha256 = EVP_MD_fetch(nullptr, "SHA256", nullptr);
  pki::UniquePtr<EVP_MD_CTX> digest(EVP_MD_CTX_new());
  if (sha256 == nullptr || !digest || EVP_DigestInit_ex(digest.get(), sha256, nullptr) != 1) {
    return std::nullopt;
  }
  X509_VERIFY_PARAM* param = X509_STORE_CTX_get0_param(store);
  // Asking for an IP address that is not set queues an error; a refusal later in this
  // handshake must not be reported as that.
  ERR_set_mark();
  pki::OpensslString ip(X509_VERIFY_PARAM_get1_ip_asc(param));
  ERR_pop_to_mark();
  if (!add_string(digest.get(), X509_VERIFY_PARAM_get0_host(param, 0)) ||
      !add_string(digest.get(), ip.get())) {
    return std::nullopt;
  }
  STACK_OF(X509)* chain = X509_STORE_CTX_get0_untrusted(store);
  for (int i = 0; i < sk_X509_num(chain); ++i) {
    unsigned char* der = nullptr;
    int length = i2d_X509(sk_X509_value(chain, i), &der);
    if (length <= 0) return std::nullopt;
    bool added = add_field(digest.get(), der, static_cast<std::size_t>(length));
    OPENSSL_free(der);
    if (!added) return std::nullopt;
  }
  VerifiedChainCache::Key key{};
  unsigned int size = 0;
  if (EVP_DigestFinal_ex(digest.get(), key.data(), &size) != 1 || size != key.size()) {
    return std::nullopt;
  }
  return key;
}

// The earliest notAfter of the verified chain, trust anchor included.
std::time_t chain_expiry(X509_STORE_CTX* store, std::time_t now) {
  std::time_t earliest = now + 10 * 365 * 24 * 3600;
  STACK_OF(X509)* chain = X509_STORE_CTX_get0_chain(store);
  for (int i = 0; i < sk_X509_num(chain); ++i) {
    int days = 0, seconds = 0;
    if (ASN1_TIME_diff(&days, &seconds, nullptr, X509_get0_notAfter(sk_X509_value(chain, i))) !=
        1) {
      return now;
    }
    earliest = std::min<std::time_t>(earliest, now + days * 24 * 3600 + seconds);
  }
  return earliest;
}

int verify_with_cache(X509_STORE_CTX* store, void* argument) {
  auto* cache = static_cast<VerifiedChainCache*>(argument);
  std::time_t now = std::time(nullptr);
  std::optional<VerifiedChainCache::Key> key = chain_key(store);
  if (key && cache->contains(*key, now)) return 1;
  int verified = X509_verify_cert(store);
  if (verified == 1 && key) cache->insert(*key, chain_expiry(store, now), now);
  return verified;
}

}  // namespace

VerifiedChainCache::VerifiedChainCache(std::size_t capacity, std::chrono::seconds max_age,
                                       std::time_t not_after)
    : capacity_(capacity), max_age_(max_age), not_after_(not_after) {}

std::size_t VerifiedChainCache::KeyHash::operator()(const Key& key) const noexcept {
  std::size_t hash = 0;
  std::memcpy(&hash, key.data(), sizeof hash);
  return hash;
}

bool VerifiedChainCache::contains(const Key& key, std::time_t now) {
  std::lock_guard lock(mutex_);
  auto found = expiry_.find(key);
  if (found == expiry_.end()) return false;
  if (now < found->second) return true;
  expiry_.erase(found);
  return false;
}

void VerifiedChainCache::insert(const Key& key, std::time_t expires, std::time_t now) {
  expires = std::min({expires, not_after_, now + static_cast<std::time_t>(max_age_.count())});
  if (expires <= now || capacity_ == 0) return;
  std::lock_guard lock(mutex_);
  if (expiry_.size() >= capacity_) {
    std::erase_if(expiry_, [now](const auto& entry) { return entry.second <= now; });
    if (expiry_.size() >= capacity_) expiry_.clear();
  }
  expiry_[key] = expires;
}

std::size_t VerifiedChainCache::size() {
  std::lock_guard lock(mutex_);
  return expiry_.size();
}

void install_verified_chain_cache(SSL_CTX* ctx, VerifiedChainCache* cache) {
  SSL_CTX_set_cert_verify_callback(ctx, verify_with_cache, cache);
}

}  // namespace tlshop::tls
