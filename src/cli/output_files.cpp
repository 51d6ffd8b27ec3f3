#include "cli/output_files.hpp"

#include <unistd.h>

#include <cctype>

#include "tlshop/error.hpp"

namespace tlshop::cli {
namespace fs = std::filesystem;

void OutputFiles::check_writable(const fs::path& path, Existing existing,
                                 std::string_view if_exists) {
  std::error_code ec;
  if (existing == Existing::kRefuse && fs::exists(path, ec)) {
    throw Error(path.string() + " already exists" + std::string(if_exists));
  }
  fs::path directory = path.parent_path().empty() ? fs::path(".") : path.parent_path();
  if (!fs::is_directory(directory, ec)) {
    throw Error("cannot write " + path.string() + ": directory " + directory.string() +
                " does not exist");
  }
  if (::access(directory.c_str(), W_OK) != 0) {
    throw Error("cannot write " + path.string() + ": directory " + directory.string() +
                " is not writable");
  }
}

void OutputFiles::stage(const fs::path& path, std::string_view data, mode_t mode) {
  check_writable(path, existing_);
  staged_.stage(path, data, mode);
}

std::string file_stem_for(std::string_view name) {
  std::string stem;
  for (char c : name) {
    if (c == '*') {
      stem += "wildcard";
    } else if (std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '.' || c == '-' ||
               c == '_') {
      stem += c;
    } else {
      stem += '_';
    }
  }
  if (stem.empty() || stem.front() == '.') stem.insert(0, "_");
  return stem;
}

}  // namespace tlshop::cli
