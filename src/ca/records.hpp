#pragma once

#include <cstdint>
#include <ctime>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace tlshop::ca {

// What the CA remembers of one certificate it issued.
struct IssuedRecord {
  std::string serial;   // upper-case hex, as pki::Certificate::serial_hex()
  std::string subject;  // "CN=alice"
  std::string profile;  // "server" or "client"
  std::time_t not_before = 0;
  std::time_t not_after = 0;
  std::time_t issued_at = 0;
  std::string fingerprint;    // SHA-256 of the DER
  std::string issuer_serial;  // the intermediate that signed it
  std::optional<std::time_t> revoked_at;
  std::optional<int> revocation_reason;

  // "valid", "revoked" or "expired" at the given time.
  std::string status(std::time_t now) const;
};

// The CA's records: every certificate issued, its revocation, and the next CRL number.
struct CaRecords {
  std::vector<IssuedRecord> issued;
  std::uint64_t next_crl_number = 1;

  IssuedRecord* find(const std::string& serial);
  const IssuedRecord* find(const std::string& serial) const;

  static CaRecords load(const std::filesystem::path& path);
  // Atomic replace: a crash leaves the previous records or these, never a mix.
  void save(const std::filesystem::path& path) const;
};

}  // namespace tlshop::ca
