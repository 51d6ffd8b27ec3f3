#include "ca/inspection.hpp"

#include <boost/json.hpp>
#include <ctime>

#include "pki/bio.hpp"
#include "pki/certificate.hpp"
#include "pki/certificate_request.hpp"
#include "pki/revocation_list.hpp"
#include "pki/x509_fields.hpp"
#include "tlshop/error.hpp"

namespace tlshop::ca {
namespace json = boost::json;
namespace {

std::string signature_algorithm(int nid) { return nid == NID_undef ? "unknown" : OBJ_nid2ln(nid); }

std::string extension_value(X509_EXTENSION* extension) {
  auto bio = pki::empty_memory_bio();
  if (X509V3_EXT_print(bio.get(), extension, 0, 0) != 1) {
    ASN1_STRING_print(bio.get(), X509_EXTENSION_get_data(extension));
  }
  std::string text = pki::bio_contents(bio.get());
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
  for (char& c : text) {
    if (c == '\n') c = ' ';
  }
  return text;
}

json::object describe_extension(X509_EXTENSION* extension) {
  int nid = OBJ_obj2nid(X509_EXTENSION_get_object(extension));
  char oid[80];
  OBJ_obj2txt(oid, sizeof oid, X509_EXTENSION_get_object(extension), 0);
  return {{"name", nid == NID_undef ? std::string(oid) : std::string(OBJ_nid2sn(nid))},
          {"critical", X509_EXTENSION_get_critical(extension) == 1},
          {"value", extension_value(extension)}};
}

json::array alt_names_of(const std::vector<pki::AltName>& names) {
  json::array array;
  for (const pki::AltName& name : names) array.emplace_back(name.to_string());
  return array;
}

std::string validity_note(std::time_t not_before, std::time_t not_after) {
  std::time_t now = std::time(nullptr);
  if (now < not_before) return "not yet valid";
  if (now > not_after) return "expired";
  return "valid for " + std::to_string((not_after - now) / 86400) + " more days";
}

json::object describe_certificate(const pki::Certificate& certificate) {
  X509* x509 = certificate.get();
  json::array extensions;
  for (int i = 0; i < X509_get_ext_count(x509); ++i) {
    extensions.push_back(describe_extension(X509_get_ext(x509, i)));
  }
  return {{"type", "certificate"},
          {"subject", certificate.subject()},
          {"issuer", certificate.issuer()},
          {"serial", certificate.serial_hex()},
          {"not_before", pki::format_time(certificate.not_before())},
          {"not_after", pki::format_time(certificate.not_after())},
          {"validity", validity_note(certificate.not_before(), certificate.not_after())},
          {"public_key", pki::describe_key(certificate.public_key())},
          {"signature_algorithm", signature_algorithm(X509_get_signature_nid(x509))},
          {"is_ca", certificate.is_ca()},
          {"self_signed", certificate.is_self_signed()},
          {"subject_alt_names", alt_names_of(certificate.alt_names())},
          {"extensions", std::move(extensions)},
          {"sha256_fingerprint", certificate.sha256_fingerprint()},
          {"public_key_pin", certificate.public_key_pin()}};
}

json::object describe_request(const pki::CertificateRequest& request) {
  json::array extensions;
  STACK_OF(X509_EXTENSION)* requested = X509_REQ_get_extensions(request.get());
  for (int i = 0; requested != nullptr && i < sk_X509_EXTENSION_num(requested); ++i) {
    extensions.push_back(describe_extension(sk_X509_EXTENSION_value(requested, i)));
  }
  sk_X509_EXTENSION_pop_free(requested, X509_EXTENSION_free);
  return {{"type", "certificate_request"},
          {"subject", request.subject()},
          {"public_key", pki::describe_key(request.public_key())},
          {"signature_algorithm", signature_algorithm(X509_REQ_get_signature_nid(request.get()))},
          {"signature_valid", request.signature_is_valid()},
          {"requested_extensions", std::move(extensions)}};
}

json::object describe_crl(const pki::RevocationList& crl) {
  json::array revoked;
  for (const pki::RevokedCertificate& entry : crl.revoked()) {
    revoked.push_back(json::object{{"serial", entry.serial_hex},
                                   {"revoked_at", pki::format_time(entry.revoked_at)},
                                   {"reason", pki::revocation_reason_name(entry.reason)}});
  }
  json::object description{
      {"type", "crl"},
      {"issuer", crl.issuer()},
      {"this_update", pki::format_time(crl.this_update())},
      {"next_update", crl.next_update() ? json::value(pki::format_time(*crl.next_update()))
                                        : json::value(nullptr)},
      {"signature_algorithm", signature_algorithm(X509_CRL_get_signature_nid(crl.get()))},
      {"revoked", std::move(revoked)}};
  if (auto number = crl.number()) description["crl_number"] = *number;
  return description;
}

std::string label_of(std::string_view key) {
  if (key == "sha256_fingerprint") return "SHA-256 fingerprint";
  if (key == "crl_number") return "CRL number";
  if (key == "is_ca") return "CA";
  std::string label(key);
  for (char& c : label) {
    if (c == '_') c = ' ';
  }
  label[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(label[0])));
  return label;
}

std::string scalar_text(const json::value& value) {
  if (value.is_string()) return std::string(value.as_string());
  if (value.is_bool()) return value.as_bool() ? "yes" : "no";
  if (value.is_null()) return "none";
  return json::serialize(value);
}

void render_array(std::string& out, const json::array& items) {
  for (const json::value& item : items) {
    if (!item.is_object()) {
      out += "      " + scalar_text(item) + "\n";
      continue;
    }
    const json::object& entry = item.as_object();
    if (const json::value* name = entry.if_contains("name")) {
      bool critical = entry.at("critical").as_bool();
      out += "      " + scalar_text(*name) + (critical ? " (critical)" : "") + ": " +
             scalar_text(entry.at("value")) + "\n";
    } else {
      out += "      " + scalar_text(entry.at("serial")) + "  revoked " +
             scalar_text(entry.at("revoked_at")) + "  " + scalar_text(entry.at("reason")) + "\n";
    }
  }
}

void render_object(std::string& out, const json::object& description) {
  std::string type(description.at("type").as_string());
  out += type == "certificate"           ? "Certificate\n"
         : type == "certificate_request" ? "Certificate request\n"
                                         : "Certificate revocation list\n";
  for (const auto& [key, value] : description) {
    if (key == "type") continue;
    if (value.is_array()) {
      out += "  " + label_of(key) + ":" + (value.as_array().empty() ? " none" : "") + "\n";
      render_array(out, value.as_array());
    } else {
      std::string label = label_of(key) + ":";
      label.resize(std::max<std::size_t>(label.size() + 1, 22), ' ');
      out += "  " + label + scalar_text(value) + "\n";
    }
  }
}

}  // namespace

json::object inspect_pem(std::string_view pem, const std::string& source) {
  if (pem.find("-----BEGIN CERTIFICATE-----") != std::string_view::npos) {
    std::vector<pki::Certificate> chain = pki::Certificate::chain_from_pem(pem, source);
    if (chain.size() == 1) return describe_certificate(chain.front());
    json::array certificates;
    for (const pki::Certificate& certificate : chain) {
      certificates.push_back(describe_certificate(certificate));
    }
    return {{"type", "certificate_chain"}, {"certificates", std::move(certificates)}};
  }
  if (pem.find("CERTIFICATE REQUEST-----") != std::string_view::npos) {
    return describe_request(pki::CertificateRequest::from_pem(pem, source));
  }
  if (pem.find("-----BEGIN X509 CRL-----") != std::string_view::npos) {
    std::vector<pki::RevocationList> crls = pki::RevocationList::all_from_pem(pem, source);
    if (crls.size() == 1) return describe_crl(crls.front());
    json::array described;
    for (const pki::RevocationList& crl : crls) described.push_back(describe_crl(crl));
    return {{"type", "crl_bundle"}, {"crls", std::move(described)}};
  }
  throw Error(source + " is not a PEM certificate, certificate request or CRL");
}

std::string render_inspection(const json::object& description) {
  const json::value& type = description.at("type");
  const char* members = type == "certificate_chain" ? "certificates"
                        : type == "crl_bundle"      ? "crls"
                                                    : nullptr;
  std::string out;
  if (members == nullptr) {
    render_object(out, description);
    return out;
  }
  const json::array& items = description.at(members).as_array();
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (i > 0) out += "\n";
    out += "[" + std::to_string(i) + "] ";
    render_object(out, items[i].as_object());
  }
  return out;
}

}  // namespace tlshop::ca
