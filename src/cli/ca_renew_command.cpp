#include "cli/ca_renew_command.hpp"

#include <iostream>
#include <memory>

#include "base/files.hpp"
#include "cli/ca_options.hpp"
#include "cli/output_files.hpp"
#include "cli/usage_error.hpp"
#include "pki/x509_fields.hpp"
#include "tlshop/error.hpp"

namespace tlshop::cli {
namespace fs = std::filesystem;
namespace {

struct RenewOptions : CaOptions {
  std::string cert, key, key_type;
  bool reuse_key = false;
  ValidityOptions validity;

  // NAME.key beside NAME.crt, unless --key says where the key lives.
  fs::path key_path() const {
    return key.empty() ? fs::path(cert).replace_extension(".key") : fs::path(key);
  }

  std::optional<pki::KeyType> new_key_type(const pki::Certificate& old) const {
    if (reuse_key) return std::nullopt;
    if (!key_type.empty()) return key_type_from(key_type);
    if (auto same = pki::key_type_of(old.public_key())) return same;
    throw UsageError(cert + " has a " + pki::describe_key(old.public_key()) +
                     " key, which tlshop does not make: give --key-type or --reuse-key");
  }
};

void renew(const RenewOptions& options) {
  pki::Certificate old = load_chain(options.cert).front();
  std::optional<pki::KeyType> key_type = options.new_key_type(old);
  OutputFiles::check_writable(options.cert, OutputFiles::Existing::kReplace);
  if (key_type) OutputFiles::check_writable(options.key_path(), OutputFiles::Existing::kReplace);
  OutputFiles out(OutputFiles::Existing::kReplace);
  auto renewed =
      options.open().renew(old, key_type, options.validity.validity(),
                           [&](const pki::PrivateKey* key, const ca::IssuedChain& chain) {
                             if (key != nullptr)
                               out.stage(options.key_path(), key->to_pem(), kSecretFileMode);
                             out.stage(options.cert, pki::chain_to_pem(chain), kPublicFileMode);
                           });
  out.commit();
  print_issued(renewed.chain.front(), "renewed");
  std::cout << "  replaces:    serial " << old.serial_hex() << " (valid until "
            << pki::format_time(old.not_after()) << "; revoke it to end it sooner)\n";
  if (renewed.key) std::cout << "  key:         " << options.key_path().string() << " (new)\n";
  std::cout << "  certificate: " << options.cert << " (leaf + intermediate)\n";
}

}  // namespace

void add_renew(CLI::App& ca, Action& action) {
  auto options = std::make_shared<RenewOptions>();
  CLI::App* command = ca.add_subcommand(
      "renew", "a new certificate for one this CA issued: same names and profile, new dates");
  add_dir_option(*command, *options);
  add_password_option(*command, *options);
  command->add_option("--cert", options->cert, "the certificate to renew; replaced in place")
      ->required();
  command->add_option("--key", options->key, "where its key is (default: NAME.key beside it)");
  add_key_type_option(*command, options->key_type, "the new key's type (default: as before)");
  auto* reuse = command->add_flag("--reuse-key", options->reuse_key,
                                  "certify the same public key again; the key file is untouched");
  reuse->excludes(command->get_option("--key-type"));
  options->validity.add_to(*command);
  run_after_parsing(*command, action, [options] { renew(*options); });
}

}  // namespace tlshop::cli
