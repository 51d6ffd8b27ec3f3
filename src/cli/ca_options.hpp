#pragma once

#include <CLI/CLI.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ca/certificate_authority.hpp"

namespace tlshop::cli {

// The options every `tlshop ca` command that opens a CA shares.
struct CaOptions {
  std::string dir;
  std::string password_file;

  // The password from --password-file, else asked on the terminal when there is one
  // and the CA keys are encrypted, else none.
  std::optional<std::string> password() const;
  ca::CertificateAuthority open() const;
};

void add_dir_option(CLI::App& command, CaOptions& options, bool required = true);
void add_password_option(CLI::App& command, CaOptions& options);
void add_key_type_option(CLI::App& command, std::string& key_type, std::string_view what);
pki::KeyType key_type_from(const std::string& name);
std::vector<pki::AltName> alt_names_from(const std::vector<std::string>& texts);
// The file's text, or standard input's for "-" (both at most 1 MiB).
std::string read_input(const std::string& path);
std::vector<pki::Certificate> load_chain(const std::string& path);
void print_issued(const pki::Certificate& leaf, std::string_view profile);

// --days, --not-before and --not-after: how long a new leaf is valid.
struct ValidityOptions {
  int days = ca::kDefaultLeafDays;
  std::string not_before, not_after;

  void add_to(CLI::App& command);
  ca::Validity validity() const;
};

}  // namespace tlshop::cli
