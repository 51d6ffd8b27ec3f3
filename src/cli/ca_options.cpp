#include "cli/ca_options.hpp"

#include <unistd.h>

#include <iostream>

#include "base/files.hpp"
#include "cli/durations.hpp"
#include "cli/terminal.hpp"
#include "cli/usage_error.hpp"
#include "pki/x509_fields.hpp"
#include "tlshop/error.hpp"

namespace tlshop::cli {
namespace fs = std::filesystem;

std::optional<std::string> CaOptions::password() const {
  if (!password_file.empty()) return read_password_file(password_file);
  std::error_code ec;
  fs::path key = ca::CaFiles{dir}.intermediate_key();
  if (::isatty(STDIN_FILENO) == 1 && fs::exists(key, ec) &&
      pki::is_encrypted_pem_key(read_file(key))) {
    return read_secret("Password of the CA keys: ");
  }
  return std::nullopt;
}

ca::CertificateAuthority CaOptions::open() const {
  return ca::CertificateAuthority(dir, password());
}

void add_dir_option(CLI::App& command, CaOptions& options, bool required) {
  command.add_option("--dir", options.dir, "CA directory (or $TLSHOP_CA_DIR)")
      ->envname("TLSHOP_CA_DIR")
      ->required(required);
}

void add_password_option(CLI::App& command, CaOptions& options) {
  command.add_option("--password-file", options.password_file,
                     "file whose first line is the password of the CA keys");
}

void add_key_type_option(CLI::App& command, std::string& key_type, std::string_view what) {
  command.add_option("--key-type", key_type,
                     std::string(what) + ": ec-p256, ec-p384, ed25519, rsa-3072 or rsa-4096");
}

pki::KeyType key_type_from(const std::string& name) {
  if (auto type = pki::parse_key_type(name)) return *type;
  throw UsageError("unknown key type '" + name +
                   "' (use ec-p256, ec-p384, ed25519, rsa-3072 or rsa-4096)");
}

std::vector<pki::AltName> alt_names_from(const std::vector<std::string>& texts) {
  std::vector<pki::AltName> names;
  try {
    for (const std::string& text : texts) names.push_back(pki::AltName::parse(text));
  } catch (const Error& e) {
    throw UsageError(std::string("--san: ") + e.what());
  }
  return names;
}

std::string read_input(const std::string& path) {
  constexpr std::size_t kMaxBytes = 1 << 20;
  if (path != "-") return read_file(path, kMaxBytes);
  std::string text;
  char buffer[4096];
  while (std::cin.read(buffer, sizeof buffer) || std::cin.gcount() > 0) {
    text.append(buffer, static_cast<std::size_t>(std::cin.gcount()));
    if (text.size() > kMaxBytes) throw Error("standard input holds more than 1 MiB");
  }
  return text;
}

std::vector<pki::Certificate> load_chain(const std::string& path) {
  return pki::Certificate::chain_from_pem(read_input(path), path == "-" ? "standard input" : path);
}

void print_issued(const pki::Certificate& leaf, std::string_view profile) {
  std::cout << "issued " << profile << " certificate " << leaf.subject() << "\n"
            << "  serial:      " << leaf.serial_hex() << "\n"
            << "  valid until: " << pki::format_time(leaf.not_after()) << "\n";
}

void ValidityOptions::add_to(CLI::App& command) {
  auto* days_option = command.add_option("--days", days, "validity in days (default 90)")
                          ->check(CLI::Range(1, ca::kMaxLeafDays));
  auto* end = command.add_option("--not-after", not_after,
                                 "end: a time (2027-01-31, 2027-01-31T12:00:00Z) or a "
                                 "duration from now (90d, 12h)");
  command.add_option("--not-before", not_before,
                     "start, in the same forms (default: now, less five minutes)");
  days_option->excludes(end);
}

ca::Validity ValidityOptions::validity() const {
  if (not_before.empty() && not_after.empty()) {
    return ca::Validity(days);
  }
  std::time_t now = ca::now_seconds();
  std::time_t start = not_before.empty() ? now - ca::kBackdateSeconds
                                         : parse_moment(not_before, now, "--not-before");
  std::time_t end = !not_after.empty() ? parse_moment(not_after, now, "--not-after")
                                       : start + days * ca::kDaySeconds;
  return ca::Validity(start, end);
}

}  // namespace tlshop::cli
