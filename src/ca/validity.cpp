#include "ca/validity.hpp"

#include <chrono>
#include <string>

#include "pki/x509_fields.hpp"
#include "tlshop/error.hpp"

namespace tlshop::ca {

std::time_t now_seconds() {
  return std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
}

Validity::Validity(int days) {
  if (days < 1 || days > kMaxLeafDays) {
    throw Error("--days must be between 1 and " + std::to_string(kMaxLeafDays) + ", not " +
                std::to_string(days));
  }
  std::time_t now = now_seconds();
  not_before = now - kBackdateSeconds;
  not_after = now + days * kDaySeconds;
}

Validity::Validity(std::time_t start, std::time_t end) : not_before(start), not_after(end) {}

void Validity::check(std::time_t issuer_not_after) const {
  if (not_after <= now_seconds()) {
    throw Error("the certificate would end in the past (" + pki::format_time(not_after) + ")");
  }
  if (not_after <= not_before) {
    throw Error("the certificate would end (" + pki::format_time(not_after) +
                ") before it starts (" + pki::format_time(not_before) + ")");
  }
  if (not_after - not_before > kMaxLeafDays * kDaySeconds + kBackdateSeconds) {
    throw Error("a certificate may be valid for at most " + std::to_string(kMaxLeafDays) + " days");
  }
  if (not_after > issuer_not_after) {
    throw Error("the certificate would outlive the intermediate CA (it expires " +
                pki::format_time(issuer_not_after) + ")");
  }
}

}  // namespace tlshop::ca
