#pragma once

#include <openssl/ssl.h>

#include <array>
#include <chrono>
#include <cstddef>
#include <ctime>
#include <mutex>
#include <string>
#include <unordered_map>

namespace tlshop::tls {

// Remembers the certificate chains a context has already verified, so a client that
// comes back with the same chain skips chain building, signature checks and the CRL
// check: on OpenSSL 3.0 these cost more than the rest of a handshake's cryptography.
//
// A chain is keyed by the SHA-256 of every certificate the peer sent, in order. An
// entry lasts until the earliest of: its max age, the end of any certificate's
// validity in the verified chain, and `not_after` (the CRLs' next update). The cache
// belongs to one immutable context: new trust anchors, CRLs, pins or key-usage rules
// come with a new context and so an empty cache. When full it drops expired entries,
// then everything: a flood of distinct chains costs verifications, never memory.
class VerifiedChainCache {
 public:
  using Key = std::array<unsigned char, 32>;

  VerifiedChainCache(std::size_t capacity, std::chrono::seconds max_age, std::time_t not_after);

  bool contains(const Key& key, std::time_t now);
  void insert(const Key& key, std::time_t expires, std::time_t now);
  std::size_t size();

  std::size_t capacity() const { return capacity_; }
  std::chrono::seconds max_age() const { return max_age_; }
  std::time_t not_after() const { return not_after_; }

 private:
  struct KeyHash {
    std::size_t operator()(const Key& key) const noexcept;
  };

  std::size_t capacity_;
  std::chrono::seconds max_age_;
  std::time_t not_after_;
  std::mutex mutex_;
  std::unordered_map<Key, std::time_t, KeyHash> expiry_;
};

// What a context keeps unless told otherwise: enough for every client of a busy shop,
// and short enough that no entry long outlives the checks it stands for.
inline constexpr std::size_t kVerifiedChainCacheSize = 10000;
inline constexpr std::chrono::seconds kVerifiedChainMaxAge{300};

// Makes ctx consult cache before verifying a peer's chain and record chains that pass.
// The per-certificate verify callback (leaf checks) runs only on a miss, so what it
// checks must be fixed for the life of ctx. cache must outlive every use of ctx.
void install_verified_chain_cache(SSL_CTX* ctx, VerifiedChainCache* cache);

}  // namespace tlshop::tls
