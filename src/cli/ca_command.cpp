#include "cli/ca_command.hpp"

#include <CLI/CLI.hpp>
#include <boost/json.hpp>
#include <ctime>
#include <iostream>
#include <memory>

#include "base/files.hpp"
#include "ca/certificate_authority.hpp"
#include "ca/inspection.hpp"
#include "cli/ca_options.hpp"
#include "cli/ca_renew_command.hpp"
#include "cli/command_group.hpp"
#include "cli/durations.hpp"
#include "cli/output_files.hpp"
#include "cli/usage_error.hpp"
#include "pki/pkcs12.hpp"
#include "pki/x509_fields.hpp"
#include "tlshop/error.hpp"

namespace tlshop::cli {
namespace fs = std::filesystem;
namespace json = boost::json;
namespace {

void add_init(CLI::App& ca, Action& action) {
  struct Options : CaOptions {
    std::string name = "tlshop";
    std::string key_type = "ec-p256";
  };
  auto options = std::make_shared<Options>();
  CLI::App* command = ca.add_subcommand("init", "create a root CA and an intermediate CA");
  add_dir_option(*command, *options);
  command->add_option("--name", options->name, "name of the CA (default: tlshop)");
  add_key_type_option(*command, options->key_type, "the CA keys' type (default ec-p256)");
  command->add_option("--password-file", options->password_file,
                      "encrypt the CA keys with the password in this file");
  run_after_parsing(*command, action, [options] {
    ca::InitOptions init{options->name, key_type_from(options->key_type), options->password()};
    ca::CertificateAuthority authority = ca::CertificateAuthority::init(options->dir, init);
    const ca::CaFiles& files = authority.files();
    std::cout << "created CA '" << options->name << "' in " << files.dir.string() << "\n"
              << "  trust this:   " << files.root_certificate().string() << "\n"
              << "  root key:     " << files.root_key().string()
              << " (needed only by tlshop ca rotate-intermediate: keep it offline)\n"
              << "  intermediate: " << files.intermediate_certificate().string() << "\n"
              << "  CRL:          " << files.crl().string() << "\n";
  });
}

void add_issue(CLI::App& ca, Action& action) {
  struct Options : CaOptions {
    std::string server, client, out_dir = ".", key_type = "ec-p256", organization, unit;
    std::vector<std::string> sans;
    ValidityOptions validity;
    bool force = false;
  };
  auto options = std::make_shared<Options>();
  CLI::App* command =
      ca.add_subcommand("issue", "issue a server or client certificate with a new key");
  add_dir_option(*command, *options);
  add_password_option(*command, *options);
  auto* server = command->add_option("--server", options->server, "server name (DNS name or IP)");
  auto* client = command->add_option("--client", options->client, "client name");
  server->excludes(client);
  command->add_option("--san", options->sans,
                      "extra subjectAltName: DNS:x, IP:y, URI:z or email:w (repeatable)");
  command->add_option("--org", options->organization, "the subject's organization (O)");
  command->add_option("--org-unit", options->unit, "the subject's organizational unit (OU)");
  options->validity.add_to(*command);
  command->add_option("--out-dir", options->out_dir, "where to write NAME.key and NAME.crt");
  add_key_type_option(*command, options->key_type, "the new key's type (default ec-p256)");
  command->add_flag("--force", options->force, "replace NAME.key and NAME.crt if they exist");
  run_after_parsing(*command, action, [options] {
    if (options->server.empty() == options->client.empty()) {
      throw UsageError("issue needs exactly one of --server NAME or --client NAME");
    }
    bool is_server = !options->server.empty();
    const std::string& name = is_server ? options->server : options->client;
    ca::LeafProfile profile = is_server ? ca::LeafProfile::kServer : ca::LeafProfile::kClient;
    fs::path key_path = fs::path(options->out_dir) / (file_stem_for(name) + ".key");
    fs::path cert_path = fs::path(options->out_dir) / (file_stem_for(name) + ".crt");
    auto existing =
        options->force ? OutputFiles::Existing::kReplace : OutputFiles::Existing::kRefuse;
    for (const fs::path& path : {key_path, cert_path}) {
      OutputFiles::check_writable(path, existing,
                                  " (--force replaces it; --out-dir writes elsewhere)");
    }
    OutputFiles out(existing);
    ca::CertificateAuthority::LeafSubject subject(name);
    subject.organization = options->organization;
    subject.organizational_unit = options->unit;
    auto leaf =
        options->open().issue(profile, subject, alt_names_from(options->sans),
                              key_type_from(options->key_type), options->validity.validity(),
                              [&](const pki::PrivateKey& key, const ca::IssuedChain& chain) {
                                out.stage(key_path, key.to_pem(), kSecretFileMode);
                                out.stage(cert_path, pki::chain_to_pem(chain), kPublicFileMode);
                              });
    out.commit();
    print_issued(leaf.chain.front(), ca::leaf_profile_name(profile));
    std::cout << "  key:         " << key_path.string() << "\n"
              << "  certificate: " << cert_path.string() << " (leaf + intermediate)\n";
  });
}

void add_csr(CLI::App& ca, Action& action) {
  struct Options {
    std::string name, key_out, csr_out, key_type = "ec-p256";
    std::vector<std::string> sans;
  };
  auto options = std::make_shared<Options>();
  CLI::App* command = ca.add_subcommand("csr", "make a key and a certificate signing request");
  command->add_option("--name", options->name, "common name to request")->required();
  command->add_option("--san", options->sans, "subjectAltName to request: DNS:x, IP:y or URI:z");
  add_key_type_option(*command, options->key_type, "the new key's type (default ec-p256)");
  command->add_option("--key-out", options->key_out, "where to write the new private key")
      ->required();
  command->add_option("--csr-out", options->csr_out, "where to write the request")->required();
  run_after_parsing(*command, action, [options] {
    OutputFiles::check_writable(options->key_out);
    OutputFiles::check_writable(options->csr_out);
    auto key = pki::PrivateKey::generate(key_type_from(options->key_type));
    auto request =
        pki::CertificateRequest::create(key, options->name, alt_names_from(options->sans));
    OutputFiles out;
    out.stage(options->key_out, key.to_pem(), kSecretFileMode);
    out.stage(options->csr_out, request.to_pem(), kPublicFileMode);
    out.commit();
    std::cout << "wrote key " << options->key_out << " and request " << options->csr_out << " for "
              << request.subject() << "\n";
  });
}

void add_sign(CLI::App& ca, Action& action) {
  struct Options : CaOptions {
    std::string csr, profile, out;
    ValidityOptions validity;
  };
  auto options = std::make_shared<Options>();
  CLI::App* command = ca.add_subcommand("sign", "sign a certificate signing request");
  add_dir_option(*command, *options);
  add_password_option(*command, *options);
  command->add_option("--csr", options->csr, "the request (PEM)")->required();
  command->add_option("--profile", options->profile, "server or client")->required();
  command->add_option("--out", options->out, "where to write the certificate chain")->required();
  options->validity.add_to(*command);
  run_after_parsing(*command, action, [options] {
    auto profile = ca::parse_leaf_profile(options->profile);
    if (!profile)
      throw UsageError("--profile must be server or client, not '" + options->profile + "'");
    OutputFiles::check_writable(options->out);
    auto request = pki::CertificateRequest::from_pem(read_file(options->csr), options->csr);
    OutputFiles out;
    auto chain = options->open().sign(
        request, *profile, options->validity.validity(), [&](const ca::IssuedChain& issued) {
          out.stage(options->out, pki::chain_to_pem(issued), kPublicFileMode);
        });
    out.commit();
    print_issued(chain.front(), options->profile);
    std::cout << "  certificate: " << options->out << " (leaf + intermediate)\n";
  });
}

void add_revoke(CLI::App& ca, Action& action) {
  struct Options : CaOptions {
    std::string serial, cert, reason = "unspecified";
  };
  auto options = std::make_shared<Options>();
  CLI::App* command = ca.add_subcommand("revoke", "revoke a certificate and publish a new CRL");
  add_dir_option(*command, *options);
  add_password_option(*command, *options);
  auto* serial = command->add_option("serial", options->serial, "serial number (hex)");
  auto* cert = command->add_option("--cert", options->cert, "the certificate file to revoke");
  serial->excludes(cert);
  command->add_option("--reason", options->reason,
                      "keyCompromise, superseded, cessationOfOperation, affiliationChanged, "
                      "privilegeWithdrawn, cACompromise, unspecified (default)");
  run_after_parsing(*command, action, [options] {
    if (options->serial.empty() == options->cert.empty()) {
      throw UsageError("revoke needs a SERIAL or --cert FILE");
    }
    auto reason = pki::parse_revocation_reason(options->reason);
    if (!reason) throw UsageError("unknown revocation reason '" + options->reason + "'");
    std::string serial =
        options->serial.empty()
            ? pki::Certificate::from_pem(read_file(options->cert), options->cert).serial_hex()
            : options->serial;
    ca::CertificateAuthority authority = options->open();
    ca::IssuedRecord record = authority.revoke(serial, *reason);
    std::cout << "revoked " << record.subject << " (serial " << record.serial << ", "
              << pki::revocation_reason_name(*reason) << ")\n"
              << "  new CRL: " << authority.files().crl().string() << "\n";
  });
}

void add_crl(CLI::App& ca, Action& action) {
  struct Options : CaOptions {
    int days = ca::kDefaultCrlDays;
  };
  auto options = std::make_shared<Options>();
  CLI::App* command = ca.add_subcommand("crl", "sign and publish a fresh CRL");
  add_dir_option(*command, *options);
  add_password_option(*command, *options);
  command->add_option("--days", options->days, "days until the CRL's next update (default 30)")
      ->check(CLI::Range(1, 366));
  run_after_parsing(*command, action, [options] {
    ca::CertificateAuthority authority = options->open();
    pki::RevocationList crl = authority.publish_crl(options->days);
    std::cout << "wrote " << authority.files().crl().string() << " (CRL number "
              << crl.number().value_or(0) << ", " << crl.revoked().size()
              << " revoked, next update " << pki::format_time(crl.next_update().value_or(0))
              << ")\n";
  });
}

void add_rotate_intermediate(CLI::App& ca, Action& action) {
  struct Options : CaOptions {
    std::string key_type = "ec-p256";
  };
  auto options = std::make_shared<Options>();
  CLI::App* command = ca.add_subcommand(
      "rotate-intermediate", "replace the intermediate CA (needs root.key back in the directory)");
  add_dir_option(*command, *options);
  add_password_option(*command, *options);
  add_key_type_option(*command, options->key_type,
                      "the new intermediate key's type (default ec-p256)");
  run_after_parsing(*command, action, [options] {
    ca::CertificateAuthority authority = options->open();
    std::string old_serial = authority.intermediate().serial_hex();
    authority.rotate_intermediate(key_type_from(options->key_type));
    const ca::CaFiles& files = authority.files();
    std::cout << "new intermediate " << authority.intermediate().subject() << " (serial "
              << authority.intermediate().serial_hex() << ")\n"
              << "  retired:      " << files.retired_certificate(old_serial).string()
              << " (its certificates stay valid and revocable)\n"
              << "  trust bundle: " << files.chain().string() << "\n"
              << "  CRLs:         " << files.crl().string() << "\n";
  });
}

void add_list(CLI::App& ca, Action& action) {
  struct Options : CaOptions {
    bool json = false;
    std::string expiring;
  };
  auto options = std::make_shared<Options>();
  CLI::App* command = ca.add_subcommand("list", "list the certificates this CA issued");
  add_dir_option(*command, *options);
  command->add_flag("--json", options->json, "print JSON");
  command->add_option("--expiring", options->expiring,
                      "only valid certificates that expire within this long (30d, 12h)");
  run_after_parsing(*command, action, [options] {
    ca::CaRecords records = ca::CertificateAuthority(options->dir).records();
    std::time_t now = std::time(nullptr);
    std::optional<std::time_t> horizon;
    if (!options->expiring.empty()) horizon = now + parse_duration(options->expiring, "--expiring");
    json::array rows;
    for (const ca::IssuedRecord& record : records.issued) {
      if (horizon && (record.status(now) != "valid" || record.not_after > *horizon)) continue;
      json::object row{{"serial", record.serial},
                       {"subject", record.subject},
                       {"profile", record.profile},
                       {"not_after", pki::format_time(record.not_after)},
                       {"status", record.status(now)}};
      if (record.revoked_at) {
        row["revoked_at"] = pki::format_time(*record.revoked_at);
        row["revocation_reason"] =
            pki::revocation_reason_name(record.revocation_reason.value_or(0));
      }
      rows.push_back(std::move(row));
    }
    if (options->json) {
      std::cout << json::serialize(rows) << "\n";
      return;
    }
    std::printf("%-32s  %-7s  %-20s  %-7s  %s\n", "SERIAL", "PROFILE", "NOT AFTER", "STATUS",
                "SUBJECT");
    for (const json::value& row : rows) {
      const json::object& r = row.as_object();
      std::printf("%-32s  %-7s  %-20s  %-7s  %s\n", r.at("serial").as_string().c_str(),
                  r.at("profile").as_string().c_str(), r.at("not_after").as_string().c_str(),
                  r.at("status").as_string().c_str(), r.at("subject").as_string().c_str());
    }
  });
}

void add_inspect(CLI::App& ca, Action& action) {
  struct Options {
    std::string file;
    bool json = false;
  };
  auto options = std::make_shared<Options>();
  CLI::App* command = ca.add_subcommand("inspect", "show a certificate, CSR or CRL");
  command->add_option("file", options->file, "PEM file, or - for standard input")->required();
  command->add_flag("--json", options->json, "print JSON");
  run_after_parsing(*command, action, [options] {
    std::string source = options->file == "-" ? "standard input" : options->file;
    json::object description = ca::inspect_pem(read_input(options->file), source);
    if (options->json) {
      std::cout << json::serialize(description) << "\n";
    } else {
      std::cout << ca::render_inspection(description);
    }
  });
}

void add_verify(CLI::App& ca, Action& action) {
  struct Options : CaOptions {
    std::string file, purpose, roots, crl;

    pki::ChainVerdict verify(const std::vector<pki::Certificate>& chain,
                             pki::Purpose purpose_wanted) const {
      if (roots.empty()) return ca::CertificateAuthority(dir).verify(chain, purpose_wanted);
      pki::TrustSettings trust;
      for (pki::Certificate& certificate : load_chain(roots)) {
        (certificate.is_self_signed() ? trust.anchors : trust.intermediates)
            .push_back(std::move(certificate));
      }
      if (trust.anchors.empty()) throw Error(roots + " holds no root (self-signed) certificate");
      if (!crl.empty()) trust.crls = pki::RevocationList::all_from_pem(read_file(crl), crl);
      trust.purpose = purpose_wanted;
      return pki::verify_chain(chain, trust);
    }
  };
  auto options = std::make_shared<Options>();
  CLI::App* command = ca.add_subcommand(
      "verify", "check a certificate against this CA: chain, validity, CRL and purpose");
  add_dir_option(*command, *options, false);
  command->add_option("file", options->file, "certificate (PEM, leaf first), or - for stdin")
      ->required();
  command->add_option("--purpose", options->purpose, "server or client");
  auto* roots = command->add_option("--roots", options->roots,
                                    "instead of --dir: trust the roots in this file (a CA bundle)");
  command->add_option("--crl", options->crl, "with --roots: check revocation against this CRL")
      ->needs(roots);
  roots->excludes(command->get_option("--dir"));
  run_after_parsing(*command, action, [options] {
    pki::Purpose purpose = pki::Purpose::kAny;
    if (options->purpose == "server") {
      purpose = pki::Purpose::kServer;
    } else if (options->purpose == "client") {
      purpose = pki::Purpose::kClient;
    } else if (!options->purpose.empty()) {
      throw UsageError("--purpose must be server or client, not '" + options->purpose + "'");
    }
    if (options->dir.empty() == options->roots.empty()) {
      throw UsageError("verify needs --dir CA or --roots FILE");
    }
    auto chain = load_chain(options->file);
    pki::ChainVerdict verdict = options->verify(chain, purpose);
    const pki::Certificate& leaf = chain.front();
    if (verdict.valid) {
      std::cout << options->file << ": OK: " << leaf.subject()
                << (options->purpose.empty() ? "" : " for " + options->purpose + " use")
                << ", valid until " << pki::format_time(leaf.not_after()) << "\n";
    } else {
      std::cout << options->file << ": INVALID: " << verdict.reason
                << (verdict.depth > 0
                        ? " (in the issuing CA at depth " + std::to_string(verdict.depth) + ")"
                        : "")
                << " [" << leaf.subject() << ", serial " << leaf.serial_hex() << "]\n";
      return 1;
    }
    return 0;
  });
}

void add_export_p12(CLI::App& ca, Action& action) {
  struct Options {
    std::string cert, key, out, password_file, name;
  };
  auto options = std::make_shared<Options>();
  CLI::App* command =
      ca.add_subcommand("export-p12", "bundle a key and its certificate chain as PKCS#12");
  command->add_option("--cert", options->cert, "certificate chain (PEM)")->required();
  command->add_option("--key", options->key, "its private key (PEM)")->required();
  command->add_option("--out", options->out, "the .p12 file to write")->required();
  command
      ->add_option("--password-file", options->password_file,
                   "file whose first line protects the export")
      ->required();
  command->add_option("--name", options->name, "friendly name (default: the certificate's CN)");
  run_after_parsing(*command, action, [options] {
    OutputFiles::check_writable(options->out);
    std::string password = read_password_file(options->password_file);
    auto chain = load_chain(options->cert);
    auto key = pki::PrivateKey::from_pem(read_file(options->key), std::nullopt, options->key);
    if (!chain.front().matches(key)) {
      throw Error(options->key + " does not match the certificate in " + options->cert);
    }
    std::string name = options->name.empty() ? chain.front().common_name() : options->name;
    OutputFiles out;
    out.stage(options->out, pki::make_pkcs12(key, chain, password, name), kSecretFileMode);
    out.commit();
    std::cout << "wrote " << options->out << " (" << chain.size() << " certificates and a key)\n";
  });
}

}  // namespace

void add_ca_command(CLI::App& app, Action& action) {
  CLI::App* ca = app.add_subcommand("ca", "the certificate authority");
  add_init(*ca, action);
  add_issue(*ca, action);
  add_csr(*ca, action);
  add_sign(*ca, action);
  add_revoke(*ca, action);
  add_crl(*ca, action);
  add_rotate_intermediate(*ca, action);
  add_list(*ca, action);
  add_inspect(*ca, action);
  add_verify(*ca, action);
  add_export_p12(*ca, action);
  add_renew(*ca, action);
  make_command_group(*ca, "tlshop ca");
}

}  // namespace tlshop::cli
