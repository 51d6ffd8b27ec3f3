#include "pki/bio.hpp"

#include <limits>

#include "pki/openssl_error.hpp"
#include "tlshop/error.hpp"

namespace tlshop::pki {

UniquePtr<BIO> memory_bio(std::string_view data) {
  if (data.size() > static_cast<std::size_t>(std::numeric_limits<int>::max())) {
    throw Error("input too large");
  }
  UniquePtr<BIO> bio(BIO_new_mem_buf(data.data(), static_cast<int>(data.size())));
  if (!bio) throw_openssl_error("out of memory");
  return bio;
}

UniquePtr<BIO> empty_memory_bio() {
  UniquePtr<BIO> bio(BIO_new(BIO_s_mem()));
  if (!bio) throw_openssl_error("out of memory");
  return bio;
}

std::string bio_contents(BIO* bio) {
  char* data = nullptr;
  long size = BIO_get_mem_data(bio, &data);
  return std::string(data, static_cast<std::size_t>(size));
}

}  // namespace tlshop::pki
